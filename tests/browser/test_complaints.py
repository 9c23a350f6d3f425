"""A citizen files a complaint with a photo on a phone, reads the code off the confirmation
page, and finds the case again through /track/ in a fresh browser."""

import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from complaints.models import Complaint, ComplaintCategory
from desk.models import Department
from desk.text import to_ascii_digits
from tests.browser.conftest import save_screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def potholes(transactional_db):
    unit = Department.objects.create(name="معاونت خدمات شهری", slug="urban-services")
    return ComplaintCategory.objects.create(title="آسفالت و چاله معابر", department=unit)


@pytest.fixture
def photo(tmp_path):
    path = tmp_path / "chale.jpg"
    Image.new("RGB", (640, 480), (90, 90, 90)).save(path, format="JPEG")
    return path


def test_a_citizen_files_with_a_photo_and_follows_with_the_code(
    browser, page, page_log, live_server, potholes, photo, settings, tmp_path
):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private")},
        },
    }
    page.goto("/")
    page.get_by_role("link", name="شکایت، انتقاد و پیشنهاد").first.click()

    page.check('input[name="kind"][value="complaint"]')
    page.select_option('select[name="category"]', label="آسفالت و چاله معابر")
    page.fill('input[name="subject"]', "چاله خطرناک")
    page.fill('textarea[name="description"]', "چاله‌ای عمیق جلوی مدرسه.")
    page.fill('input[name="citizen_name"]', "مریم احمدی")
    page.fill('input[name="mobile"]', "۰۹۱۲۱۲۳۴۵۶۷")
    page.set_input_files('input[name="files"]', str(photo))
    page.get_by_role("button", name=re.compile("ثبت")).click()

    code_on_screen = page.locator("#tracking-code").inner_text()
    code = re.sub(r"\D", "", to_ascii_digits(code_on_screen))
    assert len(code) == 12
    complaint = Complaint.objects.get(tracking_code=code)
    assert complaint.attachments.count() == 1
    save_screenshot(page, "complaint-filed")

    # Another phone: no tracking session, only the code and the mobile number.
    other = browser.new_context(base_url=live_server.url, viewport={"width": 360, "height": 780})
    try:
        follow = other.new_page()
        follow.goto("/track/")
        follow.fill('input[name="code"]', code_on_screen)
        follow.fill('input[name="mobile"]', "09121234567")
        follow.locator('form[action="/track/"] button[type="submit"]').click()
        expect(follow.get_by_text("چاله خطرناک").first).to_be_visible()
        assert follow.url.endswith(f"/complaints/{code}/")
        image_link = follow.locator(f'a[href$="/files/{complaint.attachments.get().pk}/"]')
        expect(image_link.first).to_be_visible()
    finally:
        other.close()
    assert page_log.page_errors == []
    assert page_log.console_errors == []
