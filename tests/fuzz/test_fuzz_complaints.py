"""Fuzzing the complaint forms: filing (/complaints/new/), adding information and objecting
to the answer on the case page."""

import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from complaints import services
from complaints.models import Complaint, Kind
from desk.tracking import SESSION_KEY

from .conftest import (
    ACCEPTED_SCRIPTS,
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
    post_form,
    row_counts,
    served,
    stored_since,
    typed_mobiles,
    typed_national_codes,
    with_fresh_key,
)

pytestmark = pytest.mark.django_db

NEW = "/complaints/new/"
FILED = r"/complaints/([0-9]{12})/filed/"
NUMBER_FIELDS = ("mobile", "national_code")


def typed(category, **overrides) -> dict[str, str]:
    """What Maryam types into the form."""
    return {
        "kind": Kind.COMPLAINT,
        "category": str(category.pk),
        "subject": "چاله بزرگ در خیابان امام",
        "description": "چاله‌ای عمیق جلوی پلاک ۱۲ باعث خرابی خودروها شده است.",
        "place": "خیابان امام، روبروی پلاک ۱۲",
        "citizen_name": "مریم احمدی",
        "mobile": "09121234567",
        "national_code": "",
        "submission_key": FRESH_KEY,
        **overrides,
    }


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 3), "red").save(out, format="PNG")
    return out.getvalue()


FILE_CONTENTS = st.one_of(
    st.binary(max_size=64),
    st.sampled_from(
        [
            _png(),
            b"\xff\xd8\xff\xe0 not really a JPEG",
            b"%PDF-1.4\n%%EOF",
            b"%PDF-1.4 without an end",
            b"MZ\x90\x00 an exe renamed",
        ]
    ),
)
FILE_NAMES = st.builds(
    lambda stem, extension: stem + extension,
    EXTRA_FIELD_NAMES.filter(lambda name: "/" not in name),
    st.sampled_from([".jpg", ".png", ".pdf", ".exe", ""]),
)
UPLOADS = st.one_of(
    st.just([]),
    st.lists(
        st.builds(lambda name, content: (name, content), FILE_NAMES, FILE_CONTENTS), max_size=4
    ),
)


def uploads(files: list[tuple[str, bytes]]) -> list[SimpleUploadedFile]:
    return [SimpleUploadedFile(name, content) for name, content in files]


@fuzz()
@given(data=st.data(), encoding=st.sampled_from(["multipart", "urlencoded"]))
def test_any_form_is_filed_once_or_refused_in_persian(potholes, data, encoding):
    form = data.draw(mutated_forms(typed(potholes), NUMBER_FIELDS), label="form")
    files = data.draw(UPLOADS, label="files") if encoding == "multipart" else []
    form = with_fresh_key(form)
    with isolated_example() as client:
        before = row_counts()
        response = post_form(client, NEW, form, encoding=encoding, files=uploads(files))
        request = describe("POST", NEW, form, encoding=encoding, files=files)

        complaint = assert_filed_once_or_refused(
            response, before, request, model=Complaint, filed_url=FILED, form=form
        )
        assert_markup_escaped(response)
        if complaint is not None:
            case = f"/complaints/{complaint.tracking_code}/"
            files = [
                f"{case}files/{pk}/" for pk in complaint.attachments.values_list("pk", flat=True)
            ]
            assert_pages_show(client, f"{case}filed/", case, *files)


@fuzz(ci_examples=40)
@given(
    data=st.data(),
    mobile_scripts=SCRIPT_CHOICES,
    national_code_scripts=SCRIPT_CHOICES,
    with_national_code=st.booleans(),
)
def test_numbers_typed_with_persian_arabic_or_latin_digits_are_stored_in_ascii(
    potholes, data, mobile_scripts, national_code_scripts, with_national_code
):
    """…and numbers typed with digits of any other script are refused, in Persian."""
    mobile = data.draw(typed_mobiles(mobile_scripts), label="mobile")
    national_code = data.draw(typed_national_codes(national_code_scripts), label="national code")
    form = typed(
        potholes,
        mobile=mobile.typed,
        national_code=national_code.typed if with_national_code else "",
    )
    form = with_fresh_key({name: [value] for name, value in form.items()})
    with isolated_example() as client:
        before = row_counts()
        response = client.post(NEW, form)
        request = describe("POST", NEW, form)

        complaint = assert_filed_once_or_refused(
            response, before, request, model=Complaint, filed_url=FILED, form=form
        )
        should_file = mobile.canonical is not None and (
            not with_national_code or national_code.canonical is not None
        )
        assert (complaint is not None) == should_file, request
        if complaint is not None:
            assert complaint.mobile == mobile.canonical
            assert complaint.national_code == (
                national_code.canonical if with_national_code else ""
            )


@fuzz(ci_examples=20)
@given(first=typed_mobiles(ACCEPTED_SCRIPTS), again=typed_mobiles(ACCEPTED_SCRIPTS))
def test_a_form_sent_twice_files_one_complaint(potholes, first, again):
    """Sent again with the same mobile typed another way: the same complaint. With another
    mobile (a key copied from someone else's form): refused in Persian, their case not shown."""
    form = with_fresh_key(
        {name: [value] for name, value in typed(potholes, mobile=first.typed).items()}
    )
    with isolated_example() as client:
        before = row_counts()
        filed = is_redirect_to(client.post(NEW, form), FILED)
        assert filed, f"Maryam's complaint was not filed: {form}"
        code = filed[1]
        resent = {**form, "mobile": [again.typed]}
        response = client.post(NEW, resent)
        request = describe("POST", NEW, resent)

        assert_no_server_error(response, request)
        assert stored_since(before)["Complaint"] == 1, request
        if again.canonical == first.canonical:
            assert is_redirect_to(response, FILED)[1] == code, request
        else:
            assert response.status_code in (200, 403), request
            assert_refused_in_persian(response, request)
            assert code.encode() not in response.content


@fuzz(ci_examples=25)
@given(data=st.data())
def test_a_form_in_any_charset_is_filed_once_or_refused_in_persian(potholes, data):
    form = with_fresh_key({name: [value] for name, value in typed(potholes).items()})
    content_type, body, query = data.draw(bodies_in_charsets(form), label="request")
    url = f"{NEW}?{query}" if query else NEW
    with isolated_example(), served() as browser:
        before = row_counts()
        response = browser.post(url, content=body, headers={"Content-Type": content_type})
        request = describe("POST", url, body, content_type=content_type)

        assert_filed_once_or_refused(response, before, request, model=Complaint, filed_url=FILED)


# --- the case page's forms ----------------------------------------------------------------------


def open_case_page(client, complaint) -> str:
    """Give the browser the tracking session for the complaint, as /track/ does."""
    session = client.session
    session[SESSION_KEY] = [complaint.tracking_code]
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    return f"/complaints/{complaint.tracking_code}/"


def file_complaint(category) -> Complaint:
    return services.submit_complaint(
        kind=Kind.COMPLAINT,
        category=category,
        subject="چاله بزرگ در خیابان امام",
        description="چاله‌ای عمیق جلوی پلاک ۱۲.",
        citizen_name="مریم احمدی",
        mobile="09121234567",
    )


@fuzz(ci_examples=25)
@given(
    texts=st.lists(hostile_text(), max_size=2),
    files=UPLOADS,
    encoding=st.sampled_from(["multipart", "urlencoded"]),
)
def test_adding_information_adds_one_event_or_is_refused_in_persian(
    potholes, texts, files, encoding
):
    with isolated_example() as client:
        page = open_case_page(client, file_complaint(potholes))
        before = row_counts()
        form = {"text": texts} if texts else {}
        response = post_form(client, page + "info/", form, encoding=encoding, files=uploads(files))
        request = describe("POST", page + "info/", form, encoding=encoding, files=files)

        assert_no_server_error(response, request)
        stored = stored_since(before)
        if is_redirect_to(response, page):
            assert stored.get("ComplaintEvent") == 1, request
            assert stored.get("ComplaintAttachment", 0) <= 3, request
            assert_pages_show(client, page)
        else:
            assert response.status_code == 200, request
            assert_refused_in_persian(response, request)
            assert stored == {}, f"a refused request stored {stored}: {request}"
        assert_markup_escaped(response)


@fuzz(ci_examples=25)
@given(
    reasons=st.lists(hostile_text(), max_size=2),
    encoding=st.sampled_from(["multipart", "urlencoded"]),
)
def test_an_objection_reopens_the_case_once_or_is_refused_in_persian(potholes, reasons, encoding):
    with isolated_example() as client:
        complaint = file_complaint(potholes)
        services.start_review(complaint, actor=None)
        services.answer_complaint(
            complaint, actor=None, answer="چاله در برنامه آسفالت هفته آینده است."
        )
        page = open_case_page(client, complaint)
        before = row_counts()
        form = {"reason": reasons} if reasons else {}
        response = post_form(client, page + "reopen/", form, encoding=encoding)
        request = describe("POST", page + "reopen/", form, encoding=encoding)

        assert_no_server_error(response, request)
        stored = stored_since(before)
        if is_redirect_to(response, page):
            assert stored == {"ComplaintEvent": 1}, request
            complaint.refresh_from_db()
            assert complaint.status == "reopened"
            assert_pages_show(client, page)
        else:
            assert response.status_code == 200, request
            assert_refused_in_persian(response, request)
            assert stored == {}, f"a refused request stored {stored}: {request}"
        assert_markup_escaped(response)
