"""The back office's Jalali date picker in a real browser, on a 1366 px desk screen: a clerk
adds a holiday by clicking the date box and a day of the calendar, saves, and the day picked
is the one stored; the calendar then opens on that month again from the Persian digits the
page shows."""

import jdatetime
import pytest
from playwright.sync_api import expect

from desk.jalali import format_jalali_date
from desk.models import Holiday

pytestmark = pytest.mark.browser

DESK_VIEWPORT = {"width": 1366, "height": 900}
PASSWORD = "a-long-desk-password"


@pytest.fixture
def clerk(transactional_db, django_user_model):
    return django_user_model.objects.create_superuser("clerk", password=PASSWORD)


def shown_month(page) -> tuple[int, int]:
    """The Jalali year and month the calendar shows (its two drop-downs)."""
    year = page.locator("jdp-container .jdp-year select").input_value()
    month = page.locator("jdp-container .jdp-month select").input_value()
    return int(year), int(month)


def test_a_holiday_is_added_by_picking_its_day_in_the_calendar(page, page_log, clerk):
    page.set_viewport_size(DESK_VIEWPORT)
    page.goto("/admin/desk/holiday/add/")
    page.fill('input[name="username"]', "clerk")
    page.fill('input[name="password"]', PASSWORD)
    page.locator('input[type="submit"]').click()
    # Loaded, so the picker's deferred scripts have run.
    page.wait_for_url("**/admin/desk/holiday/add/")

    page.locator('input[name="date"]').click()
    calendar = page.locator("jdp-container")
    expect(calendar).to_be_visible()
    year, month = shown_month(page)
    # The days of the month shown, in Persian digits; the 15th is in every month.
    calendar.locator(".jdp-day:not(.not-in-month)", has_text="۱۵").click()
    picked = jdatetime.date(year, month, 15).togregorian()

    expect(calendar).to_be_hidden()
    expect(page.locator('input[name="date"]')).to_have_value(format_jalali_date(picked))
    page.fill('input[name="title"]', "تعطیلی آزمایشی")
    page.locator('input[name="_save"]').click()

    expect(page.locator(".messagelist")).to_be_visible()
    holiday = Holiday.objects.get()
    assert holiday.date == picked

    # Its page shows the date in Persian digits, and the calendar opens on that month.
    page.goto(f"/admin/desk/holiday/{holiday.pk}/change/")
    page.locator('input[name="date"]').click()
    expect(calendar).to_be_visible()
    assert shown_month(page) == (year, month)
    expect(calendar.locator(".jdp-day.selected")).to_have_text("۱۵")
    expect(page.locator('input[name="date"]')).to_have_value(format_jalali_date(picked))
    assert page_log.page_errors == []
    assert [error for error in page_log.console_errors if "Content Security" in error] == []
