"""The demo complaints of `seed_demo`: every state, through the services, safe to run again."""

from datetime import timedelta

import pytest
from django.utils import timezone

from complaints.demo import CATEGORIES, seed_demo_complaints
from complaints.models import Complaint, ComplaintCategory, ComplaintEvent, ReplyTemplate, Status
from desk.cases.models import Channel
from desk.models import Department, SmsMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(db):
    return seed_demo_complaints()


def test_it_creates_a_few_dozen_cases_in_every_state(seeded):
    assert "36" in seeded
    assert Complaint.objects.count() == 36
    assert set(Complaint.objects.values_list("status", flat=True)) == set(Status.values)


def test_some_open_cases_are_overdue_and_some_are_not(seeded):
    assert Complaint.objects.overdue().exists()
    assert Complaint.objects.open().exclude(pk__in=Complaint.objects.overdue()).exists()


def test_categories_go_to_the_demo_units(seeded):
    for title, slug, days in CATEGORIES:
        category = ComplaintCategory.objects.get(title=title)
        assert (category.department.slug, category.answer_days) == (slug, days)


def test_every_reply_template_use_has_a_template(seeded):
    assert set(ReplyTemplate.objects.values_list("use", flat=True)) == set(ReplyTemplate.Use)


def test_cases_are_spread_over_the_last_months_with_a_timeline_in_order(seeded):
    now = timezone.now()
    filed = Complaint.objects.values_list("created_at", flat=True)
    assert min(filed) < now - timedelta(days=90)
    assert max(filed) > now - timedelta(days=3)
    for complaint in Complaint.objects.prefetch_related("events"):
        times = [event.created_at for event in complaint.events.all()]
        assert times[0] == complaint.created_at
        assert times == sorted(times) and times[-1] <= now


def test_cases_went_through_the_services(seeded):
    duplicate = Complaint.objects.filter(status=Status.DUPLICATE).first()
    assert duplicate.duplicate_of is not None
    assert not Complaint.objects.filter(status=Status.CLOSED, outcome="").exists()
    assert ComplaintEvent.objects.filter(action="submit").count() == 36
    assert SmsMessage.objects.filter(kind="complaint_received").count() == 36
    walk_ins = Complaint.objects.filter(channel=Channel.WALK_IN)
    assert walk_ins.exists()
    assert all(c.events.first().actor is not None for c in walk_ins)


def test_running_it_again_adds_nothing(seeded):
    counts = (
        Complaint.objects.count(),
        ComplaintCategory.objects.count(),
        ReplyTemplate.objects.count(),
        Department.objects.count(),
    )

    message = seed_demo_complaints()

    assert "already" in message
    assert counts == (
        Complaint.objects.count(),
        ComplaintCategory.objects.count(),
        ReplyTemplate.objects.count(),
        Department.objects.count(),
    )
