"""The life of a meeting request through its service functions: every decision, the illegal
ones, the events they leave, the SMS the citizen receives and the places they take."""

import uuid
from datetime import date, datetime, time

import pytest
import time_machine
from django.core.cache import cache
from django.core.exceptions import ValidationError

from appointments import services
from appointments.models import MeetingRequest, Status
from desk import codes
from desk.cases.models import IllegalTransition, case_finished
from desk.text import to_persian_digits

from .conftest import TEHRAN

pytestmark = pytest.mark.django_db


def history(meeting):
    return [(e.action, e.from_status, e.to_status) for e in meeting.events.all()]


def test_requesting_gives_a_code_an_event_and_an_sms(
    request_meeting, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = request_meeting(mobile="۰۹۱۲ ۱۲۳ ۴۵۶۷", national_code="٠٠٨٤٥٧٥٩٤٨")
    assert codes.parse_code(meeting.tracking_code) == meeting.tracking_code
    assert meeting.tracking_code.startswith("2")
    assert meeting.mobile == "09121234567"
    assert meeting.national_code == "0084575948"
    assert meeting.status == Status.PENDING
    assert history(meeting) == [("request", "", "pending")]
    assert [m.receiver for m in sms_outbox] == ["09121234567"]
    assert to_persian_digits(meeting.tracking_code) in sms_outbox[0].text


def test_a_chosen_session_holds_a_place(request_meeting, session):
    request_meeting(session=session)
    assert session.free_places == session.capacity - 1


def test_approval_gives_a_place_a_time_and_an_sms_with_date_time_and_place(
    request_meeting, session, office_clerk, sms_outbox, django_capture_on_commit_callbacks
):
    meeting = request_meeting()
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_meeting(
            meeting, session=session, meeting_time=time(10, 30), actor=office_clerk
        )
    meeting.refresh_from_db()
    assert (meeting.status, meeting.session, meeting.meeting_time) == (
        Status.APPROVED,
        session,
        time(10, 30),
    )
    assert history(meeting)[-1] == ("approve", "pending", "approved")
    text = sms_outbox[-1].text
    assert "۱۰:۳۰" in text and "۹ آذر ۱۴۰۵" in text and "دفتر شهردار" in text
    assert "دوشنبه" in text


def test_approval_outside_the_session_hours_is_refused(request_meeting, session, office_clerk):
    meeting = request_meeting()
    with pytest.raises(ValidationError):
        services.approve_meeting(
            meeting, session=session, meeting_time=time(13, 0), actor=office_clerk
        )
    assert MeetingRequest.objects.get(pk=meeting.pk).status == Status.PENDING


def test_approval_into_a_full_session_is_refused(request_meeting, make_session, office_clerk):
    full = make_session(capacity=1)
    request_meeting(session=full, mobile="09120000001")
    meeting = request_meeting()
    with pytest.raises(ValidationError) as refusal:
        services.approve_meeting(meeting, session=full, meeting_time=None, actor=office_clerk)
    assert refusal.value.code == "full"


def test_rescheduling_moves_the_place_and_resets_the_reminder(
    request_meeting,
    session,
    make_session,
    office_clerk,
    sms_outbox,
    django_capture_on_commit_callbacks,
):
    later = make_session(date(2026, 12, 1))
    meeting = request_meeting(session=session)
    services.approve_meeting(meeting, session=session, meeting_time=None, actor=office_clerk)
    MeetingRequest.objects.filter(pk=meeting.pk).update(
        reminder_sent_at=datetime(2026, 11, 29, tzinfo=TEHRAN)
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.reschedule_meeting(
            meeting, session=later, meeting_time=time(11, 0), actor=office_clerk
        )
    meeting.refresh_from_db()
    assert meeting.session == later and meeting.reminder_sent_at is None
    assert session.free_places == session.capacity
    assert later.free_places == later.capacity - 1
    assert "تغییر" in sms_outbox[-1].text and "۱۱:۰۰" in sms_outbox[-1].text


def test_referral_to_a_deputy_frees_the_place(
    request_meeting, session, deputy, office_clerk, sms_outbox, django_capture_on_commit_callbacks
):
    meeting = request_meeting(session=session)
    with django_capture_on_commit_callbacks(execute=True):
        services.refer_meeting(meeting, host=deputy, actor=office_clerk)
    meeting.refresh_from_db()
    assert meeting.status == Status.REFERRED and meeting.referred_to_host == deputy
    assert session.free_places == session.capacity
    # The referral SMS, then the survey invitation: the request has ended.
    assert [m.kind for m in sms_outbox][-2:] == ["appointment_referred", "survey_invitation"]
    assert deputy.title in sms_outbox[-2].text


def test_referral_to_a_unit(request_meeting, streets, office_clerk):
    meeting = services.refer_meeting(request_meeting(), department=streets, actor=office_clerk)
    assert meeting.referred_to_department == streets
    assert streets.name in meeting.events.last().note


def test_referral_needs_exactly_one_target(request_meeting, streets, deputy, office_clerk):
    with pytest.raises(ValidationError):
        services.refer_meeting(request_meeting(), actor=office_clerk)
    with pytest.raises(ValidationError):
        services.refer_meeting(
            request_meeting(), host=deputy, department=streets, actor=office_clerk
        )


def test_decline_needs_a_reason_and_tells_it(
    request_meeting, office_clerk, sms_outbox, django_capture_on_commit_callbacks
):
    meeting = request_meeting()
    with pytest.raises(ValidationError):
        services.decline_meeting(meeting, actor=office_clerk, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        services.decline_meeting(meeting, actor=office_clerk, reason="در حوزه شورای شهر است")
    assert MeetingRequest.objects.get(pk=meeting.pk).status == Status.DECLINED
    assert [m.kind for m in sms_outbox][-2:] == ["appointment_declined", "survey_invitation"]
    assert "در حوزه شورای شهر است" in sms_outbox[-2].text


def test_the_citizen_cancels_with_a_reason_and_the_place_is_freed(
    request_meeting, session, office_clerk, sms_outbox, django_capture_on_commit_callbacks
):
    meeting = request_meeting(session=session)
    services.approve_meeting(meeting, session=session, meeting_time=None, actor=office_clerk)
    with pytest.raises(ValidationError):
        services.cancel_meeting(meeting, reason="")
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_meeting(meeting, reason="کارم انجام شد")
    meeting.refresh_from_db()
    assert meeting.status == Status.CANCELLED and meeting.cancel_reason == "کارم انجام شد"
    assert meeting.events.last().by_citizen
    assert session.free_places == session.capacity
    assert "لغو" in sms_outbox[-1].text


def test_cancelling_is_refused_once_the_session_has_started(request_meeting, session, office_clerk):
    meeting = request_meeting(session=session)
    services.approve_meeting(meeting, session=session, meeting_time=None, actor=office_clerk)
    with time_machine.travel(datetime(2026, 11, 30, 9, 1, tzinfo=TEHRAN), tick=False):
        assert not services.can_cancel(meeting)
        with pytest.raises(ValidationError):
            services.cancel_meeting(meeting, reason="دیر شد")
    with time_machine.travel(datetime(2026, 11, 30, 8, 59, tzinfo=TEHRAN), tick=False):
        assert services.can_cancel(meeting)


def test_held_then_outcome_finishes_the_case(
    request_meeting, session, office_clerk, sms_outbox, django_capture_on_commit_callbacks
):
    finished = []
    case_finished.connect(
        lambda sender, case, outcome, **kw: finished.append(case.pk), weak=False, dispatch_uid="t"
    )
    try:
        meeting = request_meeting()
        services.approve_meeting(meeting, session=session, meeting_time=None, actor=office_clerk)
        with pytest.raises(ValidationError):
            services.mark_held(meeting, actor=office_clerk)  # before the session
        with time_machine.travel(datetime(2026, 11, 30, 10, 0, tzinfo=TEHRAN), tick=False):
            services.mark_held(meeting, actor=office_clerk)
            with django_capture_on_commit_callbacks(execute=True):
                services.write_outcome(meeting, actor=office_clerk, outcome="قرار شد پیگیری شود")
    finally:
        case_finished.disconnect(dispatch_uid="t")
    meeting.refresh_from_db()
    assert meeting.status == Status.HELD and meeting.outcome == "قرار شد پیگیری شود"
    assert finished == [meeting.pk]
    assert [a for a, _f, _t in history(meeting)] == ["request", "approve", "held", "outcome"]
    assert "قرار شد پیگیری شود" in sms_outbox[-1].text


def test_no_show(request_meeting, session, office_clerk):
    meeting = request_meeting()
    services.approve_meeting(meeting, session=session, meeting_time=None, actor=office_clerk)
    with time_machine.travel(datetime(2026, 11, 30, 13, 0, tzinfo=TEHRAN), tick=False):
        services.mark_no_show(meeting, actor=office_clerk)
    assert MeetingRequest.objects.get(pk=meeting.pk).status == Status.NO_SHOW


@pytest.mark.parametrize(
    "decision",
    [
        lambda m, s, u: services.reschedule_meeting(m, session=s, meeting_time=None, actor=u),
        lambda m, s, u: services.mark_held(m, actor=u),
        lambda m, s, u: services.mark_no_show(m, actor=u),
        lambda m, s, u: services.write_outcome(m, actor=u, outcome="x"),
    ],
)
def test_decisions_that_need_an_approved_or_held_meeting_are_illegal_while_pending(
    decision, request_meeting, session, office_clerk
):
    with pytest.raises(IllegalTransition):
        decision(request_meeting(), session, office_clerk)


@pytest.mark.parametrize(
    "decision",
    [
        lambda m, s, u: services.approve_meeting(m, session=s, meeting_time=None, actor=u),
        lambda m, s, u: services.decline_meeting(m, actor=u, reason="x"),
        lambda m, s, u: services.cancel_meeting(m, reason="x"),
        lambda m, s, u: services.refer_meeting(m, host=s.host, actor=u),
    ],
)
def test_nothing_but_notes_after_a_decline(decision, request_meeting, session, office_clerk):
    meeting = services.decline_meeting(request_meeting(), actor=office_clerk, reason="خیر")
    with pytest.raises(IllegalTransition):
        decision(meeting, session, office_clerk)
    services.add_internal_note(meeting, actor=office_clerk, note="یادداشت")
    assert not meeting.events.last().is_public


def test_one_open_request_per_mobile_per_host_never_names_the_first_code(request_meeting, deputy):
    first = request_meeting()
    with pytest.raises(services.OpenRequestExists) as refusal:
        request_meeting(mobile="+98 912 123 4567")
    assert refusal.value.earlier == first
    assert first.tracking_code not in refusal.value.messages[0]
    # Another host, or once the first is closed, is fine.
    request_meeting(host=deputy)
    services.cancel_meeting(first, reason="منصرف شدم")
    request_meeting()


def test_a_repeated_submission_key_returns_the_first_request(
    request_meeting, session, sms_outbox, django_capture_on_commit_callbacks
):
    key = uuid.uuid4()
    with django_capture_on_commit_callbacks(execute=True):
        first = request_meeting(session=session, submission_key=key)
        second = request_meeting(session=session, submission_key=key)
    assert second == first
    assert MeetingRequest.objects.count() == 1
    assert session.free_places == session.capacity - 1
    assert len(sms_outbox) == 1


def test_a_session_of_another_host_is_refused(request_meeting, make_session, deputy):
    with pytest.raises(ValidationError):
        request_meeting(session=make_session(host=deputy))


def test_the_open_requests_code_goes_to_its_own_mobile_three_times_a_day(
    request_meeting, sms_outbox, django_capture_on_commit_callbacks
):
    cache.clear()
    first = request_meeting()
    sms_outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sent = [services.remind_open_request(first) for _ in range(5)]
    assert sent == [True, True, True, False, False]
    assert [m.receiver for m in sms_outbox] == ["09121234567"] * 3
    assert all(to_persian_digits(first.tracking_code) in m.text for m in sms_outbox)


def test_a_submission_key_copied_to_another_mobile_is_refused(request_meeting):
    key = uuid.uuid4()
    first = request_meeting(submission_key=key)
    with pytest.raises(ValidationError) as refusal:
        request_meeting(submission_key=key, mobile="09350001122")
    assert refusal.value.code == "submission_key"
    assert first.tracking_code not in str(refusal.value)
    assert MeetingRequest.objects.count() == 1
