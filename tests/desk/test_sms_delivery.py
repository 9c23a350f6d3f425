"""Sending queued SMS: claim, success, back-off, failure, re-queue and manual retry."""

import itertools
import logging
from datetime import datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from desk.models import SmsMessage
from desk.sms import SendError, SendResult, queue_sms, requeue_due_messages, retry_message
from desk.sms.backends import BaseSmsBackend
from desk.sms.outbox import deliver, retry_delay, send_sms

pytestmark = pytest.mark.django_db

Status = SmsMessage.Status
DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


class FlakyBackend(BaseSmsBackend):
    """Fails with `errors` in turn, or while the clock is before `down_until`, then sends."""

    errors: list[Exception] = []
    down_until: datetime | None = None
    sent: list[str] = []

    def send(self, sms):
        if FlakyBackend.errors:
            raise FlakyBackend.errors.pop(0)
        if FlakyBackend.down_until and timezone.now() < FlakyBackend.down_until:
            raise SendError("Kavenegar unreachable: connection refused")
        FlakyBackend.sent.append(sms.receiver)
        return SendResult(message_id="42", status_text="sent")


@pytest.fixture
def flaky(settings):
    settings.SMS_BACKEND = f"{__name__}.FlakyBackend"
    FlakyBackend.errors = []
    FlakyBackend.down_until = None
    FlakyBackend.sent = []
    return FlakyBackend


def a_queued_message(**fields) -> SmsMessage:
    message = queue_sms(receiver="09121234567", kind="test", context={"name": "زهرا"})
    SmsMessage.objects.filter(pk=message.pk).update(**fields)
    return SmsMessage.objects.get(pk=message.pk)


def attempt_until_settled(message: SmsMessage, clock) -> list[datetime]:
    """Run every attempt as the worker would, moving the clock to each next attempt, until
    the message is sent or failed. Returns the times of the attempts."""
    attempts = []
    for _ in range(500):
        attempts.append(timezone.now())
        deliver(message.pk)
        message.refresh_from_db()
        if message.status != Status.QUEUED:
            return attempts
        clock.move_to(message.next_attempt_at)
    raise AssertionError("the message was never sent nor failed")


def test_the_task_sends_the_message_and_records_the_provider_s_answer(sms_outbox):
    message = a_queued_message()

    send_sms.enqueue(message.pk)

    message.refresh_from_db()
    assert message.status == Status.SENT
    assert message.provider_message_id == "locmem-1"
    assert message.provider_status == "locmem"
    assert message.attempts == 1
    assert message.sent_at is not None
    assert sms_outbox[0].text == message.text


def test_a_task_run_twice_sends_once(sms_outbox):
    message = a_queued_message()

    send_sms.enqueue(message.pk)
    send_sms.enqueue(message.pk)

    assert len(sms_outbox) == 1
    message.refresh_from_db()
    assert message.attempts == 1


def test_a_message_claimed_by_another_worker_is_left_alone(sms_outbox):
    message = a_queued_message(status=Status.SENDING)

    assert deliver(message.pk) == "skipped"
    assert sms_outbox == []


def test_a_task_arriving_before_the_back_off_ends_does_nothing(sms_outbox):
    message = a_queued_message(next_attempt_at=timezone.now() + timedelta(minutes=5))

    assert deliver(message.pk) == "skipped"
    assert sms_outbox == []


def test_it_marks_a_permanent_failure_failed_at_once(flaky):
    flaky.errors = [SendError("invalid receiver", permanent=True)]
    message = a_queued_message()

    deliver(message.pk)

    message.refresh_from_db()
    assert message.status == Status.FAILED
    assert message.attempts == 1
    assert message.last_error == "invalid receiver"


def test_it_retries_a_transient_failure_with_growing_delays_then_sends(flaky):
    flaky.errors = [SendError("down"), SendError("down")]
    message = a_queued_message()
    start = timezone.now()

    with time_machine.travel(start, tick=False) as clock:
        deliver(message.pk)
        message.refresh_from_db()
        assert message.status == Status.QUEUED
        assert message.next_attempt_at == start + timedelta(minutes=1)

        clock.move_to(message.next_attempt_at)
        deliver(message.pk)
        message.refresh_from_db()
        assert message.next_attempt_at == start + timedelta(minutes=1 + 2)

        clock.move_to(message.next_attempt_at)
        deliver(message.pk)

    message.refresh_from_db()
    assert message.status == Status.SENT
    assert message.attempts == 3
    assert message.last_error == ""
    assert flaky.sent == ["09121234567"]


def test_it_rides_out_a_six_hour_outage_and_sends_soon_after_it(flaky):
    start = timezone.now()
    flaky.down_until = start + timedelta(hours=6)

    with time_machine.travel(start, tick=False) as clock:
        message = a_queued_message()
        attempts = attempt_until_settled(message, clock)

    assert message.status == Status.SENT
    assert flaky.sent == ["09121234567"]
    assert flaky.down_until <= message.sent_at <= flaky.down_until + timedelta(minutes=30)
    assert message.attempts == len(attempts)


def test_the_delays_double_to_half_an_hour_and_stay_there(flaky):
    start = timezone.now()
    flaky.down_until = start + timedelta(hours=3)

    with time_machine.travel(start, tick=False) as clock:
        message = a_queued_message()
        attempts = attempt_until_settled(message, clock)

    delays = [later - earlier for earlier, later in itertools.pairwise(attempts)]
    assert delays[:6] == [timedelta(minutes=minutes) for minutes in (1, 2, 4, 8, 16, 30)]
    assert set(delays[5:]) == {timedelta(minutes=30)}


def test_a_message_still_failing_after_the_retry_window_fails_and_is_logged_as_an_error(
    flaky, settings, caplog
):
    settings.SMS_RETRY_HOURS = 24
    start = timezone.now()
    flaky.down_until = start + timedelta(days=3)

    with time_machine.travel(start, tick=False) as clock:
        message = a_queued_message()
        attempts = attempt_until_settled(message, clock)

    assert message.status == Status.FAILED
    assert message.last_error == "Kavenegar unreachable: connection refused"
    assert flaky.sent == []
    # Not one more attempt than the window holds: the last one is the first at or after it.
    assert attempts[-2] < start + timedelta(hours=24) <= attempts[-1]
    [record] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert record.name == "desk.sms.outbox"
    assert f"SMS {message.pk} to 0912*****67 failed" in record.getMessage()
    assert "09121234567" not in caplog.text


def test_it_logs_a_permanent_failure_as_an_error_too(flaky, caplog):
    flaky.errors = [SendError("invalid receiver", permanent=True)]
    message = a_queued_message()

    deliver(message.pk)

    assert [r.levelno for r in caplog.records] == [logging.ERROR]
    assert "invalid receiver" in caplog.text


def test_it_marks_an_unexpected_error_failed_without_retrying(flaky):
    flaky.errors = [KeyError("messageid")]
    message = a_queued_message()

    deliver(message.pk)

    message.refresh_from_db()
    assert message.status == Status.FAILED
    assert "KeyError" in message.last_error


def test_a_retry_is_enqueued_for_later_when_the_task_backend_can_defer(
    flaky, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = DUMMY_TASKS
    flaky.errors = [SendError("down")]
    message = a_queued_message()

    with django_capture_on_commit_callbacks(execute=True):
        deliver(message.pk)

    message.refresh_from_db()
    [result] = send_sms.get_backend().results
    assert list(result.args) == [message.pk]
    assert result.task.run_after == message.next_attempt_at


def test_the_back_off_doubles_up_to_half_an_hour():
    delays = [retry_delay(attempts) for attempts in (1, 2, 3, 4, 10, 200)]

    assert delays == [
        timedelta(minutes=1),
        timedelta(minutes=2),
        timedelta(minutes=4),
        timedelta(minutes=8),
        timedelta(minutes=30),
        timedelta(minutes=30),
    ]


def test_requeue_sends_the_messages_whose_task_was_lost(
    django_capture_on_commit_callbacks, sms_outbox
):
    overdue = a_queued_message(next_attempt_at=timezone.now() - timedelta(minutes=11))
    recent = a_queued_message(next_attempt_at=timezone.now() - timedelta(minutes=2))
    failed = a_queued_message(
        status=Status.FAILED, next_attempt_at=timezone.now() - timedelta(hours=1)
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert requeue_due_messages() == 1

    assert len(sms_outbox) == 1
    overdue.refresh_from_db()
    recent.refresh_from_db()
    failed.refresh_from_db()
    assert overdue.status == Status.SENT
    assert recent.status == Status.QUEUED
    assert failed.status == Status.FAILED


def test_requeue_does_not_enqueue_the_same_message_twice_in_a_row(
    settings, django_capture_on_commit_callbacks
):
    settings.TASKS = DUMMY_TASKS
    a_queued_message(next_attempt_at=timezone.now() - timedelta(hours=1))

    with django_capture_on_commit_callbacks(execute=True):
        assert requeue_due_messages() == 1
        assert requeue_due_messages() == 0

    assert len(send_sms.get_backend().results) == 1


def test_requeue_fails_a_message_left_half_sent_by_a_dead_worker(sms_outbox):
    stalled = a_queued_message(
        status=Status.SENDING, last_attempt_at=timezone.now() - timedelta(minutes=20)
    )
    busy = a_queued_message(status=Status.SENDING, last_attempt_at=timezone.now())

    requeue_due_messages()

    stalled.refresh_from_db()
    busy.refresh_from_db()
    assert stalled.status == Status.FAILED
    assert busy.status == Status.SENDING
    assert sms_outbox == []


def test_the_requeue_command_reports_how_many_it_queued(
    settings, django_capture_on_commit_callbacks
):
    settings.TASKS = DUMMY_TASKS
    a_queued_message(next_attempt_at=timezone.now() - timedelta(minutes=30))
    out = StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("sms_requeue", "--grace", "20", stdout=out)

    assert out.getvalue().strip() == "1 SMS re-queued."
    assert len(send_sms.get_backend().results) == 1


def test_retry_queues_a_failed_message_again_with_fresh_attempts(
    django_capture_on_commit_callbacks, sms_outbox
):
    message = a_queued_message(status=Status.FAILED, attempts=6, last_error="down")

    with django_capture_on_commit_callbacks(execute=True):
        assert retry_message(message.pk) is True

    message.refresh_from_db()
    assert message.status == Status.SENT
    assert message.attempts == 1
    assert len(sms_outbox) == 1


def test_retry_gives_a_message_that_failed_long_ago_a_fresh_retry_window(
    flaky, django_capture_on_commit_callbacks
):
    message = a_queued_message(
        status=Status.FAILED, queued_at=timezone.now() - timedelta(days=3), attempts=50
    )
    flaky.errors = [SendError("down")]

    with django_capture_on_commit_callbacks(execute=True):
        retry_message(message.pk)

    message.refresh_from_db()
    assert message.status == Status.QUEUED
    assert message.attempts == 1
    assert message.next_attempt_at > timezone.now()


def test_retry_leaves_a_message_that_has_not_failed_alone(sms_outbox):
    message = a_queued_message(status=Status.SENT)

    assert retry_message(message.pk) is False
    message.refresh_from_db()
    assert message.status == Status.SENT
