"""Kavenegar's API key never reaches a log, an error e-mail or the SMS outbox table."""

import importlib
import logging
from io import StringIO

import pytest
from django.apps import apps

from desk.models import SmsMessage
from desk.redaction import mask_receiver, redact_secrets
from desk.sms import queue_sms
from desk.sms.backends import BaseSmsBackend, KavenegarBackend
from desk.sms.outbox import deliver

API_KEY = "6A4F3B2C1D0E9F8A7B6C5D4E3F2A1B0C"
PATH = f"/v1/{API_KEY}/sms/send.json"
URL = f"https://api.kavenegar.com{PATH}"


@pytest.fixture(autouse=True)
def api_key(settings):
    settings.KAVENEGAR_API_KEY = API_KEY


@pytest.fixture
def console_output():
    """What the root logger's console handler, as settings.LOGGING configures it, writes."""
    [console] = [h for h in logging.getLogger().handlers if h.name == "console"]
    stream = StringIO()
    previous = console.setStream(stream)
    yield stream
    console.setStream(previous)


class LeakyBackend(BaseSmsBackend):
    """A backend failing in a way nobody foresaw, with the key in the exception."""

    def send(self, sms):
        raise RuntimeError(f"cannot post to {URL}")


def test_it_replaces_the_configured_key_and_the_key_in_any_kavenegar_path(settings):
    rotated = "https://api.kavenegar.com/v1/OLD-KEY-0042/verify/lookup.json"

    assert redact_secrets(f"key {API_KEY} in {URL}") == (
        "key [redacted] in https://api.kavenegar.com/v1/[redacted]/sms/send.json"
    )
    assert redact_secrets(rotated) == "https://api.kavenegar.com/v1/[redacted]/verify/lookup.json"
    assert redact_secrets("an error with 1 digit, /v1/ and .json") == (
        "an error with 1 digit, /v1/ and .json"
    )


def test_it_redacts_a_key_given_to_the_backend_instead_of_the_settings(settings):
    settings.KAVENEGAR_API_KEY = ""

    assert redact_secrets("the key is s3cret-key", "s3cret-key") == "the key is [redacted]"


def test_the_kavenegar_client_does_not_show_its_key():
    api = KavenegarBackend(api_key=API_KEY).api

    assert API_KEY not in repr(api)
    assert API_KEY not in str(api)


def test_logs_show_a_masked_receiver():
    assert mask_receiver("09121234567") == "0912*****67"


def test_the_console_log_redacts_the_key_from_messages_and_tracebacks(console_output):
    logger = logging.getLogger("desk.anything")

    logger.warning("posting to %s failed", URL)
    try:
        raise ConnectionError(f"Max retries exceeded with url: {PATH}")
    except ConnectionError:
        logger.exception("Kavenegar is down")

    output = console_output.getvalue()
    assert "posting to https://api.kavenegar.com/v1/[redacted]/sms/send.json failed" in output
    assert "Kavenegar is down" in output
    assert "Traceback" in output
    assert API_KEY not in output


def test_the_console_log_leaves_other_records_alone(console_output):
    logging.getLogger("desk.anything").warning("%s SMS re-queued", 3)

    assert console_output.getvalue() == "3 SMS re-queued\n"


@pytest.mark.django_db
def test_an_unforeseen_error_carrying_the_key_is_stored_and_logged_without_it(
    settings, console_output
):
    settings.SMS_BACKEND = f"{__name__}.LeakyBackend"
    message = queue_sms(receiver="09121234567", kind="test", context={})

    deliver(message.pk)

    message.refresh_from_db()
    assert message.status == SmsMessage.Status.FAILED
    assert "RuntimeError" in message.last_error
    assert API_KEY not in message.last_error
    assert "unexpected error while sending" in console_output.getvalue()
    assert API_KEY not in console_output.getvalue()


def run_the_scrub_migration() -> None:
    migration = importlib.import_module("desk.migrations.0004_scrub_kavenegar_key_from_sms_errors")
    migration.scrub_last_errors(apps, None)


def a_message(last_error: str) -> SmsMessage:
    return SmsMessage.objects.create(
        receiver="09121234567",
        kind="test",
        text="سلام",
        status=SmsMessage.Status.FAILED,
        last_error=last_error,
        next_attempt_at="2026-01-01T00:00Z",
    )


@pytest.mark.django_db
def test_the_migration_scrubs_the_key_from_errors_already_stored():
    leaked = a_message(f"Kavenegar unreachable: Max retries exceeded with url: {PATH}")
    mentioned = a_message(f"key {API_KEY} refused")
    clean = a_message("Kavenegar 411: گیرنده نامعتبر است")

    run_the_scrub_migration()

    for message in (leaked, mentioned, clean):
        message.refresh_from_db()
    assert leaked.last_error == (
        "Kavenegar unreachable: Max retries exceeded with url: /v1/[redacted]/sms/send.json"
    )
    assert mentioned.last_error == "key [redacted] refused"
    assert clean.last_error == "Kavenegar 411: گیرنده نامعتبر است"


@pytest.mark.django_db
def test_the_migration_changes_nothing_else_when_no_key_is_set(settings):
    settings.KAVENEGAR_API_KEY = ""
    message = a_message(f"key {API_KEY} refused")

    run_the_scrub_migration()

    message.refresh_from_db()
    assert message.last_error == f"key {API_KEY} refused"
