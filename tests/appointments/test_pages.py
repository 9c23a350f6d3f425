"""The citizen's pages: the sessions and the form at /appointments/, the confirmation, the
case page reached through /track/, and cancelling from it."""

import re
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from appointments.forms import choice_value
from appointments.models import MeetingRequest, Status
from desk.text import to_persian_digits

from .conftest import TOMORROW, form_data

pytestmark = pytest.mark.django_db

INDEX = reverse("appointments:index")


def offered_sessions(response):
    return [session for _host, session in response.context["form"].offered.values() if session]


def test_the_sessions_are_offered_in_jalali_with_weekday_names_hours_and_free_places(
    client, make_session, request_meeting
):
    session = make_session(capacity=3)
    request_meeting(session=session)
    response = client.get(INDEX)
    assert response.status_code == 200
    assert "دوشنبه ۹ آذر ۱۴۰۵" in response.text
    assert "۰۹:۰۰ تا ۱۲:۰۰" in response.text
    assert "۲ جای خالی" in response.text
    assert offered_sessions(response) == [session]


def test_the_sessions_list_costs_the_same_queries_for_3_or_12_sessions(
    client, make_session, deputy, django_assert_num_queries
):
    for _ in range(3):
        make_session()
    client.get(INDEX)  # warm the session
    make_session()  # the choice is drawn anew after each change: measure that, not the cache
    with CaptureQueriesContext(connection) as few:
        client.get(INDEX)
    for _ in range(8):
        make_session(host=deputy)
    with django_assert_num_queries(len(few)):
        response = client.get(INDEX)
    assert len(offered_sessions(response)) == 12


def test_a_returning_visitor_gets_the_kept_choice_without_reading_a_session(
    client, session, request_meeting
):
    client.get(INDEX)
    with CaptureQueriesContext(connection) as warm:
        response = client.get(INDEX)
    read = " ".join(query["sql"] for query in warm)
    assert "appointments_" not in read
    assert "۵ جای خالی" in response.text

    request_meeting(session=session)  # one place taken: every process draws the choice anew

    assert "۴ جای خالی" in client.get(INDEX).text


def test_a_request_with_persian_digits_files_and_shows_the_code(client, mayor, session):
    response = client.post(INDEX, form_data(meeting=choice_value(mayor, session)))
    meeting = MeetingRequest.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("appointments:filed", args=[meeting.tracking_code])
    page = client.get(response.url)
    assert meeting.mobile == "09121234567" and meeting.session == session
    assert 'id="tracking-code"' in page.text


def test_leaving_the_session_to_the_office(client, mayor, session):
    client.post(INDEX, form_data(meeting=choice_value(mayor, None)))
    meeting = MeetingRequest.objects.get()
    assert (meeting.host, meeting.session) == (mayor, None)


def test_bad_input_is_shown_in_the_error_summary(client, mayor):
    response = client.post(
        INDEX, form_data(meeting=choice_value(mayor, None), mobile="12345", subject="  ")
    )
    assert response.status_code == 200
    assert "alert-danger" in response.text
    assert set(response.context["form"].errors) == {"mobile", "subject"}
    assert not MeetingRequest.objects.exists()


def test_a_session_that_is_not_offered_cannot_be_posted(client, mayor, make_session):
    closed = make_session(is_published=False)
    response = client.post(INDEX, form_data(meeting=choice_value(mayor, closed)))
    assert "meeting" in response.context["form"].errors
    assert not MeetingRequest.objects.exists()


def test_a_second_open_request_never_shows_the_first_code_but_texts_it_to_its_owner(
    client, mayor, request_meeting, sms_outbox, django_capture_on_commit_callbacks
):
    first = request_meeting()
    sms_outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(INDEX, form_data(meeting=choice_value(mayor, None)))
    assert response.status_code == 200
    persian = first.tracking_code.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    assert first.tracking_code not in response.text
    assert persian not in response.text
    assert "کد رهگیری آن دوباره به همین شماره پیامک شد" in response.text
    assert [m.receiver for m in sms_outbox] == ["09121234567"]
    assert to_persian_digits(first.tracking_code) in sms_outbox[0].text
    assert MeetingRequest.objects.count() == 1
    # Nor can the visitor now open or cancel the request: they hold no tracking session.
    case_page = client.get(reverse("appointments:case", args=[first.tracking_code]))
    assert case_page.url.startswith(reverse("desk:track"))
    client.post(reverse("appointments:cancel", args=[first.tracking_code]), {"reason": "x"})
    first.refresh_from_db()
    assert first.status == Status.PENDING


def test_the_case_page_needs_the_tracking_session(client, request_meeting, open_case):
    meeting = request_meeting()
    url = reverse("appointments:case", args=[meeting.tracking_code])
    assert client.get(url).url.startswith(reverse("desk:track"))
    open_case(client, meeting.tracking_code)
    assert "مشکل پروانه ساختمانی" in client.get(url).text


def test_track_finds_a_meeting_request(client, request_meeting):
    meeting = request_meeting()
    response = client.post(
        reverse("desk:track"), {"code": meeting.tracking_code, "mobile": "09121234567"}
    )
    assert response.url == reverse("appointments:case", args=[meeting.tracking_code])


def test_the_citizen_cancels_from_the_case_page(client, request_meeting, make_session, open_case):
    session = make_session(capacity=1)
    meeting = request_meeting(session=session)
    open_case(client, meeting.tracking_code)
    url = reverse("appointments:cancel", args=[meeting.tracking_code])
    page = client.get(reverse("appointments:case", args=[meeting.tracking_code])).text
    assert f'<form method="post" action="{url}"' in page
    assert "آن را لغو کنید تا نوبت به فرد دیگری برسد." in page
    refused = client.post(url, {"reason": ""})
    assert "reason" in refused.context["cancel_form"].errors
    assert "alert-danger" in refused.text
    response = client.post(url, {"reason": "منصرف شدم"}, follow=True)
    assert "لغو شد" in response.text or "cancelled" in response.text
    meeting.refresh_from_db()
    assert meeting.status == Status.CANCELLED
    assert session.free_places == 1
    assert response.context["cancel_form"] is None


def test_no_cancel_form_once_the_session_has_started(
    client, request_meeting, make_session, open_case, office_clerk
):
    import time_machine

    from .conftest import TEHRAN

    meeting = request_meeting(session=make_session(TOMORROW))
    open_case(client, meeting.tracking_code)
    url = reverse("appointments:case", args=[meeting.tracking_code])
    from datetime import datetime

    with time_machine.travel(datetime(2026, 11, 24, 9, 30, tzinfo=TEHRAN), tick=False):
        assert client.get(url).context["cancel_form"] is None


def test_the_home_page_has_the_card(client, db):
    response = client.get("/")
    assert reverse("appointments:index") in response.text


# --- double submission ----------------------------------------------------------------------


def test_the_form_carries_a_one_time_key(client, mayor):
    html = client.get(INDEX).text

    assert re.search(r'<input[^>]*name="submission_key"[^>]*value="[0-9a-f-]{36}"', html)


def test_the_same_form_posted_twice_files_one_and_shows_its_confirmation(client, mayor, session):
    data = form_data(meeting=choice_value(mayor, session), submission_key=str(uuid.uuid4()))

    first = client.post(INDEX, data)
    second = client.post(INDEX, data)

    meeting = MeetingRequest.objects.get()
    filed = reverse("appointments:filed", args=[meeting.tracking_code])
    assert (first.status_code, second.status_code) == (302, 302)
    assert first.url == second.url == filed
    assert 'id="tracking-code"' in client.get(second.url).text
    assert session.requests.count() == 1


def test_back_and_resubmit_after_taking_the_last_place_shows_the_first(client, mayor, make_session):
    last = make_session(capacity=1)
    data = form_data(meeting=choice_value(mayor, last), submission_key=str(uuid.uuid4()))

    client.post(INDEX, data)
    again = client.post(INDEX, data)  # the session is no longer offered

    meeting = MeetingRequest.objects.get()
    assert again.url == reverse("appointments:filed", args=[meeting.tracking_code])


def test_a_repeated_key_with_another_mobile_does_not_open_the_request(client, mayor):
    key = str(uuid.uuid4())
    client.post(INDEX, form_data(meeting=choice_value(mayor, None), submission_key=key))
    client.cookies.clear()

    response = client.post(
        INDEX,
        form_data(meeting=choice_value(mayor, None), submission_key=key, mobile="09350001122"),
    )

    assert response.status_code == 200
    assert "این فرم پیش‌تر برای درخواست دیگری به کار رفته است" in response.text
    assert MeetingRequest.objects.count() == 1
