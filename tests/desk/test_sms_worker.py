"""End to end with the real database task queue and its worker command."""

from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from desk.models import SmsMessage
from desk.sms import SendError, queue_sms
from desk.sms.backends import LocmemBackend

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


class DownOnceBackend(LocmemBackend):
    calls = 0

    def send(self, sms):
        DownOnceBackend.calls += 1
        if DownOnceBackend.calls == 1:
            raise SendError("provider down")
        return super().send(sms)


def run_worker_once() -> None:
    call_command(
        "db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0",
        stdout=StringIO(),
    )  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_sends_a_message_queued_in_a_committed_transaction(
    settings, sms_outbox
):
    settings.TASKS = DATABASE_TASKS

    with transaction.atomic():
        message = queue_sms(receiver="09121234567", kind="test", context={"name": "زهرا"})
        assert not DBTaskResult.objects.exists()
    assert DBTaskResult.objects.count() == 1
    assert sms_outbox == []

    run_worker_once()

    message.refresh_from_db()
    assert message.status == SmsMessage.Status.SENT
    assert [sms.text for sms in sms_outbox] == [message.text]
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


@pytest.mark.django_db(transaction=True)
def test_the_worker_retries_a_transient_failure_when_the_back_off_ends(settings, sms_outbox):
    settings.TASKS = DATABASE_TASKS
    settings.SMS_BACKEND = f"{__name__}.DownOnceBackend"
    DownOnceBackend.calls = 0
    with transaction.atomic():
        message = queue_sms(receiver="09121234567", kind="test", context={})

    run_worker_once()

    message.refresh_from_db()
    assert message.status == SmsMessage.Status.QUEUED
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.run_after == message.next_attempt_at
    assert sms_outbox == []

    with time_machine.travel(message.next_attempt_at, tick=False):
        run_worker_once()

    message.refresh_from_db()
    assert message.status == SmsMessage.Status.SENT
    assert message.attempts == 2
    assert len(sms_outbox) == 1
