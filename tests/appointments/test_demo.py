import pytest
from django.core.management import call_command

from appointments.models import Host, MeetingRequest, MeetingSession, Status
from desk.workdays import is_working_day

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_hosts_sessions_on_working_days_and_requests_in_every_state():
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)  # idempotent
    assert Host.objects.count() == 3
    assert all(is_working_day(s.date) for s in MeetingSession.objects.all())
    assert set(MeetingRequest.objects.values_list("status", flat=True)) == set(Status.values)
    assert MeetingRequest.objects.count() == 10
