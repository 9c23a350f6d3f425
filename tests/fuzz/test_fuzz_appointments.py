"""Fuzzing the meeting forms: requesting a meeting with the mayor (/appointments/) and
cancelling it on the case page. The clock stands at Monday 2 Azar 1405, 09:00 in Tehran, a
week before the mayor's session."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from hypothesis import given
from hypothesis import strategies as st

from appointments import services
from appointments.forms import choice_value
from appointments.models import MeetingRequest, Status
from desk.tracking import SESSION_KEY

from .conftest import (
    ACCEPTED_SCRIPTS,
    FRESH_KEY,
    SCRIPT_CHOICES,
    assert_filed_once_or_refused,
    assert_markup_escaped,
    assert_no_server_error,
    assert_pages_show,
    assert_refused_in_persian,
    bodies_in_charsets,
    describe,
    fuzz,
    hostile_text,
    is_redirect_to,
    isolated_example,
    mutated_forms,
    post_form,
    row_counts,
    served,
    stored_since,
    typed_mobiles,
    typed_national_codes,
    with_fresh_key,
)

pytestmark = pytest.mark.django_db

INDEX = "/appointments/"
FILED = r"/appointments/([0-9]{12})/filed/"
NUMBER_FIELDS = ("mobile", "national_code", "meeting")
MONDAY_2_AZAR_1405 = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Asia/Tehran"))


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(MONDAY_2_AZAR_1405, tick=False):
        yield


def typed(mayor, session, **overrides) -> dict[str, str]:
    """What Maryam types into the form."""
    return {
        "meeting": choice_value(mayor, session),
        "subject": "مشکل پروانه ساختمانی",
        "description": "پروانه ساختمانی پلاک ۱۲ سه ماه است صادر نشده.",
        "citizen_name": "مریم احمدی",
        "mobile": "09121234567",
        "national_code": "",
        "submission_key": FRESH_KEY,
        **overrides,
    }


def single(form: dict[str, str]) -> dict[str, list[str]]:
    return with_fresh_key({name: [value] for name, value in form.items()})


@fuzz()
@given(data=st.data(), encoding=st.sampled_from(["multipart", "urlencoded"]))
def test_any_request_is_filed_once_or_refused_in_persian(mayor, session, data, encoding):
    form = with_fresh_key(data.draw(mutated_forms(typed(mayor, session), NUMBER_FIELDS), "form"))
    with isolated_example() as client:
        before = row_counts()
        response = post_form(client, INDEX, form, encoding=encoding)
        request = describe("POST", INDEX, form, encoding=encoding)

        meeting = assert_filed_once_or_refused(
            response, before, request, model=MeetingRequest, filed_url=FILED, form=form
        )
        assert_markup_escaped(response)
        if meeting is not None:
            case = f"/appointments/{meeting.tracking_code}/"
            assert_pages_show(client, f"{case}filed/", case)


@fuzz(ci_examples=40)
@given(
    data=st.data(),
    mobile_scripts=SCRIPT_CHOICES,
    national_code_scripts=SCRIPT_CHOICES,
    with_national_code=st.booleans(),
)
def test_numbers_typed_with_persian_arabic_or_latin_digits_are_stored_in_ascii(
    mayor, session, data, mobile_scripts, national_code_scripts, with_national_code
):
    """…and numbers typed with digits of any other script are refused, in Persian."""
    mobile = data.draw(typed_mobiles(mobile_scripts), label="mobile")
    national_code = data.draw(typed_national_codes(national_code_scripts), label="national code")
    form = single(
        typed(
            mayor,
            session,
            mobile=mobile.typed,
            national_code=national_code.typed if with_national_code else "",
        )
    )
    with isolated_example() as client:
        before = row_counts()
        response = client.post(INDEX, form)
        request = describe("POST", INDEX, form)

        meeting = assert_filed_once_or_refused(
            response, before, request, model=MeetingRequest, filed_url=FILED, form=form
        )
        should_file = mobile.canonical is not None and (
            not with_national_code or national_code.canonical is not None
        )
        assert (meeting is not None) == should_file, request
        if meeting is not None:
            assert meeting.mobile == mobile.canonical
            assert meeting.session == session


@fuzz(ci_examples=20)
@given(first=typed_mobiles(ACCEPTED_SCRIPTS), again=typed_mobiles(ACCEPTED_SCRIPTS))
def test_a_request_sent_twice_files_one_request(mayor, session, first, again):
    """Sent again with the same mobile typed another way: the same request. With another
    mobile (a key copied from someone else's form): refused in Persian, their request unseen."""
    form = single(typed(mayor, session, mobile=first.typed))
    with isolated_example() as client:
        before = row_counts()
        filed = is_redirect_to(client.post(INDEX, form), FILED)
        assert filed, f"Maryam's request was not filed: {form}"
        resent = {**form, "mobile": [again.typed]}
        response = client.post(INDEX, resent)
        request = describe("POST", INDEX, resent)

        assert_no_server_error(response, request)
        assert stored_since(before)["MeetingRequest"] == 1, request
        if again.canonical == first.canonical:
            assert is_redirect_to(response, FILED)[1] == filed[1], request
        else:
            assert response.status_code in (200, 403), request
            assert_refused_in_persian(response, request)
            assert filed[1].encode() not in response.content


@fuzz(ci_examples=25)
@given(data=st.data())
def test_a_request_in_any_charset_is_filed_once_or_refused_in_persian(mayor, session, data):
    content_type, body, query = data.draw(
        bodies_in_charsets(single(typed(mayor, session))), label="request"
    )
    url = f"{INDEX}?{query}" if query else INDEX
    with isolated_example(), served() as browser:
        before = row_counts()
        response = browser.post(url, content=body, headers={"Content-Type": content_type})
        request = describe("POST", url, body, content_type=content_type)

        assert_filed_once_or_refused(
            response, before, request, model=MeetingRequest, filed_url=FILED
        )


@fuzz(ci_examples=25)
@given(
    reasons=st.lists(hostile_text(), max_size=2),
    encoding=st.sampled_from(["multipart", "urlencoded"]),
)
def test_cancelling_cancels_once_or_is_refused_in_persian(mayor, session, reasons, encoding):
    with isolated_example() as client:
        meeting = services.request_meeting(
            host=mayor,
            session=session,
            subject="مشکل پروانه ساختمانی",
            citizen_name="مریم احمدی",
            mobile="09121234567",
        )
        browser_session = client.session
        browser_session[SESSION_KEY] = [meeting.tracking_code]
        browser_session.save()
        client.cookies[settings.SESSION_COOKIE_NAME] = browser_session.session_key
        page = f"/appointments/{meeting.tracking_code}/"
        before = row_counts()
        form = {"reason": reasons} if reasons else {}
        response = post_form(client, page + "cancel/", form, encoding=encoding)
        request = describe("POST", page + "cancel/", form, encoding=encoding)

        assert_no_server_error(response, request)
        stored = stored_since(before)
        meeting.refresh_from_db()
        if is_redirect_to(response, page):
            assert meeting.status == Status.CANCELLED, request
            assert stored.get("MeetingRequestEvent") == 1, request
            assert "MeetingRequest" not in stored
            assert_pages_show(client, page)
        else:
            assert response.status_code == 200, request
            assert_refused_in_persian(response, request)
            assert stored == {}, f"a refused request stored {stored}: {request}"
            assert meeting.status == Status.PENDING
        assert_markup_escaped(response)
