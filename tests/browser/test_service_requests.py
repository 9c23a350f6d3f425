"""On a phone: a citizen applies online for a service with two documents; a clerk refuses one
in the back office; the citizen sends a new file from the request's page and sees the request
back under review."""

import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from desk.models import Department
from desk.text import to_ascii_digits
from processes.models import (
    AcceptedTypes,
    RequestStatus,
    RequiredDocument,
    Service,
    ServiceCategory,
    ServiceRequest,
)
from tests.browser.conftest import MOBILE_VIEWPORT, save_screenshot
from tests.processes.conftest import PDF_BYTES

pytestmark = pytest.mark.browser

DESK_VIEWPORT = {"width": 1366, "height": 900}


@pytest.fixture
def card(transactional_db):
    unit = Department.objects.create(name="معاونت شهرسازی و معماری", slug="urban-planning")
    service = Service.objects.create(
        title="گواهی عدم خلاف",
        slug="no-violation-certificate",
        summary="گواهی نبودن تخلف ساختمانی برای معامله ملک.",
        category=ServiceCategory.objects.create(title="شهرسازی و ساختمان", slug="building"),
        department=unit,
        duration_days=5,
        published=True,
        accepts_online_requests=True,
    )
    RequiredDocument.objects.create(service=service, order=1, name="سند مالکیت")
    RequiredDocument.objects.create(
        service=service, order=2, name="تصویر کارت ملی", accepted_types=AcceptedTypes.IMAGE
    )
    return service


@pytest.fixture
def files(tmp_path):
    deed, card_photo, new_deed = tmp_path / "sanad.pdf", tmp_path / "kart.png", tmp_path / "n.pdf"
    deed.write_bytes(PDF_BYTES)
    new_deed.write_bytes(PDF_BYTES)
    Image.new("RGB", (320, 200), (180, 200, 220)).save(card_photo, format="PNG")
    return deed, card_photo, new_deed


@pytest.fixture
def clerk(django_user_model, transactional_db):
    return django_user_model.objects.create_superuser("clerk", password="a-long-desk-password")


def test_apply_refuse_one_document_and_send_it_again(
    browser, page, page_log, live_server, card, files, clerk
):
    deed, card_photo, new_deed = files
    page.goto(card.get_absolute_url())
    page.get_by_role("link", name="درخواست آنلاین").click()
    page.fill('input[name="citizen_name"]', "مریم احمدی")
    page.fill('input[name="mobile"]', "۰۹۱۲۱۲۳۴۵۶۷")
    page.fill('input[name="national_code"]', "۰۰۱۳۵۴۲۴۱۹")
    page.get_by_label("سند مالکیت").set_input_files(str(deed))
    page.get_by_label("تصویر کارت ملی").set_input_files(str(card_photo))
    page.get_by_role("button", name="ثبت درخواست").click()

    code = re.sub(r"\D", "", to_ascii_digits(page.locator("#tracking-code").inner_text()))
    filed = ServiceRequest.objects.get(tracking_code=code)
    assert filed.attachments.count() == 2
    save_screenshot(page, "service-request-filed")

    # The clerk, at a desk screen, refuses the deed with a reason and accepts the card.
    desk = browser.new_context(base_url=live_server.url, viewport=DESK_VIEWPORT, locale="fa-IR")
    try:
        admin = desk.new_page()
        admin.goto(f"/admin/processes/servicerequest/{filed.pk}/change/")
        admin.fill('input[name="username"]', "clerk")
        admin.fill('input[name="password"]', "a-long-desk-password")
        admin.locator('input[type="submit"]').click()
        admin.locator("#step-accept summary").click()
        slots = {slot.name: slot.pk for slot in filed.documents.all()}
        admin.check(f'input[name="accept-verdict_{slots["سند مالکیت"]}"][value="refused"]')
        admin.fill(
            f'textarea[name="accept-reason_{slots["سند مالکیت"]}"]', "صفحه دوم سند خوانا نیست."
        )
        admin.check(f'input[name="accept-verdict_{slots["تصویر کارت ملی"]}"][value="accepted"]')
        admin.locator('#step-accept input[type="submit"]').click()
        expect(admin.locator(".messagelist")).to_contain_text("نتیجه بررسی ثبت شد")
    finally:
        desk.close()
    filed.refresh_from_db()
    assert filed.status == RequestStatus.NEEDS_CORRECTION

    # Back on the phone: the request's page says why and takes the new file.
    page.goto(f"/processes/requests/{code}/")
    expect(page.locator(".document-slots")).to_contain_text("صفحه دوم سند خوانا نیست.")
    page.locator("#correct-heading").scroll_into_view_if_needed()
    page.get_by_label("سند مالکیت").set_input_files(str(new_deed))
    page.get_by_role("button", name="فرستادن برای بررسی").click()

    expect(page.locator("[data-status]")).to_have_text("در حال بررسی")
    expect(page.get_by_text("مدارک اصلاح‌شده را فرستادید")).to_be_visible()
    assert page.viewport_size == MOBILE_VIEWPORT
    # Nothing wider than the phone: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= MOBILE_VIEWPORT["width"]
    save_screenshot(page, "service-request-corrected")
    filed.refresh_from_db()
    assert filed.status == RequestStatus.UNDER_REVIEW
    assert filed.documents.get(name="سند مالکیت").files.count() == 2
    assert page_log.page_errors == []
    assert page_log.console_errors == []
