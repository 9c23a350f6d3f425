"""Issuing codes: unique by the database constraint, even when the random source collides."""

import itertools
import threading

import pytest
from django.db import connection

from desk import codes, services
from desk.models import TrackingCode


class CollidingSource:
    """A random source that hands every body out twice, so that every other draw collides
    with a code already issued (or being issued at this moment by another thread)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._bodies = (f"{n:010d}" for n in itertools.count() for _twice in range(2))

    def __call__(self) -> str:
        with self._lock:
            return next(self._bodies)


@pytest.mark.django_db
def test_it_issues_a_valid_code_of_the_kind(monkeypatch):
    code = services.issue_tracking_code(prefix="1", kind="complaint")
    assert codes.parse_code(code) == code
    assert code.startswith("1")
    assert TrackingCode.objects.get(code=code).kind == "complaint"


@pytest.mark.django_db
def test_it_draws_again_when_a_code_is_taken(monkeypatch):
    monkeypatch.setattr(codes, "random_body", CollidingSource())
    first = services.issue_tracking_code(prefix="1", kind="complaint")
    second = services.issue_tracking_code(prefix="1", kind="complaint")
    assert first != second
    assert TrackingCode.objects.count() == 2


@pytest.mark.django_db
def test_it_gives_up_with_a_clear_error_when_every_draw_collides(monkeypatch):
    monkeypatch.setattr(codes, "random_body", lambda: "5555555555")
    services.issue_tracking_code(prefix="1", kind="complaint")
    with pytest.raises(services.CodeSpaceExhausted):
        services.issue_tracking_code(prefix="1", kind="complaint")


@pytest.mark.django_db(transaction=True)
def test_concurrent_issuing_with_colliding_draws_gives_distinct_codes(monkeypatch):
    """200 codes from 8 threads, each on its own database connection, drawing from a
    source that collides on every other draw: all succeed and all differ."""
    monkeypatch.setattr(codes, "random_body", CollidingSource())
    issued: list[str] = []
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def issue_25():
        try:
            start.wait()
            for _ in range(25):
                issued.append(services.issue_tracking_code(prefix="2", kind="appointment"))
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue_25) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(issued) == 200
    assert len(set(issued)) == 200
    assert TrackingCode.objects.filter(kind="appointment").count() == 200
