"""The complaint's description counts its characters as the citizen types or pastes, and says
so when the limit is reached: the browser would otherwise stop at 5,000 without a word."""

import pytest
from playwright.sync_api import expect

from complaints.forms import MAX_DESCRIPTION

pytestmark = pytest.mark.browser


def test_the_description_counts_and_says_when_the_limit_is_reached(page, page_log):
    page.goto("/complaints/new/")
    description = page.locator('textarea[name="description"]')
    counter = page.locator("#id_description-counter")

    expect(counter).to_have_text("۰ از ۵۰۰۰ نویسه")
    description.fill("چاله\nعمیق")
    expect(counter).to_have_text("۹ از ۵۰۰۰ نویسه")
    expect(counter.locator("[aria-live=polite]")).to_have_text("")

    description.fill("ا" * MAX_DESCRIPTION)

    expect(counter.locator("[aria-live=polite]")).to_have_text(
        "به سقف ۵۰۰۰ نویسه رسیدید؛ بیش از این افزوده نمی‌شود."
    )
    expect(counter).to_contain_text("۵۰۰۰ از ۵۰۰۰ نویسه")
    assert "id_description-counter" in description.get_attribute("aria-describedby")
    assert not page_log.console_errors and not page_log.page_errors
