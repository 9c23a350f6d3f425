"""The life of a complaint through its service functions: every transition, every illegal
one, the events they leave and the SMS the citizen receives."""

import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from complaints import services
from complaints.models import Complaint, Outcome, Status
from desk import codes
from desk.cases.models import IllegalTransition, case_finished
from desk.models import TrackingCode
from desk.text import to_persian_digits

pytestmark = pytest.mark.django_db

TEHRAN = ZoneInfo("Asia/Tehran")


def statuses(complaint):
    return [(e.action, e.from_status, e.to_status) for e in complaint.events.all()]


@time_machine.travel(datetime(2026, 11, 23, 9, 0, tzinfo=TEHRAN), tick=False)
def test_filing_gives_a_code_a_unit_a_due_date_and_an_sms(
    file_complaint, potholes, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        complaint = file_complaint(mobile="۰۹۱۲ ۱۲۳ ۴۵۶۷", national_code="٠٠٨٤٥٧٥٩٤٨")
    assert codes.parse_code(complaint.tracking_code) == complaint.tracking_code
    assert complaint.tracking_code.startswith("1")
    assert complaint.mobile == "09121234567"
    assert complaint.national_code == "0084575948"
    assert complaint.status == Status.RECEIVED
    assert complaint.department == potholes.department
    # 10 working days after Monday 2 Azar 1405, skipping two Fridays: Saturday 15 Azar.
    assert complaint.due_date == date(2026, 12, 5)
    assert statuses(complaint) == [("submit", "", "received")]
    assert [m.receiver for m in sms_outbox] == ["09121234567"]
    assert to_persian_digits(complaint.tracking_code) in sms_outbox[0].text


def test_the_same_form_posted_twice_files_one_complaint(file_complaint):
    key = uuid.uuid4()
    first = file_complaint(submission_key=key)
    second = file_complaint(submission_key=key)
    assert first.pk == second.pk
    assert Complaint.objects.count() == 1


def test_the_same_form_posted_twice_issues_one_code_and_one_sms(
    file_complaint, sms_outbox, django_capture_on_commit_callbacks
):
    """The repeat meets the first complaint's key at the insert: the code it drew is
    given back with it, and nothing is sent."""
    key = uuid.uuid4()
    with django_capture_on_commit_callbacks(execute=True):
        first = file_complaint(submission_key=key)
        second = file_complaint(submission_key=key)
    assert second.tracking_code == first.tracking_code
    assert list(TrackingCode.objects.values_list("code", flat=True)) == [first.tracking_code]
    assert len(sms_outbox) == 1


def test_a_submission_key_copied_to_another_mobile_files_nothing_and_tells_nothing(
    file_complaint,
):
    key = uuid.uuid4()
    first = file_complaint(submission_key=key)
    with pytest.raises(ValidationError) as refusal:
        file_complaint(submission_key=key, mobile="09350001122")
    assert refusal.value.code == "submission_key"
    assert first.tracking_code not in str(refusal.value)
    assert Complaint.objects.count() == 1


def test_a_full_life_received_review_refer_answer_close(
    file_complaint, desk_clerk, green_space, sms_outbox, django_capture_on_commit_callbacks
):
    complaint = file_complaint()
    sms_outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.start_review(complaint, actor=desk_clerk)
        services.refer_complaint(
            complaint, department=green_space, actor=desk_clerk, note="بررسی شود"
        )
        services.answer_complaint(complaint, actor=desk_clerk, answer="چاله ترمیم شد.")
        services.close_complaint(complaint, actor=desk_clerk, outcome=Outcome.RESOLVED)
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED
    assert complaint.outcome == Outcome.RESOLVED
    assert complaint.department == green_space
    assert complaint.answer == "چاله ترمیم شد."
    assert statuses(complaint) == [
        ("submit", "", "received"),
        ("start_review", "received", "in_review"),
        ("refer", "in_review", "referred"),
        # The referral's note, for the unit only.
        ("internal_note", "referred", "referred"),
        ("answer", "referred", "answered"),
        ("close", "answered", "closed"),
    ]
    assert all(e.actor == desk_clerk for e in complaint.events.all()[1:])
    # Review is not worth an SMS; referral, answer and closing are.
    # Referred, answered, closed; then the survey invitation.
    assert len(sms_outbox) == 4
    assert sms_outbox[3].kind == "survey_invitation"
    assert green_space.name in sms_outbox[0].text
    assert "چاله ترمیم شد." in sms_outbox[1].text


def test_out_of_jurisdiction_tells_the_citizen_where_to_go(
    file_complaint, desk_clerk, sms_outbox, django_capture_on_commit_callbacks
):
    complaint = file_complaint()
    with django_capture_on_commit_callbacks(execute=True):
        complaint = services.mark_out_of_jurisdiction(
            complaint, actor=desk_clerk, guidance="به اداره برق شهرستان مراجعه کنید."
        )
    assert complaint.status == Status.OUT_OF_JURISDICTION
    assert [m.kind for m in sms_outbox][-2:] == [
        "complaint_out_of_jurisdiction",
        "survey_invitation",
    ]
    assert "اداره برق" in sms_outbox[-2].text
    assert complaint.events.last().is_public


def test_a_duplicate_of_her_own_case_gives_the_citizen_its_code(
    file_complaint, desk_clerk, sms_outbox, django_capture_on_commit_callbacks
):
    original = file_complaint(mobile="09351112233")
    again = file_complaint(mobile="09351112233")
    with django_capture_on_commit_callbacks(execute=True):
        services.mark_duplicate(again, original=original, actor=desk_clerk)
    again.refresh_from_db()
    assert again.status == Status.DUPLICATE
    assert again.duplicate_of == original
    assert to_persian_digits(original.tracking_code) in sms_outbox[-1].text
    assert sms_outbox[-1].receiver == "09351112233"


def test_a_duplicate_of_another_citizens_case_never_reveals_its_code(
    file_complaint, desk_clerk, sms_outbox, django_capture_on_commit_callbacks
):
    original = file_complaint(mobile="09121234567")
    again = file_complaint(mobile="09351112233")
    with django_capture_on_commit_callbacks(execute=True):
        services.mark_duplicate(again, original=original, actor=desk_clerk)
    again.refresh_from_db()
    assert again.duplicate_of == original
    assert sms_outbox[-1].receiver == "09351112233"
    assert "همراه با درخواست دیگری" in sms_outbox[-1].text
    assert original.tracking_code not in sms_outbox[-1].text
    public_notes = " ".join(again.events.filter(is_public=True).values_list("note", flat=True))
    assert original.tracking_code not in public_notes


def test_a_case_cannot_be_a_duplicate_of_itself(file_complaint, desk_clerk):
    complaint = file_complaint()
    with pytest.raises(ValidationError):
        services.mark_duplicate(complaint, original=complaint, actor=desk_clerk)


def test_the_citizen_can_reopen_within_14_days_of_the_answer(file_complaint, desk_clerk):
    complaint = file_complaint()
    services.start_review(complaint, actor=desk_clerk)
    services.answer_complaint(complaint, actor=desk_clerk, answer="رسیدگی شد.")
    services.close_complaint(complaint, actor=desk_clerk, outcome=Outcome.RESOLVED)
    services.reopen_complaint(complaint, reason="چاله هنوز ترمیم نشده است.")
    complaint.refresh_from_db()
    assert complaint.status == Status.REOPENED
    assert complaint.outcome == ""
    event = complaint.events.last()
    assert event.by_citizen and event.actor is None
    assert event.note == "چاله هنوز ترمیم نشده است."


def test_reopening_after_14_days_is_refused(file_complaint, desk_clerk):
    complaint = file_complaint()
    services.start_review(complaint, actor=desk_clerk)
    complaint = services.answer_complaint(complaint, actor=desk_clerk, answer="رسیدگی شد.")
    with (
        time_machine.travel(complaint.answered_at + timedelta(days=15)),
        pytest.raises(ValidationError),
    ):
        services.reopen_complaint(complaint, reason="قانع نشدم")
    assert Complaint.objects.get().status == Status.ANSWERED


def test_reopening_needs_a_reason(file_complaint, desk_clerk):
    complaint = file_complaint()
    services.start_review(complaint, actor=desk_clerk)
    services.answer_complaint(complaint, actor=desk_clerk, answer="رسیدگی شد.")
    with pytest.raises(ValidationError):
        services.reopen_complaint(complaint, reason="   ")


def test_closing_needs_an_outcome(file_complaint, desk_clerk):
    complaint = file_complaint()
    with pytest.raises(ValidationError):
        services.close_complaint(complaint, actor=desk_clerk, outcome="fixed")


@pytest.mark.parametrize(
    ("outcome", "said"),
    [
        (Outcome.RESOLVED, "برطرف شده"),
        (Outcome.NOT_RESOLVED, "برطرف نشده"),
        (Outcome.NO_ACTION, "اقدام امکان‌پذیر نیست"),
    ],
)
def test_closing_tells_the_citizen_the_outcome_on_the_timeline_and_by_sms(
    file_complaint, desk_clerk, sms_outbox, django_capture_on_commit_callbacks, outcome, said
):
    complaint = file_complaint()
    sms_outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.close_complaint(complaint, actor=desk_clerk, outcome=outcome, note="سپاس")

    closing = complaint.events.get(action="close")
    assert closing.is_public
    assert closing.note == f"نتیجه: {said}.\nسپاس"
    assert f"«{said}»" in sms_outbox[0].text


def test_each_closing_keeps_its_own_outcome_after_an_objection(file_complaint, desk_clerk):
    complaint = file_complaint()
    services.start_review(complaint, actor=desk_clerk)
    services.answer_complaint(complaint, actor=desk_clerk, answer="رسیدگی شد.")
    services.close_complaint(complaint, actor=desk_clerk, outcome=Outcome.NOT_RESOLVED)
    services.reopen_complaint(complaint, reason="چاله هنوز ترمیم نشده است.")
    services.close_complaint(complaint, actor=desk_clerk, outcome=Outcome.RESOLVED)

    notes = list(complaint.events.filter(action="close").values_list("note", flat=True))
    assert notes == ["نتیجه: برطرف نشده.", "نتیجه: برطرف شده."]


def test_closing_sends_the_case_finished_signal(file_complaint, desk_clerk):
    received = []

    def listener(sender, case, outcome, **kwargs):
        received.append((sender, case.pk, outcome))

    case_finished.connect(listener)
    try:
        complaint = file_complaint()
        services.close_complaint(complaint, actor=desk_clerk, outcome=Outcome.NO_ACTION)
    finally:
        case_finished.disconnect(listener)
    assert received == [(Complaint, complaint.pk, Outcome.NO_ACTION)]


@pytest.mark.parametrize(
    "prepare, action",
    [
        ("received", lambda c, u: services.answer_complaint(c, actor=u, answer="x")),
        ("received", lambda c, u: services.reopen_complaint(c, reason="x")),
        ("closed", lambda c, u: services.start_review(c, actor=u)),
        ("closed", lambda c, u: services.answer_complaint(c, actor=u, answer="x")),
        ("closed", lambda c, u: services.add_citizen_info(c, text="x")),
        ("answered", lambda c, u: services.start_review(c, actor=u)),
        ("answered", lambda c, u: services.mark_out_of_jurisdiction(c, actor=u, guidance="x")),
        ("out_of_jurisdiction", lambda c, u: services.reopen_complaint(c, reason="x")),
        (
            "out_of_jurisdiction",
            lambda c, u: services.close_complaint(c, actor=u, outcome="resolved"),
        ),
        ("in_review", lambda c, u: services.start_review(c, actor=u)),
    ],
)
def test_illegal_transitions_raise_and_change_nothing(file_complaint, desk_clerk, prepare, action):
    complaint = file_complaint()
    steps = {
        "received": [],
        "in_review": [lambda: services.start_review(complaint, actor=desk_clerk)],
        "answered": [
            lambda: services.start_review(complaint, actor=desk_clerk),
            lambda: services.answer_complaint(complaint, actor=desk_clerk, answer="پاسخ"),
        ],
        "closed": [
            lambda: services.close_complaint(complaint, actor=desk_clerk, outcome="resolved")
        ],
        "out_of_jurisdiction": [
            lambda: services.mark_out_of_jurisdiction(
                complaint, actor=desk_clerk, guidance="راهنما"
            )
        ],
    }
    for step in steps[prepare]:
        step()
    before = Complaint.objects.get().status
    events = complaint.events.count()
    with pytest.raises(IllegalTransition):
        action(complaint, desk_clerk)
    assert Complaint.objects.get().status == before == prepare
    assert complaint.events.count() == events


def test_citizen_info_and_internal_notes_keep_the_status(file_complaint, desk_clerk):
    complaint = file_complaint()
    services.add_citizen_info(complaint, text="عکس دیگری هم دارم.")
    services.add_internal_note(complaint, actor=desk_clerk, note="با پیمانکار هماهنگ شد.")
    complaint.refresh_from_db()
    assert complaint.status == Status.RECEIVED
    info, note = complaint.events.all()[1:]
    assert info.is_public and info.by_citizen
    assert not note.is_public and note.actor == desk_clerk


def test_a_rolled_back_change_sends_no_sms(
    file_complaint, desk_clerk, sms_outbox, django_capture_on_commit_callbacks
):
    complaint = file_complaint()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(IllegalTransition):
        services.answer_complaint(complaint, actor=desk_clerk, answer="x")
    assert sms_outbox == []


def test_bad_citizen_input_is_refused_with_a_clear_error(file_complaint):
    with pytest.raises(ValidationError):
        file_complaint(mobile="02112345678")
    with pytest.raises(ValidationError):
        file_complaint(national_code="1234567890")
    with pytest.raises(ValidationError):
        file_complaint(subject="   ")
    assert Complaint.objects.count() == 0
