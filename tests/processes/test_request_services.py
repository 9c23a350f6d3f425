"""The life of an online service request through its service functions: filing with one file
per document, review, correction, the date to come, the end; inquiries to other agencies; the
back office's lists. Every test checks what the citizen or the staff would notice: a status,
an error on the right field, an event on the timeline, an SMS."""

import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from desk.cases.models import Channel, IllegalTransition, case_finished
from desk.jalali import format_jalali_date, format_jalali_long
from desk.models import Department, Holiday
from desk.text import to_persian_digits
from processes import services
from processes.models import (
    DocumentReview,
    Inquiry,
    RequestStatus,
    ServiceRequest,
)
from tests.processes.conftest import pdf_upload, png_upload

pytestmark = pytest.mark.django_db

TEHRAN = ZoneInfo("Asia/Tehran")
# Wednesday 27 Aban 1405, nine in the morning in Tehran.
WEDNESDAY = date(2026, 11, 18)
THURSDAY = date(2026, 11, 19)
FRIDAY = date(2026, 11, 20)
SATURDAY = date(2026, 11, 21)
SUNDAY = date(2026, 11, 22)
MONDAY = date(2026, 11, 23)
TUESDAY = date(2026, 11, 24)
NEXT_WEDNESDAY = date(2026, 11, 25)

ACCEPTED, REFUSED = DocumentReview.ACCEPTED, DocumentReview.REFUSED


def at_nine(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, 0, tzinfo=TEHRAN)


@pytest.fixture(autouse=True)
def clock():
    """Every test runs on Wednesday 18 November 2026 (27 Aban 1405) at 9:00 in Tehran, with
    the clock stopped; `clock.move_to(...)` moves it."""
    with time_machine.travel(at_nine(WEDNESDAY), tick=False) as traveller:
        yield traveller


@pytest.fixture
def finished():
    """What case_finished announced during the test: (sender, case pk, outcome)."""
    received = []

    def listener(sender, case, outcome, **kwargs):
        received.append((sender, case.pk, outcome))

    case_finished.connect(listener)
    yield received
    case_finished.disconnect(listener)


def statuses(request):
    return [(e.action, e.from_status, e.to_status) for e in request.events.all()]


def slot(request, name):
    return request.documents.get(name=name)


def fresh(request) -> ServiceRequest:
    return ServiceRequest.objects.get(pk=request.pk)


def refuse_deed(request, actor, reason="تصویر سند خوانا نیست."):
    deed = slot(request, "سند مالکیت")
    photo = slot(request, "عکس نمای ساختمان")
    return services.review_documents(
        request, verdicts={deed.pk: (REFUSED, reason), photo.pk: (ACCEPTED, "")}, actor=actor
    )


def accept_all(request, actor):
    verdicts = {document.pk: (ACCEPTED, "") for document in request.documents.all()}
    return services.review_documents(request, verdicts=verdicts, actor=actor)


def in_progress(file_request, reviewer):
    request = file_request()
    services.start_review(request, actor=reviewer)
    return accept_all(request, reviewer)


def ready(file_request, reviewer, on=MONDAY):
    request = in_progress(file_request, reviewer)
    return services.mark_ready(request, ready_date=on, actor=reviewer)


# --- filing -------------------------------------------------------------------------------------


def test_filing_gives_a_code_a_slot_per_online_document_and_a_received_sms(
    file_request, online_card, private_storage, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request = file_request(mobile="۰۹۱۲ ۱۲۳ ۴۵۶۷", national_code="۰۰۱۳۵۴۲۴۱۹")

    request = fresh(request)
    assert request.tracking_code.startswith("3")
    assert request.status == RequestStatus.SUBMITTED
    assert request.department == online_card.department
    assert request.mobile == "09121234567"
    assert request.national_code == "0013542419"
    assert statuses(request) == [("submit", "", "submitted")]
    # The original shown only at the counter gets no slot.
    assert [(s.name, s.mandatory, s.review) for s in request.documents.all()] == [
        ("سند مالکیت", True, DocumentReview.PENDING),
        ("عکس نمای ساختمان", False, DocumentReview.PENDING),
    ]
    deed, photo = request.documents.all()
    assert [(f.original_name, f.content_type, f.by_citizen) for f in deed.files.all()] == [
        ("deed.pdf", "application/pdf", True)
    ]
    assert [f.content_type for f in photo.files.all()] == ["image/png"]
    assert (private_storage / deed.files.get().file.name).read_bytes().startswith(b"%PDF-")
    # 5 working days from Wednesday, Friday skipped: Tuesday 3 Azar 1405.
    assert request.expected_date == TUESDAY
    assert [(m.receiver, m.kind) for m in sms_outbox] == [
        ("09121234567", "service_request_received")
    ]
    text = sms_outbox[0].text
    assert to_persian_digits(request.tracking_code) in text
    assert format_jalali_date(TUESDAY) == "۱۴۰۵/۰۹/۰۳"
    assert "۱۴۰۵/۰۹/۰۳" in text
    assert "گواهی عدم خلاف" in text


def test_an_optional_document_may_be_left_out(file_request, deed):
    request = file_request(documents={deed.pk: png_upload()})
    photo = slot(request, "عکس نمای ساختمان")
    assert not photo.files.exists()
    assert slot(request, "سند مالکیت").files.get().content_type == "image/png"


def test_filing_needs_the_national_code(file_request):
    for missing in ["", "   "]:
        with pytest.raises(ValidationError) as refusal:
            file_request(national_code=missing)
        assert "national_code" in refusal.value.message_dict
    assert not ServiceRequest.objects.exists()


def test_filing_refuses_a_national_code_with_a_wrong_check_digit(file_request):
    with pytest.raises(ValidationError) as refusal:
        file_request(national_code="0013542418")
    assert refusal.value.code == "checksum"
    assert not ServiceRequest.objects.exists()


def test_filing_on_the_web_needs_every_mandatory_document(
    file_request, deed, facade_photo, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as e:
        file_request(documents={facade_photo.pk: png_upload()})
    assert list(e.value.message_dict) == [f"document_{deed.pk}"]
    assert "سند مالکیت" in e.value.message_dict[f"document_{deed.pk}"][0]
    assert not ServiceRequest.objects.exists()
    assert sms_outbox == []


def test_an_image_only_document_refuses_a_pdf(file_request, deed, facade_photo):
    with pytest.raises(ValidationError) as refusal:
        file_request(documents={deed.pk: pdf_upload(), facade_photo.pk: pdf_upload("face.pdf")})
    assert list(refusal.value.message_dict) == [f"document_{facade_photo.pk}"]
    assert not ServiceRequest.objects.exists()


@pytest.mark.parametrize(
    "change",
    [{"accepts_online_requests": False}, {"published": False}],
    ids=["no online requests", "unpublished"],
)
def test_a_card_not_taking_online_requests_is_refused_on_the_web(file_request, online_card, change):
    type(online_card).objects.filter(pk=online_card.pk).update(**change)
    online_card.refresh_from_db()
    with pytest.raises(ValidationError):
        file_request()
    assert not ServiceRequest.objects.exists()


def test_a_clerk_registers_a_request_at_the_counter_without_files(
    file_request, online_card, reviewer
):
    """At the counter the originals are seen: no file is required, and the card need not
    take online requests."""
    type(online_card).objects.filter(pk=online_card.pk).update(accepts_online_requests=False)
    online_card.refresh_from_db()
    request = file_request(documents={}, channel=Channel.WALK_IN, actor=reviewer)
    assert request.channel == Channel.WALK_IN
    assert request.documents.count() == 2
    assert request.events.get().actor == reviewer


def test_the_same_form_posted_twice_files_one_request_and_one_sms(
    file_request, sms_outbox, django_capture_on_commit_callbacks
):
    key = uuid.uuid4()
    with django_capture_on_commit_callbacks(execute=True):
        first = file_request(submission_key=key)
        second = file_request(submission_key=key)
    assert second.pk == first.pk
    assert ServiceRequest.objects.count() == 1
    assert first.documents.count() == 2
    assert len(sms_outbox) == 1


# --- the expected date ----------------------------------------------------------------------------


def test_the_expected_date_skips_the_friday(file_request, online_card, clock):
    clock.move_to(at_nine(THURSDAY))
    type(online_card).objects.filter(pk=online_card.pk).update(duration_days=1)
    online_card.refresh_from_db()
    assert file_request().expected_date == SATURDAY


def test_the_expected_date_skips_a_holiday(
    file_request, sms_outbox, django_capture_on_commit_callbacks
):
    Holiday.objects.create(date=SUNDAY, title="تعطیل رسمی")
    with django_capture_on_commit_callbacks(execute=True):
        request = file_request()
    # Thursday, Saturday, Monday, Tuesday, Wednesday: Friday and the Sunday holiday skipped.
    assert request.expected_date == NEXT_WEDNESDAY
    assert "۱۴۰۵/۰۹/۰۴" in sms_outbox[0].text


def test_a_holiday_switched_off_counts_again(file_request):
    Holiday.objects.create(date=SUNDAY, title="تعطیل رسمی", is_active=False)
    assert file_request().expected_date == TUESDAY


# --- review and correction ------------------------------------------------------------------------


def test_starting_the_review(file_request, reviewer):
    request = services.start_review(file_request(), actor=reviewer)
    assert fresh(request).status == RequestStatus.UNDER_REVIEW
    event = request.events.last()
    assert (event.action, event.actor, event.is_public) == ("start_review", reviewer, True)


def test_a_refused_document_sends_the_request_back_with_the_reason(
    file_request, reviewer, sms_outbox, django_capture_on_commit_callbacks
):
    request = services.start_review(file_request(), actor=reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        refuse_deed(request, reviewer, reason="  تصویر سند   خوانا نیست. ")

    request = fresh(request)
    assert request.status == RequestStatus.NEEDS_CORRECTION
    deed, photo = request.documents.all()
    assert (deed.review, deed.refusal_reason) == (REFUSED, "تصویر سند خوانا نیست.")
    assert deed.reviewed_at is not None
    assert photo.review == ACCEPTED
    event = request.events.last()
    assert (event.action, event.to_status, event.is_public) == (
        "ask_correction",
        "needs_correction",
        True,
    )
    assert event.note == "سند مالکیت: تصویر سند خوانا نیست."
    assert [m.kind for m in sms_outbox] == ["service_request_correction"]
    assert to_persian_digits(request.tracking_code) in sms_outbox[0].text
    assert "۱ مدرک" in sms_outbox[0].text


def test_every_document_accepted_starts_the_work(
    file_request, reviewer, sms_outbox, django_capture_on_commit_callbacks
):
    request = services.start_review(file_request(), actor=reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        accept_all(request, reviewer)
    request = fresh(request)
    assert request.status == RequestStatus.IN_PROGRESS
    assert {d.review for d in request.documents.all()} == {ACCEPTED}
    assert [m.kind for m in sms_outbox] == ["service_request_accepted"]
    assert to_persian_digits(request.tracking_code) in sms_outbox[0].text
    assert format_jalali_date(request.expected_date) in sms_outbox[0].text


def test_documents_may_be_reviewed_straight_from_submitted(file_request, reviewer):
    request = accept_all(file_request(), reviewer)
    assert fresh(request).status == RequestStatus.IN_PROGRESS


def test_an_optional_document_not_sent_needs_no_verdict(file_request, deed, reviewer):
    request = file_request(documents={deed.pk: pdf_upload()})
    deed_slot = slot(request, "سند مالکیت")
    services.review_documents(request, verdicts={deed_slot.pk: (ACCEPTED, "")}, actor=reviewer)
    assert fresh(request).status == RequestStatus.IN_PROGRESS


def test_the_work_does_not_start_while_a_sent_document_is_undecided(file_request, reviewer):
    request = file_request()
    deed = slot(request, "سند مالکیت")
    with pytest.raises(ValidationError) as refusal:
        services.review_documents(request, verdicts={deed.pk: (ACCEPTED, "")}, actor=reviewer)
    assert "عکس نمای ساختمان" in refusal.value.messages[0]
    assert fresh(request).status == RequestStatus.SUBMITTED
    # The verdict on the deed went with the refused review.
    assert slot(request, "سند مالکیت").review == DocumentReview.PENDING


def test_refusing_a_document_needs_a_reason(
    file_request, reviewer, sms_outbox, django_capture_on_commit_callbacks
):
    request = services.start_review(file_request(), actor=reviewer)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        refuse_deed(request, reviewer, reason="   ")
    assert fresh(request).status == RequestStatus.UNDER_REVIEW
    assert slot(request, "سند مالکیت").review == DocumentReview.PENDING
    assert sms_outbox == []


def test_an_unknown_verdict_is_refused(file_request, reviewer):
    request = file_request()
    deed = slot(request, "سند مالکیت")
    with pytest.raises(ValidationError):
        services.review_documents(request, verdicts={deed.pk: ("maybe", "")}, actor=reviewer)
    assert fresh(request).status == RequestStatus.SUBMITTED


def test_a_correction_needs_a_new_file_for_every_refused_document(file_request, reviewer):
    request = refuse_deed(file_request(), reviewer)
    deed = slot(request, "سند مالکیت")
    with pytest.raises(ValidationError) as refusal:
        services.resubmit_documents(request, replacements={})
    assert list(refusal.value.message_dict) == [f"slot_{deed.pk}"]
    assert fresh(request).status == RequestStatus.NEEDS_CORRECTION


def test_a_correction_of_the_wrong_type_is_refused(file_request, reviewer):
    request = file_request()
    photo = slot(request, "عکس نمای ساختمان")
    deed = slot(request, "سند مالکیت")
    services.review_documents(
        request,
        verdicts={deed.pk: (ACCEPTED, ""), photo.pk: (REFUSED, "عکس تار است.")},
        actor=reviewer,
    )
    with pytest.raises(ValidationError) as refusal:
        services.resubmit_documents(request, replacements={photo.pk: pdf_upload()})
    assert list(refusal.value.message_dict) == [f"slot_{photo.pk}"]
    assert photo.files.count() == 1


def test_a_correction_goes_back_to_review_keeping_the_refused_file(
    file_request, reviewer, clock, sms_outbox, django_capture_on_commit_callbacks
):
    request = refuse_deed(file_request(), reviewer)
    deed = slot(request, "سند مالکیت")
    old_file = deed.files.get()
    # The citizen corrects on Sunday: the 5 working days run again from then.
    clock.move_to(at_nine(SUNDAY))
    with django_capture_on_commit_callbacks(execute=True):
        services.resubmit_documents(
            request, replacements={deed.pk: png_upload("deed-again.png")}, note=" خواناتر شد "
        )

    request = fresh(request)
    assert request.status == RequestStatus.UNDER_REVIEW
    # Monday, Tuesday, Wednesday, Thursday and (after the Friday) Saturday 28 November.
    assert request.expected_date == date(2026, 11, 28)
    deed = slot(request, "سند مالکیت")
    assert deed.review == DocumentReview.PENDING
    assert deed.reviewed_at is None
    assert [f.original_name for f in deed.files.all()] == ["deed.pdf", "deed-again.png"]
    assert deed.files.first() == old_file
    # The accepted photo keeps its verdict and its single file.
    photo = slot(request, "عکس نمای ساختمان")
    assert (photo.review, photo.files.count()) == (ACCEPTED, 1)
    event = request.events.last()
    assert (event.action, event.by_citizen, event.actor) == ("resubmit", True, None)
    assert "سند مالکیت" in event.note
    assert "خواناتر شد" in event.note
    assert sms_outbox == []


def test_after_a_correction_the_new_file_is_reviewed_and_the_work_starts(file_request, reviewer):
    request = refuse_deed(file_request(), reviewer)
    deed = slot(request, "سند مالکیت")
    services.resubmit_documents(request, replacements={deed.pk: pdf_upload()})
    services.review_documents(request, verdicts={deed.pk: (ACCEPTED, "")}, actor=reviewer)
    request = fresh(request)
    assert request.status == RequestStatus.IN_PROGRESS
    assert slot(request, "سند مالکیت").refusal_reason == ""
    assert [a for a, _f, _t in statuses(request)] == [
        "submit",
        "ask_correction",
        "resubmit",
        "accept",
    ]


# --- the date to come, the end --------------------------------------------------------------------


@pytest.mark.parametrize(
    "day", [WEDNESDAY - timedelta(days=1), FRIDAY], ids=["yesterday", "a Friday"]
)
def test_the_date_to_come_must_be_a_coming_working_day(file_request, reviewer, day):
    request = in_progress(file_request, reviewer)
    with pytest.raises(ValidationError):
        services.mark_ready(request, ready_date=day, actor=reviewer)
    request = fresh(request)
    assert (request.status, request.ready_date) == (RequestStatus.IN_PROGRESS, None)


def test_the_date_to_come_cannot_be_a_holiday(file_request, reviewer):
    Holiday.objects.create(date=SUNDAY, title="تعطیل رسمی")
    request = in_progress(file_request, reviewer)
    with pytest.raises(ValidationError):
        services.mark_ready(request, ready_date=SUNDAY, actor=reviewer)


def test_ready_tells_the_citizen_the_day_to_come_in_jalali(
    file_request, reviewer, online_card, sms_outbox, django_capture_on_commit_callbacks
):
    request = in_progress(file_request, reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        services.mark_ready(request, ready_date=MONDAY, actor=reviewer, note="با اصل سند بیایید.")
    request = fresh(request)
    assert (request.status, request.ready_date) == (RequestStatus.READY, MONDAY)
    long_date = format_jalali_long(MONDAY)
    assert long_date == "دوشنبه ۲ آذر ۱۴۰۵"
    event = request.events.last()
    assert event.action == "ready" and event.is_public
    assert long_date in event.note and "با اصل سند بیایید." in event.note
    assert [m.kind for m in sms_outbox] == ["service_request_ready"]
    assert long_date in sms_outbox[0].text
    assert online_card.department.name in sms_outbox[0].text


def test_today_is_a_valid_date_to_come(file_request, reviewer):
    request = in_progress(file_request, reviewer)
    services.mark_ready(request, ready_date=WEDNESDAY, actor=reviewer)
    assert fresh(request).ready_date == WEDNESDAY


def test_the_date_to_come_can_be_moved_and_the_citizen_told_again(
    file_request, reviewer, sms_outbox, django_capture_on_commit_callbacks
):
    request = ready(file_request, reviewer, on=MONDAY)
    with django_capture_on_commit_callbacks(execute=True):
        services.mark_ready(request, ready_date=TUESDAY, actor=reviewer)
    request = fresh(request)
    assert (request.status, request.ready_date) == (RequestStatus.READY, TUESDAY)
    assert [m.kind for m in sms_outbox] == ["service_request_ready"]
    assert "سه‌شنبه ۳ آذر ۱۴۰۵" in sms_outbox[0].text


def test_completing_ends_the_case(
    file_request, reviewer, finished, sms_outbox, django_capture_on_commit_callbacks
):
    request = ready(file_request, reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        services.complete_request(request, actor=reviewer)
    request = fresh(request)
    assert request.status == RequestStatus.COMPLETED
    assert not request.is_open
    assert request.finished_at is not None
    assert finished == [(ServiceRequest, request.pk, "completed")]
    assert [m.kind for m in sms_outbox] == ["service_request_completed", "survey_invitation"]
    assert to_persian_digits(request.tracking_code) in sms_outbox[0].text


def test_rejecting_tells_the_citizen_why(
    file_request, reviewer, finished, sms_outbox, django_capture_on_commit_callbacks
):
    request = services.start_review(file_request(), actor=reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        services.reject_request(request, actor=reviewer, reason="ملک در طرح تعریض قرار دارد.")
    request = fresh(request)
    assert request.status == RequestStatus.REJECTED
    assert request.finished_at is not None
    event = request.events.last()
    assert (event.action, event.note, event.is_public) == (
        "reject",
        "ملک در طرح تعریض قرار دارد.",
        True,
    )
    assert finished == [(ServiceRequest, request.pk, "rejected")]
    assert [m.kind for m in sms_outbox] == ["service_request_rejected", "survey_invitation"]
    assert "ملک در طرح تعریض قرار دارد." in sms_outbox[0].text


def test_rejecting_needs_a_reason(file_request, reviewer, finished):
    request = file_request()
    with pytest.raises(ValidationError):
        services.reject_request(request, actor=reviewer, reason="  ")
    request = fresh(request)
    assert (request.status, request.finished_at) == (RequestStatus.SUBMITTED, None)
    assert finished == []


# --- illegal moves --------------------------------------------------------------------------------


def _to(status):
    """Steps that take a freshly filed request to `status`."""

    def steps(request, user):
        if status == "under_review":
            services.start_review(request, actor=user)
        elif status == "needs_correction":
            refuse_deed(request, user)
        elif status in {"in_progress", "ready", "completed"}:
            accept_all(request, user)
            if status in {"ready", "completed"}:
                services.mark_ready(request, ready_date=MONDAY, actor=user)
            if status == "completed":
                services.complete_request(request, actor=user)
        elif status == "rejected":
            services.reject_request(request, actor=user, reason="دلیل")

    return steps


def _resubmit(request, user):
    deed = slot(request, "سند مالکیت")
    services.resubmit_documents(request, replacements={deed.pk: pdf_upload()})


INQUIRY = {"agency": "ثبت اسناد", "subject": "اصالت سند", "sent_on": WEDNESDAY}


@pytest.mark.parametrize(
    "status, move",
    [
        pytest.param(
            "submitted",
            lambda r, u: services.complete_request(r, actor=u),
            id="complete from submitted",
        ),
        pytest.param("submitted", _resubmit, id="resubmit from submitted"),
        pytest.param(
            "submitted",
            lambda r, u: services.mark_ready(r, ready_date=MONDAY, actor=u),
            id="ready from submitted",
        ),
        pytest.param(
            "under_review",
            lambda r, u: services.start_review(r, actor=u),
            id="start review twice",
        ),
        pytest.param("under_review", _resubmit, id="resubmit from under review"),
        pytest.param(
            "needs_correction", lambda r, u: accept_all(r, u), id="review while with the citizen"
        ),
        pytest.param(
            "needs_correction",
            lambda r, u: services.start_review(r, actor=u),
            id="start review while with the citizen",
        ),
        pytest.param("in_progress", lambda r, u: accept_all(r, u), id="review again"),
        pytest.param(
            "in_progress",
            lambda r, u: services.complete_request(r, actor=u),
            id="complete before ready",
        ),
        pytest.param(
            "ready",
            lambda r, u: services.reject_request(r, actor=u, reason="دیر شد"),
            id="reject when ready",
        ),
        pytest.param(
            "completed",
            lambda r, u: services.reject_request(r, actor=u, reason="اشتباه"),
            id="reject after completed",
        ),
        pytest.param(
            "completed",
            lambda r, u: services.mark_ready(r, ready_date=MONDAY, actor=u),
            id="ready after completed",
        ),
        pytest.param(
            "rejected",
            lambda r, u: services.complete_request(r, actor=u),
            id="complete after rejected",
        ),
        pytest.param(
            "rejected",
            lambda r, u: services.start_review(r, actor=u),
            id="review after rejected",
        ),
        pytest.param(
            "completed",
            lambda r, u: services.record_inquiry(r, actor=u, **INQUIRY),
            id="inquiry after completed",
        ),
    ],
)
def test_illegal_moves_raise_and_change_nothing(
    file_request, reviewer, finished, sms_outbox, django_capture_on_commit_callbacks, status, move
):
    request = file_request()
    _to(status)(request, reviewer)
    request = fresh(request)
    assert request.status == status
    events, signals = request.events.count(), len(finished)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(IllegalTransition):
        move(request, reviewer)
    assert fresh(request).status == status
    assert request.events.count() == events
    assert len(finished) == signals
    assert sms_outbox == []


# --- inquiries ------------------------------------------------------------------------------------


def test_an_inquiry_is_shown_until_the_agency_answers(file_request, reviewer):
    request = services.start_review(file_request(), actor=reviewer)
    inquiry = services.record_inquiry(
        request, agency=" اداره ثبت اسناد ", subject="اصالت سند", sent_on=WEDNESDAY, actor=reviewer
    )
    assert inquiry.is_open
    assert (inquiry.agency, inquiry.sent_on) == ("اداره ثبت اسناد", WEDNESDAY)
    event = request.events.last()
    assert (event.action, event.is_public, event.note) == (
        "inquiry_sent",
        True,
        "اداره ثبت اسناد",
    )
    assert fresh(request).status == RequestStatus.UNDER_REVIEW
    assert list(ServiceRequest.objects.waiting_on_inquiry()) == [request]

    answered = services.record_inquiry_answer(
        inquiry, answered_on=WEDNESDAY, result="سند اصیل است.", actor=reviewer
    )
    assert not answered.is_open
    assert Inquiry.objects.get().result == "سند اصیل است."
    assert request.events.last().action == "inquiry_answered"
    assert fresh(request).status == RequestStatus.UNDER_REVIEW
    assert not ServiceRequest.objects.waiting_on_inquiry().exists()


def test_a_request_without_an_inquiry_is_not_waiting_on_one(file_request, reviewer):
    never_asked = file_request(mobile="09350001122")
    asked = file_request()
    inquiry = services.record_inquiry(
        asked, agency="اداره ثبت اسناد", subject="اصالت سند", sent_on=WEDNESDAY, actor=reviewer
    )
    services.record_inquiry_answer(inquiry, answered_on=WEDNESDAY, result="اصیل", actor=reviewer)
    assert never_asked not in ServiceRequest.objects.waiting_on_inquiry()
    assert asked not in ServiceRequest.objects.waiting_on_inquiry()


def test_a_request_with_two_open_inquiries_is_listed_once(file_request, reviewer):
    request = file_request()
    for agency in ["اداره ثبت اسناد", "اداره برق"]:
        services.record_inquiry(
            request, agency=agency, subject="استعلام", sent_on=WEDNESDAY, actor=reviewer
        )
    assert list(ServiceRequest.objects.waiting_on_inquiry()) == [request]


def test_an_inquiry_is_answered_once(file_request, reviewer):
    request = file_request()
    inquiry = services.record_inquiry(
        request, agency="اداره ثبت اسناد", subject="اصالت سند", sent_on=WEDNESDAY, actor=reviewer
    )
    services.record_inquiry_answer(inquiry, answered_on=WEDNESDAY, result="اصیل", actor=reviewer)
    with pytest.raises(ValidationError):
        services.record_inquiry_answer(
            inquiry, answered_on=WEDNESDAY, result="دوباره", actor=reviewer
        )
    assert Inquiry.objects.get().result == "اصیل"
    assert request.events.filter(action="inquiry_answered").count() == 1


def test_an_inquiry_cannot_be_sent_in_the_future(file_request, reviewer):
    request = file_request()
    with pytest.raises(ValidationError):
        services.record_inquiry(
            request, agency="اداره ثبت اسناد", subject="اصالت سند", sent_on=THURSDAY, actor=reviewer
        )
    assert not Inquiry.objects.exists()


@pytest.mark.parametrize(
    "answered_on", [THURSDAY, WEDNESDAY - timedelta(days=3)], ids=["future", "before sending"]
)
def test_an_answer_is_dated_between_the_sending_and_today(file_request, reviewer, answered_on):
    request = file_request()
    inquiry = services.record_inquiry(
        request,
        agency="اداره ثبت اسناد",
        subject="اصالت سند",
        sent_on=WEDNESDAY - timedelta(days=1),
        actor=reviewer,
    )
    with pytest.raises(ValidationError):
        services.record_inquiry_answer(
            inquiry, answered_on=answered_on, result="اصیل", actor=reviewer
        )
    assert Inquiry.objects.get().is_open


def test_an_inquiry_needs_an_agency_and_a_subject(file_request, reviewer):
    request = file_request()
    for agency, subject in [("  ", "اصالت سند"), ("اداره ثبت اسناد", "")]:
        with pytest.raises(ValidationError):
            services.record_inquiry(
                request, agency=agency, subject=subject, sent_on=WEDNESDAY, actor=reviewer
            )
    assert not Inquiry.objects.exists()


# --- the back office's lists ----------------------------------------------------------------------


def test_a_request_past_its_date_with_the_municipality_is_overdue(file_request, reviewer, clock):
    late = services.start_review(file_request(), actor=reviewer)
    waiting = refuse_deed(file_request(mobile="09350001122"), reviewer)
    done_in_time = file_request(mobile="09120000001")
    # Expected on Tuesday 24 November; on Wednesday 25th two of them are past it.
    assert ServiceRequest.objects.overdue(today=TUESDAY).count() == 0
    clock.move_to(at_nine(NEXT_WEDNESDAY))
    ServiceRequest.objects.filter(pk=done_in_time.pk).update(expected_date=NEXT_WEDNESDAY)
    overdue = ServiceRequest.objects.overdue()
    assert late in overdue
    assert fresh(late).is_overdue
    # Waiting on the citizen's corrections is not the municipality's delay.
    assert waiting not in overdue
    assert not fresh(waiting).is_overdue
    assert done_in_time not in overdue


def test_a_ready_or_finished_request_is_never_overdue(file_request, reviewer, clock):
    request = ready(file_request, reviewer)
    rejected = services.reject_request(
        file_request(mobile="09350001122"), actor=reviewer, reason="دلیل"
    )
    clock.move_to(at_nine(date(2026, 12, 30)))
    assert not ServiceRequest.objects.overdue().filter(pk__in=[request.pk, rejected.pk]).exists()


def test_unit_staff_see_only_their_units_requests(
    file_request, add_service, online_card, licences, django_user_model, reviewer
):
    roads = Department.objects.create(name="معاونت فنی و عمرانی", slug="roads")
    other_card = add_service(
        title="مجوز حفاری", slug="digging", department=roads, accepts_online_requests=True
    )
    ours = file_request()
    theirs = services.submit_service_request(
        service=other_card,
        citizen_name="علی رضایی",
        mobile="09350001122",
        national_code="0013542419",
    )
    unit_member = django_user_model.objects.create_user("unit", password="x", is_staff=True)
    licences.staff.add(unit_member)

    assert list(ServiceRequest.objects.for_staff(unit_member)) == [ours]
    assert set(ServiceRequest.objects.for_staff(reviewer)) == {ours, theirs}
    boss = django_user_model.objects.create_superuser("boss", password="x")
    roads.staff.add(boss)
    assert set(ServiceRequest.objects.for_staff(boss)) == {ours, theirs}


def test_an_inquiry_answered_after_the_request_ended_is_closed(file_request, reviewer):
    asked = file_request()
    inquiry = services.record_inquiry(
        asked, agency="اداره ثبت اسناد", subject="اصالت سند", sent_on=WEDNESDAY, actor=reviewer
    )
    services.reject_request(asked, actor=reviewer, reason="ملک در طرح است.")

    services.record_inquiry_answer(inquiry, answered_on=WEDNESDAY, result="اصیل", actor=reviewer)

    inquiry.refresh_from_db()
    assert not inquiry.is_open
    assert not ServiceRequest.objects.waiting_on_inquiry().exists()
