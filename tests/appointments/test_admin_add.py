"""Registering a walk-in or phone meeting request in the back office: the same service,
tracking code, event and SMS as on the web; for the add page the three cases: allowed,
forbidden, anonymous."""

import uuid

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from appointments.models import MeetingRequest, Status
from desk.cases.models import Channel
from desk.text import to_persian_digits

from .conftest import TOMORROW

pytestmark = pytest.mark.django_db

ADD = reverse("admin:appointments_meetingrequest_add")


@pytest.fixture
def walk_in(mayor):
    def data(**overrides):
        fields = {
            "citizen_name": "حسن رضایی",
            "mobile": "۰۹۱۳ ۱۱۱ ۲۲۳۳",
            "national_code": "",
            "channel": Channel.WALK_IN,
            "host": mayor.pk,
            "session": "",
            "subject": "پروانه ساختمانی",
            "description": "",
            "submission_key": str(uuid.uuid4()),
        }
        return {**fields, **overrides}

    return data


def test_the_add_page_offers_walk_in_and_phone_only(office_client, session):
    page = office_client.get(ADD)

    assert page.status_code == 200
    form = page.context["adminform"].form
    assert [value for value, _ in form.fields["channel"].choices] == [
        Channel.WALK_IN,
        Channel.PHONE,
    ]
    assert 'name="submission_key"' in page.text
    assert "دوشنبه ۹ آذر ۱۴۰۵" in page.text  # the session, as the citizen's form names it


def test_a_walk_in_request_gets_a_code_an_event_and_an_sms(
    office_client, office_clerk, walk_in, session, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = office_client.post(ADD, walk_in(session=session.pk), follow=True)

    meeting = MeetingRequest.objects.get()
    assert response.redirect_chain[-1][0] == reverse(
        "admin:appointments_meetingrequest_receipt", args=[meeting.pk]
    )
    assert (meeting.channel, meeting.status, meeting.mobile, meeting.session) == (
        Channel.WALK_IN,
        Status.PENDING,
        "09131112233",
        session,
    )
    assert len(meeting.tracking_code) == 12
    event = meeting.events.get()
    assert (event.action, event.actor) == ("request", office_clerk)
    assert [m.receiver for m in sms_outbox] == ["09131112233"]
    assert to_persian_digits(meeting.tracking_code) in sms_outbox[0].text
    messages = [str(m) for m in response.context["messages"]]
    assert any(meeting.tracking_code in m for m in messages)


def test_a_phone_request_is_registered_as_such(office_client, walk_in):
    office_client.post(ADD, walk_in(channel=Channel.PHONE))

    assert MeetingRequest.objects.get().channel == Channel.PHONE


def test_the_web_channel_is_refused(office_client, walk_in):
    response = office_client.post(ADD, walk_in(channel=Channel.WEB))

    assert "channel" in response.context["adminform"].form.errors
    assert not MeetingRequest.objects.exists()


def test_staff_may_book_a_session_outside_the_booking_window(office_client, walk_in, make_session):
    tomorrow = make_session(TOMORROW)  # closes 24 hours before it starts: closed for the web

    office_client.post(ADD, walk_in(session=tomorrow.pk))

    assert MeetingRequest.objects.get().session == tomorrow


def test_a_session_of_another_host_is_refused(office_client, walk_in, make_session, deputy):
    theirs = make_session(host=deputy)

    response = office_client.post(ADD, walk_in(session=theirs.pk))

    assert "session" in response.context["adminform"].form.errors
    assert not MeetingRequest.objects.exists()


def test_what_the_service_refuses_shows_on_the_form(office_client, walk_in, request_meeting):
    first = request_meeting(mobile="09131112233")

    response = office_client.post(ADD, walk_in())

    assert response.status_code == 200
    errors = " ".join(response.context["adminform"].form.non_field_errors())
    assert "درخواست باز" in errors
    assert first.tracking_code not in errors
    assert "پروانه ساختمانی" in response.text
    assert MeetingRequest.objects.count() == 1


def test_a_full_session_is_refused_on_the_form(
    office_client, walk_in, make_session, request_meeting
):
    full = make_session(capacity=1)
    request_meeting(session=full)

    response = office_client.post(ADD, walk_in(session=full.pk))

    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors()
    assert MeetingRequest.objects.count() == 1


def test_the_same_form_posted_twice_registers_one_request(office_client, walk_in):
    data = walk_in()

    first = office_client.post(ADD, data)
    second = office_client.post(ADD, data)

    meeting = MeetingRequest.objects.get()
    assert first["Location"] == second["Location"]
    assert first["Location"].endswith(f"/{meeting.pk}/receipt/")


def test_save_and_add_another_comes_back_to_an_empty_form(office_client, walk_in):
    response = office_client.post(ADD, {**walk_in(), "_addanother": "1"})

    assert response["Location"] == ADD
    assert MeetingRequest.objects.count() == 1


def test_staff_without_the_permission_cannot_register(outsider_client, walk_in):
    assert outsider_client.get(ADD).status_code == 403
    assert outsider_client.post(ADD, walk_in()).status_code == 403
    assert not MeetingRequest.objects.exists()


def test_anonymous_visitors_are_sent_to_the_login_page(client, walk_in):
    response = client.post(ADD, walk_in())

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
    assert not MeetingRequest.objects.exists()


def test_a_submission_key_of_another_case_never_returns_that_case(
    office_client, walk_in, request_meeting
):
    key = uuid.uuid4()
    theirs = request_meeting(mobile="09121234567", submission_key=key)

    response = office_client.post(ADD, walk_in(submission_key=str(key)))

    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors()
    assert theirs.tracking_code not in response.text
    assert MeetingRequest.objects.count() == 1
    assert not LogEntry.objects.exists()


def test_a_web_forms_key_with_the_same_mobile_is_refused_at_the_desk(
    office_client, walk_in, request_meeting
):
    key = uuid.uuid4()
    theirs = request_meeting(mobile="09131112233", submission_key=key)

    response = office_client.post(ADD, walk_in(submission_key=str(key)))

    assert response.status_code == 200
    assert theirs.tracking_code not in response.text
    assert not LogEntry.objects.exists()
