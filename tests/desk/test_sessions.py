"""The session stores create a session without looking its new key up first (desk.sessions),
and still never let two sessions share a key."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from desk.sessions import cache as cache_sessions
from desk.sessions import db as db_sessions

pytestmark = pytest.mark.django_db

TAKEN, FREE = "a" * 32, "b" * 32


@pytest.mark.parametrize("store", [db_sessions.SessionStore, cache_sessions.SessionStore])
def test_a_key_already_taken_is_drawn_again_and_the_first_session_kept(store, monkeypatch):
    first = store(session_key=None)
    monkeypatch.setattr("desk.sessions.get_random_string", lambda *args: TAKEN)
    first["desk_tracked_cases"] = ["140000000001"]
    first.create()
    first.save()
    keys = iter([TAKEN, FREE])
    monkeypatch.setattr("desk.sessions.get_random_string", lambda *args: next(keys))

    second = store()
    second["desk_tracked_cases"] = ["140000000002"]
    second.create()
    second.save()

    assert second.session_key == FREE
    assert store(session_key=TAKEN).load() == {"desk_tracked_cases": ["140000000001"]}
    assert store(session_key=FREE).load() == {"desk_tracked_cases": ["140000000002"]}


def test_a_new_database_session_is_one_insert():
    session = db_sessions.SessionStore()
    with CaptureQueriesContext(connection) as captured:
        session.create()
    writes = [q["sql"] for q in captured if "django_session" in q["sql"]]
    assert len(writes) == 1 and writes[0].startswith("INSERT")


def test_a_database_session_reads_back_and_an_expired_one_reads_empty(time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    session = db_sessions.SessionStore()
    session["desk_tracked_cases"] = ["140000000001"]
    session.create()
    session.save()
    assert db_sessions.SessionStore(session.session_key).load() == session._session

    time_machine.shift(timedelta(seconds=settings.SESSION_COOKIE_AGE + 1))

    expired = db_sessions.SessionStore(session.session_key)
    assert expired.load() == {} and expired.session_key is None
