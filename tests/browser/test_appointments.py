"""A citizen requests a meeting with a deputy on a phone: the page offers each session once,
under its host, nothing chosen; sending without a choice says so and keeps what was typed;
choosing the deputy's session files a request for the deputy in it. She reads the code off
the confirmation page, finds the request again through /track/ in a fresh browser and
cancels it."""

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

# A phone's screen is 780 px high: the form with a few sessions fits in about three.
SHORT_PAGE = 2600


@pytest.fixture
def sessions(transactional_db):
    """Two sessions of the mayor (listed first) and one of a deputy."""
    mayor = Host.objects.create(name="علی رستمی", title="شهردار")
    deputy = Host.objects.create(name="سارا نوروزی", title="معاون خدمات شهری", order=1)
    day = add_working_days(timezone.localdate() + timedelta(days=3), 1)

    def session(host, day, capacity):
        return MeetingSession.objects.create(
            host=host,
            date=day,
            start_time=time(9),
            end_time=time(12),
            place="دفتر شهردار، طبقه دوم",
            capacity=capacity,
            slot_minutes=20,
        )

    session(mayor, day, 8)
    session(mayor, add_working_days(day, 2), 8)
    return session(deputy, add_working_days(day, 1), 4)


def test_a_citizen_requests_a_meeting_with_a_deputy_and_cancels_it_through_tracking(
    browser, page, page_log, live_server, sessions
):
    deputys = sessions
    page.goto("/")
    page.get_by_role("link", name="وقت ملاقات با شهردار").first.click()
    mayor = page.get_by_role("group", name="شهردار — علی رستمی")
    deputy = page.get_by_role("group", name="معاون خدمات شهری — سارا نوروزی")
    expect(mayor.get_by_role("radio")).to_have_count(3)  # two sessions, and the office's pick
    expect(deputy.get_by_role("radio")).to_have_count(2)
    expect(deputy.get_by_text("۴ جای خالی")).to_be_visible()
    expect(deputy.get_by_text("۰۹:۰۰ تا ۱۲:۰۰")).to_be_visible()
    expect(page.locator('input[name="meeting"]:checked')).to_have_count(0)
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < SHORT_PAGE, f"the form is {height} px tall on a phone"
    save_screenshot(page, "appointment-form")

    page.fill('input[name="subject"]', "مشکل پروانه ساختمانی")
    page.fill('input[name="citizen_name"]', "مریم احمدی")
    page.fill('input[name="mobile"]', "۰۹۱۲۱۲۳۴۵۶۷")
    page.get_by_role("button", name="ثبت درخواست").click()

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("لطفاً انتخاب کنید با چه کسی و در کدام نوبت ملاقات می‌کنید.")
    expect(page.locator('input[name="subject"]')).to_have_value("مشکل پروانه ساختمانی")
    summary.get_by_role("link").first.click()
    expect(page.locator("#id_meeting_0")).to_be_focused()
    save_screenshot(page, "appointment-form-error")

    page.get_by_role("group", name="معاون خدمات شهری — سارا نوروزی").get_by_role(
        "radio"
    ).first.check()
    page.get_by_role("button", name="ثبت درخواست").click()

    code_on_screen = page.locator("#tracking-code").inner_text()
    code = re.sub(r"\D", "", to_ascii_digits(code_on_screen))
    meeting = MeetingRequest.objects.get(tracking_code=code)
    assert (meeting.host, meeting.session) == (deputys.host, deputys)
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
        expect(follow.get_by_text("۰۹:۰۰ تا ۱۲:۰۰")).to_be_visible()
        follow.fill('input[name="reason"]', "کارم انجام شد")
        follow.get_by_role("button", name="درخواستم را لغو کن").click()
        expect(follow.get_by_text("درخواست شما لغو شد.")).to_be_visible()
        save_screenshot(follow, "appointment-cancelled")
    finally:
        other.close()
    assert MeetingRequest.objects.get(tracking_code=code).status == Status.CANCELLED
    assert deputys.free_places == 4
    assert page_log.page_errors == []
    assert page_log.console_errors == []
