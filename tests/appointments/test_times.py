"""Each place of a session has its own time: the start, then every `slot_minutes`. Two
citizens approved into one session never share a time, whether the office gives none (the
next free one), picks one already given (refused, naming who has it), or approves both at
the same moment; and every citizen reads their own time in the SMS, the reminder, their
case page and the printed agenda. (conftest's sessions: 09:00-12:00, slots of 30 minutes.)"""

from datetime import time

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from appointments import services
from appointments.models import MeetingRequest, MeetingSession, Status

from .conftest import TOMORROW

pytestmark = pytest.mark.django_db


@pytest.fixture
def approve(request_meeting, office_clerk):
    """Approve a new request of `mobile` into `session` at `at` (None: the office's pick)."""

    def approve(session, mobile, at=None, **fields):
        meeting = request_meeting(mobile=mobile, **fields)
        return services.approve_meeting(
            meeting, session=session, meeting_time=at, actor=office_clerk
        )

    return approve


def test_a_sessions_times_are_its_start_and_every_slot_one_per_place(make_session):
    session = make_session(capacity=4, slot_minutes=20)
    assert session.times() == [time(9), time(9, 20), time(9, 40), time(10)]


def test_two_approvals_without_a_time_get_the_first_two_times(session, approve):
    first = approve(session, "09120000001")
    second = approve(session, "09120000002")
    assert (first.meeting_time, second.meeting_time) == (time(9), time(9, 30))


def test_each_approval_sms_gives_the_citizens_own_time(
    session, approve, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        approve(session, "09120000001")
        approve(session, "09120000002")
    approvals = {m.receiver: m.text for m in sms_outbox if "تأیید شد" in m.text}
    assert "ساعت ۰۹:۰۰" in approvals["09120000001"]
    assert "ساعت ۰۹:۳۰" in approvals["09120000002"]


def test_a_time_already_given_is_refused_naming_who_has_it_and_the_next_free_one(
    session, approve, request_meeting, office_clerk
):
    first = approve(session, "09120000001", at=time(9, 30), citizen_name="رضا محمدی")
    second = request_meeting(mobile="09120000002")

    with pytest.raises(ValidationError) as refusal:
        services.approve_meeting(
            second, session=session, meeting_time=time(9, 30), actor=office_clerk
        )

    code = first.tracking_code.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    assert refusal.value.messages == [
        f"ساعت ۰۹:۳۰ این نوبت پیش‌تر به رضا محمدی (کد رهگیری {code}) داده شده است. "
        "نخستین ساعت آزاد ۰۹:۰۰ است."
    ]
    second.refresh_from_db()
    assert (second.status, second.session, second.meeting_time) == (Status.PENDING, None, None)


def test_a_time_off_the_sessions_grid_is_refused(session, request_meeting, office_clerk):
    meeting = request_meeting()
    for off_grid in [time(9, 15), time(11, 30), time(8, 30)]:  # between, after the last, before
        with pytest.raises(ValidationError) as refusal:
            services.approve_meeting(
                meeting, session=session, meeting_time=off_grid, actor=office_clerk
            )
        assert refusal.value.code == "time"
        assert "از ۰۹:۰۰ هر ۳۰ دقیقه" in refusal.value.messages[0]
        assert "۱۱:۰۰" in refusal.value.messages[0]


def test_a_pending_request_in_the_session_gets_a_time_when_approved(
    session, request_meeting, approve, office_clerk
):
    waiting = request_meeting(session=session, mobile="09120000001")
    approve(session, "09120000002")  # takes 09:00
    services.approve_meeting(waiting, session=session, meeting_time=None, actor=office_clerk)
    assert MeetingRequest.objects.get(pk=waiting.pk).meeting_time == time(9, 30)


def test_rescheduling_frees_the_old_time(session, make_session, approve, office_clerk):
    moved = approve(session, "09120000001")  # 09:00
    services.reschedule_meeting(
        moved, session=make_session(TOMORROW), meeting_time=None, actor=office_clerk
    )
    assert approve(session, "09120000002").meeting_time == time(9)


def test_rescheduling_within_the_session_frees_the_old_time(session, approve, office_clerk):
    moved = approve(session, "09120000001")  # 09:00
    services.reschedule_meeting(moved, session=session, meeting_time=time(11), actor=office_clerk)
    assert MeetingRequest.objects.get(pk=moved.pk).meeting_time == time(11)
    assert approve(session, "09120000002").meeting_time == time(9)


def test_a_cancelled_meetings_time_is_given_again(session, approve):
    cancelled = approve(session, "09120000001")
    services.cancel_meeting(cancelled, reason="نمی‌آیم")
    assert approve(session, "09120000002").meeting_time == time(9)


def test_when_every_time_is_given_the_refusal_says_so(make_session, approve, request_meeting):
    small = make_session(capacity=2)
    approve(small, "09120000001")
    approve(small, "09120000002")
    with pytest.raises(ValidationError) as refusal:
        approve(small, "09120000003")
    assert refusal.value.code == "full"


def test_the_reminder_gives_each_citizen_their_own_time(
    make_session, approve, sms_outbox, django_capture_on_commit_callbacks
):
    tomorrow = make_session(TOMORROW)
    approve(tomorrow, "09120000001")
    approve(tomorrow, "09120000002")
    sms_outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_reminders() == 2
    reminders = {m.receiver: m.text for m in sms_outbox}
    assert "ساعت ۰۹:۰۰" in reminders["09120000001"]
    assert "ساعت ۰۹:۳۰" in reminders["09120000002"]


def test_the_case_page_shows_the_citizens_own_time(client, session, approve, open_case):
    approve(session, "09120000001")
    second = approve(session, "09120000002")
    open_case(client, second.tracking_code)
    page = client.get(reverse("appointments:case", args=[second.tracking_code])).text
    assert "آذر ۱۴۰۵، ساعت ۰۹:۳۰" in page
    assert "آذر ۱۴۰۵، ساعت ۰۹:۰۰" not in page


def test_a_pending_request_in_a_session_reads_the_sessions_hours_in_words(
    client, session, request_meeting, open_case
):
    meeting = request_meeting(session=session)
    open_case(client, meeting.tracking_code)
    page = client.get(reverse("appointments:case", args=[meeting.tracking_code])).text
    assert "۰۹:۰۰ تا ۱۲:۰۰" in page and "–" not in page


def test_the_agenda_lists_each_citizen_at_their_own_time_and_the_free_times(
    office_client, make_session, approve, request_meeting
):
    session = make_session(capacity=4)
    approve(session, "09120000001", citizen_name="رضا محمدی")
    approve(session, "09120000002", citizen_name="زهرا حسینی")
    request_meeting(session=session, mobile="09120000003", citizen_name="حسن کریمی")

    response = office_client.get(
        reverse("admin:appointments_meetingsession_agenda", args=[session.pk])
    )

    rows = [(m.meeting_time, m.citizen_name) for m in response.context["meetings"]]
    assert rows == [(time(9), "رضا محمدی"), (time(9, 30), "زهرا حسینی"), (None, "حسن کریمی")]
    html = response.text
    assert html.index("۰۹:۰۰") < html.index("رضا محمدی") < html.index("۰۹:۳۰")
    assert html.index("۰۹:۳۰") < html.index("زهرا حسینی")
    assert "۰۹:۰۰ تا ۱۲:۰۰" in html
    assert "ساعت‌های آزاد: ۱۰:۰۰، ۱۰:۳۰" in html


# --- capacity × slot must fit the session ---------------------------------------------------


def test_places_that_do_not_fit_between_start_and_end_are_refused(mayor):
    too_many = MeetingSession(
        host=mayor,
        date=TOMORROW,
        start_time=time(9),
        end_time=time(10),
        place="دفتر",
        capacity=5,
        slot_minutes=15,
    )
    with pytest.raises(ValidationError) as refusal:
        too_many.full_clean()
    assert refusal.value.message_dict["slot_minutes"] == [
        "۵ ملاقات ۱۵ دقیقه‌ای ۷۵ دقیقه وقت می‌گیرد، اما این نوبت ۶۰ دقیقه است. ظرفیت یا مدت "
        "هر ملاقات را کم کنید، یا پایان نوبت را دیرتر بگذارید."
    ]
    too_many.capacity = 4  # exactly an hour
    too_many.full_clean()


def test_the_admin_refuses_a_session_whose_places_do_not_fit(office_client, mayor):
    response = office_client.post(
        reverse("admin:appointments_meetingsession_add"),
        {
            "host": mayor.pk,
            "date": "۱۴۰۵/۰۹/۰۹",
            "start_time": "09:00",
            "end_time": "10:00",
            "place": "دفتر شهردار",
            "capacity": "8",
            "slot_minutes": "15",
            "is_published": "on",
        },
    )
    assert response.status_code == 200
    assert "slot_minutes" in response.context["adminform"].form.errors
    assert not MeetingSession.objects.exists()


# --- the back office's approve form -----------------------------------------------------------


def approve_form(office_client, meeting):
    page = office_client.get(reverse("admin:appointments_meetingrequest_change", args=[meeting.pk]))
    step = next(s for s in page.context["steps"] if s["form"].action() == "approve")
    return step["form"]


def test_the_approve_form_offers_the_free_times_with_the_next_one_chosen(
    office_client, make_session, approve, request_meeting
):
    preferred = make_session(capacity=3)
    other = make_session(TOMORROW, capacity=2)
    approve(preferred, "09120000001")  # 09:00 given
    meeting = request_meeting(session=preferred, mobile="09120000002")

    form = approve_form(office_client, meeting)

    offered = {label: [v for v, _t in options] for label, options in form.fields["slot"].choices}
    assert list(offered.values()) == [
        [f"{other.pk}@09:00", f"{other.pk}@09:30"],
        [f"{preferred.pk}@09:30", f"{preferred.pk}@10:00"],
    ]
    assert any("۰۹:۰۰ تا ۱۲:۰۰" in label for label in offered)
    assert form["slot"].value() == f"{preferred.pk}@09:30"
    assert f'<option value="{preferred.pk}@09:30" selected>۰۹:۳۰</option>' in str(form["slot"])


def test_a_full_session_is_not_offered_to_another_request(
    office_client, make_session, request_meeting
):
    full = make_session(capacity=1)
    request_meeting(session=full, mobile="09120000001")  # holds the place, no time yet
    form = approve_form(office_client, request_meeting(mobile="09120000002"))
    assert form.fields["slot"].choices == []


def test_a_time_given_since_the_admin_page_was_shown_is_refused(
    office_client, session, approve, request_meeting
):
    approve(session, "09120000001", citizen_name="رضا محمدی")  # 09:00
    meeting = request_meeting(mobile="09120000002")
    url = reverse("admin:appointments_meetingrequest_transition", args=[meeting.pk, "approve"])

    # A second clerk's page still offered 09:00.
    response = office_client.post(url, {"approve-slot": f"{session.pk}@09:00"}, follow=True)

    assert MeetingRequest.objects.get(pk=meeting.pk).status == Status.PENDING
    assert [str(m) for m in response.context["messages"]] == [
        "این ساعت دیگر آزاد نیست؛ لطفاً یکی از ساعت‌های آزاد را انتخاب کنید."
    ]


# --- the database's half ----------------------------------------------------------------------


def test_the_database_refuses_two_holders_of_one_time(session, approve):
    approve(session, "09120000001")
    second = approve(session, "09120000002")
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingRequest.objects.filter(pk=second.pk).update(meeting_time=time(9))


def test_the_database_lets_a_cancelled_request_keep_its_old_time(session, approve):
    cancelled = approve(session, "09120000001")
    services.cancel_meeting(cancelled, reason="نمی‌آیم")
    assert approve(session, "09120000002").meeting_time == time(9)
    assert MeetingRequest.objects.get(pk=cancelled.pk).meeting_time == time(9)
