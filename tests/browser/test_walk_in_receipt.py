"""At the counter, on a 1366 px desk screen: a clerk registers a walk-in complaint and lands
on its receipt, whose QR code, read back by a real decoder, opens the tracking page of that
very case; then corrects the mistyped mobile, and the next SMS goes to the corrected one."""

import io

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import expect

from complaints.models import Complaint, ComplaintCategory, ReplyTemplate
from desk.models import Department, SiteProfile, SmsMessage
from tests.browser.conftest import save_screenshot

pytestmark = pytest.mark.browser

DESK_VIEWPORT = {"width": 1366, "height": 900}


@pytest.fixture
def counter(transactional_db, django_user_model):
    unit = Department.objects.create(name="معاونت خدمات شهری", slug="urban-services")
    ComplaintCategory.objects.create(title="آسفالت و چاله معابر", department=unit)
    ReplyTemplate.objects.create(
        title="رسیدگی انجام شد",
        use=ReplyTemplate.Use.ANSWER,
        text="موضوع بررسی و اقدام لازم انجام شد.",
    )
    SiteProfile.objects.create(
        municipality_name="شهرداری قشم",
        officer_first_name="غریب",
        officer_last_name="حسین پناهی",
        officer_role="میز خدمت",
        urgent_phone="07635242011",
        address="قشم، بلوار امام خمینی",
    )
    return django_user_model.objects.create_superuser("clerk", password="a-long-desk-password")


def test_a_walk_in_complaint_ends_on_a_receipt_whose_qr_opens_its_tracking_page(
    browser, live_server, counter, settings, page_log
):
    settings.PORTAL_URL = live_server.url
    context = browser.new_context(base_url=live_server.url, viewport=DESK_VIEWPORT, locale="fa-IR")
    try:
        page = context.new_page()
        page.on("pageerror", lambda error: page_log.page_errors.append(str(error)))
        page.goto("/admin/complaints/complaint/add/")
        page.fill('input[name="username"]', "clerk")
        page.fill('input[name="password"]', "a-long-desk-password")
        page.locator('input[type="submit"]').click()

        page.fill('input[name="citizen_name"]', "حسن رضایی")
        page.fill('input[name="mobile"]', "۰۹۱۳ ۱۱۱ ۲۲۳۳")
        page.select_option('select[name="category"]', label="آسفالت و چاله معابر")
        page.fill('input[name="subject"]', "آب‌گرفتگی کوچه")
        page.fill('textarea[name="description"]', "پس از هر بارندگی کوچه را آب می‌گیرد.")
        page.locator('input[name="_save"]').click()

        complaint = Complaint.objects.get()
        assert page.url.endswith(f"/admin/complaints/complaint/{complaint.pk}/receipt/")
        save_screenshot(page, "walk-in-receipt")
        shot = page.locator("svg.segno").screenshot()
        image = Image.open(io.BytesIO(shot)).convert("L")
        # A quiet zone around the code, as on paper.
        framed = Image.new("L", (image.width + 40, image.height + 40), 255)
        framed.paste(image, (20, 20))
        [found] = zxingcpp.read_barcodes(framed)
        assert found.text == f"{live_server.url}/track/?code={complaint.tracking_code}"

        # The citizen says the mobile was mistyped: the clerk corrects it on the case page.
        page.get_by_role("link", name="بازگشت به پرونده").click()
        page.locator("#step-correct summary").click()
        page.fill('input[name="correct-mobile"]', "۰۹۳۵ ۱۱۱ ۲۲۳۳")
        page.locator('#step-correct input[type="submit"]').click()
        expect(page.locator(".messagelist")).to_contain_text("مشخصات اصلاح شد")
        # The next SMS (the answer) goes to the corrected number.
        page.locator("#step-start_review input[type='submit']").click()
        page.locator("#step-answer summary").click()
        # A reply template adds to what was typed and loses nothing elsewhere on the page.
        page.locator("#step-internal_note summary").click()
        page.fill('textarea[name="internal_note-note"]', "یادداشت نیمه‌کاره")
        page.fill('textarea[name="answer-answer"]', "شهروند گرامی،")
        page.get_by_role("link", name="رسیدگی انجام شد").click()
        answer = page.locator('textarea[name="answer-answer"]').input_value()
        assert answer.startswith("شهروند گرامی،") and "اقدام لازم انجام شد" in answer
        assert page.locator('textarea[name="internal_note-note"]').input_value() == (
            "یادداشت نیمه‌کاره"
        )
        page.fill('textarea[name="answer-answer"]', "آب‌گرفتگی برطرف شد.")
        page.locator('#step-answer input[type="submit"]').click()
        expect(page.locator(".messagelist")).to_contain_text("پاسخ")
        answered = SmsMessage.objects.get(kind="complaint_answered")
        assert answered.receiver == "09351112233"
        assert SmsMessage.objects.get(kind="complaint_received").receiver == "09131112233"
        save_screenshot(page, "walk-in-corrected")

        # The lists a clerk works in fit the 1366 px screen: no sideways scroll.
        for path in ("/admin/complaints/complaint/", "/admin/desk/smsmessage/"):
            page.goto(path)
            widths = page.evaluate(
                "[document.querySelector('#result_list').scrollWidth,"
                " document.querySelector('#changelist .results').clientWidth,"
                " document.documentElement.scrollWidth]"
            )
            assert widths[0] <= widths[1] and widths[2] <= DESK_VIEWPORT["width"], path
            boxes = page.locator("#changelist-filter li a").evaluate_all(
                "links => links.map(link => link.getBoundingClientRect().height)"
            )
            assert boxes and min(boxes) >= 24, path

        # Ticking a row: Django's script counts the choice in Persian digits too.
        page.goto("/admin/desk/smsmessage/")
        page.locator("#result_list input.action-select").first.check()
        expect(page.locator(".action-counter")).to_contain_text("۱")
        assert not any(c.isdigit() and c.isascii() for c in page.inner_text(".action-counter"))

        # The QR's address opens the tracking page with the code filled in.
        page.goto(found.text)
        assert page.locator('input[name="code"]').input_value() != ""
    finally:
        context.close()
    assert page_log.page_errors == []
