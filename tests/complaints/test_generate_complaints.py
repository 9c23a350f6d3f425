"""The benchmark's synthetic complaints look like filed ones to every page that reads them."""

import io

import pytest
from django.core.management import call_command

from complaints.models import Complaint, ComplaintCategory, ComplaintEvent
from desk import codes
from desk.models import TrackingCode

pytestmark = pytest.mark.django_db


def test_generated_complaints_have_valid_registered_codes_and_timelines(streets):
    ComplaintCategory.objects.create(title="آسفالت", department=streets)

    call_command("generate_complaints", count=150, stdout=io.StringIO())

    complaints = Complaint.objects.all()
    assert complaints.count() == 150
    assert TrackingCode.objects.filter(kind="complaint").count() == 150
    assert all(
        codes.has_valid_check_digit(c.tracking_code) and len(c.tracking_code) == 12
        for c in complaints
    )
    # Every timeline starts with the filing; closed ones went through an answer.
    assert ComplaintEvent.objects.filter(action="submit").count() == 150
    for closed in complaints.filter(status="closed")[:10]:
        assert list(closed.events.values_list("action", flat=True))[-2:] == ["answer", "close"]


def test_without_categories_it_says_to_seed_first():
    with pytest.raises(Exception, match="seed_demo"):
        call_command("generate_complaints", count=5)
