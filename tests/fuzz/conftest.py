"""Property-based fuzzing of every public page, form and query string, with hypothesis.

Each test sends what no polite browser sends — any Unicode text, digits of every script,
control characters, huge and empty values, a field twice or not at all, a wrong charset, raw
non-UTF-8 bytes — and checks what a citizen would notice:

- never a server error;
- a refusal (the form again with its errors, a 400, 403, 404 or 429) speaks Persian, never
  Django's English ("This field is required.", "Enter a valid…", "Bad Request (400)");
- a refused request stores nothing, and an accepted filing stores exactly one case, with its
  numbers as ASCII digits (09121234567): a number typed with digits other than ASCII, Persian
  or Arabic-Indic (Devanagari ७, fullwidth ７, superscript ², circled ①…) is refused.

Profiles, chosen by HYPOTHESIS_PROFILE: "ci" (the default) tries a few dozen examples per
test, derandomised so that CI is reproducible; "deep" tries 500, randomly, for a fuzzing
session by hand:

    HYPOTHESIS_PROFILE=deep .venv/bin/python -m pytest tests/fuzz

On PostgreSQL (NUL is refused in its text columns) with Redis, as CI runs the suite:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/desk REDIS_URL=redis://127.0.0.1:6379/1 \
        .venv/bin/python -m pytest tests/fuzz

The test client builds Django's request itself; what a WSGI server hands to the application
(`config.wsgi`, with what wraps it) is tested through `served()` and `call_wsgi()`.

Every example runs in its own savepoint, rolled back at its end, with an empty cache and a new
browser (`isolated_example`), so that examples never see each other's cases or rate limits.
"""

import html
import io
import os
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, time
from functools import cache
from urllib.parse import urlencode

import httpx
import pytest
from django.conf import settings as django_settings
from django.core import signals
from django.core.cache import cache as django_cache
from django.db import close_old_connections, transaction
from django.test import Client
from django.utils import translation
from hypothesis import HealthCheck, Phase, event
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from appointments.models import Host, MeetingRequest, MeetingRequestEvent, MeetingSession
from complaints.models import Complaint, ComplaintAttachment, ComplaintCategory, ComplaintEvent
from contacts.models import Contact
from desk import codes
from desk.models import Department, SmsMessage, TrackingCode
from desk.sms import backends as sms_backends
from processes.models import (
    RequestDocument,
    ServiceRequest,
    ServiceRequestAttachment,
    ServiceRequestEvent,
)

# --- hypothesis profiles ------------------------------------------------------------------------

# Each example gets a fresh savepoint, cache and client (isolated_example), so the
# function-scoped fixtures they share (the category, the host…) are only read.
HEALTH_CHECKS = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")

# No example database: "ci" must find the same examples on every machine, and a failure found
# by "deep" belongs in a test as an explicit example. (Hypothesis still keeps a cache of its own
# in .hypothesis/, which it git-ignores itself.)
hypothesis_settings.register_profile(
    "ci",
    max_examples=25,
    # No "explain" phase: it replays a failure many times to list the lines it ran, which
    # doubles a failing run; the minimal example and its traceback say enough.
    phases=[Phase.explicit, Phase.generate, Phase.target, Phase.shrink],
    derandomize=True,
    deadline=None,
    database=None,
    print_blob=False,
    suppress_health_check=HEALTH_CHECKS,
)
hypothesis_settings.register_profile(
    "deep",
    max_examples=500,
    deadline=None,
    database=None,
    suppress_health_check=HEALTH_CHECKS,
)
hypothesis_settings.load_profile(PROFILE)


def fuzz(ci_examples: int | None = None) -> hypothesis_settings:
    """A test's hypothesis settings: the profile's number of examples, or `ci_examples` in the
    "ci" profile for the slower pages, so that the whole folder stays under a minute."""
    examples = hypothesis_settings.default.max_examples
    if PROFILE == "ci" and ci_examples is not None:
        examples = ci_examples
    return hypothesis_settings(
        max_examples=examples, deadline=None, suppress_health_check=HEALTH_CHECKS
    )


# --- digits of every script ---------------------------------------------------------------------

DIGITS = {
    "ascii": "0123456789",
    "persian": "۰۱۲۳۴۵۶۷۸۹",
    "arabic": "٠١٢٣٤٥٦٧٨٩",
    "devanagari": "०१२३४५६७८९",
    "fullwidth": "０１２３４５６７８９",
    "bengali": "০১২৩৪৫৬৭৮৯",
    "math_bold": "𝟎𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗",
    "superscript": "⁰¹²³⁴⁵⁶⁷⁸⁹",
    "subscript": "₀₁₂₃₄₅₆₇₈₉",
    "circled": "⓪①②③④⑤⑥⑦⑧⑨",
}
# The digits of the keyboards citizens use: the only ones a number may be typed with.
ACCEPTED_SCRIPTS = ("ascii", "persian", "arabic")
FOREIGN_SCRIPTS = tuple(name for name in DIGITS if name not in ACCEPTED_SCRIPTS)
_TO_ASCII = str.maketrans(DIGITS["persian"] + DIGITS["arabic"], DIGITS["ascii"] * 2)
ACCEPTED_DIGITS = frozenset("".join(DIGITS[name] for name in ACCEPTED_SCRIPTS))


def has_foreign_digits(typed: str) -> bool:
    """True when `typed` has a digit or numeric sign a correct portal must refuse."""
    return any(char.isnumeric() and char not in ACCEPTED_DIGITS for char in typed)


def ascii_digits(typed: str) -> str:
    """The ASCII, Persian and Arabic-Indic digits of `typed`, as ASCII; nothing else."""
    return "".join(char for char in typed.translate(_TO_ASCII) if char in "0123456789")


def canonical_mobile(typed: str) -> str | None:
    """The stored form 09xxxxxxxxx a correct portal keeps for `typed`, or None when it must
    refuse it. Written independently of desk.text, from what citizens type."""
    if has_foreign_digits(typed):
        return None
    digits = ascii_digits(typed)
    for prefix in ("0098", "98", "0"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 10:
            digits = digits[len(prefix) :]
            break
    return "0" + digits if re.fullmatch("9[0-9]{9}", digits) else None


def canonical_national_code(typed: str) -> str | None:
    if has_foreign_digits(typed):
        return None
    code = ascii_digits(typed).zfill(10)
    return code if len(code) == 10 and _national_code_checks(code) else None


def _national_code_checks(code: str) -> bool:
    total = sum(int(code[i]) * (10 - i) for i in range(9)) % 11
    return int(code[9]) == (total if total < 2 else 11 - total)


def national_code_for(nine: str) -> str:
    """The valid national code that starts with these nine digits."""
    total = sum(int(nine[i]) * (10 - i) for i in range(9)) % 11
    return nine + str(total if total < 2 else 11 - total)


# --- strategies ---------------------------------------------------------------------------------

# Every code point but the surrogates (a lone surrogate cannot be sent as UTF-8 at all).
ANY_CHARACTER = st.characters(exclude_categories=("Cs",))
CONTROL_CHARACTERS = st.one_of(
    st.characters(max_codepoint=0x1F),
    st.sampled_from("\x7f\x85\x9b\u200b\u200c\u200e\u200f\u202e\u2028\u2066\ufeff\ufffe\uffff"),
)
ANY_DIGIT = st.sampled_from("".join(DIGITS.values()))
# Written into every text field now and then: must come back escaped, never as markup.
MARKUP = '"><script>alert(1)</script><img src=x onerror=alert(2)>'


def huge_text() -> st.SearchStrategy[str]:
    """Tens of thousands of characters, built by repetition: cheap to generate."""
    return st.builds(
        lambda unit, times: unit * times,
        st.text(ANY_CHARACTER, min_size=1, max_size=3),
        st.integers(min_value=10_000, max_value=30_000),
    )


def hostile_text() -> st.SearchStrategy[str]:
    return st.one_of(
        st.just(""),
        st.text(ANY_CHARACTER, max_size=40),
        st.text(st.one_of(ANY_DIGIT, CONTROL_CHARACTERS, st.sampled_from(" -+()۰٠")), max_size=24),
        st.text(CONTROL_CHARACTERS, min_size=1, max_size=8),
        st.just(MARKUP),
        st.sampled_from(["\x00", "09\x0012", "\x00" * 3, "%00"]),
        huge_text(),
    )


@dataclass(frozen=True)
class TypedNumber:
    """A number as a citizen (or an attacker) typed it, and what must be stored for it."""

    typed: str
    canonical: str | None  # None: the portal must refuse it

    def __repr__(self) -> str:
        return f"TypedNumber({self.typed!r} → {self.canonical!r})"


@st.composite
def digits_typed(draw, ascii_number: str, scripts: tuple[str, ...]) -> str:
    """`ascii_number` with its digits in `scripts`: all in one, the start in the first and the
    rest in another (a 09 typed by hand before a pasted number), or each in any of them."""
    how = draw(st.sampled_from(["one script", "two halves", "mixed"]))
    if how == "one script":
        script = draw(st.sampled_from(scripts))
        return ascii_number.translate(str.maketrans("0123456789", DIGITS[script]))
    if how == "two halves":
        cut = draw(st.integers(min_value=1, max_value=len(ascii_number)))
        rest = str.maketrans("0123456789", DIGITS[draw(st.sampled_from(scripts))])
        start = str.maketrans("0123456789", DIGITS[scripts[0]])
        return ascii_number[:cut].translate(start) + ascii_number[cut:].translate(rest)
    return "".join(
        DIGITS[draw(st.sampled_from(scripts))][int(char)] if char.isdigit() else char
        for char in ascii_number
    )


@st.composite
def typed_mobiles(draw, scripts: tuple[str, ...] = tuple(DIGITS)) -> TypedNumber:
    """A real Iranian mobile number, with a prefix (0, +98, 0098, 98 or none), separators
    and digits of `scripts`."""
    body = "9" + draw(st.text(st.sampled_from("0123456789"), min_size=9, max_size=9))
    prefix = draw(st.sampled_from(["0", "+98", "0098", "98", "", "+98 ", "(0"]))
    grouped = draw(
        st.sampled_from(
            [
                body,
                f"{body[:3]} {body[3:6]} {body[6:]}",
                f"{body[:3]}-{body[3:6]}-{body[6:]}",
                f"{body[:3]}) {body[3:]}",
            ]
        )
    )
    if prefix == "(0" and not grouped.startswith(body[:3] + ")"):
        prefix = "0"
    typed = draw(digits_typed(prefix + grouped, scripts))
    typed = draw(st.sampled_from(["{}", " {} ", "{}\n"])).format(typed)
    return TypedNumber(typed, canonical_mobile(typed))


@st.composite
def typed_national_codes(draw, scripts: tuple[str, ...] = tuple(DIGITS)) -> TypedNumber:
    nine = draw(st.text(st.sampled_from("0123456789"), min_size=9, max_size=9))
    code = national_code_for(nine)
    if len(set(code)) == 1:
        code = national_code_for("123456789")
    grouped = draw(st.sampled_from([code, f"{code[:3]}-{code[3:9]}-{code[9]}"]))
    typed = draw(digits_typed(grouped, scripts))
    return TypedNumber(typed, canonical_national_code(typed))


@st.composite
def typed_codes(draw, code: str | None = None, scripts: tuple[str, ...] = tuple(DIGITS)) -> str:
    """A tracking code (`code`, or any code with a right check digit) as typed: grouped by
    spaces or dashes, its digits in `scripts`."""
    if code is None:
        kind = draw(st.sampled_from("123456789"))
        code = codes.make_code(
            kind, draw(st.text(st.sampled_from("0123456789"), min_size=10, max_size=10))
        )
    grouped = draw(
        st.sampled_from(
            [
                code,
                f"{code[:4]}-{code[4:8]}-{code[8:]}",
                f"{code[:4]} {code[4:8]} {code[8:]}",
                f" {code} ",
            ]
        )
    )
    return draw(digits_typed(grouped, scripts))


def canonical_code(typed: str) -> str | None:
    """The code a correct portal looks up for `typed`; None when it must refuse it."""
    return None if has_foreign_digits(typed) else ascii_digits(typed)


# A set of scripts to type a number with: the accepted ones, a foreign one, or a mix.
SCRIPT_CHOICES = st.one_of(
    st.just(ACCEPTED_SCRIPTS),
    st.sampled_from(ACCEPTED_SCRIPTS).map(lambda name: (name,)),
    st.sampled_from(FOREIGN_SCRIPTS).map(lambda name: (name,)),
    # One a keyboard gives, with another: "09" typed, the rest pasted from elsewhere.
    st.tuples(st.sampled_from(ACCEPTED_SCRIPTS), st.sampled_from(FOREIGN_SCRIPTS)),
)


def number_field_values() -> st.SearchStrategy[str]:
    """What may land in a number field: real numbers in every script, or anything at all."""
    return st.one_of(
        typed_mobiles().map(lambda number: number.typed),
        typed_national_codes().map(lambda number: number.typed),
        typed_codes(),
        hostile_text(),
    )


FRESH_KEY = "<a new submission key>"
# Field names safe inside a multipart header (the test client does not escape quotes).
EXTRA_FIELD_NAMES = st.text(
    st.characters(exclude_categories=("Cs", "Cc"), exclude_characters='"\\'),
    min_size=1,
    max_size=12,
)


@st.composite
def mutated_forms(draw, valid: dict[str, str], number_fields: tuple[str, ...] = ()) -> dict:
    """A valid form with up to three fields replaced by hostile values, emptied, left out or
    sent twice, and sometimes a field nobody asked for."""
    form = {name: [value] for name, value in valid.items()}
    names = draw(st.lists(st.sampled_from(sorted(valid)), max_size=3, unique=True))
    for name in names:
        hostile = number_field_values() if name in number_fields else hostile_text()
        how = draw(st.sampled_from(["replace", "missing", "empty", "twice"]))
        if how == "replace":
            form[name] = [draw(hostile)]
        elif how == "missing":
            del form[name]
        elif how == "empty":
            form[name] = [""]
        else:
            form[name] = draw(st.permutations([valid[name], draw(hostile)]))
    if draw(st.integers(0, 3)) == 0:
        form[draw(EXTRA_FIELD_NAMES)] = [draw(hostile_text())]
    return form


def last(form: dict, name: str) -> str | None:
    """The value Django reads for a field sent several times: the last one."""
    values = form.get(name) or []
    return values[-1] if values else None


# Declared charsets: text encodings Django refuses for url-encoded forms, codecs that are not
# text encodings at all (base64, rot13…), unknown names, and the right one spelt oddly.
CHARSETS = st.sampled_from(
    [
        "utf-8",
        "UTF8",
        "utf-16",
        "utf-16-le",
        "utf-32",
        "latin-1",
        "iso-8859-1",
        "windows-1256",
        "cp1252",
        "ascii",
        "utf-7",
        "x-unknown-charset",
        "",
        "base64",
        "rot13",
        "hex",
        "zlib",
        "bz2",
        "uu",
        "quopri",
        "idna",
        "punycode",
        "cp500",
        "unicode_escape",
        "utf-8-sig",
    ]
)
# How the charset is written in the Content-Type: plainly, quoted, or as an RFC 2231 parameter.
CHARSET_PARAMETERS = st.sampled_from(
    ["charset={}", 'charset="{}"', "charset*={}''x", "charset*=foo''{}", "charset={}; a*=1; a*0=2"]
)
# Query strings a server hands over (percent-escaped: raw bytes are tested with the test client).
QUERIES = st.sampled_from(["", "x=1", "code=%FF%FE", "q=%D8%B3%D9%84%D8%A7%D9%85", "q=%C0%AF"])
RAW_BYTES = st.one_of(
    st.binary(max_size=200),
    st.sampled_from([b"\xff\xfe", b"\xc3\x28", b"\xed\xa0\x80", b"\x80\x80", b"%FF%FE%C0%AF"]),
)


# --- sending ------------------------------------------------------------------------------------


def with_fresh_key(form: dict) -> dict:
    return {
        name: [str(uuid.uuid4()) if value == FRESH_KEY else value for value in values]
        for name, values in form.items()
    }


def post_form(client: Client, path: str, form: dict, *, encoding: str, files=None):
    """POST `form` ({name: [values]}) as a browser would, multipart or url-encoded."""
    if encoding == "multipart":
        data = {**form, **({"files": files} if files else {})}
        return client.post(path, data)
    pairs = [(name, value) for name, values in form.items() for value in values]
    return client.generic(
        "POST",
        path,
        urlencode(pairs).encode(),
        content_type="application/x-www-form-urlencoded",
    )


# Header parameters that Python's own parsers trip over: an RFC 2231 value that decodes to a
# NUL, and a parameter sent both whole and in numbered pieces (a*=… with a*0=…).
NASTY_PARAMETERS = [
    "charset*=%00",
    "charset*=utf-8''%00",
    "a*=1; a*0=2",
    "charset*0*=x; charset*=y",
    "name*=x; name*0=y",
]


def multipart_body(
    form: dict, *, charset: str, raw: bytes, boundary: str = "FuZzBoUnDaRy", extra: str = ""
) -> bytes:
    """A multipart body with its values encoded in `charset` (where it can be) and a field of
    raw bytes, whose part header ends with `extra` parameters; what a misconfigured client or
    a hostile script sends."""
    parts = []
    for name, values in form.items():
        for value in values:
            try:
                encoded = value.encode(charset or "utf-8", errors="replace")
            except (LookupError, TypeError, ValueError):  # not a text codec, or no "replace"
                encoded = value.encode("utf-8")
            parts.append((name.encode("utf-8", errors="replace"), encoded))
    parts = [(name, value, b"") for name, value in parts]
    parts.append((b"raw", raw, f"; {extra}".encode() if extra else b""))
    body = b"".join(
        b'--%s\r\nContent-Disposition: form-data; name="%s"%s\r\n\r\n%s\r\n'
        % (boundary.encode(), name.replace(b'"', b""), parameters, value)
        for name, value, parameters in parts
    )
    return body + b"--%s--\r\n" % boundary.encode()


@st.composite
def bodies_in_charsets(draw, form: dict) -> tuple[str, bytes, str]:
    """(Content-Type, body, query string): `form` url-encoded, as multipart (whole, cut short or
    without a usable boundary) or as plain text, in a declared charset that may be wrong,
    unknown or not a text encoding at all, with a field of raw bytes; sometimes with a query
    string too, which Django decodes in the same declared charset."""
    charset = draw(CHARSETS)
    parameter = draw(CHARSET_PARAMETERS).format(charset)
    kind = draw(st.sampled_from(["urlencoded", "multipart", "text", "broken multipart"]))
    raw = draw(RAW_BYTES)
    query = draw(QUERIES)
    if kind == "broken multipart":
        boundary = draw(st.sampled_from(["", "; boundary=", "; boundary=x", '; boundary="a b"']))
        body = draw(st.sampled_from([raw, multipart_body(form, charset="utf-8", raw=raw)[:-20]]))
        return f"multipart/form-data{boundary}; {parameter}", body, query
    if kind == "multipart":
        content_type = f"multipart/form-data; boundary=FuZzBoUnDaRy; {parameter}"
        extra = draw(st.sampled_from(["", *NASTY_PARAMETERS]))
        return content_type, multipart_body(form, charset=charset, raw=raw, extra=extra), query
    pairs = [(name, value) for name, values in form.items() for value in values]
    try:
        body = urlencode(pairs, encoding=charset or "utf-8", errors="replace").encode("ascii")
    except (LookupError, TypeError, ValueError):
        body = urlencode(pairs).encode()
    main = "application/x-www-form-urlencoded" if kind == "urlencoded" else "text/plain"
    return f"{main}; {parameter}", body + b"&raw=" + raw, query


@contextmanager
def _connection_kept_open() -> Iterator[None]:
    """What the test client does around each request: Django closes the database connection
    at the start and end of a request, which would end the test's transaction."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@dataclass
class RawResponse:
    status_code: int
    headers: dict
    content: bytes
    charset: str = "utf-8"


def call_wsgi(method: str, path: str, *, query: str = "", body: bytes = b"", **meta: str):
    """One request handed to config.wsgi.application as a WSGI server hands it over: the path
    and every header as latin-1 text, the body as bytes. What a server would turn into a 500
    (an exception out of the application) is raised."""
    from config.wsgi import application

    environ = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "testserver",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": io.StringIO(),
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
        **meta,
    }
    started = []
    with _connection_kept_open():
        chunks = application(
            environ, lambda status, headers, exc_info=None: started.append((status, headers))
        )
        try:
            content = b"".join(chunks)
        finally:
            if hasattr(chunks, "close"):
                chunks.close()
    status, headers = started[-1]
    return RawResponse(int(status.split()[0]), dict(headers), content)


@contextmanager
def served() -> Iterator[httpx.Client]:
    """A client of the WSGI application gunicorn serves (config.wsgi.application), with what
    wraps it there: Django's test client builds its requests itself, past those wrappers, and
    a request Django cannot even build fails before any middleware runs. Used inside
    `isolated_example`; the connection must stay open in the test's transaction, as the test
    client keeps it. Unlike the test client, it goes through the CSRF check, with a token."""
    from config.wsgi import application

    with _connection_kept_open():
        transport = httpx.WSGITransport(app=application)
        with httpx.Client(transport=transport, base_url="http://testserver") as client:
            # A browser that loaded the form: its CSRF cookie, and the token in a header (a
            # token in the body might not survive the charset under test).
            client.get("/track/")
            client.headers["X-CSRFToken"] = client.cookies.get(django_settings.CSRF_COOKIE_NAME, "")
            yield client


def raw_query(data: bytes) -> str:
    """A query string of raw bytes, as WSGI hands it to Django (latin-1 code points)."""
    return data.decode("latin-1")


# --- what the citizen sees ----------------------------------------------------------------------

PERSIAN_LETTERS = re.compile("[\u0600-\u06ff]")
# Django's own pages when no template of ours answers.
DJANGO_ENGLISH_PAGES = (
    "Bad Request (400)",
    "403 Forbidden",
    "The requested resource was not found on this server",
    "Server Error (500)",
)
ENGLISH_MESSAGES = (
    "This field is required",
    "Enter a valid",
    "Select a valid choice",
    "Ensure this value",
    "Enter a mobile number such as",
    "A national code has 10 digits",
    "This national code is not valid",
    "Please type the number with",
    "A tracking code has 12 digits",
    "This tracking code is mistyped",
    "No request was found with this tracking code",
    "Too many look-ups from your connection",
    "Too many requests",
    "Please correct the",
    "You already have an open request",
    "This session",
    "Please write",
    "Write something or attach a file",
)


@cache
def english_error_texts() -> tuple[str, ...]:
    """Every English error text a citizen could be shown: the fixed ones above, and each
    field's own messages in every public form (their fragments between placeholders)."""
    from appointments.forms import CancelForm, MeetingRequestForm
    from complaints.forms import CitizenInfoForm, ComplaintForm, ReopenForm
    from desk.forms import TrackForm

    forms = (TrackForm, ComplaintForm, CitizenInfoForm, ReopenForm, MeetingRequestForm, CancelForm)
    with translation.override("en"):
        messages = {
            str(message)
            for form in forms
            for field in form().fields.values()
            for message in field.error_messages.values()
        }
    fragments = {
        fragment.strip()
        for message in messages
        for fragment in re.split(r"%\(\w+\)\w|%s|\{\w*\}", message)
    }
    found = {fragment for fragment in fragments if len(fragment) >= 12}
    return tuple(sorted(found | set(ENGLISH_MESSAGES) | set(DJANGO_ENGLISH_PAGES)))


def visible_text(page: str) -> str:
    """The words a person reads: no markup, attributes, scripts, or what they typed into a
    text area (only the page's own words count)."""
    page = re.sub(r"(?is)<(script|style|textarea)\b.*?</\1\s*>", " ", page)
    return html.unescape(re.sub(r"(?s)<[^>]*>", " ", page))


def describe(method: str, path: str, data=None, **extra) -> str:
    shown = repr(data)
    if len(shown) > 600:
        shown = shown[:600] + f"… ({len(shown)} characters)"
    details = " ".join(f"{key}={value!r}"[:200] for key, value in extra.items())
    return f"{method} {path} {shown} {details}".strip()


def assert_no_server_error(response, request: str) -> None:
    assert response.status_code < 500, (
        f"{response.status_code} for {request}:\n{response.content[:800]!r}"
    )


def assert_refused_in_persian(response, request: str) -> None:
    """A refusal a citizen can read: Persian words, and none of Django's English."""
    page = response.content.decode(getattr(response, "charset", None) or "utf-8", "replace")
    text = visible_text(page)
    assert PERSIAN_LETTERS.search(text), (
        f"{response.status_code} without a Persian word for {request}:\n{page[:800]}"
    )
    english = [phrase for phrase in english_error_texts() if phrase in text]
    assert not english, f"English {english} on the {response.status_code} page for {request}"


def assert_markup_escaped(response) -> None:
    if getattr(response, "streaming", False):
        body = b"".join(response.streaming_content)
    else:
        body = response.content
    assert MARKUP.encode() not in body, "typed markup came back unescaped"


def is_redirect_to(response, pattern: str) -> re.Match | None:
    if response.status_code not in (301, 302, 303):
        return None
    return re.fullmatch(pattern, response.headers.get("Location", ""))


def assert_filed_once_or_refused(
    response, before: dict, request: str, *, model, filed_url: str, form=None
):
    """Either a refusal in Persian that stored nothing, or a redirect to the new case's page
    with exactly one case and its one SMS stored, its numbers as ASCII digits (and, when
    `form` is what the server read, the numbers typed in it). Returns the case, if any."""
    assert_no_server_error(response, request)
    stored = stored_since(before)
    match = is_redirect_to(response, filed_url)
    event("filed" if match else f"refused with {response.status_code}")
    if match is None:
        assert_refused_in_persian(response, request)
        assert stored == {}, (
            f"a refused request ({response.status_code}) stored {stored}: {request}"
        )
        return None
    case = model.objects.get(tracking_code=match[1])
    assert stored.get(model.__name__) == 1, f"one filing stored {stored}: {request}"
    assert stored.get("SmsMessage") == 1, f"one filing queued {stored.get('SmsMessage')} SMS"
    assert re.fullmatch("09[0-9]{9}", case.mobile), f"stored mobile {case.mobile!r}: {request}"
    assert re.fullmatch("([0-9]{10})?", case.national_code), (
        f"stored national code {case.national_code!r}: {request}"
    )
    if form is not None:
        mobile = last(form, "mobile") or ""
        assert canonical_mobile(mobile) == case.mobile, (
            f"the mobile typed {mobile!r} was stored as {case.mobile!r}, and "
            f"{canonical_mobile(mobile)!r} was expected (None: it must be refused)"
        )
        national_code = last(form, "national_code") or ""
        assert not has_foreign_digits(national_code), (
            f"the national code {national_code!r} was accepted as {case.national_code!r}"
        )
        if case.national_code:
            assert case.national_code == canonical_national_code(national_code)
    return case


def assert_pages_show(client, *urls: str) -> None:
    """The citizen's own pages (the filed page, the case page, their files) open, whatever
    was typed into the case: no server error, typed markup escaped."""
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, f"{response.status_code} for GET {url}"
        assert_markup_escaped(response)


# --- what was stored ----------------------------------------------------------------------------

COUNTED = (
    Complaint,
    ComplaintEvent,
    ComplaintAttachment,
    MeetingRequest,
    MeetingRequestEvent,
    ServiceRequest,
    ServiceRequestEvent,
    RequestDocument,
    ServiceRequestAttachment,
    SmsMessage,
    TrackingCode,
)


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


def stored_since(before: dict[str, int]) -> dict[str, int]:
    """The rows added since `before`, by model; models with none are left out."""
    now = row_counts()
    return {name: now[name] - count for name, count in before.items() if now[name] != count}


class _RollBack(Exception):
    pass


@contextmanager
def isolated_example() -> Iterator[Client]:
    """One example: a new browser, an empty cache (rate limits, sessions on Redis) and SMS
    outbox, and a savepoint rolled back at the end, so every example starts from the same
    data, whatever the one before it stored or broke (a failed query on PostgreSQL aborts the
    transaction it runs in)."""
    django_cache.clear()
    sms_backends.outbox.clear()
    try:
        with transaction.atomic():
            yield Client()
            raise _RollBack
    except _RollBack:
        pass


# --- fixtures -----------------------------------------------------------------------------------


def rate_limit_settings(hits: int, scope: str | None = None) -> dict:
    """Settings that put every rate limit (or those of `scope`) at `hits` per its period, for
    `override_settings`, which undoes them at the end of an example."""
    return {
        "RATE_LIMITS": {
            name: {
                kind: (hits if scope in (None, name) else limit, period)
                for kind, (limit, period) in kinds.items()
            }
            for name, kinds in django_settings.RATE_LIMITS.items()
        }
    }


@pytest.fixture(autouse=True)
def _persian_and_generous_limits(settings, tmp_path):
    """Persian pages; rate limits so high that a 429 never hides what the input did; uploads
    in a temporary private directory."""
    settings.LANGUAGE_CODE = "fa"
    for name, value in rate_limit_settings(10**6).items():
        setattr(settings, name, value)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private"},
        },
    }


@pytest.fixture
def potholes(streets):
    return ComplaintCategory.objects.create(title="آسفالت و چاله معابر", department=streets)


@pytest.fixture
def mayor(db):
    return Host.objects.create(name="علی رستمی", title="شهردار")


# The appointments tests stand at Monday 2 Azar 1405, 09:00 in Tehran; this is a week later.
NEXT_WEEK = date(2026, 11, 30)


@pytest.fixture
def session(mayor):
    return MeetingSession.objects.create(
        host=mayor,
        date=NEXT_WEEK,
        start_time=time(9, 0),
        end_time=time(12, 0),
        place="دفتر شهردار، طبقه دوم",
        capacity=5,
    )


@pytest.fixture
def revenue(db):
    return Department.objects.create(name="واحد درآمد", slug="revenue")


@pytest.fixture
def directory(revenue):
    """Two public contacts and an internal one, numbers typed the ways staff type them."""
    return {
        "manager": Contact.objects.create(
            unit=revenue, role="مدیر درآمد", name="احمد صالحی", phone="076-3524-2301"
        ),
        "counter": Contact.objects.create(unit=revenue, role="باجه عوارض", phone="۰۷۶ ۳۵۲۴ ۲۰۰۰"),
        "internal": Contact.objects.create(
            unit=revenue, role="کارشناس وصول", phone="076-3524-2315", is_public=False
        ),
    }
