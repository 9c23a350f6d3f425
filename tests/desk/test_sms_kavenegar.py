"""The Kavenegar backend against Kavenegar's documented JSON replies (only HTTP is mocked)."""

from datetime import timedelta
from urllib.parse import parse_qs

import pytest
import requests
import responses
import time_machine
from django.urls import reverse
from django.utils import timezone
from kavenegar import APIException
from urllib3 import HTTPSConnectionPool
from urllib3.connection import HTTPSConnection
from urllib3.exceptions import ConnectTimeoutError, MaxRetryError, NewConnectionError

from desk.models import SmsMessage
from desk.sms import queue_sms
from desk.sms.backends import api_error
from desk.sms.outbox import deliver

pytestmark = pytest.mark.django_db

Status = SmsMessage.Status
API_KEY = "test-key"
SEND_URL = f"https://api.kavenegar.com/v1/{API_KEY}/sms/send.json"
LOOKUP_URL = "https://api.kavenegar.com/v1/test-key/verify/lookup.json"
ACCEPTED = {
    "return": {"status": 200, "message": "تایید شد"},
    "entries": [
        {
            "messageid": 8792343,
            "message": "سلام",
            "status": 5,
            "statustext": "ارسال به مخابرات",
            "sender": "10004346",
            "receptor": "09123456789",
            "date": 1356619709,
            "cost": 120,
        }
    ],
}
INVALID_RECEIVER = {"return": {"status": 411, "message": "گیرنده نامعتبر است"}, "entries": None}
NO_CREDIT = {"return": {"status": 418, "message": "اعتبار حساب شما کافی نیست"}, "entries": None}


@pytest.fixture(autouse=True)
def kavenegar(settings):
    settings.SMS_BACKEND = "kavenegar"
    settings.KAVENEGAR_API_KEY = API_KEY
    settings.KAVENEGAR_SENDER = "10004346"
    settings.KAVENEGAR_TEMPLATES = {}
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


def a_queued_message(context=None) -> SmsMessage:
    return queue_sms(
        receiver="09123456789",
        kind="test",
        context=context or {"name": "زهرا"},
        tracking_code="912345678901",
    )


def posted(call) -> dict[str, str]:
    return {name: values[0] for name, values in parse_qs(call.request.body).items()}


def test_it_sends_the_text_from_the_sender_line_and_keeps_the_message_id(kavenegar):
    kavenegar.post(SEND_URL, json=ACCEPTED)
    message = a_queued_message()

    deliver(message.pk)

    message.refresh_from_db()
    assert message.status == Status.SENT
    assert message.provider_message_id == "8792343"
    assert message.provider_status == "ارسال به مخابرات"
    assert posted(kavenegar.calls[0]) == {
        "receptor": "09123456789",
        "sender": "10004346",
        "message": message.text,
    }


def test_it_does_not_wait_forever_for_an_answer(kavenegar):
    kavenegar.post(SEND_URL, json=ACCEPTED)

    deliver(a_queued_message().pk)

    assert kavenegar.calls[0].request.req_kwargs["timeout"] > 0


def test_it_marks_an_invalid_receiver_failed_at_once(kavenegar):
    kavenegar.post(SEND_URL, json=INVALID_RECEIVER, status=411)
    message = a_queued_message()

    deliver(message.pk)

    message.refresh_from_db()
    assert message.status == Status.FAILED
    assert message.attempts == 1
    assert message.last_error == "Kavenegar 411: گیرنده نامعتبر است"
    assert len(kavenegar.calls) == 1


TRANSIENT_REPLIES = {
    "insufficient credit": {"json": NO_CREDIT, "status": 418},
    "provider 5xx": {"body": "<html>502 Bad Gateway</html>", "status": 502},
    "network error": {"body": requests.exceptions.ConnectionError("connection refused")},
}


@pytest.mark.parametrize("reply", TRANSIENT_REPLIES.values(), ids=TRANSIENT_REPLIES.keys())
def test_it_retries_a_transient_failure_later(kavenegar, reply):
    kavenegar.post(SEND_URL, **reply)
    message = a_queued_message()
    now = timezone.now()

    with time_machine.travel(now, tick=False):
        deliver(message.pk)

    message.refresh_from_db()
    assert message.status == Status.QUEUED
    assert message.attempts == 1
    assert message.next_attempt_at > now
    assert message.last_error


def test_a_reply_that_is_not_kavenegars_is_logged_by_its_http_status(kavenegar):
    kavenegar.post(SEND_URL, body="<html>502 Bad Gateway</html>", status=502)
    message = a_queued_message()

    deliver(message.pk)

    message.refresh_from_db()
    assert message.last_error == "Kavenegar unreachable: HTTP 502, not a Kavenegar reply"


@pytest.mark.parametrize("reply", TRANSIENT_REPLIES.values(), ids=TRANSIENT_REPLIES.keys())
def test_it_fails_a_transient_failure_once_the_retry_window_is_over(kavenegar, reply, settings):
    settings.SMS_RETRY_HOURS = 1
    kavenegar.post(SEND_URL, **reply)
    start = timezone.now()

    with time_machine.travel(start, tick=False) as clock:
        message = a_queued_message()
        for _ in range(10):
            deliver(message.pk)
            message.refresh_from_db()
            clock.move_to(message.next_attempt_at)

    assert message.status == Status.FAILED
    # After 1, 2, 4, 8, 16 and 30 minutes: spread out instead of hammering the provider.
    assert len(kavenegar.calls) == message.attempts == 7
    assert message.last_attempt_at == start + timedelta(minutes=61)


def unreachable(error_class, reason_class, reason: str) -> Exception:
    """The exception requests raises when it cannot reach Kavenegar, built as requests and
    urllib3 build it: its text names the URL, and so the API key."""
    pool = HTTPSConnectionPool("api.kavenegar.com", 443)
    reason_error = reason_class(HTTPSConnection("api.kavenegar.com", 443), reason)
    return error_class(MaxRetryError(pool, f"/v1/{API_KEY}/sms/send.json", reason_error))


OUTAGES = {
    "connection refused": lambda: {
        "body": unreachable(
            requests.exceptions.ConnectionError,
            NewConnectionError,
            "Failed to establish a new connection: [Errno 111] Connection refused",
        )
    },
    "connect timeout": lambda: {
        "body": unreachable(
            requests.exceptions.ConnectTimeout,
            ConnectTimeoutError,
            "Connection to api.kavenegar.com timed out. (connect timeout=15)",
        )
    },
    # A proxy's error page that repeats the address it could not reach.
    "gateway 502": lambda: {
        "body": f"<html>ERROR: The requested URL could not be retrieved: {SEND_URL}</html>",
        "status": 502,
    },
}


@pytest.mark.parametrize("outage", OUTAGES.values(), ids=OUTAGES.keys())
def test_an_outage_leaves_no_trace_of_the_api_key(
    kavenegar, outage, settings, admin_client, caplog
):
    settings.SMS_RETRY_HOURS = 1
    kavenegar.post(SEND_URL, **outage())

    with time_machine.travel(timezone.now(), tick=False) as clock:
        message = a_queued_message()
        for _ in range(10):
            deliver(message.pk)
            message.refresh_from_db()
            clock.move_to(message.next_attempt_at)
    change_page = admin_client.get(reverse("admin:desk_smsmessage_change", args=[message.pk]))
    log_page = admin_client.get(reverse("admin:desk_smsmessage_changelist"))

    assert message.status == Status.FAILED
    assert message.last_error.startswith("Kavenegar unreachable")
    assert API_KEY not in message.last_error
    assert API_KEY not in caplog.text
    # Said in Persian: the provider could not be reached.
    assert "سامانه پیامک در دسترس نبود" in change_page.text
    assert API_KEY not in change_page.text
    assert API_KEY not in log_page.text


@pytest.mark.parametrize("outage", ["connection refused", "connect timeout"])
def test_the_stored_error_still_says_where_the_connection_failed(kavenegar, outage):
    kavenegar.post(SEND_URL, **OUTAGES[outage]())
    message = a_queued_message()

    deliver(message.pk)

    message.refresh_from_db()
    assert "api.kavenegar.com" in message.last_error
    assert "url: /v1/[redacted]/sms/send.json" in message.last_error


def test_it_sends_once_credit_is_topped_up(kavenegar):
    kavenegar.post(SEND_URL, json=NO_CREDIT, status=418)
    kavenegar.post(SEND_URL, json=ACCEPTED)
    message = a_queued_message()

    with time_machine.travel(timezone.now(), tick=False) as clock:
        deliver(message.pk)
        message.refresh_from_db()
        clock.move_to(message.next_attempt_at)
        deliver(message.pk)

    message.refresh_from_db()
    assert message.status == Status.SENT
    assert message.attempts == 2


def test_template_mode_calls_verify_lookup_with_the_tokens(kavenegar, settings):
    settings.KAVENEGAR_TEMPLATES = {"test": "desk-test"}
    kavenegar.post(LOOKUP_URL, json=ACCEPTED)
    message = a_queued_message(
        {"tokens": {"token": "912345678901", "token2": "علی رضایی", "token10": "ثبت  شد"}}
    )

    deliver(message.pk)

    message.refresh_from_db()
    assert message.status == Status.SENT
    assert message.provider_message_id == "8792343"
    assert posted(kavenegar.calls[0]) == {
        "receptor": "09123456789",
        "template": "desk-test",
        "token": "912345678901",
        # Spaces are refused in token2, allowed in token10.
        "token2": "علی\u200cرضایی",
        "token10": "ثبت شد",
    }


def test_template_mode_without_a_token_fails_at_once_without_calling_kavenegar(kavenegar, settings):
    settings.KAVENEGAR_TEMPLATES = {"test": "desk-test"}
    message = a_queued_message()

    deliver(message.pk)

    message.refresh_from_db()
    assert message.status == Status.FAILED
    assert len(kavenegar.calls) == 0


def test_it_reads_the_status_from_the_library_s_own_exception():
    # kavenegar.KavenegarAPI raises its message encoded to bytes.
    error = api_error(APIException("APIException[411] گیرنده نامعتبر است".encode()))

    assert error.permanent is True
    assert str(error) == "Kavenegar 411: گیرنده نامعتبر است"
    assert api_error(APIException(b"APIException[418] credit")).permanent is False
