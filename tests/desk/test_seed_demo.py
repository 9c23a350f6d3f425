"""`make run`'s demo data: the demo cases' SMS are history, recorded as sent, so the task
worker prints none of them over the portal's address; a second run adds nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from desk.models import SmsMessage

pytestmark = pytest.mark.django_db


def test_the_demo_fills_the_sms_log_without_leaving_anything_to_send():
    output = StringIO()
    call_command("seed_demo", stdout=output)

    assert SmsMessage.objects.exists()
    assert not SmsMessage.objects.exclude(status=SmsMessage.Status.SENT).exists()
    assert "demo SMS recorded as sent" in output.getvalue()


def test_a_second_run_adds_no_sms():
    call_command("seed_demo", stdout=StringIO())
    count = SmsMessage.objects.count()

    call_command("seed_demo", stdout=StringIO())

    assert SmsMessage.objects.count() == count
