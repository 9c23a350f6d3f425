"""The mayor's office back office: sessions (Jalali input, holidays refused, free places,
agenda), the requests list with a fixed number of queries, one form per decision, and for
every page the three cases: allowed, forbidden, anonymous."""

from datetime import date, time

import pytest
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from appointments import services
from appointments.models import MeetingRequest, MeetingSession, Status

pytestmark = pytest.mark.django_db

REQUESTS = reverse("admin:appointments_meetingrequest_changelist")
SESSIONS = reverse("admin:appointments_meetingsession_changelist")
ADD_SESSION = reverse("admin:appointments_meetingsession_add")


def session_form(mayor, **overrides):
    data = {
        "host": mayor.pk,
        "date": "۱۴۰۵/۰۹/۰۹",  # Monday 30 November 2026
        "start_time": "09:00",
        "end_time": "12:00",
        "place": "دفتر شهردار",
        "capacity": "6",
        "slot_minutes": "20",
        "is_published": "on",
    }
    data.update(overrides)
    return data


def test_a_session_is_added_with_a_jalali_date(office_client, mayor):
    response = office_client.post(ADD_SESSION, session_form(mayor))
    assert response.status_code == 302
    assert MeetingSession.objects.get().date == date(2026, 11, 30)


def test_a_session_on_a_friday_is_refused_in_the_admin(office_client, mayor):
    response = office_client.post(ADD_SESSION, session_form(mayor, date="1405/09/06"))
    assert response.status_code == 200
    assert "date" in response.context["adminform"].form.errors
    assert not MeetingSession.objects.exists()


def test_the_sessions_list_shows_free_places_in_fixed_queries(
    office_client, make_session, request_meeting, deputy
):
    session = make_session(capacity=4)
    request_meeting(session=session)
    office_client.get(SESSIONS)  # the site profile, then kept in the process's memory
    with CaptureQueriesContext(__import__("django.db").db.connection) as few:
        response = office_client.get(SESSIONS)
    assert "۳" in response.text
    for n in range(6):
        request_meeting(host=deputy, session=make_session(host=deputy), mobile=f"0935000000{n}")
    with CaptureQueriesContext(__import__("django.db").db.connection) as many:
        office_client.get(SESSIONS)
    assert len(many) == len(few)


def test_the_requests_list_costs_the_same_queries_for_2_or_12_rows(
    office_client, request_meeting, session, deputy
):
    from django.db import connection

    request_meeting(session=session)
    request_meeting(host=deputy)
    office_client.get(REQUESTS)
    with CaptureQueriesContext(connection) as few:
        response = office_client.get(REQUESTS)
    assert len(response.context["cl"].result_list) == 2
    for n in range(10):
        request_meeting(mobile=f"0936000000{n}", session=session if n < 3 else None)
    with CaptureQueriesContext(connection) as many:
        response = office_client.get(REQUESTS)
    assert len(response.context["cl"].result_list) == 12
    assert len(many) == len(few)


def test_the_requests_list_filters_by_status_and_session_date(
    office_client, request_meeting, session, office_clerk
):
    approved = request_meeting(session=session)
    services.approve_meeting(approved, session=session, meeting_time=None, actor=office_clerk)
    pending = request_meeting(mobile="09350000000")
    listed = office_client.get(REQUESTS, {"status": "pending"}).context["cl"].result_list
    assert [m.pk for m in listed] == [pending.pk]
    by_date = office_client.get(
        REQUESTS, {"session_from": "۱۴۰۵/۰۹/۰۹", "session_to": "1405/09/09"}
    )
    assert [m.pk for m in by_date.context["cl"].result_list] == [approved.pk]


def change_url(meeting):
    return reverse("admin:appointments_meetingrequest_change", args=[meeting.pk])


def step_url(meeting, action):
    return reverse("admin:appointments_meetingrequest_transition", args=[meeting.pk, action])


def test_the_change_page_offers_only_the_allowed_decisions(office_client, request_meeting):
    meeting = request_meeting()
    response = office_client.get(change_url(meeting))
    actions = [step["form"].action() for step in response.context["steps"]]
    assert actions == ["approve", "refer", "decline", "internal_note", "correct"]


def test_approving_from_the_admin_calls_the_service(
    office_client, request_meeting, session, sms_outbox, django_capture_on_commit_callbacks
):
    meeting = request_meeting()
    with django_capture_on_commit_callbacks(execute=True):
        response = office_client.post(
            step_url(meeting, "approve"),
            {"approve-slot": f"{session.pk}@10:30"},
        )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.status, meeting.meeting_time) == (Status.APPROVED, time(10, 30))
    assert meeting.events.last().actor.username == "office"
    assert "۱۰:۳۰" in sms_outbox[-1].text


def test_an_illegal_decision_from_the_admin_changes_nothing(office_client, request_meeting):
    meeting = request_meeting()
    response = office_client.post(step_url(meeting, "held"), {}, follow=True)
    assert MeetingRequest.objects.get(pk=meeting.pk).status == Status.PENDING
    assert any(
        "not possible" in str(m) or "ممکن نیست" in str(m) for m in response.context["messages"]
    )


def test_declining_from_the_admin_needs_a_reason(office_client, request_meeting):
    meeting = request_meeting()
    office_client.post(step_url(meeting, "decline"), {"decline-reason": ""})
    assert MeetingRequest.objects.get(pk=meeting.pk).status == Status.PENDING
    office_client.post(step_url(meeting, "decline"), {"decline-reason": "خارج از حوزه"})
    assert MeetingRequest.objects.get(pk=meeting.pk).status == Status.DECLINED


def test_the_agenda_lists_time_name_subject_and_code(
    office_client, request_meeting, session, office_clerk
):
    meeting = request_meeting(session=session)
    services.approve_meeting(meeting, session=session, meeting_time=time(9, 30), actor=office_clerk)
    cancelled = request_meeting(session=session, mobile="09350000000")
    services.cancel_meeting(cancelled, reason="نمی‌آیم")
    response = office_client.get(
        reverse("admin:appointments_meetingsession_agenda", args=[session.pk])
    )
    assert response.status_code == 200
    assert "۰۹:۳۰" in response.text and "مریم احمدی" in response.text
    assert "مشکل پروانه ساختمانی" in response.text
    assert list(response.context["meetings"]) == [meeting]
    html = response.text
    # The mobile to call, a print button, and the title once.
    assert meeting.mobile.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")) in html
    assert "data-print" in html
    assert html.count("<h1") == 1


@pytest.mark.parametrize("page", ["requests", "sessions", "agenda", "change", "step"])
def test_forbidden_and_anonymous(page, client, outsider_client, request_meeting, session):
    meeting = request_meeting(session=session)
    url = {
        "requests": REQUESTS,
        "sessions": SESSIONS,
        "agenda": reverse("admin:appointments_meetingsession_agenda", args=[session.pk]),
        "change": change_url(meeting),
        "step": step_url(meeting, "decline"),
    }[page]
    post = page == "step"
    send = outsider_client.post if post else outsider_client.get
    assert send(url, {"decline-reason": "x"} if post else {}).status_code == 403
    outsider_client.logout()
    anonymous = client.post(url) if post else client.get(url)
    assert anonymous.status_code == 302 and "/login/" in anonymous.url
    assert MeetingRequest.objects.get(pk=meeting.pk).status == Status.PENDING


def test_a_viewer_without_change_permission_sees_no_decisions(
    client, django_user_model, request_meeting
):
    from django.contrib.auth.models import Permission

    viewer = django_user_model.objects.create_user("viewer", password="x", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_meetingrequest"))
    client.force_login(viewer)
    meeting = request_meeting()
    assert "steps" not in client.get(change_url(meeting)).context
    assert client.post(step_url(meeting, "decline"), {"decline-reason": "x"}).status_code == 403


@pytest.mark.parametrize("typed", ["۰۹۱۲ ۱۲۳ ۴۵۶۷", "+98 912 123 4567", "0912-123-4567"])
def test_the_requests_list_finds_a_mobile_however_it_is_typed(
    office_client, request_meeting, deputy, typed
):
    wanted = request_meeting(mobile="09121234567")
    request_meeting(mobile="09350001122", host=deputy)

    response = office_client.get(
        reverse("admin:appointments_meetingrequest_changelist"), {"q": typed}
    )

    assert list(response.context["cl"].result_list) == [wanted]


# --- reply templates and the unit a request was referred to -------------------------------------


def test_a_decline_reply_template_fills_the_reason_to_edit_and_send(
    office_client, request_meeting, sms_outbox, django_capture_on_commit_callbacks
):
    from appointments.models import ReplyTemplate

    meeting = request_meeting()
    decline = ReplyTemplate.objects.create(
        title="خارج از وظایف", use=ReplyTemplate.Use.DECLINE, text="در حوزه شهرداری نیست."
    )
    ReplyTemplate.objects.create(title="قدیمی", use="decline", text="کهنه", is_active=False)
    ReplyTemplate.objects.create(title="مدارک", use=ReplyTemplate.Use.APPROVE, text="کارت ملی")

    page = office_client.get(change_url(meeting))
    offered = {
        step["form"].action(): [t.title for t in step["templates"]]
        for step in page.context["steps"]
    }
    assert offered["decline"] == ["خارج از وظایف"]
    assert offered["approve"] == ["مدارک"]
    assert offered["refer"] == [] and offered["internal_note"] == []

    picked = office_client.get(change_url(meeting), {"reply_template": decline.pk})
    assert "در حوزه شهرداری نیست.</textarea>" in picked.text
    assert '<details id="step-decline" open>' in picked.text

    with django_capture_on_commit_callbacks(execute=True):
        office_client.post(
            step_url(meeting, "decline"), {"decline-reason": "در حوزه شهرداری نیست. با ۱۲۱."}
        )
    meeting.refresh_from_db()
    assert meeting.status == Status.DECLINED
    declined = next(sms for sms in sms_outbox if sms.kind == "appointment_declined")
    assert "در حوزه شهرداری نیست" in declined.text


@pytest.fixture
def unit_clerk(django_user_model, streets):
    """Staff of the urban-services unit in the unit-staff role."""
    from django.contrib.auth.models import Group

    from desk.roles import UNIT_STAFF

    user = django_user_model.objects.create_user("unit", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=UNIT_STAFF.name))
    streets.staff.add(user)
    return user


def test_unit_staff_see_and_answer_only_the_requests_referred_to_their_unit(
    client, office_clerk, unit_clerk, streets, request_meeting, sms_outbox
):
    from desk.models import Department

    parks = Department.objects.create(name="سازمان پارک‌ها", slug="parks")
    ours = request_meeting(subject="آسفالت کوچه")
    theirs = request_meeting(subject="پارک محله", mobile="09351234567")
    waiting = request_meeting(subject="پروانه", mobile="09361234567")
    services.refer_meeting(ours, department=streets, host=None, actor=office_clerk, note="")
    services.refer_meeting(theirs, department=parks, host=None, actor=office_clerk, note="")
    client.force_login(unit_clerk)

    listed = client.get(REQUESTS).text
    assert "آسفالت کوچه" in listed
    assert "پارک محله" not in listed and "پروانه" not in listed
    assert client.get(change_url(theirs)).status_code == 404
    assert client.get(change_url(waiting)).status_code == 404

    page = client.get(change_url(ours))
    assert next(step["form"].action() for step in page.context["steps"]) == "outcome"
    client.post(step_url(ours, "outcome"), {"outcome-outcome": "آسفالت در برنامه هفته بعد است."})
    ours.refresh_from_db()
    assert ours.outcome == "آسفالت در برنامه هفته بعد است."
