"""Filing a complaint on the web: the form, its checks, the confirmation page and the SMS."""

import io
import re
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from complaints.models import Complaint, ComplaintCategory, Kind
from desk.text import to_persian_digits
from desk.tracking import has_case_access
from tests.conftest import limits
from tests.desk.test_uploads import huge_png, photo

pytestmark = pytest.mark.django_db

TEHRAN = ZoneInfo("Asia/Tehran")
MONDAY_2_AZAR_1405 = datetime(2026, 11, 23, 9, 0, tzinfo=TEHRAN)
CHOOSE_AGAIN = "این فایل‌ها را دوباره انتخاب کنید"


@pytest.fixture(autouse=True)
def persian(settings, private_storage):
    settings.LANGUAGE_CODE = "fa"
    cache.clear()


def typed(category, **overrides) -> dict:
    """What Maryam types into the form."""
    data = {
        "kind": Kind.COMPLAINT,
        "category": category.pk,
        "subject": "چاله بزرگ در خیابان امام",
        "description": "چاله‌ای عمیق جلوی پلاک ۱۲ باعث خرابی خودروها شده است.",
        "place": "خیابان امام، روبروی پلاک ۱۲",
        "citizen_name": "مریم احمدی",
        "mobile": "09121234567",
        "national_code": "",
        "submission_key": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


def post(client, data, files=(), **extra):
    return client.post("/complaints/new/", {**data, "files": list(files)}, **extra)


def jpeg(name="IMG_2041.JPG", **kwargs):
    return SimpleUploadedFile(name, photo(**kwargs), content_type="image/jpeg")


def code_of(response) -> str:
    return re.fullmatch(r"/complaints/(\d{12})/filed/", response["Location"]).group(1)


def test_the_form_is_persian_and_made_for_phones(client, potholes):
    response = client.get("/complaints/new/")
    assert response.status_code == 200
    html = response.text
    assert "شکایت، انتقاد و پیشنهاد" in html
    assert 'enctype="multipart/form-data"' in html
    for kind in ("complaint", "criticism", "suggestion", "appreciation"):
        assert f'value="{kind}"' in html
    assert "تقدیر و تشکر" in html
    assert potholes.title in html
    assert "حداکثر ۳ عکس JPEG یا PNG یا سند PDF، هر کدام حداکثر ۵ مگابایت." in html
    assert re.search(r'<input[^>]*name="files"[^>]*multiple', html)
    assert re.search(r'<input[^>]*name="mobile"[^>]*inputmode="tel"', html)
    assert re.search(r'<input[^>]*name="mobile"[^>]*placeholder="۰۹…"', html)
    assert re.search(r'<input[^>]*name="national_code"[^>]*dir="ltr"', html)
    assert re.search(r'<input[^>]*name="submission_key"[^>]*value="[0-9a-f-]{36}"', html)


def test_the_description_says_its_limit_and_gets_the_counter(client, potholes):
    html = client.get("/complaints/new/").text

    # Without JavaScript the help says the limit; with it, desk/counter.js counts.
    assert "چه انتظاری از شهرداری دارید. حداکثر ۵۰۰۰ نویسه." in html
    assert re.search(
        r'<textarea[^>]*name="description"[^>]*maxlength="5000"[^>]*data-counter', html
    )
    assert re.search(r'<script src="/static/desk/counter\.js" defer>', html)


def test_an_inactive_category_is_not_offered(client, potholes, streets):
    closed = ComplaintCategory.objects.create(
        title="دسته قدیمی", department=streets, is_active=False
    )
    assert closed.title not in client.get("/complaints/new/").text
    response = post(client, typed(closed))
    assert response.status_code == 200
    assert "یک گزینهٔ معتبر انتخاب کنید" in response.text
    assert not Complaint.objects.exists()


@time_machine.travel(MONDAY_2_AZAR_1405, tick=False)
def test_filing_with_a_photo_gives_a_code_an_sms_and_a_confirmation(
    client, potholes, private_storage, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, typed(potholes), [jpeg(exif_gps=True)])
    assert response.status_code == 302
    code = code_of(response)
    complaint = Complaint.objects.get(tracking_code=code)
    assert complaint.subject == "چاله بزرگ در خیابان امام"
    assert complaint.channel == "web"
    assert has_case_access(client, code)

    # The photo is kept privately, renamed, without its EXIF/GPS data.
    attachment = complaint.attachments.get()
    assert attachment.original_name == "IMG_2041.JPG"
    assert attachment.content_type == "image/jpeg"
    stored = private_storage / attachment.file.name
    assert stored.exists()
    assert "IMG_2041" not in attachment.file.name
    data = stored.read_bytes()
    assert b"PhoneMaker" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert not image.getexif()

    assert [sms.receiver for sms in sms_outbox] == ["09121234567"]
    assert to_persian_digits(code) in sms_outbox[0].text

    page = client.get(response["Location"])
    assert page.status_code == 200
    persian_code = code.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    grouped = f"{persian_code[:4]} {persian_code[4:8]} {persian_code[8:]}"
    assert f'<span class="tracking-code" dir="ltr" id="tracking-code">{grouped}</span>' in page.text
    assert "شکایت شما ثبت شد" in page.text
    # 10 working days after Monday 2 Azar 1405, skipping two Fridays.
    assert "پاسخ تا شنبه ۱۴ آذر ۱۴۰۵ اعلام می‌شود." in page.text
    assert '<span dir="ltr">۰۹۱۲***۴۵۶۷</span>' in page.text
    assert f'data-copy-code="{code}"' in page.text
    assert "desk/copy.js" in page.text


def test_persian_and_arabic_digits_are_accepted(client, potholes):
    response = post(client, typed(potholes, mobile="۰۹۱۲ ۱۲۳ ۴۵۶۷", national_code="٠٠٨٤٥٧٥٩٤٨"))
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.mobile == "09121234567"
    assert complaint.national_code == "0084575948"


def test_arabic_letters_are_spelled_the_persian_way(client, potholes):
    post(client, typed(potholes, subject="كوچه تاريك", citizen_name="علي"))
    complaint = Complaint.objects.get()
    assert complaint.subject == "کوچه تاریک"
    assert complaint.citizen_name == "علی"


def test_empty_fields_are_named_in_persian(client, potholes):
    response = post(client, {"submission_key": str(uuid.uuid4())})
    assert response.status_code == 200
    assert 'role="alert"' in response.text
    assert response.text.count("این فیلد لازم است.") >= 5
    assert not Complaint.objects.exists()


def test_a_subject_of_direction_marks_only_counts_as_empty(client, potholes):
    response = post(client, typed(potholes, subject="\u200f \u200e"))
    assert response.status_code == 200
    assert "این فیلد لازم است." in response.text
    assert not Complaint.objects.exists()


PDF_WITHOUT_END = b"%PDF-1.4\n1 0 obj<<>>endobj\n" + b"x" * 4000
HTML_AS_PDF = b"<html><body>not a letter</body></html>"


@pytest.mark.parametrize(
    ("overrides", "files", "error"),
    [
        pytest.param(
            {"description": "ا" * 100_000},
            [],
            "این متن حداکثر می‌تواند ۵۰۰۰ نویسه باشد؛ متن شما ۱۰۰۰۰۰ نویسه دارد.",
            id="a 100 KB description",
        ),
        pytest.param(
            {"mobile": "12345"},
            [],
            "شماره همراه را به شکل ۰۹۱۲۱۲۳۴۵۶۷ وارد کنید.",
            id="a wrong mobile",
        ),
        pytest.param(
            {"national_code": "۰۰۸۴۵۷۵۹۴۷"},
            [],
            "این کد ملی معتبر نیست.",
            id="a wrong national code",
        ),
        pytest.param(
            {},
            [SimpleUploadedFile("virus.jpg", b"MZ\x90\x00" + b"\x00" * 200, "image/jpeg")],
            "فایل «virus.jpg» عکس JPEG یا PNG یا سند PDF نیست.",
            id="an exe renamed jpg",
        ),
        pytest.param(
            {},
            [SimpleUploadedFile("bomb.png", huge_png(), "image/png")],
            "تصویر «bomb.png» بیش از حد بزرگ است",
            id="a 20000x20000 png",
        ),
        pytest.param(
            {},
            [SimpleUploadedFile("big.jpg", b"\xff\xd8\xff" + b"\x00" * (6 * 1024 * 1024))],
            "حجم فایل «big.jpg» بیش از ۵ مگابایت است.",
            id="a 6 MB file",
        ),
        pytest.param(
            {},
            [SimpleUploadedFile("letter.pdf", HTML_AS_PDF, "application/pdf")],
            "فایل «letter.pdf» عکس JPEG یا PNG یا سند PDF نیست.",
            id="html named pdf",
        ),
        pytest.param(
            {},
            [SimpleUploadedFile("cut.pdf", PDF_WITHOUT_END, "application/pdf")],
            "فایل «cut.pdf» یک سند PDF معتبر نیست.",
            id="a pdf that is not a pdf",
        ),
        pytest.param(
            {},
            [jpeg(f"photo{n}.jpg") for n in range(4)],
            "حداکثر ۳ فایل می‌توانید پیوست کنید.",
            id="four files",
        ),
    ],
)
def test_bad_input_gets_a_persian_error_and_keeps_what_was_typed(
    client, potholes, overrides, files, error
):
    data = typed(potholes, **overrides)
    response = post(client, data, files)
    assert response.status_code == 200
    html = response.text
    assert error in html
    assert 'role="alert"' in html
    assert not Complaint.objects.exists()
    # Everything typed is still there, the same one-time key included.
    assert 'value="چاله بزرگ در خیابان امام"' in html
    assert f">\n{data['description']}</textarea>" in html
    assert 'value="خیابان امام، روبروی پلاک ۱۲"' in html
    assert 'value="مریم احمدی"' in html
    assert f'value="{data["submission_key"]}"' in html
    assert re.search(r'value="complaint"[^>]*checked|checked[^>]*value="complaint"', html)
    assert f'value="{potholes.pk}" selected' in html
    # Files cannot be kept by the browser: say which ones to choose again.
    if files:
        assert CHOOSE_AGAIN in html
        for upload in files:
            assert f'<li><bdi translate="no">{upload.name}</bdi></li>' in html
    else:
        assert CHOOSE_AGAIN not in html


def test_a_good_file_beside_a_bad_one_must_be_chosen_again_too(client, potholes):
    bad = SimpleUploadedFile("virus.jpg", b"MZ" + b"\x00" * 100)
    response = post(client, typed(potholes), [jpeg("good.jpg"), bad])
    assert response.status_code == 200
    assert "«virus.jpg»" in response.text
    assert "«good.jpg»" not in response.text
    assert '<li><bdi translate="no">good.jpg</bdi></li>' in response.text
    assert CHOOSE_AGAIN in response.text


def test_a_double_submission_files_one_complaint(
    client, potholes, sms_outbox, django_capture_on_commit_callbacks
):
    data = typed(potholes)
    with django_capture_on_commit_callbacks(execute=True):
        first = post(client, data)
        second = post(client, data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Complaint.objects.count() == 1
    assert len(sms_outbox) == 1


def test_a_double_submission_spends_no_second_filing_of_the_mobile(client, potholes, settings):
    settings.RATE_LIMITS = limits(settings, "complaint", mobile=1)
    data = typed(potholes)
    first, second = post(client, data), post(client, data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]


def test_a_key_used_for_another_mobile_opens_nothing(client, potholes):
    data = typed(potholes)
    post(client, data)
    stranger = client.__class__()
    response = post(stranger, {**data, "mobile": "09351112233"})
    assert response.status_code == 200
    assert "این فرم پیش‌تر برای درخواست دیگری به کار رفته است" in response.text
    assert Complaint.objects.get().tracking_code not in response.text
    assert Complaint.objects.count() == 1


def test_filing_is_limited_per_mobile(client, potholes, settings):
    settings.RATE_LIMITS = limits(settings, "complaint", mobile=2)
    for _ in range(2):
        assert post(client, typed(potholes)).status_code == 302
    response = post(client, typed(potholes, subject="سومین درخواست"))
    assert response.status_code == 429
    assert "برای این شماره همراه، درخواست‌های زیادی ثبت شده است" in response.text
    assert 'value="سومین درخواست"' in response.text
    assert Complaint.objects.count() == 2
    # Another citizen on the same connection is not held back.
    assert post(client, typed(potholes, mobile="09351112233")).status_code == 302


def test_filing_is_limited_per_client_address(client, potholes, settings):
    settings.RATE_LIMITS = limits(settings, "complaint", address=1)
    assert post(client, typed(potholes)).status_code == 302
    response = post(client, typed(potholes, mobile="09351112233"))
    assert response.status_code == 429
    assert "از این اتصال" in response.text
    assert post(client, typed(potholes), REMOTE_ADDR="10.0.0.9").status_code == 302


def test_a_resubmission_does_not_spend_the_limit(client, potholes, settings):
    settings.RATE_LIMITS = limits(settings, "complaint", mobile=1)
    data = typed(potholes)
    assert post(client, data).status_code == 302
    assert post(client, data).status_code == 302
    assert Complaint.objects.count() == 1


def test_the_confirmation_needs_the_tracking_session(client, potholes):
    code = code_of(post(client, typed(potholes)))
    stranger = client.__class__()
    response = stranger.get(f"/complaints/{code}/filed/")
    assert response.status_code == 302
    assert response["Location"] == f"/track/?code={code}"


def test_the_home_page_offers_the_form_and_track_finds_the_complaint(client, potholes):
    assert 'href="/complaints/new/"' in client.get("/").text
    code = code_of(post(client, typed(potholes)))
    stranger = client.__class__()
    response = stranger.post("/track/", {"code": code, "mobile": "۰۹۱۲۱۲۳۴۵۶۷"})
    assert response.status_code == 302
    assert response["Location"] == f"/complaints/{code}/"
    wrong = stranger.post("/track/", {"code": code, "mobile": "09350000000"})
    assert wrong.status_code == 200
    assert "درخواستی با این کد رهگیری و شماره همراه یافت نشد." in wrong.text
