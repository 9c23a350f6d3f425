"""Fuzzing what every page shares: query strings, cookies and declared charsets on the public
pages, the language switch (/i18n/setlang/), and mistyped case links."""

from urllib.parse import quote, urlsplit

import pytest
from django.conf import settings
from hypothesis import given
from hypothesis import strategies as st

from .conftest import (
    CHARSET_PARAMETERS,
    CHARSETS,
    EXTRA_FIELD_NAMES,
    NASTY_PARAMETERS,
    PERSIAN_LETTERS,
    QUERIES,
    RAW_BYTES,
    assert_markup_escaped,
    assert_no_server_error,
    assert_refused_in_persian,
    call_wsgi,
    describe,
    fuzz,
    hostile_text,
    isolated_example,
    multipart_body,
    post_form,
    raw_query,
    row_counts,
    served,
    stored_since,
    typed_codes,
    visible_text,
)

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["/", "/track/", "/contacts/", "/appointments/", "/complaints/new/"]
# A header is bytes, which WSGI hands over as latin-1 code points: a cookie holds those, and
# UTF-8 text arrives as its bytes (the test client quotes what a cookie may not hold).
COOKIE_VALUES = st.one_of(
    st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF), max_size=40),
    hostile_text().map(lambda text: text[:200].encode().decode("latin-1")),
)


@fuzz()
@given(
    page=st.sampled_from(PUBLIC_PAGES),
    query=st.dictionaries(EXTRA_FIELD_NAMES, st.lists(hostile_text(), max_size=2), max_size=3),
    raw=st.none() | RAW_BYTES,
    cookies=st.dictionaries(
        st.sampled_from(
            [settings.LANGUAGE_COOKIE_NAME, settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME]
        ),
        COOKIE_VALUES.filter(lambda value: value.strip() != "en"),
    ),
)
def test_every_public_page_answers_any_query_and_cookie_in_persian(page, query, raw, cookies):
    with isolated_example() as client:
        for name, value in cookies.items():
            client.cookies[name] = value
        before = row_counts()
        if raw is None:
            request = describe("GET", page, query, cookies=cookies)
            response = client.get(page, query)
        else:
            request = describe("GET", page, QUERY_STRING=raw, cookies=cookies)
            response = client.get(page, QUERY_STRING=raw_query(raw))

        assert_no_server_error(response, request)
        assert response.status_code == 200, request
        assert PERSIAN_LETTERS.search(visible_text(response.text)), request
        assert_markup_escaped(response)
        assert stored_since(before) == {}


@fuzz()
@given(
    page=st.sampled_from(PUBLIC_PAGES),
    content_type=st.sampled_from(["text/plain", "application/x-www-form-urlencoded", "text/html"]),
    charset=CHARSETS,
    parameter=CHARSET_PARAMETERS,
    query=QUERIES,
)
def test_every_public_page_answers_a_request_that_declares_any_charset(
    page, content_type, charset, parameter, query
):
    """A GET with a Content-Type header (some proxies and scripts send one) in any charset,
    even one that is not a text encoding (base64, rot13), is never a server error."""
    header = f"{content_type}; {parameter.format(charset)}"
    url = f"{page}?{query}" if query else page
    with isolated_example(), served() as browser:
        response = browser.get(url, headers={"Content-Type": header})
        request = describe("GET", url, content_type=header)

        assert_no_server_error(response, request)
        if response.status_code != 200:
            assert_refused_in_persian(response, request)


@fuzz()
@given(
    language=st.lists(st.one_of(st.sampled_from(["fa", "en"]), hostile_text()), max_size=2),
    next_url=st.lists(
        st.one_of(
            st.sampled_from(
                [
                    "/",
                    "/track/",
                    "//evil.example/",
                    "https://evil.example/",
                    "/\\evil.example",
                    "javascript:alert(1)",
                    "\\\\evil.example",
                    "/%0a/evil.example",
                ]
            ),
            hostile_text(),
        ),
        max_size=2,
    ),
)
def test_the_language_switch_never_fails_and_never_leaves_the_site(language, next_url):
    form = {"language": language, "next": next_url}
    with isolated_example() as client:
        response = client.post("/i18n/setlang/", form)
        request = describe("POST", "/i18n/setlang/", form)

        assert_no_server_error(response, request)
        if response.status_code in (301, 302, 303):
            # Browsers drop leading spaces and controls and read a backslash as a slash.
            location = response["Location"].lstrip("".join(map(chr, range(33)))).replace("\\", "/")
            parts = urlsplit(location)
            assert not parts.scheme and not parts.netloc, f"{response['Location']!r}: {request}"
        else:
            assert response.status_code in (200, 204, 400), request


@fuzz()
@given(
    app=st.sampled_from(["complaints", "appointments"]),
    segment=st.one_of(
        typed_codes(), hostile_text().filter(bool), st.binary(min_size=1, max_size=20)
    ),
    tail=st.sampled_from(["", "filed/", "info/", "reopen/", "cancel/", "files/1/"]),
)
def test_a_mistyped_case_link_leads_to_the_tracking_page_or_a_persian_not_found(app, segment, tail):
    quoted = quote(segment, safe="")[:3000]
    path = f"/{app}/{quoted}/{tail}"
    with isolated_example() as client:
        response = client.get(path)
        request = describe("GET", path)

        assert_no_server_error(response, request)
        if response.status_code in (301, 302):
            assert response["Location"].startswith(("/track/?code=", f"/{app}/")), request
        else:
            assert response.status_code in (404, 405), request
            if response.status_code == 404:
                assert_refused_in_persian(response, request)


FORM_PAGES = ["/track/", "/complaints/new/", "/appointments/", "/i18n/setlang/"]


@fuzz(ci_examples=12)
@given(
    page=st.sampled_from(FORM_PAGES),
    fields=st.integers(min_value=1_001, max_value=3_000),
    value_size=st.sampled_from([1, 3_000]),
    encoding=st.sampled_from(["multipart", "urlencoded"]),
)
def test_a_form_with_too_many_fields_or_too_much_text_is_refused_in_persian(
    page, fields, value_size, encoding
):
    """More fields than Django reads (1000) or more text than it holds in memory (2 MB): a
    Persian 400, never a server error, and nothing stored."""
    form = {f"f{n}": ["ب" * value_size] for n in range(fields)}
    with isolated_example() as client:
        before = row_counts()
        response = post_form(client, page, form, encoding=encoding)
        request = describe("POST", page, f"{fields} fields of {value_size} letters", enc=encoding)

        assert_no_server_error(response, request)
        assert response.status_code == 400, request
        assert_refused_in_persian(response, request)
        assert stored_since(before) == {}


@fuzz()
@given(
    page=st.sampled_from(PUBLIC_PAGES),
    host=st.one_of(
        st.sampled_from(["evil.example", "127.0.0.1:1@evil", "", "[::1", "127.0.0.1\\x"]),
        st.text(st.characters(min_codepoint=0x21, max_codepoint=0xFF), max_size=30),
    ),
)
def test_a_request_for_another_host_name_is_refused_in_persian(page, host):
    with isolated_example() as client:
        response = client.get(page, HTTP_HOST=host)
        request = describe("GET", page, host=host)

        assert_no_server_error(response, request)
        if response.status_code != 200:
            assert response.status_code == 400, request
            assert_refused_in_persian(response, request)


# What gunicorn hands over: the path percent-decoded, so any bytes (as latin-1 text); the query
# string as sent, printable ASCII; header values without control characters (it answers 400 to
# those itself). Text, and escapes such as %00, within those limits.
LATIN1_TEXT = st.binary(max_size=60).map(lambda data: data.decode("latin-1"))
HEADER_TEXT = st.text(
    st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f"), max_size=60
)
QUERY_TEXT = st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), max_size=60)
MEDIA_TYPES = st.sampled_from(
    [
        "application/x-www-form-urlencoded",
        "multipart/form-data",
        "text/plain",
        "application/json",
        "",
        "garbage",
    ]
)
PARAMETER_NAMES = st.sampled_from(
    ["charset", "charset*", "charset*0", "charset*1*", "boundary", "boundary*", "x*", "q"]
)
PARAMETER_VALUES = st.one_of(
    CHARSETS,
    st.builds(
        lambda charset, value: f"{charset}''{value}",
        CHARSETS,
        st.sampled_from(["%41", "%FF%FE", "%00", "a%0Ab", "x", ""]),
    ),
    HEADER_TEXT,
)


@st.composite
def content_types(draw) -> str:
    parameters = draw(st.lists(st.tuples(PARAMETER_NAMES, PARAMETER_VALUES), max_size=3))
    written = [f"{name}={value}" for name, value in parameters]
    nasty = draw(st.lists(st.sampled_from(NASTY_PARAMETERS), max_size=1))
    return "; ".join([draw(MEDIA_TYPES), *written, *nasty])


@fuzz(ci_examples=150)  # a few milliseconds each: more of them, for the rarer headers
@given(
    method=st.sampled_from(["GET", "POST", "HEAD", "PUT", "OPTIONS", "PATCH", "FOO"]),
    path=st.one_of(
        st.sampled_from([*PUBLIC_PAGES, "/i18n/setlang/"]), LATIN1_TEXT.map("/".__add__)
    ),
    query=st.one_of(QUERIES, QUERY_TEXT),
    content_type=content_types(),
    body=st.one_of(
        RAW_BYTES,
        st.just(b"code=1&mobile=2"),
        st.sampled_from(["", *NASTY_PARAMETERS]).map(
            lambda extra: multipart_body({"code": ["1"]}, charset="utf-8", raw=b"", extra=extra)
        ),
    ),
    length=st.sampled_from(["exact", "0", "more", "less"]),
    cookie=HEADER_TEXT,
)
def test_any_request_a_server_can_hand_over_is_answered_without_a_server_error(
    method, path, query, content_type, body, length, cookie
):
    """Through the WSGI application gunicorn serves, with the path, query and headers as
    gunicorn passes them on. Only a Content-Length of digits: gunicorn refuses any other (and
    control characters in a header) with a 400 before the portal sees the request."""
    content_length = {
        "exact": len(body),
        "0": 0,
        "more": len(body) + 100,
        "less": max(len(body) - 1, 0),
    }[length]
    meta = {"CONTENT_TYPE": content_type, "CONTENT_LENGTH": str(content_length)}
    if cookie:
        meta["HTTP_COOKIE"] = cookie
    request = describe(method, path, body, query=query, **meta)
    with isolated_example():
        response = call_wsgi(method, path, query=query, body=body, **meta)

        assert_no_server_error(response, request)
        if response.status_code in (400, 403, 404) and method != "HEAD":
            assert_refused_in_persian(response, request)
