"""Correcting a filed case in the back office: a mistyped name, mobile, national code or
category is fixed, the timeline keeps the old value in an internal event, and later SMS go
to the corrected number."""

import pytest
from django.urls import reverse

from complaints import services
from complaints.models import Complaint
from tests.complaints.conftest import CLERK_PERMISSIONS, grant

pytestmark = pytest.mark.django_db


def correct_url(complaint) -> str:
    return reverse("admin:complaints_complaint_transition", args=[complaint.pk, "correct"])


def posted(complaint, **changes) -> dict:
    fields = {
        "citizen_name": complaint.citizen_name,
        "mobile": complaint.mobile,
        "national_code": complaint.national_code,
        "category": complaint.category_id,
        **changes,
    }
    return {f"correct-{name}": value for name, value in fields.items()}


def test_a_mistyped_mobile_is_corrected_and_later_sms_go_to_the_new_number(
    clerk_client, file_complaint, clerk, sms_outbox, django_capture_on_commit_callbacks
):
    complaint = file_complaint()

    clerk_client.post(correct_url(complaint), posted(complaint, mobile="۰۹۳۵ ۱۱۱ ۲۲۳۳"))

    complaint.refresh_from_db()
    assert complaint.mobile == "09351112233"
    event = complaint.events.get(action="correct")
    assert not event.is_public and event.actor == clerk
    assert "۰۹۱۲۱۲۳۴۵۶۷ ← ۰۹۳۵۱۱۱۲۲۳۳" in event.note
    with django_capture_on_commit_callbacks(execute=True):
        services.start_review(complaint, actor=clerk)
        services.answer_complaint(complaint, actor=clerk, answer="چاله ترمیم شد.")
    assert [m.receiver for m in sms_outbox] == ["09351112233"]


def test_the_category_and_the_name_are_corrected_in_one_event(clerk_client, file_complaint, trees):
    complaint = file_complaint()

    clerk_client.post(
        correct_url(complaint), posted(complaint, citizen_name="مریم احمدی‌نژاد", category=trees.pk)
    )

    complaint.refresh_from_db()
    assert (complaint.citizen_name, complaint.category) == ("مریم احمدی‌نژاد", trees)
    note = complaint.events.get(action="correct").note
    assert "فضای سبز و درختان" in note and "مریم احمدی‌نژاد" in note


def test_nothing_changed_or_a_bad_mobile_changes_nothing(clerk_client, file_complaint):
    complaint = file_complaint()

    unchanged = clerk_client.post(correct_url(complaint), posted(complaint), follow=True)
    bad = clerk_client.post(correct_url(complaint), posted(complaint, mobile="۰۹۱۲"), follow=True)

    assert "چیزی تغییر نکرد" in unchanged.text
    assert Complaint.objects.get().mobile == "09121234567"
    assert not complaint.events.filter(action="correct").exists()
    assert bad.status_code == 200


def test_another_units_clerk_cannot_correct(client, file_complaint, trees, django_user_model):
    complaint = file_complaint()
    gardener = grant(
        django_user_model.objects.create_user("gardener", password="x", is_staff=True),
        *CLERK_PERMISSIONS,
    )
    trees.department.staff.add(gardener)
    client.force_login(gardener)

    response = client.post(correct_url(complaint), posted(complaint, mobile="09351112233"))

    assert response.status_code == 404
    assert Complaint.objects.get().mobile == "09121234567"
