"""The session stores create a session without looking its new key up first (desk.sessions),
and still never let two sessions share a key."""

import base64
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.backends.base import VALID_KEY_CHARS, CreateError, UpdateError
from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from desk.sessions import cache as cache_sessions
from desk.sessions import db as db_sessions

pytestmark = pytest.mark.django_db

TAKEN, FREE = "a" * 32, "b" * 32


def draws(*keys: str):
    """The system's random bytes that make these session keys, one per draw."""
    drawn = iter([base64.b32decode(key.upper()) for key in keys])
    return lambda count: next(drawn)


@pytest.mark.parametrize("store", [db_sessions.SessionStore, cache_sessions.SessionStore])
def test_a_key_already_taken_is_drawn_again_and_the_first_session_kept(store, monkeypatch):
    first = store(session_key=None)
    monkeypatch.setattr("desk.sessions.secrets.token_bytes", draws(TAKEN))
    first["desk_tracked_cases"] = ["140000000001"]
    first.create()
    first.save()
    monkeypatch.setattr("desk.sessions.secrets.token_bytes", draws(TAKEN, FREE))

    second = store()
    second["desk_tracked_cases"] = ["140000000002"]
    second.create()
    second.save()

    assert second.session_key == FREE
    assert store(session_key=TAKEN).load() == {"desk_tracked_cases": ["140000000001"]}
    assert store(session_key=FREE).load() == {"desk_tracked_cases": ["140000000002"]}


def test_new_keys_are_32_session_key_characters_and_never_repeat():
    keys = {db_sessions.SessionStore()._get_new_session_key() for _ in range(1000)}
    assert len(keys) == 1000
    assert all(len(key) == 32 and set(key) <= set(VALID_KEY_CHARS) for key in keys)


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


def test_a_session_deleted_meanwhile_is_not_written_back():
    # Signed out in another tab (the row deleted) while this request ran: as Django's own
    # store, the update refuses rather than bringing the session back.
    session = db_sessions.SessionStore()
    session.create()
    db_sessions.SessionStore(session.session_key).delete()
    session["desk_tracked_cases"] = ["140000000001"]

    with pytest.raises(UpdateError):
        session.save()
    assert not Session.objects.filter(session_key=session.session_key).exists()


def test_a_refused_new_key_inside_a_transaction_leaves_the_transaction_usable():
    taken = db_sessions.SessionStore()
    taken.create()
    clash = db_sessions.SessionStore(session_key=taken.session_key)
    with transaction.atomic():
        with pytest.raises(CreateError):
            clash.save(must_create=True)
        # The caller's work goes on and commits.
        db_sessions.SessionStore().create()
    assert Session.objects.count() == 2


def test_a_saved_session_keeps_its_expiry():
    session = db_sessions.SessionStore()
    session.set_expiry(600)
    session["desk_tracked_cases"] = ["140000000001"]
    session.save(must_create=True)
    session.save()
    row = Session.objects.get(session_key=session.session_key)
    assert abs((row.expire_date - timezone.now()).total_seconds() - 600) < 5
    assert row.get_decoded()["desk_tracked_cases"] == ["140000000001"]
