"""The Content-Security-Policy in a real browser: no page of the portal or of the back office
trips it, and the pages still look and work as before (styles, font, the copy button, the
export page's "select all")."""

import re

import pytest
from playwright.sync_api import expect

from complaints.models import ComplaintCategory
from desk.models import Department, SiteProfile

pytestmark = pytest.mark.browser

# Installed before any page script runs (Playwright's init scripts are not subject to the CSP).
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
    window.__cspViolations.push(
        `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} in ${event.sourceFile}:${event.lineNumber}`
    );
});
"""
BRAND_GREEN = "rgb(13, 92, 86)"


@pytest.fixture
def portal(transactional_db):
    SiteProfile.objects.create(municipality_name="شهرداری قشم", urgent_phone="076-33285728")
    unit = Department.objects.create(name="معاونت خدمات شهری", slug="urban-services")
    ComplaintCategory.objects.create(title="آسفالت و چاله معابر", department=unit)


@pytest.fixture
def watched_page(page):
    page.add_init_script(RECORD_VIOLATIONS)
    return page


def violations(page) -> list[str]:
    return page.evaluate("window.__cspViolations")


def assert_no_violation(page, page_log) -> None:
    assert violations(page) == []
    assert [error for error in page_log.console_errors if "Content Security Policy" in error] == []


@pytest.mark.parametrize(
    "path", ["/", "/complaints/new/", "/appointments/", "/contacts/", "/track/"]
)
def test_public_pages_trip_no_policy_and_keep_their_look(watched_page, page_log, portal, path):
    page = watched_page
    response = page.goto(path)

    assert response.status == 200
    assert "'unsafe-inline'" not in response.headers["content-security-policy"]
    header = page.locator(".site-header")
    expect(header).to_have_css("background-color", BRAND_GREEN)
    assert page.evaluate("document.fonts.check('16px Vazirmatn')")
    assert_no_violation(page, page_log)
    assert page_log.console_errors == []
    assert page_log.page_errors == []


def test_an_injected_inline_style_is_refused_and_seen(watched_page, portal):
    """The policy works, and so does the recorder the other tests rely on."""
    page = watched_page
    page.goto("/track/")
    page.evaluate("document.querySelector('h1').setAttribute('style', 'color: red')")

    expect(page.locator("h1")).not_to_have_css("color", "rgb(255, 0, 0)")
    assert [v.split(" ")[0] for v in violations(page)] == ["style-src-attr"]


def test_the_copy_button_still_copies_the_tracking_code(
    watched_page, page_log, live_server, portal
):
    page = watched_page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.goto("/complaints/new/")
    page.check('input[name="kind"][value="complaint"]')
    page.select_option('select[name="category"]', label="آسفالت و چاله معابر")
    page.fill('input[name="subject"]', "چاله خطرناک")
    page.fill('textarea[name="description"]', "چاله‌ای عمیق جلوی مدرسه.")
    page.fill('input[name="citizen_name"]', "مریم احمدی")
    page.fill('input[name="mobile"]', "09121234567")
    page.get_by_role("button", name=re.compile("ثبت")).click()

    copy = page.locator("button[data-copy-code]")
    expect(copy).to_have_text("کپی کد")
    expect(copy).to_be_visible()  # hidden in the HTML, shown by desk/copy.js
    copy.click()
    expect(copy).to_have_text("کپی شد")
    assert page.evaluate("navigator.clipboard.readText()") == copy.get_attribute("data-copy-code")
    assert_no_violation(page, page_log)
    assert page_log.page_errors == []


def test_the_back_office_trips_no_policy(watched_page, page_log, django_user_model, portal):
    django_user_model.objects.create_superuser("root", password="a-long-password-1403")
    page = watched_page
    page.goto("/admin/login/")
    assert_no_violation(page, page_log)
    page.fill("#id_username", "root")
    page.fill("#id_password", "a-long-password-1403")
    page.locator("input[type=submit]").click()

    expect(page.locator("#site-name")).to_be_visible()
    assert page.evaluate("getComputedStyle(document.body).fontFamily").startswith("Vazirmatn")
    assert_no_violation(page, page_log)

    # The one exception: django-import-export's inline "select all" handler, allowed by hash.
    page.goto("/admin/contacts/contact/export/")
    fields = page.locator('.selectable-field-export-row input[type="checkbox"]')
    expect(fields.first).to_be_checked()
    page.locator("input.select-toggle").uncheck()
    expect(fields.first).not_to_be_checked()
    assert_no_violation(page, page_log)
    assert page_log.page_errors == []
