"""A case's page in the back office: read-only case and timeline, one form per allowed
transition that calls the service, reply templates, and attachments through a checked view."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from complaints import services
from complaints.models import Complaint, Outcome, ReplyTemplate, Status
from desk.uploads import check_upload
from tests.complaints.conftest import grant

pytestmark = pytest.mark.django_db


def change_url(complaint) -> str:
    return reverse("admin:complaints_complaint_change", args=[complaint.pk])


def step_url(complaint, action: str) -> str:
    return reverse("admin:complaints_complaint_transition", args=[complaint.pk, action])


def post_step(client, complaint, action: str, **data):
    """Post one transition form as the page does (its fields carry the action as prefix)."""
    fields = {f"{action}-{name}": value for name, value in data.items()}
    return client.post(step_url(complaint, action), fields, follow=True)


def message_levels(response) -> list[str]:
    return [m.level_tag for m in response.context["messages"]]


def history(complaint) -> list[tuple[str, str, str]]:
    return [(e.action, e.from_status, e.to_status) for e in complaint.events.all()]


@pytest.fixture
def complaint(file_complaint, sms_outbox):
    filed = file_complaint()
    sms_outbox.clear()
    return filed


def steps_offered(response) -> list[str]:
    return [step["form"].action() for step in response.context["steps"]]


# --- the page -----------------------------------------------------------------------------------


def test_the_case_is_read_only_and_offers_the_steps_of_its_status(clerk_client, complaint):
    response = clerk_client.get(change_url(complaint))

    assert response.status_code == 200
    assert complaint.subject in response.text
    assert 'name="subject"' not in response.text
    assert not response.context["has_change_permission"]
    assert steps_offered(response) == [
        "start_review",
        "refer",
        "close",
        "out_of_jurisdiction",
        "duplicate",
        "internal_note",
        "correct",
    ]


def test_an_answered_case_offers_closing_a_note_and_a_correction_only(
    clerk_client, complaint, clerk
):
    services.start_review(complaint, actor=clerk)
    services.answer_complaint(complaint, actor=clerk, answer="انجام شد.")

    response = clerk_client.get(change_url(complaint))

    assert steps_offered(response) == ["close", "internal_note", "correct"]


def test_the_timeline_shows_every_event_and_marks_internal_notes(clerk_client, complaint, clerk):
    services.start_review(complaint, actor=clerk)
    services.add_internal_note(complaint, actor=clerk, note="با واحد فنی تماس گرفته شد.")

    response = clerk_client.get(change_url(complaint))

    assert "با واحد فنی تماس گرفته شد." in response.text
    assert "زهرا کریمی" in response.text
    assert response.text.count('class="badge badge-internal"') == 1


def test_the_main_form_cannot_be_posted(clerk_client, complaint):
    response = clerk_client.post(change_url(complaint), {"status": Status.CLOSED})

    assert response.status_code == 403
    complaint.refresh_from_db()
    assert complaint.status == Status.RECEIVED


def test_a_viewer_without_the_change_permission_sees_no_steps(client, outsider, complaint):
    grant(outsider, "view_complaint")
    client.force_login(outsider)

    response = client.get(change_url(complaint))

    assert response.status_code == 200
    assert "steps" not in response.context
    assert post_step(client, complaint, "start_review").status_code == 403


def test_a_unit_clerk_gets_404_for_another_units_case(unit_client, file_complaint, trees):
    theirs = file_complaint(category=trees)

    assert unit_client.get(change_url(theirs)).status_code == 404
    assert post_step(unit_client, theirs, "start_review").status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Status.RECEIVED


def test_a_unit_clerk_works_their_own_units_case(unit_client, complaint):
    assert unit_client.get(change_url(complaint)).status_code == 200
    assert post_step(unit_client, complaint, "start_review").status_code == 200
    complaint.refresh_from_db()
    assert complaint.status == Status.IN_REVIEW


def test_staff_without_the_permission_cannot_open_a_case(outsider_client, complaint):
    assert outsider_client.get(change_url(complaint)).status_code == 403
    assert post_step(outsider_client, complaint, "start_review").status_code == 403


def test_anonymous_visitors_are_sent_to_the_login_page(client, complaint):
    for response in (
        client.get(change_url(complaint)),
        client.post(step_url(complaint, "start_review")),
    ):
        assert response.status_code == 302
        assert reverse("admin:login") in response["Location"]
    complaint.refresh_from_db()
    assert complaint.status == Status.RECEIVED


def test_a_step_is_post_only(clerk_client, complaint):
    assert clerk_client.get(step_url(complaint, "start_review")).status_code == 405


def test_an_unknown_step_is_404(clerk_client, complaint):
    assert clerk_client.post(step_url(complaint, "delete")).status_code == 404


# --- every step calls its service ---------------------------------------------------------------


def test_start_review(
    clerk_client, complaint, clerk, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_step(clerk_client, complaint, "start_review", note="")

    assert response.redirect_chain[-1][0] == change_url(complaint)
    assert message_levels(response) == ["success"]
    complaint.refresh_from_db()
    assert complaint.status == Status.IN_REVIEW
    assert complaint.events.last().actor == clerk
    assert sms_outbox == []  # starting the review is not worth an SMS


def test_refer_to_a_unit(
    clerk_client, complaint, green_space, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_step(
            clerk_client, complaint, "refer", department=green_space.pk, note="فوری"
        )

    assert message_levels(response) == ["success"]
    complaint.refresh_from_db()
    assert complaint.status == Status.REFERRED
    assert complaint.department == green_space
    assert "فوری" in complaint.events.last().note
    assert [m.kind for m in sms_outbox] == ["complaint_referred"]


def test_answer(clerk_client, complaint, clerk, sms_outbox, django_capture_on_commit_callbacks):
    services.start_review(complaint, actor=clerk)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_step(clerk_client, complaint, "answer", answer="چاله ترمیم شد.")

    assert message_levels(response) == ["success"]
    complaint.refresh_from_db()
    assert complaint.status == Status.ANSWERED
    assert complaint.answer == "چاله ترمیم شد."
    assert [m.kind for m in sms_outbox] == ["complaint_answered"]
    assert "چاله ترمیم شد." in sms_outbox[0].text


def test_close_with_an_outcome(
    clerk_client, complaint, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_step(clerk_client, complaint, "close", outcome=Outcome.NO_ACTION, note="")

    assert message_levels(response) == ["success"]
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED
    assert complaint.outcome == Outcome.NO_ACTION
    assert [m.kind for m in sms_outbox] == ["complaint_closed", "survey_invitation"]


def test_not_our_jurisdiction(
    clerk_client, complaint, sms_outbox, django_capture_on_commit_callbacks
):
    guidance = "لطفاً با شرکت توزیع برق، شماره ۱۲۱، تماس بگیرید."
    with django_capture_on_commit_callbacks(execute=True):
        response = post_step(clerk_client, complaint, "out_of_jurisdiction", guidance=guidance)

    assert message_levels(response) == ["success"]
    complaint.refresh_from_db()
    assert complaint.status == Status.OUT_OF_JURISDICTION
    assert [m.kind for m in sms_outbox] == ["complaint_out_of_jurisdiction", "survey_invitation"]
    assert "۱۲۱" in sms_outbox[0].text


def test_duplicate_of_a_code_typed_in_persian_digits(
    clerk_client, complaint, file_complaint, sms_outbox, django_capture_on_commit_callbacks
):
    original = file_complaint()
    sms_outbox.clear()
    typed = original.tracking_code.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    with django_capture_on_commit_callbacks(execute=True):
        response = post_step(clerk_client, complaint, "duplicate", original=typed, note="")

    assert message_levels(response) == ["success"]
    complaint.refresh_from_db()
    assert complaint.status == Status.DUPLICATE
    assert complaint.duplicate_of == original
    assert [m.kind for m in sms_outbox] == ["complaint_duplicate"]
    assert typed in sms_outbox[0].text  # the SMS writes the code in Persian digits


def test_duplicate_of_an_unknown_code_changes_nothing(clerk_client, complaint):
    response = post_step(clerk_client, complaint, "duplicate", original="123456789012")

    assert message_levels(response) == ["error"]
    complaint.refresh_from_db()
    assert complaint.status == Status.RECEIVED


def test_internal_note(clerk_client, complaint, sms_outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_step(clerk_client, complaint, "internal_note", note="پیگیری تلفنی شد.")

    assert message_levels(response) == ["success"]
    complaint.refresh_from_db()
    assert complaint.status == Status.RECEIVED
    note = complaint.events.last()
    assert (note.action, note.is_public, note.note) == ("internal_note", False, "پیگیری تلفنی شد.")
    assert sms_outbox == []


def test_an_illegal_step_shows_an_error_and_changes_nothing(
    clerk_client, complaint, sms_outbox, django_capture_on_commit_callbacks
):
    # A received case cannot be answered before its review starts.
    with django_capture_on_commit_callbacks(execute=True):
        response = post_step(clerk_client, complaint, "answer", answer="پاسخ")

    assert message_levels(response) == ["error"]
    complaint.refresh_from_db()
    assert complaint.status == Status.RECEIVED
    assert complaint.answer == ""
    assert history(complaint) == [("submit", "", "received")]
    assert sms_outbox == []


def test_a_step_on_a_closed_case_shows_an_error(clerk_client, complaint, clerk, green_space):
    services.close_complaint(complaint, actor=clerk, outcome=Outcome.RESOLVED)

    response = post_step(clerk_client, complaint, "refer", department=green_space.pk)

    assert message_levels(response) == ["error"]
    complaint.refresh_from_db()
    assert (complaint.status, complaint.department.slug) == (Status.CLOSED, "urban-services")


def test_an_empty_answer_shows_an_error_and_changes_nothing(clerk_client, complaint, clerk):
    services.start_review(complaint, actor=clerk)

    response = post_step(clerk_client, complaint, "answer", answer="   ")

    assert message_levels(response) == ["error"]
    complaint.refresh_from_db()
    assert complaint.status == Status.IN_REVIEW


# --- reply templates ----------------------------------------------------------------------------


@pytest.fixture
def templates(potholes, trees):
    def make(title, use=ReplyTemplate.Use.ANSWER, **fields):
        return ReplyTemplate.objects.create(
            title=title, use=use, text=fields.pop("text", f"متن {title}"), **fields
        )

    return {
        "potholes": make("ترمیم چاله", category=potholes, text="چاله در برنامه لکه‌گیری است."),
        "general": make("پاسخ عمومی"),
        "trees": make("هرس درختان", category=trees),
        "inactive": make("قدیمی", is_active=False),
        "guidance": make("برق", use=ReplyTemplate.Use.OUT_OF_JURISDICTION, text="تماس با ۱۲۱"),
    }


def offered(response, action: str) -> set[str]:
    step = next(s for s in response.context["steps"] if s["form"].action() == action)
    return {template.title for template in step["templates"]}


def test_each_form_offers_the_templates_of_its_use_and_category(
    clerk_client, complaint, clerk, templates
):
    services.start_review(complaint, actor=clerk)

    response = clerk_client.get(change_url(complaint))

    assert offered(response, "answer") == {"ترمیم چاله", "پاسخ عمومی"}
    assert offered(response, "out_of_jurisdiction") == {"برق"}
    assert f"?reply_template={templates['potholes'].pk}#step-answer" in response.text


def test_a_picked_template_fills_the_answer_to_edit_and_send(
    clerk_client, complaint, clerk, templates
):
    services.start_review(complaint, actor=clerk)

    response = clerk_client.get(change_url(complaint), {"reply_template": templates["potholes"].pk})

    assert "چاله در برنامه لکه‌گیری است.</textarea>" in response.text
    assert '<details id="step-answer" open>' in response.text


def test_a_template_of_another_category_fills_nothing(clerk_client, complaint, clerk, templates):
    services.start_review(complaint, actor=clerk)

    response = clerk_client.get(change_url(complaint), {"reply_template": templates["trees"].pk})

    assert templates["trees"].text not in response.text


# --- attachments --------------------------------------------------------------------------------


def a_photo() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (20, 120, 40)).save(out, format="PNG")
    return SimpleUploadedFile("چاله.png", out.getvalue(), content_type="image/png")


def with_photo(file_complaint, **fields) -> Complaint:
    return file_complaint(attachments=[check_upload(a_photo())], **fields)


def attachment_url(complaint) -> str:
    attachment = complaint.attachments.get()
    return reverse("admin:complaints_complaint_attachment", args=[complaint.pk, attachment.pk])


def test_staff_open_an_attachment_from_the_case_page(clerk_client, file_complaint):
    complaint = with_photo(file_complaint)

    page = clerk_client.get(change_url(complaint))
    response = clerk_client.get(attachment_url(complaint))

    assert attachment_url(complaint) in page.text
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert {"private", "no-store"} <= set(response["Cache-Control"].split(", "))
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_a_unit_clerk_gets_404_for_another_units_attachment(unit_client, file_complaint, trees):
    complaint = with_photo(file_complaint, category=trees)

    assert unit_client.get(attachment_url(complaint)).status_code == 404


def test_an_attachment_of_another_case_is_404(clerk_client, file_complaint):
    one, other = with_photo(file_complaint), with_photo(file_complaint)
    url = reverse(
        "admin:complaints_complaint_attachment",
        args=[one.pk, other.attachments.get().pk],
    )

    assert clerk_client.get(url).status_code == 404


def test_staff_without_the_permission_cannot_open_an_attachment(outsider_client, file_complaint):
    complaint = with_photo(file_complaint)

    assert outsider_client.get(attachment_url(complaint)).status_code == 403


def test_anonymous_visitors_cannot_open_an_attachment(client, file_complaint):
    complaint = with_photo(file_complaint)

    response = client.get(attachment_url(complaint))

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_the_case_page_has_no_close_button_beside_the_close_step(clerk_client, complaint):
    html = clerk_client.get(change_url(complaint)).text
    assert 'id="step-close"' in html
    assert "closelink" not in html


def test_staff_without_the_permission_cannot_tell_whether_a_case_exists(outsider_client, complaint):
    existing = outsider_client.get(change_url(complaint))
    missing = outsider_client.get(
        reverse("admin:complaints_complaint_change", args=[complaint.pk + 1000])
    )
    assert existing.status_code == missing.status_code == 403


def test_a_unit_clerk_who_refers_a_case_away_lands_on_the_list(unit_client, complaint, green_space):
    response = unit_client.post(
        reverse("admin:complaints_complaint_transition", args=[complaint.pk, "refer"]),
        {"refer-department": green_space.pk, "refer-note": ""},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:complaints_complaint_changelist")
