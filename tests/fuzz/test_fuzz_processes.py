"""Fuzzing the service cards and online service requests: the card list's search and filters
(/processes/), applying online with a file per document (/processes/<slug>/apply/), and
sending new files for refused documents on the request's page."""

import io
import re
from datetime import date
from functools import cache
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from hypothesis import event, given
from hypothesis import strategies as st
from PIL import Image

from desk.models import Department
from processes import services
from processes.forms import CorrectionForm, ServiceRequestForm
from processes.models import (
    AcceptedTypes,
    DocumentReview,
    RequestStatus,
    RequiredDocument,
    Service,
    ServiceCategory,
    ServiceRequest,
)
from tests.processes.conftest import NATIONAL_CODE, PDF_BYTES, pdf_upload, png_upload

from .conftest import (
    ACCEPTED_SCRIPTS,
    CONTROL_CHARACTERS,
    EXTRA_FIELD_NAMES,
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
    row_counts,
    served,
    stored_since,
    typed_national_codes,
    visible_text,
    with_fresh_key,
)

pytestmark = pytest.mark.django_db

FILED = r"/processes/requests/([0-9]{12})/filed/"
NUMBER_FIELDS = ("mobile", "national_code")
MAX_TEXT = 2000  # processes.forms.MAX_DESCRIPTION, the limit of the description and the note


# --- the cards ----------------------------------------------------------------------------------


@pytest.fixture
def licences(db):
    return Department.objects.create(name="اداره درآمد و صدور پروانه", slug="business-licences")


@pytest.fixture
def trade(db):
    return ServiceCategory.objects.create(title="کسب و پیشه", slug="trade")


def add_card(category, department, **overrides) -> Service:
    fields = {
        "title": "صدور پروانه کسب",
        "slug": "business-licence-issue",
        "summary": "پروانه کسب برای واحدهای صنفی تازه.",
        "category": category,
        "department": department,
        "duration_days": 7,
        "published": True,
        "last_reviewed": date(2026, 6, 1),
        **overrides,
    }
    return Service.objects.create(**fields)


@pytest.fixture
def card(trade, licences):
    """tests/processes' online card, with a PDF-only document too: a mandatory deed (PDF or
    photo), an optional photo of the facade (photo only) and an optional plan (PDF only)
    uploaded online, and an original only shown at the counter."""
    service = add_card(
        trade,
        licences,
        title="گواهی عدم خلاف",
        slug="no-violation-certificate",
        duration_days=5,
        accepts_online_requests=True,
    )
    for order, (name, mandatory, types, online) in enumerate(
        [
            ("سند مالکیت", True, AcceptedTypes.PDF_OR_IMAGE, True),
            ("عکس نمای ساختمان", False, AcceptedTypes.IMAGE, True),
            ("نقشه تفکیکی", False, AcceptedTypes.PDF, True),
            ("اصل شناسنامه", True, AcceptedTypes.PDF_OR_IMAGE, False),
        ],
        start=1,
    ):
        RequiredDocument.objects.create(
            service=service,
            order=order,
            name=name,
            mandatory=mandatory,
            accepted_types=types,
            upload_online=online,
        )
    return service


def online_documents(card) -> list[RequiredDocument]:
    return list(card.documents.filter(upload_online=True))


def apply_url(card) -> str:
    return f"/processes/{card.slug}/apply/"


def typed(**overrides) -> dict[str, str]:
    """What Maryam types into the form, besides her files."""
    return {
        "citizen_name": "مریم احمدی",
        "mobile": "09121234567",
        "national_code": NATIONAL_CODE,
        "description": "ملک در خیابان امام، پلاک ۱۲",
        "submission_key": FRESH_KEY,
        **overrides,
    }


# --- files --------------------------------------------------------------------------------------


def _image(fmt: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 3), "red").save(out, format=fmt)
    return out.getvalue()


MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"%PDF-")
# Contents with what a correct portal makes of them: "image", "pdf", or None (refused).
KNOWN_CONTENTS = [
    (_image("PNG"), "image"),
    (_image("JPEG"), "image"),
    (PDF_BYTES, "pdf"),
    (b"%PDF-1.4\n%%EOF", "pdf"),
    (b"%PDF-1.4 without an end", None),
    (b"\xff\xd8\xff\xe0 not really a JPEG", None),
    (b"\x89PNG\r\n\x1a\n a PNG cut short", None),
    (b"MZ\x90\x00 an exe renamed", None),
    (b"<html><script>alert(1)</script></html>", None),
    (b"", None),  # an empty file
]
FILE_CONTENTS = st.one_of(
    st.sampled_from(KNOWN_CONTENTS),
    st.binary(min_size=1, max_size=64)
    .filter(lambda data: not data.startswith(MAGIC))
    .map(lambda data: (data, None)),
)
ACCEPTS = {
    AcceptedTypes.PDF_OR_IMAGE: {"image", "pdf"},
    AcceptedTypes.IMAGE: {"image"},
    AcceptedTypes.PDF: {"pdf"},
}
# Names the multipart parser keeps as they are (letters, digits, spaces, dashes): the file
# counts as sent. Hostile names are in HOSTILE_FILE_NAMES, where it may not.
PLAIN_FILE_NAMES = st.builds(
    lambda stem, extension: stem.strip() + "x" + extension,
    st.text(st.sampled_from("abcxyz019 -_سندعکسنمای۱۲"), max_size=12),
    st.sampled_from([".jpg", ".png", ".pdf", ".exe", ".JPG", ""]),
)
HOSTILE_FILE_NAMES = st.one_of(
    PLAIN_FILE_NAMES,
    st.builds(
        lambda stem, extension: stem + extension,
        EXTRA_FIELD_NAMES.filter(lambda name: "/" not in name),
        st.sampled_from([".jpg", ".png", ".pdf", ".exe", ".pdf.exe", ""]),
    ),
    st.builds(lambda times: "ن" * times + ".pdf", st.integers(100, 400)),
)


def fitting_or_any(accepted_types: str, *, mandatory: bool) -> st.SearchStrategy:
    """For a document's field: mostly a file of a kind it takes, else any file, or none
    (more often for an optional document). (content, kind), or None for no file."""
    fitting = [known for known in KNOWN_CONTENTS if known[1] in ACCEPTS[accepted_types]]
    return st.sampled_from(["fitting"] * 3 + ["any"] + ["none"] * (1 if mandatory else 2)).flatmap(
        lambda how: {
            "fitting": st.sampled_from(fitting),
            "any": FILE_CONTENTS,
            "none": st.none(),
        }[how]
    )


@st.composite
def document_files(draw, documents, names=PLAIN_FILE_NAMES) -> dict[str, tuple[str, bytes, str]]:
    """A file (name, content, what it is) for some of the documents, by field name; now and
    then one for the original shown at the counter or a document of no card, which the form
    must ignore."""
    files = {}
    for document in documents:
        if sent := draw(fitting_or_any(document.accepted_types, mandatory=document.mandatory)):
            files[f"document_{document.pk}"] = (draw(names), *sent)
    if draw(st.integers(0, 4)) == 0:
        content, kind = draw(FILE_CONTENTS)
        field = draw(st.sampled_from(["document_999999", "document_x", "document_"]))
        files[field] = (draw(names), content, kind)
    return files


def uploaded(files: dict) -> dict[str, SimpleUploadedFile]:
    return {field: SimpleUploadedFile(name, content) for field, (name, content, _) in files.items()}


def shown(files: dict) -> dict:
    """The files as a failure message shows them: name, size and kind."""
    return {
        field: (name[:40], len(content), kind) for field, (name, content, kind) in files.items()
    }


def files_accepted(documents, files: dict) -> bool:
    """What a correct portal decides about the files: every mandatory document has one, and
    each file sent is of a kind its document accepts."""
    for document in documents:
        sent = files.get(f"document_{document.pk}")
        if sent is None:
            if document.mandatory:
                return False
        elif sent[2] not in ACCEPTS[document.accepted_types]:
            return False
    return True


# --- English the processes forms could show -----------------------------------------------------

PROCESSES_ENGLISH = (
    "is required.",
    "This file is not of a type accepted for",
    "Send a new file for",
    "A service request needs the national code",
    "This service does not take online requests",
    "is not a JPEG or PNG photo",
    "is not a PDF document",
    "is not a valid PDF document",
    "is damaged or cannot be read",
    "is larger than",
    "has too many pixels",
    "No file was submitted",
    "The submitted file is empty",
    "Ensure this filename has at most",
    "Null characters are not allowed",
    "This is not possible in the request",
    "This text can be at most",
    "Your new files were sent",
)


@cache
def processes_english_texts() -> tuple[str, ...]:
    """The fixed phrases above, and each field's own messages in the two request forms."""
    slot = SimpleNamespace(
        pk=1, name="x", description="", accepted_types=AcceptedTypes.IMAGE, mandatory=True
    )
    with translation.override("en"):
        forms = (ServiceRequestForm(documents=[slot]), CorrectionForm(slots=[slot]))
        messages = {
            str(message)
            for form in forms
            for field in form.fields.values()
            for message in field.error_messages.values()
        }
    fragments = {
        fragment.strip()
        for message in messages
        for fragment in re.split(r"%\(\w+\)\w|%s|\{\w*\}|“|”", message)
    }
    return tuple(sorted({f for f in fragments if len(f) >= 12} | set(PROCESSES_ENGLISH)))


def assert_persian(response, request: str) -> None:
    """assert_refused_in_persian, with the English of the request forms and the uploads."""
    assert_refused_in_persian(response, request)
    charset = getattr(response, "charset", None) or "utf-8"
    text = visible_text(response.content.decode(charset, "replace"))
    english = [phrase for phrase in processes_english_texts() if phrase in text]
    assert not english, f"English {english} on the {response.status_code} page for {request}"


# --- applying -----------------------------------------------------------------------------------


def assert_request_filed_or_refused(client, response, before, request, *, documents, files, form):
    """assert_filed_once_or_refused, then for a filing: a slot for each document uploaded
    online, a file in each one a file was sent for, and the citizen's pages open."""
    filed = assert_filed_once_or_refused(
        response, before, request, model=ServiceRequest, filed_url=FILED, form=form
    )
    assert_markup_escaped(response)
    if filed is None:
        assert_persian(response, request)
        return None
    assert re.fullmatch("[0-9]{10}", filed.national_code), request
    stored = stored_since(before)
    assert stored.get("RequestDocument") == len(documents), f"{stored}: {request}"
    sent = {slot.required_document_id: slot.files.count() for slot in filed.documents.all()}
    assert set(sent) == {document.pk for document in documents}, request
    assert all(count <= 1 for count in sent.values()), request
    if files is not None:
        expected = {document.pk: int(f"document_{document.pk}" in files) for document in documents}
        assert sent == expected, f"files stored {sent}, expected {expected}: {request}"
    assert stored.get("ServiceRequestAttachment", 0) == sum(sent.values()), request
    case = f"/processes/requests/{filed.tracking_code}/"
    urls = [f"{case}files/{pk}/" for pk in filed.attachments.values_list("pk", flat=True)]
    assert_pages_show(client, f"{case}filed/", case, *urls)
    return filed


@fuzz(ci_examples=30)
@given(data=st.data())
def test_any_application_is_filed_once_or_refused_in_persian(card, data):
    """Hostile fields, and any file (any content, any name) in any document's field."""
    documents = online_documents(card)
    form = data.draw(mutated_forms(typed(), NUMBER_FIELDS), label="form")
    files = data.draw(document_files(documents, names=HOSTILE_FILE_NAMES), label="files")
    form = with_fresh_key(form)
    url = apply_url(card)
    with isolated_example() as client:
        before = row_counts()
        response = client.post(url, {**form, **uploaded(files)})
        request = describe("POST", url, form, files=shown(files))

        # A hostile name may make the parser drop its file: the count is not checked here.
        assert_request_filed_or_refused(
            client, response, before, request, documents=documents, files=None, form=form
        )


@fuzz(ci_examples=30)
@given(data=st.data())
def test_the_files_decide_the_filing_by_their_content_and_each_documents_types(card, data):
    """With Maryam's details right, the request is filed exactly when each mandatory document
    has a file and every file is a PNG, JPEG or PDF its document takes (a PDF for the photo
    of the facade is refused); then each file is in its document's slot."""
    documents = online_documents(card)
    files = data.draw(document_files(documents), label="files")
    form = with_fresh_key({name: [value] for name, value in typed().items()})
    url = apply_url(card)
    with isolated_example() as client:
        before = row_counts()
        response = client.post(url, {**form, **uploaded(files)})
        request = describe("POST", url, form, files=shown(files))

        filed = assert_request_filed_or_refused(
            client, response, before, request, documents=documents, files=files, form=form
        )
        assert (filed is not None) == files_accepted(documents, files), request
        if filed is None:
            assert response.status_code == 200, request


@fuzz(ci_examples=30)
@given(data=st.data(), scripts=SCRIPT_CHOICES)
def test_national_codes_in_persian_arabic_or_latin_digits_are_stored_in_ascii(card, data, scripts):
    """…a valid code typed with other digits, or a mistyped one, is refused in Persian; the
    national code is required."""
    code = data.draw(
        st.one_of(
            typed_national_codes(scripts).map(lambda number: (number.typed, number.canonical)),
            # A check digit off by one: never valid.
            typed_national_codes(ACCEPTED_SCRIPTS).map(
                lambda number: (
                    number.typed[:-1] + str((int(number.canonical[-1]) + 1) % 10),
                    None,
                )
            ),
            st.sampled_from(["", " ", "0000000000", "۱۱۱۱۱۱۱۱۱۱", "12345"]).map(
                lambda typed: (typed, None)
            ),
        ),
        label="national code",
    )
    typed_code, canonical = code
    documents = online_documents(card)
    form = with_fresh_key(
        {name: [value] for name, value in typed(national_code=typed_code).items()}
    )
    files = {f"document_{documents[0].pk}": ("سند.pdf", PDF_BYTES, "pdf")}
    url = apply_url(card)
    with isolated_example() as client:
        before = row_counts()
        response = client.post(url, {**form, **uploaded(files)})
        request = describe("POST", url, form)

        filed = assert_request_filed_or_refused(
            client, response, before, request, documents=documents, files=files, form=form
        )
        assert (filed is not None) == (canonical is not None), request
        if filed is not None:
            assert filed.national_code == canonical, request
        else:
            assert response.status_code == 200, request


@fuzz(ci_examples=15)
@given(data=st.data())
def test_an_application_in_any_charset_is_filed_once_or_refused_in_persian(card, data):
    form = with_fresh_key({name: [value] for name, value in typed().items()})
    content_type, body, query = data.draw(bodies_in_charsets(form), label="request")
    url = f"{apply_url(card)}?{query}" if query else apply_url(card)
    with isolated_example(), served() as browser:
        before = row_counts()
        response = browser.post(url, content=body, headers={"Content-Type": content_type})
        request = describe("POST", url, body, content_type=content_type)

        # No file can come through: the deed is missing, and nothing is filed.
        assert_no_server_error(response, request)
        assert stored_since(before) == {}, request
        assert_persian(response, request)


# --- the correction form on the request's page ---------------------------------------------------


def file_and_refuse(card, refuse_facade: bool):
    """Maryam's request with a PDF deed and a photo of the facade; staff refuse the deed, and
    the photo too or not."""
    deed, facade = card.documents.get(order=1), card.documents.get(order=2)
    filed = services.submit_service_request(
        service=card,
        citizen_name="مریم احمدی",
        mobile="09121234567",
        national_code=NATIONAL_CODE,
        documents={deed.pk: pdf_upload(), facade.pk: png_upload()},
    )
    slots = {slot.required_document_id: slot for slot in filed.documents.all()}
    facade_verdict = (DocumentReview.REFUSED, "عکس تار است.") if refuse_facade else ("accepted", "")
    services.review_documents(
        filed,
        verdicts={
            slots[deed.pk].pk: (DocumentReview.REFUSED, "صفحه دوم سند خوانا نیست."),
            slots[facade.pk].pk: facade_verdict,
        },
        actor=None,
    )
    filed.refresh_from_db()
    assert filed.status == RequestStatus.NEEDS_CORRECTION
    return filed, list(filed.documents.filter(review=DocumentReview.REFUSED))


NOTES = st.one_of(
    st.just([]),
    st.lists(hostile_text(), min_size=1, max_size=2),
    st.text(st.sampled_from("نسخه کامل سند\r\n"), max_size=20).map(lambda note: [note]),
)


# What the portal drops from every form value before any form reads it (C0 and C1 controls
# but tab and line breaks, U+FFFE and U+FFFF): a NUL typed into the note is no error.
CONTROLS_DROPPED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def note_accepted(notes: list[str]) -> bool:
    """A note may be left out, or be any text of at most 2000 characters once its controls
    are dropped and its surrounding spaces stripped (a line break a browser sends as CR LF
    counts once)."""
    note = CONTROLS_DROPPED.sub("", notes[-1] if notes else "")
    return len(note.replace("\r\n", "\n").strip()) <= MAX_TEXT


@fuzz(ci_examples=30)
@given(data=st.data(), refuse_facade=st.booleans(), notes=NOTES)
def test_a_correction_puts_the_request_back_under_review_or_is_refused_in_persian(
    card, open_case, data, refuse_facade, notes
):
    """New files for the refused documents (any content, left out, for a slot that was not
    refused or of no request) and any note: back under review with one more version in each
    refused slot, or the form again in Persian with nothing stored and the status unchanged."""
    with isolated_example() as client:
        filed, refused = file_and_refuse(card, refuse_facade)
        slots = list(filed.documents.all())
        files = {}
        for slot in slots:
            sent = data.draw(
                fitting_or_any(slot.accepted_types, mandatory=slot in refused),
                label=f"file for {slot.name}",
            )
            if sent is not None:
                files[f"slot_{slot.pk}"] = (data.draw(PLAIN_FILE_NAMES), *sent)
        if data.draw(st.integers(0, 4), label="junk slot") == 0:
            files[data.draw(st.sampled_from(["slot_999999", "slot_x", "document_1"]))] = (
                "a.pdf",
                PDF_BYTES,
                "pdf",
            )
        open_case(client, filed.tracking_code)
        page = f"/processes/requests/{filed.tracking_code}/"
        versions = {slot.pk: slot.files.count() for slot in slots}
        before = row_counts()
        form = {"note": notes} if notes else {}
        response = client.post(page + "correct/", {**form, **uploaded(files)})
        request = describe("POST", page + "correct/", form, files=shown(files))

        assert_no_server_error(response, request)
        assert_markup_escaped(response)
        stored = stored_since(before)
        filed.refresh_from_db()
        should_pass = note_accepted(notes) and all(
            files.get(f"slot_{slot.pk}", (None, None, None))[2] in ACCEPTS[slot.accepted_types]
            for slot in refused
        )
        now = {slot.pk: slot.files.count() for slot in filed.documents.all()}
        if is_redirect_to(response, page):
            event("back under review")
            assert filed.status == RequestStatus.UNDER_REVIEW, request
            assert now == {pk: n + (pk in {s.pk for s in refused}) for pk, n in versions.items()}
            assert stored.get("ServiceRequestAttachment") == len(refused), request
            assert stored.get("ServiceRequestEvent") == 1, request
            assert set(stored) <= {"ServiceRequestAttachment", "ServiceRequestEvent"}, stored
            assert_pages_show(client, page)
        else:
            event(f"refused with {response.status_code}")
            assert response.status_code == 200, request
            assert_persian(response, request)
            assert stored == {}, f"a refused correction stored {stored}: {request}"
            assert now == versions, request
            assert filed.status == RequestStatus.NEEDS_CORRECTION, request
        assert bool(is_redirect_to(response, page)) == should_pass, request


# --- the card list's search and filters ---------------------------------------------------------


@pytest.fixture
def cards(card, trade, licences):
    """Published cards (one taking online requests, `card`) and a draft no one may see."""
    add_card(trade, licences, catalogue_code="1234-56")
    add_card(trade, licences, title="ابطال پروانه کسب", slug="cancel")
    add_card(trade, licences, title="پیش‌نویس محرمانه", slug="draft", published=False)
    return {"category": trade.pk, "department": licences.pk}


def filter_values(known: int) -> st.SearchStrategy[str]:
    """What may land in a category or unit filter: the real id, ids of nothing, or anything."""
    return st.one_of(
        st.just(str(known)),
        st.sampled_from(["", "0", "-1", "99999", "1e3", "1.0", "۱", "٣", "9" * 30, "null"]),
        hostile_text(),
    )


QUERY_TEXTS = st.one_of(
    hostile_text(),
    st.sampled_from(["پروانه", "پروانه كسب", "1234", "۱۲۳۴", "%", "_", "'; --", "\\", "*"]),
    st.text(CONTROL_CHARACTERS, min_size=1, max_size=5).map(lambda junk: f"پروانه{junk}کسب"),
    st.builds(lambda times: "پروانه " * times, st.integers(20, 2000)),
)
ONLINE_VALUES = st.one_of(
    st.sampled_from(["", "on", "true", "True", "false", "1", "0", "unknown", "بله"]),
    hostile_text(),
)


@fuzz(ci_examples=40)
@given(data=st.data())
def test_the_card_list_answers_any_search_and_filters_in_persian(cards, data):
    query = {}
    for name, values in [
        ("q", QUERY_TEXTS),
        ("category", filter_values(cards["category"])),
        ("department", filter_values(cards["department"])),
        ("online", ONLINE_VALUES),
    ]:
        if data.draw(st.booleans(), label=f"with {name}"):
            query[name] = data.draw(st.lists(values, min_size=1, max_size=2), label=name)
    with isolated_example() as client:
        response = client.get("/processes/", query)
        request = describe("GET", "/processes/", query)

        assert response.status_code == 200, request
        assert_persian(response, request)
        assert_markup_escaped(response)
        assert "پیش‌نویس محرمانه" not in response.text, f"a draft card was listed: {request}"
        listed = {service.slug for service in response.context["services"]}
        assert listed <= {"no-violation-certificate", "business-licence-issue", "cancel"}
