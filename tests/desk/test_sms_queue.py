"""Queuing an SMS: text from its template, a row in the caller's transaction, a task after
the commit and never after a rollback."""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template import TemplateDoesNotExist

from desk.models import SmsMessage
from desk.sms import queue_sms, render_sms

pytestmark = pytest.mark.django_db


class Boom(Exception):
    pass


def test_it_renders_the_text_from_the_kind_s_template():
    text = render_sms("test", {"name": "زهرا", "tracking_code": "912345678901"})

    assert text == "سلام زهرا،\nاین یک پیامک آزمایشی از میز خدمت است.\nکد رهگیری: ۹۱۲۳۴۵۶۷۸۹۰۱"


def test_it_does_not_html_escape_the_text():
    assert render_sms("test", {"name": "علی & مریم"}).startswith("سلام علی & مریم،")


def test_it_refuses_a_kind_that_is_not_a_plain_name():
    with pytest.raises(ValueError):
        render_sms("../base", {})


def test_it_refuses_a_kind_without_a_template():
    with pytest.raises(TemplateDoesNotExist):
        queue_sms(receiver="09121234567", kind="no_such_kind", context={})


def test_it_writes_a_queued_row_with_the_normalised_receiver_and_the_text():
    message = queue_sms(
        receiver="+98 912 123 ۴۵۶۷", kind="test", context={}, tracking_code="912345678901"
    )

    message.refresh_from_db()
    assert message.receiver == "09121234567"
    assert message.status == SmsMessage.Status.QUEUED
    assert message.tracking_code == "912345678901"
    assert "کد رهگیری: ۹۱۲۳۴۵۶۷۸۹۰۱" in message.text
    assert message.attempts == 0


def test_it_refuses_a_receiver_that_is_not_a_mobile_number():
    with pytest.raises(ValidationError):
        queue_sms(receiver="021-12345678", kind="test", context={})


def test_it_keeps_the_template_tokens_as_text():
    message = queue_sms(
        receiver="09121234567", kind="test", context={"tokens": {"token": 1234, "token10": "x y"}}
    )

    assert message.tokens == {"token": "1234", "token10": "x y"}


def test_it_refuses_a_token_kavenegar_does_not_know():
    with pytest.raises(ValueError):
        queue_sms(receiver="09121234567", kind="test", context={"tokens": {"token4": "x"}})


def test_it_sends_only_after_the_transaction_commits(
    django_capture_on_commit_callbacks, sms_outbox
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        message = queue_sms(receiver="09121234567", kind="test", context={"name": "زهرا"})
        assert sms_outbox == []

    assert [sms.receiver for sms in sms_outbox] == ["09121234567"]
    message.refresh_from_db()
    assert message.status == SmsMessage.Status.SENT


def test_it_sends_nothing_when_the_transaction_rolls_back(
    django_capture_on_commit_callbacks, sms_outbox
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Boom),
        transaction.atomic(),
    ):
        queue_sms(receiver="09121234567", kind="test", context={})
        raise Boom

    assert callbacks == []
    assert sms_outbox == []
    assert not SmsMessage.objects.exists()


def test_it_sends_nothing_before_the_commit_even_with_a_worker_running(sms_outbox):
    # Inside the test's own transaction nothing commits, so nothing may be sent.
    queue_sms(receiver="09121234567", kind="test", context={})

    assert sms_outbox == []
