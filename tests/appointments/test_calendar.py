"""Sessions and the calendar: holidays and weekend days refused, the booking window, Tehran
time around midnight, and the reminder sent once the day before."""

from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError

from appointments import services
from appointments.models import BookingWindow, MeetingRequest, MeetingSession
from appointments.views import open_sessions
from desk.models import Holiday

from .conftest import TEHRAN, TOMORROW

pytestmark = pytest.mark.django_db


def unsaved_session(mayor, day: date) -> MeetingSession:
    return MeetingSession(
        host=mayor, date=day, start_time=time(9), end_time=time(12), place="دفتر", capacity=4
    )


def test_a_session_on_a_friday_is_refused_with_a_clear_message(mayor):
    with pytest.raises(ValidationError) as refusal:
        unsaved_session(mayor, date(2026, 11, 27)).full_clean()
    assert refusal.value.error_dict["date"][0].code == "closed_day"


def test_a_session_on_a_holiday_is_refused(mayor):
    Holiday.objects.create(date=date(2026, 12, 1), title="تعطیل رسمی")
    with pytest.raises(ValidationError):
        unsaved_session(mayor, date(2026, 12, 1)).full_clean()
    unsaved_session(mayor, date(2026, 12, 2)).full_clean()


def test_a_session_must_end_after_it_starts(mayor):
    session = unsaved_session(mayor, date(2026, 12, 2))
    session.end_time = time(8)
    with pytest.raises(ValidationError):
        session.full_clean()


def test_a_session_too_far_ahead_is_not_open_yet(request_meeting, make_session):
    BookingWindow.objects.create(open_days_ahead=14, close_hours_before=24)
    far = make_session(date(2026, 12, 9))  # 16 days ahead
    near = make_session(date(2026, 12, 7))  # 14 days ahead
    assert open_sessions() == [near]
    with pytest.raises(ValidationError) as refusal:
        request_meeting(session=far)
    assert refusal.value.code == "closed"
    request_meeting(session=near)


def test_requests_close_a_set_number_of_hours_before_the_start(request_meeting, make_session):
    BookingWindow.objects.create(open_days_ahead=30, close_hours_before=24)
    tomorrow = make_session(TOMORROW)  # starts exactly 24 hours from now
    assert open_sessions() == [tomorrow]
    with time_machine.travel(datetime(2026, 11, 23, 9, 1, tzinfo=TEHRAN), tick=False):
        assert open_sessions() == []
        with pytest.raises(ValidationError):
            request_meeting(session=tomorrow)


def test_the_office_may_book_outside_the_window(request_meeting, make_session, office_clerk):
    past_closing = make_session(TOMORROW, is_published=False)
    meeting = request_meeting(session=past_closing, actor=office_clerk)
    assert meeting.session == past_closing


def test_unpublished_and_full_sessions_are_not_offered(request_meeting, make_session):
    make_session(is_published=False)
    full = make_session(capacity=1)
    request_meeting(session=full)
    assert open_sessions() == []


def approved_for(request_meeting, session, clerk, mobile="09121234567"):
    meeting = request_meeting(mobile=mobile)
    return services.approve_meeting(meeting, session=session, meeting_time=None, actor=clerk)


def test_the_reminder_is_sent_once_the_day_before(
    request_meeting, make_session, office_clerk, sms_outbox, django_capture_on_commit_callbacks
):
    tomorrow, later = make_session(TOMORROW), make_session(date(2026, 11, 25))
    due = approved_for(request_meeting, tomorrow, office_clerk)
    approved_for(request_meeting, later, office_clerk, mobile="09350000000")
    sms_outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_reminders() == 1
        assert services.send_reminders() == 0
    assert [m.receiver for m in sms_outbox] == [due.mobile]
    assert "یادآوری" in sms_outbox[0].text and "فردا" in sms_outbox[0].text
    assert MeetingRequest.objects.get(pk=due.pk).reminder_sent_at is not None


def test_a_row_claimed_by_another_runner_is_not_reminded_again(
    request_meeting, make_session, office_clerk, sms_outbox
):
    meeting = approved_for(request_meeting, make_session(TOMORROW), office_clerk)
    # Another runner claimed it a moment ago (its UPDATE committed first).
    MeetingRequest.objects.filter(pk=meeting.pk).update(reminder_sent_at=datetime.now(TEHRAN))
    assert services.send_reminders() == 0


def test_cancelled_meetings_are_not_reminded(request_meeting, make_session, office_clerk):
    meeting = approved_for(request_meeting, make_session(TOMORROW), office_clerk)
    services.cancel_meeting(meeting, reason="نمی‌آیم")
    assert services.send_reminders() == 0


def test_tomorrow_is_the_tehran_date_around_midnight(request_meeting, make_session, office_clerk):
    on_tuesday = approved_for(request_meeting, make_session(TOMORROW), office_clerk)
    on_wednesday = approved_for(
        request_meeting, make_session(date(2026, 11, 25)), office_clerk, mobile="09350000000"
    )
    # 23:30 Monday in Tehran is 20:00 UTC Monday: tomorrow is Tuesday.
    with time_machine.travel(datetime(2026, 11, 23, 23, 30, tzinfo=TEHRAN), tick=False):
        assert services.send_reminders() == 1
    assert MeetingRequest.objects.get(pk=on_tuesday.pk).reminder_sent_at is not None
    # 00:30 Tuesday in Tehran is still Monday (21:00) in UTC: tomorrow is Wednesday.
    with time_machine.travel(datetime(2026, 11, 24, 0, 30, tzinfo=TEHRAN), tick=False):
        assert services.send_reminders() == 1
        assert [s.date for s in MeetingSession.objects.upcoming()] == [
            TOMORROW,
            date(2026, 11, 25),
        ]
    assert MeetingRequest.objects.get(pk=on_wednesday.pk).reminder_sent_at is not None


def test_the_periodic_job_is_registered():
    from desk.registry import periodic_jobs

    job = next(job for job in periodic_jobs() if job.name == "appointment_reminders")
    assert job.func is services.send_reminders
    assert job.every <= timedelta(hours=1).total_seconds()
