"""A citizen requests a meeting with the mayor on a phone, reads the code off the
confirmation page, finds the request again through /track/ in a fresh browser and cancels it."""

import re
from datetime import time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from appointments.models import Host, MeetingRequest, MeetingSession, Status
from desk.text import to_ascii_digits
from desk.workdays import add_working_days
from tests.browser.conftest import save_screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def session(transactional_db):
    mayor = Host.objects.create(name="علی رستمی", title="شهردار")
    day = add_working_days(timezone.localdate() + timedelta(days=3), 1)
    return MeetingSession.objects.create(
        host=mayor,
        date=day,
        start_time=time(9),
        end_time=time(12),
        place="دفتر شهردار، طبقه دوم",
        capacity=4,
    )


def test_a_citizen_requests_a_meeting_and_cancels_it_through_tracking(
    browser, page, page_log, live_server, session
):
    page.goto("/")
    page.get_by_role("link", name="وقت ملاقات با شهردار").first.click()
    expect(page.get_by_text("۴ جای خالی")).to_be_visible()

    page.check(f'input[name="session"][value="{session.pk}"]')
    page.fill('input[name="subject"]', "مشکل پروانه ساختمانی")
    page.fill('input[name="citizen_name"]', "مریم احمدی")
    page.fill('input[name="mobile"]', "۰۹۱۲۱۲۳۴۵۶۷")
    page.get_by_role("button", name="ثبت درخواست").click()

    code_on_screen = page.locator("#tracking-code").inner_text()
    code = re.sub(r"\D", "", to_ascii_digits(code_on_screen))
    assert MeetingRequest.objects.get(tracking_code=code).session == session
    save_screenshot(page, "appointment-filed")

    other = browser.new_context(base_url=live_server.url, viewport={"width": 360, "height": 780})
    try:
        follow = other.new_page()
        follow.goto("/track/")
        follow.fill('input[name="code"]', code_on_screen)
        follow.fill('input[name="mobile"]', "09121234567")
        follow.locator('form[action="/track/"] button[type="submit"]').click()
        assert follow.url.endswith(f"/appointments/{code}/")
        expect(follow.get_by_text("مشکل پروانه ساختمانی").first).to_be_visible()
        follow.fill('input[name="reason"]', "کارم انجام شد")
        follow.get_by_role("button", name="درخواستم را لغو کن").click()
        expect(follow.get_by_text("درخواست شما لغو شد.")).to_be_visible()
        save_screenshot(follow, "appointment-cancelled")
    finally:
        other.close()
    assert MeetingRequest.objects.get(tracking_code=code).status == Status.CANCELLED
    assert session.free_places == 4
    assert page_log.page_errors == []
    assert page_log.console_errors == []
