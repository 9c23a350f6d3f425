"""A citizen opens the survey link from the SMS on a phone, taps a rating and yes/no, sends,
and reads the Persian thanks: the page fits the screen, logs no error, and works without
JavaScript too."""

import pytest
from playwright.sync_api import expect

from desk.cases.models import ReportGroup
from desk.models import Department
from surveys import services
from surveys.defaults import DEFAULT_SURVEYS
from surveys.models import Follows, Invitation, Question, Response, Survey
from tests.browser.conftest import save_screenshot

pytestmark = pytest.mark.browser

OVERALL = "از رسیدگی به درخواست خود چقدر راضی هستید؟"
ON_TIME = "آیا پاسخ در مهلت اعلام‌شده به شما رسید؟"


def complaint_survey() -> Survey:
    """The default complaint survey: made by the data migration, and made again here when an
    earlier browser test's flush emptied the tables."""
    survey = Survey.objects.active().filter(follows=Follows.COMPLAINT).first()
    if survey is not None:
        return survey
    follows, title, introduction, questions = next(
        s for s in DEFAULT_SURVEYS if s[0] == "complaint"
    )
    survey = Survey.objects.create(follows=follows, title=title, introduction=introduction)
    for order, (kind, text, required, options) in enumerate(questions, start=1):
        Question.objects.create(
            survey=survey,
            order=order,
            kind=kind,
            text=text,
            required=required,
            options=options,
            is_headline=order == 1,
        )
    return survey


@pytest.fixture
def invitation(transactional_db):
    survey = complaint_survey()
    unit = Department.objects.create(name="معاونت خدمات شهری", slug="urban-services")
    invitation = services.invite(
        case_kind=Follows.COMPLAINT,
        case_code="104567891234",
        mobile="09121234567",
        outcome="resolved",
        group=ReportGroup(unit.pk, "complaint-category-1", "آسفالت و چاله معابر"),
    )
    assert invitation is not None and invitation.survey == survey
    return invitation


def assert_fits_the_phone(page):
    scroll_width = page.evaluate("document.scrollingElement.scrollWidth")
    assert scroll_width <= 360, f"horizontal scroll: the page is {scroll_width}px wide"


def answer_on_the_phone(page, invitation, *, tap: bool):
    response = page.goto(f"/s/{invitation.token}")
    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text(invitation.survey.title)
    expect(page.get_by_text("۱۰۴۵۶۷۸۹۱۲۳۴")).to_be_visible()
    assert_fits_the_phone(page)
    save_screenshot(page, "survey-360")

    rating = page.get_by_role("group", name=OVERALL).get_by_text("۴ — راضی")
    yes = page.get_by_role("group", name=ON_TIME).get_by_text("بله")
    for label in (rating, yes):
        label.tap() if tap else label.click()
    # Tapping the label checks its radio: the whole line is the target, not the small circle.
    expect(
        page.get_by_role("group", name=OVERALL).get_by_role("radio", name="۴ — راضی")
    ).to_be_checked()
    expect(page.get_by_role("group", name=ON_TIME).get_by_role("radio", name="بله")).to_be_checked()
    page.get_by_label("پیشنهاد یا توضیح شما").fill("کارشناس با حوصله توضیح داد.")
    send = page.get_by_role("button", name="فرستادن پاسخ‌ها")
    send.tap() if tap else send.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("سپاسگزاریم")
    expect(page.get_by_text("پاسخ‌های شما ثبت شد.", exact=False)).to_be_visible()
    assert_fits_the_phone(page)
    save_screenshot(page, "survey-thanks-360")

    saved = Response.objects.get()
    assert saved.case_code == "104567891234"
    assert saved.service_label == "آسفالت و چاله معابر"
    answers = {a.question.text: a for a in saved.answers.select_related("question")}
    assert answers[OVERALL].rating == 4
    assert answers[ON_TIME].yes is True
    assert Invitation.objects.get().answered_at is not None


@pytest.mark.parametrize("context_options", [{"has_touch": True}])
def test_a_citizen_answers_the_survey_link_on_a_phone(page, page_log, invitation):
    answer_on_the_phone(page, invitation, tap=True)
    assert page_log.console_errors == []
    assert page_log.page_errors == []

    # Opening the link again says it was answered, still in Persian, still on the screen.
    response = page.goto(f"/s/{invitation.token}")
    assert response.status == 410
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "شما پیش‌تر به این نظرسنجی پاسخ داده‌اید"
    )
    assert_fits_the_phone(page)
    # Chromium logs the 410 status itself; nothing else.
    assert [e for e in page_log.console_errors if "status of 410" not in e] == []
    assert page_log.page_errors == []


@pytest.mark.parametrize("context_options", [{"java_script_enabled": False}])
def test_the_survey_works_without_javascript(page, page_log, invitation):
    answer_on_the_phone(page, invitation, tap=False)
    assert page_log.page_errors == []


def test_a_missing_answer_is_said_on_the_phone_and_the_choice_kept(page, page_log, invitation):
    page.goto(f"/s/{invitation.token}")
    page.get_by_role("group", name=ON_TIME).get_by_text("خیر").click()
    page.get_by_role("button", name="فرستادن پاسخ‌ها").click()

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text(OVERALL)
    expect(page.get_by_role("group", name=ON_TIME).get_by_role("radio", name="خیر")).to_be_checked()
    assert_fits_the_phone(page)
    save_screenshot(page, "survey-error-360")
    assert not Response.objects.exists()
    assert page_log.console_errors == []
    assert page_log.page_errors == []
