"""No citizen page and no SMS shows a Latin digit or an English word.

The demo data is seeded once for this module; then every public page is read in Persian as a
citizen sees it: the home page, /track/, each case form (blank and sent back with its
errors), the contacts directory, the error pages, and the case and "filed" pages of a demo
case of every kind and every status, reached through the real tracking session (/track/ with
the code and the mobile). Then every SMS the demo wrote and every SMS template is rendered.

What is read is what a person reads: the text of the page and the attributes people see or
hear (placeholder, title, aria-label, alt, a button's value), never URLs, ids, class names,
hidden inputs or what the citizen typed into a field. Text marked lang="en" (the "English"
language switch) is English on purpose and is skipped.
"""

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings

from appointments.models import MeetingRequest
from complaints.models import Complaint, Status
from desk.codes import has_valid_check_digit
from desk.models import SmsMessage
from desk.sms import render_sms
from desk.uploads import MAX_UPLOAD_BYTES
from processes.models import Service, ServiceRequest
from tests.conftest import limits
from tests.desk.test_uploads import photo

LATIN = re.compile(r"[0-9]+|[A-Za-z]{2,}")

# Latin a citizen page may show on purpose, each with its reason. Keep it short.
ALLOWED_WORDS = {
    # The names of the accepted file formats, as the citizen's phone shows them at the end
    # of a file's name (.jpg, .png, .pdf); transliterated, nobody would recognise them.
    "JPEG",
    "PNG",
    "PDF",
}
# An e-mail address (a unit's, in the contacts directory) has no Persian spelling; nor has a
# web address (a survey invitation's link).
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+|https?://\S+", re.ASCII)


class Scan:
    """What a citizen reads, place by place; `check` fails with every finding listed."""

    def __init__(self) -> None:
        self.findings: list[tuple[str, str]] = []

    def page(self, response, place: str) -> None:
        assert response["Content-Type"].startswith("text/html"), place
        self.text(place, visible_text(response.content.decode()))

    def text(self, place: str, snippets: list[str]) -> None:
        for snippet in snippets:
            if has_latin(snippet):
                self.findings.append((place, " ".join(snippet.split())[:160]))

    def check(self) -> None:
        findings = sorted(set(self.findings))
        report = "\n".join(f"  {place}: «{snippet}»" for place, snippet in findings)
        assert not findings, f"Latin digits or English words a citizen reads:\n{report}"


def has_latin(text: str) -> bool:
    return any(word not in ALLOWED_WORDS for word in LATIN.findall(EMAIL.sub("", text)))


# Attributes people read or hear. `value` counts only on buttons.
READ_ATTRIBUTES = {"placeholder", "title", "aria-label", "alt"}
BUTTON_INPUTS = {"submit", "button", "reset"}
VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr",
}  # fmt: skip
SKIPPED_ELEMENTS = {"script", "style", "textarea"}


class VisibleText(HTMLParser):
    """The human-visible text of a page, as a list of snippets. A textarea is skipped: its
    content is what the citizen typed (a form sent back with errors keeps it); so is what is
    marked translate="no" (the names of the citizen's files)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.snippets: list[str] = []
        self.stack: list[tuple[str, bool]] = []  # (tag, skipped)

    @property
    def skipping(self) -> bool:
        return any(skipped for _, skipped in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        # A file's own name (translate="no") is the citizen's, not the portal's words.
        english = (attrs.get("lang") or "").lower().startswith("en") or attrs.get(
            "translate"
        ) == "no"
        unread = self.skipping or english  # a textarea's own placeholder is still read
        if tag not in VOID:
            self.stack.append((tag, tag in SKIPPED_ELEMENTS or english))
        if unread:
            return
        for name in READ_ATTRIBUTES & attrs.keys():
            self.snippets.append(attrs[name] or "")
        is_button = tag == "button" or (
            tag == "input" and (attrs.get("type") or "").lower() in BUTTON_INPUTS
        )
        if is_button and attrs.get("value") and tag == "input":
            self.snippets.append(attrs["value"])

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        if not self.skipping and data.strip():
            self.snippets.append(data.strip())


def visible_text(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    parser.close()
    return parser.snippets


# --- the demo, seeded once ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[None]:
    """`make run`'s demo data, seeded once for the module in a transaction rolled back at its
    end (each test's own transaction is a savepoint inside it), so no other test sees it; its
    uploaded documents in a temporary directory."""
    storage = {
        **django_settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path_factory.mktemp("demo-private")},
        },
    }
    with override_settings(STORAGES=storage), django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def scan() -> Scan:
    return Scan()


@pytest.fixture
def citizen(demo, db, settings, tmp_path) -> Client:
    """A citizen's browser in Persian, with room for many look-ups at /track/ and many
    filings, and this test's uploads in a temporary directory."""
    settings.LANGUAGE_CODE = "fa"
    for scope in ("track", "complaint", "appointment", "service_request"):
        settings.RATE_LIMITS = limits(
            settings, scope, **dict.fromkeys(settings.RATE_LIMITS[scope], 1000)
        )
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private"},
        },
    }
    return Client()


def sample_by(cases, key) -> list:
    """One case for each value of `key` (a kind, a status…), the first in the demo's order."""
    chosen = {}
    for case in cases:
        chosen.setdefault(key(case), case)
    return list(chosen.values())


def tracked(client: Client, case) -> str:
    """Prove a case at /track/ as its citizen does; the URL of the case page it leads to."""
    response = client.post("/track/", {"code": case.tracking_code, "mobile": case.mobile})
    assert response.status_code == 302, response.content.decode()[:500]
    return response["Location"]


# --- the pages ----------------------------------------------------------------------------------

TOO_LONG_TEXT = "ا" * 6000
BAD_MOBILE = "۰۹۱۲"


def test_the_public_pages_are_persian(citizen, scan):
    card = Service.objects.filter(accepts_online_requests=True).order_by("pk").first()
    for url in (
        "/",
        "/track/",
        "/complaints/new/",
        "/appointments/",
        "/contacts/",
        "/processes/",
        card.get_absolute_url(),
        f"{card.get_absolute_url()}apply/",
    ):
        response = citizen.get(url)
        assert response.status_code == 200, url
        scan.page(response, url)
    scan.page(citizen.get("/contacts/", {"q": "آتش"}), "/contacts/?q=")
    for url in ("/no-such-page/", "/complaints/100000000000/x/"):
        response = citizen.get(url)
        assert response.status_code == 404, url
        scan.page(response, url)
    scan.check()


def test_the_csrf_failure_page_is_persian(demo, db, scan):
    response = Client(enforce_csrf_checks=True).post("/track/", {"code": "1", "mobile": "1"})
    assert response.status_code == 403
    scan.page(response, "/track/ (no CSRF token)")
    scan.check()


def test_the_forms_errors_are_persian(citizen, scan):
    for url in ("/track/", "/complaints/new/", "/appointments/"):
        scan.page(citizen.post(url, {}), f"{url} (empty)")
    bad_track = {"code": "۱۲۳۴", "mobile": BAD_MOBILE}
    scan.page(citizen.post("/track/", bad_track), "/track/ (bad code)")
    unknown = {"code": a_code_nobody_filed(), "mobile": "09120000000"}
    scan.page(citizen.post("/track/", unknown), "/track/ (unknown)")
    too_long = {
        "subject": TOO_LONG_TEXT,
        "description": TOO_LONG_TEXT,
        "place": TOO_LONG_TEXT,
        "citizen_name": TOO_LONG_TEXT,
        "mobile": BAD_MOBILE,
        "national_code": "۱۲۳۴۵۶۷۸۹۰",
    }
    for url in ("/complaints/new/", "/appointments/"):
        response = citizen.post(url, too_long)
        assert "نویسه" in response.text, url  # the over-long texts are refused
        scan.page(response, f"{url} (too long)")
    scan.check()


def a_code_nobody_filed() -> str:
    for body in range(10**10, 10**10 + 10):
        for check in "0123456789":
            code = f"1{body}{check}"
            if has_valid_check_digit(code) and not Complaint.objects.filter(tracking_code=code):
                return code
    raise AssertionError("no free code")


def test_the_upload_refusals_are_persian(citizen, scan):
    too_big = SimpleUploadedFile("عکس", b"\xff\xd8\xff" + b"\0" * MAX_UPLOAD_BYTES)
    not_a_photo = SimpleUploadedFile("نامه", "سلام".encode())
    response = citizen.post("/complaints/new/", {"files": [too_big, not_a_photo]})
    assert "مگابایت" in response.text
    scan.page(response, "/complaints/new/ (bad files)")
    many = [SimpleUploadedFile("عکس" + "ی" * n, photo()) for n in range(4)]
    scan.page(citizen.post("/complaints/new/", {"files": many}), "/complaints/new/ (4 files)")
    scan.check()


def test_every_kind_and_status_of_complaint_is_persian(citizen, scan):
    complaints = Complaint.objects.order_by("pk")
    sample = sample_by(complaints, lambda c: c.kind) + sample_by(complaints, lambda c: c.status)
    assert {c.status for c in sample} == set(Status.values), "the demo lacks a status"
    for complaint in sample:
        url = tracked(citizen, complaint)
        scan.page(citizen.get(url), url)
        scan.page(citizen.get(f"{url}filed/"), f"{url}filed/")
    scan.check()


def test_a_complaint_page_with_a_file_and_errors_is_persian(citizen, scan):
    complaint = Complaint.objects.filter(status=Status.IN_REVIEW).order_by("pk").first()
    url = tracked(citizen, complaint)
    info = {"text": "عکس محل", "files": [SimpleUploadedFile("محل", photo(size=(640, 480)))]}
    response = citizen.post(f"{url}info/", info, follow=True)
    assert "کیلوبایت" in response.text  # the file's size
    scan.page(response, f"{url} (with a file)")
    scan.page(citizen.post(f"{url}info/", {"text": TOO_LONG_TEXT}), f"{url}info/ (too long)")
    scan.page(citizen.post(f"{url}info/", {}), f"{url}info/ (empty)")

    answered = Complaint.objects.filter(status=Status.ANSWERED).order_by("pk").first()
    url = tracked(citizen, answered)
    scan.page(citizen.post(f"{url}reopen/", {"reason": ""}), f"{url}reopen/ (empty)")
    response = citizen.post(f"{url}reopen/", {"reason": TOO_LONG_TEXT})
    scan.page(response, f"{url}reopen/ (too long)")
    response = citizen.post(f"{url}reopen/", {"reason": "قانع نشدم"}, follow=True)
    assert response.redirect_chain, "the objection was refused"
    scan.page(response, f"{url} (reopened)")
    scan.check()


def test_every_status_of_meeting_request_is_persian(citizen, scan):
    sample = sample_by(MeetingRequest.objects.order_by("pk"), lambda m: m.status)
    for meeting in sample:
        url = tracked(citizen, meeting)
        scan.page(citizen.get(url), url)
        scan.page(citizen.get(f"{url}filed/"), f"{url}filed/")
    cancellable = next(m for m in sample if m.is_open)
    url = tracked(citizen, cancellable)
    scan.page(citizen.post(f"{url}cancel/", {"reason": ""}), f"{url}cancel/ (empty)")
    response = citizen.post(f"{url}cancel/", {"reason": TOO_LONG_TEXT})
    scan.page(response, f"{url}cancel/ (too long)")
    response = citizen.post(f"{url}cancel/", {"reason": "کارم انجام شد"}, follow=True)
    assert response.redirect_chain, "the cancellation was refused"
    scan.page(response, f"{url} (cancelled)")
    scan.check()


def test_every_status_of_service_request_is_persian(citizen, scan):
    sample = sample_by(ServiceRequest.objects.order_by("pk"), lambda r: r.status)
    assert len(sample) >= 6
    for service_request in sample:
        url = tracked(citizen, service_request)
        scan.page(citizen.get(url), url)
        scan.page(citizen.get(f"{url}filed/"), f"{url}filed/")
    waiting = next(r for r in sample if r.status == "needs_correction")
    url = tracked(citizen, waiting)
    scan.page(citizen.post(f"{url}correct/", {"note": ""}), f"{url}correct/ (no file)")
    card = Service.objects.filter(accepts_online_requests=True).order_by("pk").first()
    apply = f"{card.get_absolute_url()}apply/"
    scan.page(citizen.post(apply, {"national_code": "12"}), f"{apply} (errors)")
    scan.check()


# --- the SMS ------------------------------------------------------------------------------------


def test_every_sms_of_the_demo_is_persian(demo, db, scan):
    kinds = set()
    for message in SmsMessage.objects.all():
        scan.text(f"SMS {message.kind}", [message.text])
        kinds.add(message.kind)
    assert {
        "complaint_received",
        "complaint_closed",
        "appointment_approved",
        "service_request_received",
        "service_request_correction",
        "service_request_ready",
        "service_request_rejected",
    } <= kinds
    scan.check()


def test_every_sms_template_is_persian(demo, db, scan):
    folder = Path(django_settings.BASE_DIR) / "templates" / "sms"
    kinds = sorted(path.stem for path in folder.glob("*.txt"))
    assert "complaint_closed" in kinds
    for kind in kinds:
        scan.text(f"SMS template {kind}", [render_sms(kind, realistic_context(kind))])
    scan.check()


def realistic_context(kind: str) -> dict:
    """What the service sending `kind` passes, filled from a demo case in a state the SMS
    may announce (desk.cases.services.notify passes the case under its two names)."""
    if kind.startswith("service_request_"):
        case = ServiceRequest.objects.order_by("pk").first()
        extra = {"refused": list(case.documents.all()), "reason": "ملک در طرح تعریض است."}
    elif kind.startswith("appointment_"):
        status = {
            "appointment_declined": "declined",
            "appointment_outcome": "held",
            "appointment_cancelled": "cancelled",
        }.get(kind, "approved")
        case = MeetingRequest.objects.filter(status=status).order_by("pk").first()
        extra = {"target": case.host.title}
    else:
        status = {
            "complaint_closed": Status.CLOSED,
            "complaint_answered": Status.ANSWERED,
            "complaint_duplicate": Status.DUPLICATE,
            "complaint_out_of_jurisdiction": Status.OUT_OF_JURISDICTION,
        }.get(kind, Status.RECEIVED)
        case = Complaint.objects.filter(status=status).order_by("pk").first()
        original = Complaint.objects.exclude(pk=case.pk).order_by("pk").first()
        extra = {
            "department": case.department,
            "guidance": "لطفاً با شماره ۱۲۱ تماس بگیرید.",
            "original_code": original.tracking_code,
            "name": case.citizen_name,
        }
    return {"case": case, case.sms_name: case, "tracking_code": case.tracking_code, **extra}


# --- the scan itself ----------------------------------------------------------------------------

SAMPLE_PAGE = """<html lang="fa"><head><title>پیگیری ۱۲</title><style>p{color:red}</style>
<body><p class="x" data-n="12">کد ۱۲۳</p><script src="a.js">var a = 1;</script>
<input type="hidden" name="csrfmiddlewaretoken" value="abc123"><br/>
<input name="mobile" value="0912" placeholder="مثلاً ۰۹۱۲"><textarea title="x1">typed 12</textarea>
<button name="language" value="en" lang="en">English <b>only</b></button><ul><li>یک<li>دو</ul>
<p>حجم (3 KB)</p><img alt="photo"><input type="submit" value="Send">
<p>فایل PDF به <a href="mailto:a@b.ir">info@example.ir</a></p></body></html>"""


def test_the_scan_finds_latin_and_skips_what_nobody_reads():
    scan = Scan()

    scan.text("page", visible_text(SAMPLE_PAGE))

    assert scan.findings == [
        ("page", "x1"),
        ("page", "حجم (3 KB)"),
        ("page", "photo"),
        ("page", "Send"),
    ]
    with pytest.raises(AssertionError, match="page: «حجم \\(3 KB\\)»"):
        scan.check()
