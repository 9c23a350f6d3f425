"""Choosing a backend by name, and what the development backends do."""

from io import StringIO

import pytest

from desk.sms import get_backend
from desk.sms.backends import (
    ConsoleBackend,
    KavenegarBackend,
    LocmemBackend,
    OutgoingSms,
)

SMS = OutgoingSms(receiver="09121234567", kind="test", text="سلام", tokens={"token": "123"})


@pytest.mark.parametrize(
    ("name", "backend_class"),
    [
        ("console", ConsoleBackend),
        ("locmem", LocmemBackend),
        ("kavenegar", KavenegarBackend),
        ("desk.sms.backends.LocmemBackend", LocmemBackend),
    ],
)
def test_it_finds_the_backend_by_short_name_or_dotted_path(settings, name, backend_class):
    settings.SMS_BACKEND = name

    assert type(get_backend()) is backend_class


def test_the_console_backend_prints_the_receiver_and_the_text():
    stream = StringIO()

    ConsoleBackend(stream=stream).send(SMS)

    assert "09121234567" in stream.getvalue()
    assert "سلام" in stream.getvalue()


def test_the_locmem_backend_keeps_what_it_sent(sms_outbox):
    result = LocmemBackend().send(SMS)

    assert sms_outbox == [SMS]
    assert result.message_id == "locmem-1"
