"""Applying online and following the request: the citizen's pages."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from desk.tracking import SESSION_KEY
from processes import services
from processes.models import DocumentReview, RequestStatus, ServiceRequest
from tests.conftest import limits
from tests.processes.conftest import NATIONAL_CODE, PDF_BYTES, pdf_upload


def photo(name="کارت ملی.png") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 180, 20)).save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def pdf(name="سند.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def apply_url(card) -> str:
    return f"/processes/{card.slug}/apply/"


@pytest.fixture
def form_data(deed, facade_photo):
    return {
        "citizen_name": "مریم احمدی",
        "mobile": "۰۹۱۲ ۱۲۳ ۴۵۶۷",
        "national_code": "۰۰۱۳۵۴۲۴۱۹",
        "description": "ملک در خیابان امام، پلاک ۱۲",
        f"document_{deed.pk}": pdf(),
        f"document_{facade_photo.pk}": photo(),
    }


def test_the_card_links_to_the_form_which_asks_each_online_document(client, online_card):
    card_page = client.get(online_card.get_absolute_url()).text
    assert f'href="{apply_url(online_card)}"' in card_page

    html = client.get(apply_url(online_card)).text
    assert "سند مالکیت" in html
    assert "عکس نمای ساختمان (اختیاری)" in html
    # The original shown at the counter is not asked for online.
    assert 'name="document_' in html and html.count('type="file"') == 2
    assert re.search(r'<input[^>]*type="file"[^>]*accept="\.jpg,\.jpeg,\.png,image/jpeg', html)
    assert "حداکثر ۵ مگابایت" in html
    assert 'enctype="multipart/form-data"' in html


def test_a_card_without_online_requests_has_no_form(client, add_service):
    card = add_service(slug="in-person-only", accepts_online_requests=False)
    assert "درخواست آنلاین" not in client.get(card.get_absolute_url()).text
    assert client.get(apply_url(card)).status_code == 404


def test_a_request_is_filed_with_persian_digits_and_the_receipt_gives_code_and_date(
    client, online_card, form_data, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(apply_url(online_card), form_data)

    assert response.status_code == 302
    filed = ServiceRequest.objects.get()
    assert response["Location"] == f"/processes/requests/{filed.tracking_code}/filed/"
    assert (filed.mobile, filed.national_code) == ("09121234567", NATIONAL_CODE)
    assert {slot.name: slot.files.count() for slot in filed.documents.all()} == {
        "سند مالکیت": 1,
        "عکس نمای ساختمان": 1,
    }
    receipt = client.get(response["Location"]).text
    code = filed.tracking_code.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    assert f"{code[:4]} {code[4:8]} {code[8:]}" in receipt
    assert re.search(r"[۰-۹]+ [آ-ی]+ [۰-۹]{4}", receipt)  # the expected date, Jalali
    [sms] = sms_outbox
    assert code in sms.text and "تاریخ پیش‌بینی‌شده" in sms.text


def test_bad_input_keeps_what_was_typed_and_names_the_files_to_choose_again(
    client, online_card, form_data, deed, facade_photo
):
    form_data["national_code"] = "0013542418"  # a wrong check digit
    form_data[f"document_{facade_photo.pk}"] = pdf("نما.pdf")  # only a photo is taken there
    del form_data[f"document_{deed.pk}"]

    response = client.post(apply_url(online_card), form_data)

    assert response.status_code == 200
    html = response.text
    assert "این کد ملی معتبر نیست." in html
    assert "فقط عکس پذیرفته می‌شود" in html
    assert "این فیلد لازم است." in html
    assert 'value="مریم احمدی"' in html
    assert "ملک در خیابان امام، پلاک ۱۲" in html
    assert '<bdi translate="no">نما.pdf</bdi>' in html  # the file to choose again
    assert not ServiceRequest.objects.exists()


def test_the_national_code_is_required(client, online_card, form_data):
    form_data["national_code"] = ""
    response = client.post(apply_url(online_card), form_data)
    assert response.status_code == 200
    assert not ServiceRequest.objects.exists()


def test_too_many_requests_for_one_mobile_are_refused_politely(
    client, online_card, form_data, settings, deed, facade_photo
):
    settings.RATE_LIMITS = limits(settings, "service_request", mobile=1)
    assert client.post(apply_url(online_card), form_data).status_code == 302
    form_data[f"document_{deed.pk}"] = pdf()
    form_data[f"document_{facade_photo.pk}"] = photo()

    response = client.post(apply_url(online_card), form_data)

    assert response.status_code == 429
    assert 'value="مریم احمدی"' in response.text
    assert ServiceRequest.objects.count() == 1


def test_the_request_page_needs_the_code_and_the_mobile(client, file_request):
    filed = file_request()
    page = f"/processes/requests/{filed.tracking_code}/"

    assert client.get(page)["Location"] == f"/track/?code={filed.tracking_code}"
    response = client.post("/track/", {"code": filed.tracking_code, "mobile": "09121234567"})

    assert response["Location"] == page
    assert client.get(page).status_code == 200


def test_a_file_is_served_only_to_its_tracking_session(client, open_case, file_request):
    filed = file_request()
    file = filed.attachments.first()
    url = f"/processes/requests/{filed.tracking_code}/files/{file.pk}/"

    assert client.get(url).status_code == 404
    open_case(client, filed.tracking_code)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_the_correction_loop_from_the_citizens_page(
    client, open_case, file_request, reviewer, deed, facade_photo
):
    filed = file_request()
    slots = {slot.name: slot for slot in filed.documents.all()}
    services.review_documents(
        filed,
        verdicts={
            slots["سند مالکیت"].pk: (DocumentReview.REFUSED, "صفحه دوم سند خوانا نیست."),
            slots["عکس نمای ساختمان"].pk: (DocumentReview.ACCEPTED, ""),
        },
        actor=reviewer,
    )
    open_case(client, filed.tracking_code)
    page = f"/processes/requests/{filed.tracking_code}/"
    correct = f"/processes/requests/{filed.tracking_code}/correct/"

    html = client.get(page).text
    assert "نیاز به اصلاح" in html
    assert "صفحه دوم سند خوانا نیست." in html
    deed_slot = slots["سند مالکیت"]
    assert f'name="slot_{deed_slot.pk}"' in html
    assert f'name="slot_{slots["عکس نمای ساختمان"].pk}"' not in html  # accepted: not asked

    # No file: an error, the note kept.
    response = client.post(correct, {"note": "نسخه کامل را فرستادم"})
    assert response.status_code == 200
    assert "نسخه کامل را فرستادم" in response.text
    filed.refresh_from_db()
    assert filed.status == RequestStatus.NEEDS_CORRECTION

    response = client.post(correct, {f"slot_{deed_slot.pk}": pdf("سند کامل.pdf"), "note": ""})
    assert response["Location"] == page
    filed.refresh_from_db()
    assert filed.status == RequestStatus.UNDER_REVIEW
    html = client.get(page).text
    assert "سند کامل.pdf" in html
    assert deed_slot.files.count() == 2
    assert "نسخه پیشین" in html  # the refused file is kept, marked as the earlier one
    assert "مدارک اصلاح‌شده را فرستادید" in html


def test_a_correction_posted_after_the_request_moved_on_is_refused(
    client, open_case, file_request, reviewer
):
    filed = file_request()
    open_case(client, filed.tracking_code)
    response = client.post(f"/processes/requests/{filed.tracking_code}/correct/", {})
    assert response.status_code == 302
    filed.refresh_from_db()
    assert filed.status == RequestStatus.SUBMITTED


def test_the_session_key_is_granted_on_filing(client, online_card, form_data):
    client.post(apply_url(online_card), form_data)
    filed = ServiceRequest.objects.get()
    assert filed.tracking_code in client.session[SESSION_KEY]


def page_statements(client, url: str) -> int:

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_request_page_costs_the_same_however_many_versions_and_inquiries(
    client, open_case, file_request, reviewer, deed
):

    filed = file_request()
    open_case(client, filed.tracking_code)
    page = f"/processes/requests/{filed.tracking_code}/"
    client.get(page)
    first = page_statements(client, page)

    slot = filed.documents.get(name="سند مالکیت")
    for round_number in range(3):
        services.review_documents(
            filed, verdicts={slot.pk: (DocumentReview.REFUSED, "ناخوانا")}, actor=reviewer
        )
        services.resubmit_documents(
            filed, replacements={slot.pk: pdf_upload(f"{round_number}.pdf")}
        )
        services.record_inquiry(
            filed,
            agency=f"دستگاه {round_number}",
            subject="استعلام",
            sent_on=filed.created_at.date(),
            actor=reviewer,
        )

    assert slot.files.count() == 4
    assert page_statements(client, page) == first
