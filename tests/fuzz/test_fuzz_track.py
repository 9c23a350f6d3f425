"""Fuzzing the tracking look-up: /track/?code=… from an SMS link, and the code with the mobile."""

import pytest
from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from complaints import services
from complaints.models import Kind
from desk.tracking import SESSION_KEY

from .conftest import (
    ACCEPTED_SCRIPTS,
    PERSIAN_LETTERS,
    RAW_BYTES,
    SCRIPT_CHOICES,
    assert_markup_escaped,
    assert_no_server_error,
    assert_refused_in_persian,
    bodies_in_charsets,
    canonical_code,
    canonical_mobile,
    describe,
    fuzz,
    has_foreign_digits,
    hostile_text,
    is_redirect_to,
    isolated_example,
    last,
    mutated_forms,
    post_form,
    rate_limit_settings,
    raw_query,
    row_counts,
    served,
    stored_since,
    typed_codes,
    typed_mobiles,
    visible_text,
)

pytestmark = pytest.mark.django_db

MOBILE = "09121234567"


@pytest.fixture
def filed(potholes) -> str:
    """The tracking code of Maryam's complaint, filed with MOBILE."""
    complaint = services.submit_complaint(
        kind=Kind.COMPLAINT,
        category=potholes,
        subject="چاله بزرگ در خیابان امام",
        description="چاله‌ای عمیق جلوی پلاک ۱۲.",
        citizen_name="مریم احمدی",
        mobile=MOBILE,
    )
    return complaint.tracking_code


def tracked(client) -> list[str]:
    return client.session.get(SESSION_KEY, [])


@fuzz()
@given(
    codes=st.lists(st.one_of(typed_codes(), hostile_text()), max_size=3),
    raw=st.none() | RAW_BYTES,
)
def test_a_link_with_any_code_shows_the_tracking_form_in_persian(codes, raw):
    with isolated_example() as client:
        before = row_counts()
        if raw is None:
            request = describe("GET", "/track/", {"code": codes})
            response = client.get("/track/", {"code": codes})
        else:
            request = describe("GET", "/track/", QUERY_STRING=b"code=" + raw)
            response = client.get("/track/", QUERY_STRING=raw_query(b"code=" + raw))

        assert_no_server_error(response, request)
        assert response.status_code == 200, request
        assert PERSIAN_LETTERS.search(visible_text(response.text)), request
        assert_markup_escaped(response)
        assert stored_since(before) == {}


@fuzz()
@given(
    form=mutated_forms({"code": "<the code>", "mobile": MOBILE}, number_fields=("code", "mobile")),
    encoding=st.sampled_from(["multipart", "urlencoded"]),
)
def test_any_code_and_mobile_opens_the_case_only_when_both_are_right(filed, form, encoding):
    form = {
        name: [filed if value == "<the code>" else value for value in values]
        for name, values in form.items()
    }
    with isolated_example() as client:
        before = row_counts()
        response = post_form(client, "/track/", form, encoding=encoding)
        request = describe("POST", "/track/", form, encoding=encoding)

        assert_no_server_error(response, request)
        if is_redirect_to(response, rf"/complaints/{filed}/"):
            assert canonical_code(last(form, "code") or "") == filed, request
            assert canonical_mobile(last(form, "mobile") or "") == MOBILE, request
            assert tracked(client) == [filed]
        else:
            assert response.status_code == 200, request
            assert_refused_in_persian(response, request)
            assert tracked(client) == []
        assert_markup_escaped(response)
        assert stored_since(before) == {}


@fuzz()
@given(data=st.data(), code_scripts=SCRIPT_CHOICES, mobile_scripts=SCRIPT_CHOICES)
def test_the_code_and_mobile_typed_with_persian_arabic_or_latin_digits_open_the_case(
    filed, data, code_scripts, mobile_scripts
):
    """…and typed with digits of any other script (Devanagari, fullwidth, superscript,
    circled…) they are refused in Persian, never a server error."""
    code = data.draw(typed_codes(filed, code_scripts), label="code")
    mobile = data.draw(typed_mobiles(mobile_scripts), label="mobile").typed
    with isolated_example() as client:
        response = client.post("/track/", {"code": code, "mobile": mobile})
        request = describe("POST", "/track/", {"code": code, "mobile": mobile})

        assert_no_server_error(response, request)
        right_mobile = canonical_mobile(mobile) == MOBILE
        if has_foreign_digits(code) or has_foreign_digits(mobile) or not right_mobile:
            assert response.status_code == 200, request
            assert_refused_in_persian(response, request)
            assert tracked(client) == []
        else:
            assert is_redirect_to(response, rf"/complaints/{filed}/"), request
            assert tracked(client) == [filed]


@fuzz()
@given(
    code=typed_codes(scripts=("superscript", "circled", "subscript", "ascii")),
    mobile=typed_mobiles(ACCEPTED_SCRIPTS),
)
def test_a_code_with_superscript_or_circled_digits_is_a_typing_error_not_a_server_error(
    code, mobile
):
    with isolated_example() as client:
        response = client.post("/track/", {"code": code, "mobile": mobile.typed})
        request = describe("POST", "/track/", {"code": code, "mobile": mobile.typed})

        assert_no_server_error(response, request)
        assert response.status_code == 200, request
        assert_refused_in_persian(response, request)


@fuzz(ci_examples=15)
@given(code=typed_codes(scripts=ACCEPTED_SCRIPTS), mobile=typed_mobiles(ACCEPTED_SCRIPTS))
def test_past_the_rate_limit_a_look_up_is_refused_in_persian(code, mobile):
    with isolated_example() as client, override_settings(**rate_limit_settings(1, "track")):
        client.post("/track/", {"code": code, "mobile": mobile.typed})
        response = client.post("/track/", {"code": code, "mobile": mobile.typed})
        request = describe("POST", "/track/", {"code": code, "mobile": mobile.typed})

        assert response.status_code == 429, request
        assert_refused_in_persian(response, request)
        assert tracked(client) == []


@fuzz(ci_examples=25)
@given(data=st.data())
def test_a_look_up_in_any_charset_is_never_a_server_error(filed, data):
    content_type, body, query = data.draw(
        bodies_in_charsets({"code": [filed], "mobile": [MOBILE]}), label="request"
    )
    url = f"/track/?{query}" if query else "/track/"
    with isolated_example(), served() as browser:
        before = row_counts()
        response = browser.post(url, content=body, headers={"Content-Type": content_type})
        request = describe("POST", url, body, content_type=content_type)

        assert_no_server_error(response, request)
        if not is_redirect_to(response, rf"/complaints/{filed}/"):
            assert_refused_in_persian(response, request)
        assert stored_since(before) == {}
