"""A referral's note is for the unit: the citizen sees where the case went, and the note only
when staff choose to show it."""

import pytest

from complaints import services

pytestmark = pytest.mark.django_db


def test_the_note_is_internal_by_default(file_complaint, desk_clerk, green_space):
    complaint = file_complaint()

    services.refer_complaint(
        complaint, department=green_space, actor=desk_clerk, note="شاکی سابقه پیگیری دارد"
    )

    refer = complaint.events.get(action="refer")
    note = complaint.events.get(action="internal_note")
    assert refer.is_public and "شاکی" not in refer.note and green_space.name in refer.note
    assert not note.is_public and note.note == "شاکی سابقه پیگیری دارد"


def test_staff_may_show_the_note_to_the_citizen(file_complaint, desk_clerk, green_space):
    complaint = file_complaint()

    services.refer_complaint(
        complaint,
        department=green_space,
        actor=desk_clerk,
        note="کارشناس تا سه روز دیگر بازدید می‌کند",
        note_is_public=True,
    )

    refer = complaint.events.get(action="refer")
    assert refer.is_public and "کارشناس تا سه روز دیگر بازدید می‌کند" in refer.note
    assert not complaint.events.filter(action="internal_note").exists()


def test_the_referral_form_shows_the_note_only_when_ticked(
    clerk_client, file_complaint, green_space, client, open_case
):
    complaint = file_complaint()
    url = f"/admin/complaints/complaint/{complaint.pk}/do/refer/"
    clerk_client.post(url, {"refer-department": green_space.pk, "refer-note": "محرمانه"})

    open_case(client, complaint.tracking_code)
    page = client.get(f"/complaints/{complaint.tracking_code}/").text
    assert green_space.name in page and "محرمانه" not in page
