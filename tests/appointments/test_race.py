"""A session is never overbooked: ten citizens race for its last three places at once and
exactly three get one. Runs on SQLite (IMMEDIATE transactions serialise the writers) and on
PostgreSQL (the row lock on the session does)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from appointments.models import MeetingRequest

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
