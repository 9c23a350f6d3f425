"""A session is never overbooked: ten citizens race for its last three places at once and
exactly three get one; and no time is given twice, however many clerks approve at once.
Runs on SQLite (IMMEDIATE transactions serialise the writers) and on PostgreSQL (the row
lock on the session does)."""

import threading
from datetime import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from appointments import services
from appointments.models import MeetingRequest, Status

RACERS = 10


@pytest.mark.django_db(transaction=True)
def test_ten_citizens_race_for_the_last_three_places(make_session, request_meeting):
    session = make_session(capacity=5)
    request_meeting(session=session, mobile="09120000001")
    request_meeting(session=session, mobile="09120000002")
    start = threading.Barrier(RACERS)
    results: list[str] = []

    def race(n: int) -> None:
        try:
            start.wait()
            request_meeting(session=session, mobile=f"0913000{n:04d}")
            results.append("ok")
        except ValidationError as error:
            results.append(error.code or "refused")
        except Exception as error:
            results.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=race, args=(n,)) for n in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == ["full"] * 7 + ["ok"] * 3
    assert MeetingRequest.objects.filter(session=session).count() == 5
    assert session.free_places == 0


def _race(jobs) -> list[str]:
    """Run each job in its own thread and connection, all at once; what each one got."""
    start = threading.Barrier(len(jobs))
    results: list[str] = []

    def run(job) -> None:
        try:
            start.wait()
            job()
            results.append("ok")
        except ValidationError as error:
            results.append(error.code or "refused")
        except Exception as error:
            results.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.django_db(transaction=True)
def test_five_clerks_approving_into_one_session_at_once_give_five_different_times(
    make_session, request_meeting, office_clerk
):
    session = make_session(capacity=5)
    waiting = [request_meeting(mobile=f"0913000{n:04d}") for n in range(5)]

    results = _race(
        [
            lambda meeting=meeting: services.approve_meeting(
                meeting, session=session, meeting_time=None, actor=office_clerk
            )
            for meeting in waiting
        ]
    )

    assert results == ["ok"] * 5
    times = MeetingRequest.objects.filter(session=session).values_list("meeting_time", flat=True)
    assert sorted(times) == session.times()


@pytest.mark.django_db(transaction=True)
def test_five_clerks_giving_the_same_time_at_once_give_it_once(
    make_session, request_meeting, office_clerk
):
    session = make_session(capacity=5)
    waiting = [request_meeting(mobile=f"0913000{n:04d}") for n in range(5)]

    results = _race(
        [
            lambda meeting=meeting: services.approve_meeting(
                meeting, session=session, meeting_time=time(9, 30), actor=office_clerk
            )
            for meeting in waiting
        ]
    )

    assert sorted(results) == ["ok"] + ["time_taken"] * 4
    assert MeetingRequest.objects.filter(status=Status.APPROVED).count() == 1
