import pytest
from django.core.management import call_command

from appointments.models import HOLDS_PLACE, Host, MeetingRequest, MeetingSession, Status
from desk.workdays import is_working_day

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_hosts_sessions_on_working_days_and_requests_in_every_state():
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)  # idempotent
    assert Host.objects.count() == 3
    assert all(is_working_day(s.date) for s in MeetingSession.objects.all())
    assert set(MeetingRequest.objects.values_list("status", flat=True)) == set(Status.values)
    assert MeetingRequest.objects.count() == 10


def test_the_demo_gives_every_approved_citizen_their_own_time_in_the_session():
    call_command("seed_demo", verbosity=0)
    timed = MeetingRequest.objects.exclude(meeting_time=None).select_related("session")
    assert timed.filter(status=Status.APPROVED).exists()
    for meeting in timed.filter(status__in=HOLDS_PLACE):
        assert meeting.meeting_time in meeting.session.times()
    pairs = list(timed.filter(status__in=HOLDS_PLACE).values_list("session", "meeting_time"))
    assert len(pairs) == len(set(pairs))
