"""An SMS that fails for good reaches the site admins by e-mail, when the environment names
them, without the provider's API key."""

import importlib.util
import logging.config
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core import mail
from django.utils import timezone
from django.utils.log import configure_logging

from desk.models import SmsMessage
from desk.sms import SendError, queue_sms
from desk.sms.backends import BaseSmsBackend
from desk.sms.outbox import deliver

SETTINGS_FILE = Path(__file__).resolve().parents[2] / "config" / "settings.py"
API_KEY = "6A4F3B2C1D0E9F8A7B6C5D4E3F2A1B0C"


class DownBackend(BaseSmsBackend):
    def send(self, sms):
        raise SendError(f"Kavenegar unreachable: url: /v1/{API_KEY}/sms/send.json")


def settings_from_environment(monkeypatch, **environment):
    """config/settings.py as it reads this environment (a fresh copy of the module)."""
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location("settings_under_test", SETTINGS_FILE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def admins_in_environment(monkeypatch, settings):
    """Logging as the portal sets it up with ADMINS in its environment."""
    configured = settings_from_environment(
        monkeypatch, ADMINS="Ops team:ops@example.ir,it@example.ir"
    )
    settings.ADMINS = configured.ADMINS
    logging.config.dictConfig(configured.LOGGING)
    yield
    configure_logging(django_settings.LOGGING_CONFIG, django_settings.LOGGING)


def test_admins_are_read_as_names_and_addresses_or_bare_addresses(monkeypatch):
    configured = settings_from_environment(
        monkeypatch, ADMINS="Ops team:ops@example.ir,it@example.ir"
    )

    assert configured.ADMINS == [("Ops team", "ops@example.ir"), ("it@example.ir", "it@example.ir")]


@pytest.mark.django_db
def test_the_admins_get_an_e_mail_when_an_sms_fails_for_good(admins_in_environment, settings):
    settings.SMS_BACKEND = f"{__name__}.DownBackend"
    settings.KAVENEGAR_API_KEY = API_KEY
    settings.SMS_RETRY_HOURS = 1

    with time_machine.travel(timezone.now(), tick=False) as clock:
        message = queue_sms(receiver="09121234567", kind="test", context={})
        deliver(message.pk)
        assert mail.outbox == []  # a transient failure is not news yet
        clock.shift(timedelta(hours=2))
        deliver(message.pk)

    message.refresh_from_db()
    assert message.status == SmsMessage.Status.FAILED
    [email] = mail.outbox
    assert email.to == ["ops@example.ir", "it@example.ir"]
    assert f"SMS {message.pk} to 0912*****67 failed" in email.subject
    assert "09121234567" not in email.subject + email.body
    assert API_KEY not in email.subject + email.body
