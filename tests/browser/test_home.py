"""The public pages in a real browser: right-to-left Persian, our own font, no foreign
requests, no errors, usable on a 360 px phone, and the tracking form's messages."""

from urllib.parse import urlsplit

import pytest
from django.utils import translation
from playwright.sync_api import expect

from desk import codes
from desk.forms import CODE_ERRORS
from desk.models import SiteProfile
from tests.browser.conftest import MOBILE_VIEWPORT, save_screenshot

pytestmark = pytest.mark.browser

FONT_LOADED = """async () => {
    await document.fonts.ready;
    const faces = [...document.fonts].filter(
        (face) => face.family.replace(/"/g, "") === "Vazirmatn"
    );
    return {
        check: document.fonts.check("16px Vazirmatn"),
        loaded: faces.some((face) => face.status === "loaded"),
    };
}"""


@pytest.fixture
def site_profile(transactional_db):
    return SiteProfile.objects.create(
        municipality_name="شهرداری قشم",
        officer_first_name="غریب",
        officer_last_name="حسین پناهی",
        officer_role="میز خدمت",
        urgent_phone="076-33285728",
    )


def mistyped_code() -> str:
    code = codes.make_code("1", "0123456789")
    wrong_digit = str((int(code[5]) + 1) % 10)
    return code[:5] + wrong_digit + code[6:]


def assert_fits_the_phone(page):
    scroll_width = page.evaluate("document.scrollingElement.scrollWidth")
    assert scroll_width <= 360, f"horizontal scroll: the page is {scroll_width}px wide"


def test_home_page_is_persian_right_to_left_and_self_contained(
    page, page_log, live_server, site_profile
):
    response = page.goto("/")

    assert response.status == 200
    html = page.locator("html")
    expect(html).to_have_attribute("dir", "rtl")
    expect(html).to_have_attribute("lang", "fa")
    font_family = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert font_family.strip('"').startswith("Vazirmatn")
    assert page.evaluate(FONT_LOADED) == {"check": True, "loaded": True}
    expect(page.get_by_role("link", name="۰۷۶-۳۳۲۸۵۷۲۸")).to_have_attribute(
        "href", "tel:07633285728"
    )
    assert_fits_the_phone(page)
    save_screenshot(page, "home-360")

    assert page_log.console_errors == []
    assert page_log.page_errors == []
    assert page_log.foreign_requests(urlsplit(live_server.url).netloc) == []
    assert any("Vazirmatn" in url for url in page_log.request_urls)


def test_a_mistyped_code_is_refused_next_to_the_field(page, page_log, site_profile):
    page.goto("/track/")
    page.get_by_label("کد رهگیری").fill(mistyped_code())
    page.get_by_label("شماره همراه").fill("09121234567")
    page.get_by_role("button", name="پیگیری").click()

    expect(page.get_by_role("alert")).to_be_visible()
    error = page.locator("#div_id_code .invalid-feedback")
    expect(error).to_be_visible()
    expect(error).to_have_text(
        "کد رهگیری نادرست وارد شده است: یکی از رقم‌ها اشتباه است یا جای دو رقم عوض شده است. "
        "لطفاً آن را با پیامک دریافتی مطابقت دهید."
    )
    with translation.override("fa"):
        assert error.inner_text().strip() == str(CODE_ERRORS["check_digit"])
    assert_fits_the_phone(page)
    save_screenshot(page, "track-error-360")
    assert page_log.console_errors == []
    assert page_log.page_errors == []


@pytest.mark.parametrize("context_options", [{"java_script_enabled": False}])
def test_the_language_switch_works_without_javascript(page, site_profile):
    page.goto("/track/")
    page.get_by_role("button", name="English").click()

    expect(page).to_have_url(f"{urlsplit(page.url).scheme}://{urlsplit(page.url).netloc}/track/")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Track a request")
    assert_fits_the_phone(page)


@pytest.mark.parametrize("context_options", [{"java_script_enabled": False}])
def test_the_header_is_compact_on_a_phone_without_javascript(page, site_profile):
    page.goto("/")

    links = page.locator(".site-nav__list a")
    assert links.count() >= 4
    assert len({round(links.nth(i).bounding_box()["y"]) for i in range(links.count())}) == 1
    assert page.locator(".site-header").bounding_box()["height"] <= 120
    expect(page.locator(".site-header time")).to_be_visible()
    assert_fits_the_phone(page)
    # The links beyond the screen's edge scroll into reach.
    links.last.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("پیگیری درخواست")


# What the home page may weigh on a phone's first visit: the page and everything it loads.
PAGE_WEIGHT_BUDGET = 120 * 1024


def test_the_home_page_and_all_it_loads_weigh_at_most_120_kb(
    browser, production_server, site_profile
):
    """Measured as a phone downloads it: every response of the first visit, body bytes as they
    crossed the wire (compressed when the server compressed them) plus the response headers.
    Chromium asks a plain-http server for gzip, not Brotli; WhiteNoise keeps only .gz copies
    anyway (the brotli package is not installed), so production serves the same bytes."""
    context = browser.new_context(
        base_url=production_server, viewport=MOBILE_VIEWPORT, locale="fa-IR"
    )
    try:
        page = context.new_page()
        finished = []
        page.on("requestfinished", lambda request: finished.append(request))
        page.goto("/", wait_until="load")
        page.evaluate("document.fonts.ready.then(() => null)")
        page.wait_for_load_state("networkidle")
        weights = {}
        for request in finished:
            sizes = request.sizes()
            weights[urlsplit(request.url).path] = (
                sizes["responseBodySize"] + sizes["responseHeadersSize"],
                request.response().headers.get("content-encoding", ""),
            )
    finally:
        context.close()

    total = sum(size for size, _encoding in weights.values())
    bill = "\n".join(f"{size:>8} {encoding:5} {path}" for path, (size, encoding) in weights.items())
    stylesheet = next(path for path in weights if "bootstrap.rtl.min" in path)
    assert weights[stylesheet][1] == "gzip"  # the production set-up, not the development one
    assert any("Vazirmatn-NL" in path for path in weights)
    assert total <= PAGE_WEIGHT_BUDGET, f"the home page weighs {total} bytes:\n{bill}"
