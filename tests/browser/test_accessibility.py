"""Every public page passes axe-core's WCAG 2.1 A and AA rules on a 360 px phone: as first shown,
and after a failed submit where the page has a form. After that failed submit the focus is on
the error summary.

axe-core comes from npm (a devDependency, never collected as a static file) and is installed as
a Playwright init script: init scripts are not subject to the page's Content-Security-Policy, so
the pages are checked under their real policy, as a citizen's browser shows them.
"""

from datetime import time, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from appointments.models import Host, MeetingSession
from appointments.services import request_meeting
from complaints.models import ComplaintCategory
from complaints.services import submit_complaint
from contacts.models import Contact
from desk.models import Department, SiteProfile
from desk.workdays import add_working_days

pytestmark = pytest.mark.browser

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
RUN_AXE = """async (tags) => {
    const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
    return result.violations.map((violation) =>
        `${violation.id} (${violation.impact}): ${violation.help}\\n` +
        violation.nodes.map((node) => `    ${node.target.join(" ")}: ${node.failureSummary}`)
            .join("\\n")
    );
}"""
MOBILE = "09121234567"


@pytest.fixture
def portal(transactional_db):
    """A municipality with something on every public page, one complaint and one meeting
    request filed from MOBILE."""
    SiteProfile.objects.create(
        municipality_name="شهرداری قشم",
        officer_first_name="غریب",
        officer_last_name="حسین پناهی",
        officer_role="میز خدمت",
        urgent_phone="076-33285728",
    )
    unit = Department.objects.create(name="معاونت خدمات شهری", slug="urban-services")
    Contact.objects.create(unit=unit, role="مدیر", name="مریم رضایی", phone="076-35242000")
    category = ComplaintCategory.objects.create(title="آسفالت و چاله معابر", department=unit)
    complaint = submit_complaint(
        kind="complaint",
        category=category,
        subject="چاله خطرناک",
        description="چاله‌ای عمیق جلوی مدرسه.",
        citizen_name="مریم احمدی",
        mobile=MOBILE,
    )
    mayor = Host.objects.create(name="علی رستمی", title="شهردار")
    MeetingSession.objects.create(
        host=mayor,
        date=add_working_days(timezone.localdate() + timedelta(days=3), 1),
        start_time=time(9),
        end_time=time(12),
        place="دفتر شهردار، طبقه دوم",
        capacity=4,
    )
    meeting = request_meeting(
        host=mayor, subject="پروانه ساختمانی", citizen_name="مریم احمدی", mobile=MOBILE
    )
    return {"complaint": complaint.tracking_code, "meeting": meeting.tracking_code}


def axe_violations(page) -> list[str]:
    return page.evaluate(RUN_AXE, WCAG_21_AA)


def submit_empty(page) -> None:
    """Send the page's first form with nothing typed in (the forms have `novalidate`)."""
    with page.expect_navigation():
        page.locator("main form[method=post] [type=submit]").first.click()


def open_case(page, code: str) -> None:
    page.goto("/track/")
    page.fill('input[name="code"]', code)
    page.fill('input[name="mobile"]', MOBILE)
    with page.expect_navigation():
        page.locator('main form[action="/track/"] [type=submit]').click()
    assert page.url.endswith(f"/{code}/")


def test_every_public_page_passes_axe_on_a_phone(page, page_log, portal):
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: `npm ci` installs axe-core, a devDependency")
    page.context.add_init_script(path=str(AXE))
    found = {}

    def check(name: str) -> None:
        if violations := axe_violations(page):
            found[name] = violations

    # (page, how to reach it, whether it has a form that refuses an empty submit)
    pages = [
        ("home", lambda: page.goto("/"), False),
        ("track", lambda: page.goto("/track/"), True),
        ("complaint form", lambda: page.goto("/complaints/new/"), True),
        ("meetings", lambda: page.goto("/appointments/"), True),
        ("contacts", lambda: page.goto("/contacts/"), False),
        ("complaint case", lambda: open_case(page, portal["complaint"]), True),
        ("meeting case", lambda: open_case(page, portal["meeting"]), True),
        ("404", lambda: page.goto("/no-such-page/"), False),
    ]
    for name, reach, has_form in pages:
        reach()
        check(name)
        if has_form:
            submit_empty(page)
            expect(page.get_by_role("alert").first).to_be_visible()
            check(f"{name}, after an empty submit")

    assert found == {}, "\n".join(
        f"{name}:\n  " + "\n  ".join(violations) for name, violations in found.items()
    )
    assert page_log.page_errors == []


def test_the_focus_moves_to_the_error_summary_after_a_failed_submit(page, portal):
    page.goto("/complaints/new/")
    submit_empty(page)

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("لطفاً موارد زیر را اصلاح کنید")
    # Its links lead to the fields, the next stops of the keyboard.
    page.keyboard.press("Tab")
    expect(summary.get_by_role("link").first).to_be_focused()
