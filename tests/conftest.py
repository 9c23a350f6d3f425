"""Fixtures shared by the whole suite."""

import pytest
from django.core.cache import cache
from django.utils import translation

from desk.fragments import local_cache
from desk.models import Department
from desk.sms import backends as sms_backends
from desk.tracking import SESSION_KEY

IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _sms_and_tasks_for_tests(settings):
    """No test talks to an SMS provider, and background tasks run as soon as they are
    enqueued: a test that wants to see what a service sent wraps it in
    `django_capture_on_commit_callbacks(execute=True)` and reads `sms_outbox`."""
    settings.SMS_BACKEND = "locmem"
    settings.TASKS = IMMEDIATE_TASKS
    sms_backends.outbox.clear()


@pytest.fixture(autouse=True)
def _fresh_caches(settings):
    """Every test starts with empty caches. The database cache is rolled back with each
    test's transaction; Redis (the PostgreSQL run in CI) keeps its keys, so it is emptied:
    otherwise the per-mobile limits of one test would refuse the next one's filings. The
    process-local cache would keep the site profile of a test whose rows are gone."""
    if settings.CACHES["default"]["BACKEND"].endswith("RedisCache"):
        cache.clear()
    local_cache().clear()


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """A request leaves its language active in the thread (LocaleMiddleware does not reset
    it): after a test that browsed in English, the next test's data, written outside any
    request (a demo seeded for a module), would be in English too."""
    yield
    translation.deactivate()


@pytest.fixture
def sms_outbox() -> list[sms_backends.OutgoingSms]:
    """What the locmem SMS backend has sent during this test, in order."""
    return sms_backends.outbox


@pytest.fixture
def streets(db):
    """The unit of streets and urban services, where most demo cases go."""
    return Department.objects.create(name="معاونت خدمات شهری", slug="urban-services")


@pytest.fixture
def open_case(settings):
    """Give a test client the tracking session for a code, as /track/ does."""

    def grant(client, code: str) -> None:
        session = client.session
        session[SESSION_KEY] = [*session.get(SESSION_KEY, []), code]
        session.save()
        # An expired session gets a new key on saving: point the browser's cookie at it.
        client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key

    return grant


@pytest.fixture
def outsider(django_user_model):
    """A staff member without any permission of the app under test."""
    return django_user_model.objects.create_user("outsider", password="x", is_staff=True)


@pytest.fixture
def outsider_client(client, outsider):
    client.force_login(outsider)
    return client


def limits(settings, scope: str, **changed: int) -> dict:
    """settings.RATE_LIMITS with some of `scope`'s limits changed, their periods kept:
    `settings.RATE_LIMITS = limits(settings, "track", mobile=3)`."""
    scope_limits = {
        kind: (changed.get(kind, limit), period)
        for kind, (limit, period) in settings.RATE_LIMITS[scope].items()
    }
    return {**settings.RATE_LIMITS, scope: scope_limits}


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    """Uploads go to a temporary private directory, never to the developer's one: a test's
    own, and the demo's documents when a test seeds it."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private"},
        },
    }
    return tmp_path / "private"
