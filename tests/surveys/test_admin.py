"""The surveys back office: the results page in Persian numbers, the Excel workbook (right to
left, Persian headers, numbers as numbers, the comments with their codes), who may see them,
and comments linked to their case only for staff who may see that kind of case."""

import io
from datetime import timedelta

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from desk.jalali import format_jalali_date
from desk.text import to_persian_digits
from surveys import services
from surveys.models import Follows, Question, Response, Survey
from tests.surveys.conftest import Page, attr, questions_of, survey_for

pytestmark = pytest.mark.django_db

POTHOLES = ("complaint-category-1", "آسفالت و چاله معابر")
COMMENT = "پیگیری طول کشید ولی در پایان انجام شد."


@pytest.fixture
def survey():
    return survey_for(Follows.COMPLAINT)


@pytest.fixture
def answered(invite, streets):
    """Four answers to the complaint survey: overall 5, 4, 4, 2 (mean 3.75, three of four
    satisfied), "yes" once (a quarter), one comment."""
    made = []
    for headline, yes, text in [(5, True, COMMENT), (4, False, ""), (4, False, ""), (2, False, "")]:
        invitation = invite(
            Follows.COMPLAINT, unit=streets, service_key=POTHOLES[0], service_label=POTHOLES[1]
        )
        asked = questions_of(invitation.survey)
        answers = {asked["headline"].pk: headline, asked["yes_no"].pk: yes}
        if text:
            answers[asked["text"].pk] = text
        made.append(services.answer_invitation(invitation, answers=answers))
    return made


def results_url(survey) -> str:
    return reverse("admin:surveys_survey_results", args=[survey.pk])


def export_url(survey) -> str:
    return reverse("admin:surveys_survey_export", args=[survey.pk])


def staff(django_user_model, username, *permissions):
    user = django_user_model.objects.create_user(username, password="x", is_staff=True)
    for permission in permissions:
        app_label, codename = permission.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return user


# --- the results page ---------------------------------------------------------------------------


def test_a_superuser_reads_the_results_in_persian_numbers(admin_client, survey, answered, streets):
    response = admin_client.get(results_url(survey))
    assert response.status_code == 200
    page = Page(response.content.decode())
    rows = {
        page.text(row.children[0]).strip(): [page.text(cell).strip() for cell in row.children]
        for row in page.find_all("tr")
        if row.children and not isinstance(row.children[0], str) and row.children[0].name == "td"
    }
    headline = rows[questions_of(survey)["headline"].text]
    # answers, mean rating, share satisfied
    assert headline[1:4] == ["۴", "۳٫۷۵", "۷۵٪"]
    assert "۴: ۲" in headline[4] and "۲: ۱" in headline[4] and "۱: ۰" in headline[4]
    yes_no = rows[questions_of(survey)["yes_no"].text]
    assert yes_no[1] == "۴" and "۲۵٪" in yes_no[3]
    # The unit and the service, with the same figures.
    assert rows[streets.name][1:] == ["۴", "۳٫۷۵", "۷۵٪"]
    assert rows[POTHOLES[1]][1:] == ["۴", "۳٫۷۵", "۷۵٪"]
    # No Latin digit in any figure of the tables.
    for cells in rows.values():
        for cell in cells[1:]:
            assert not any(c.isascii() and c.isdigit() for c in cell), cells
    assert COMMENT in page.get_text()
    assert to_persian_digits(answered[0].case_code) in page.get_text()


def test_the_survey_list_links_to_its_results(admin_client, survey, answered):
    response = admin_client.get(reverse("admin:surveys_survey_changelist"))
    assert response.status_code == 200
    page = Page(response.content.decode())
    assert page.find("a", href=results_url(survey))


def test_the_results_page_reads_a_jalali_period(admin_client, survey, answered):
    Response.objects.filter(pk=answered[0].pk).update(
        submitted_at=timezone.now() - timedelta(days=40)
    )
    today = format_jalali_date(timezone.localdate())
    response = admin_client.get(results_url(survey), {"from": today, "to": today})
    page = Page(response.content.decode())
    headline_row = next(
        row
        for row in page.find_all("tr")
        if questions_of(survey)["headline"].text in page.text(row)
    )
    # 4, 4, 2 without the 5 answered forty days ago.
    assert [page.text(c).strip() for c in headline_row.children][1:4] == ["۳", "۳٫۳۳", "۶۷٪"]
    assert COMMENT not in page.get_text()
    # The export link keeps the period.
    link = page.find("a", class_="button")
    assert attr(link, "href").startswith(export_url(survey) + "?")


def test_a_date_that_is_not_jalali_is_said_and_left_out(admin_client, survey, answered):
    response = admin_client.get(results_url(survey), {"from": "1405/13/40"})
    assert response.status_code == 200
    page = Page(response.content.decode())
    assert page.find(class_="errornote")
    headline_row = next(
        row
        for row in page.find_all("tr")
        if questions_of(survey)["headline"].text in page.text(row)
    )
    assert page.text(headline_row.children[1]).strip() == "۴"


# --- the Excel workbook -------------------------------------------------------------------------


def workbook(client, survey, **params):
    response = client.get(export_url(survey), params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "attachment" in response["Content-Disposition"]
    return openpyxl.load_workbook(io.BytesIO(response.content))


def test_the_excel_export_is_right_to_left_persian_with_numbers_as_numbers(
    admin_client, survey, answered, streets
):
    book = workbook(admin_client, survey)
    assert book.sheetnames == ["پرسش‌ها", "به تفکیک واحد", "به تفکیک خدمت", "نظرها"]
    for sheet in book.worksheets:
        assert sheet.sheet_view.rightToLeft is True, sheet.title

    questions = book["پرسش‌ها"]
    header = [cell.value for cell in questions[1]]
    assert header[:6] == [
        "پرسش",
        "نوع",
        "پاسخ‌ها",
        "میانگین امتیاز",
        "سهم راضی (۴ یا ۵)",
        "سهم «بله»",
    ]
    assert header[6:] == [f"امتیاز {to_persian_digits(n)}" for n in range(1, 6)]
    rows = {row[0]: row for row in questions.iter_rows(min_row=2, values_only=True)}
    asked = questions_of(survey)
    headline = rows[asked["headline"].text]
    assert headline[2:] == (4, 3.75, 0.75, None, 0, 1, 0, 2, 1)
    assert isinstance(headline[2], int) and isinstance(headline[3], float)
    yes_no = rows[asked["yes_no"].text]
    assert yes_no[2] == 4 and yes_no[5] == 0.25 and isinstance(yes_no[5], float)

    for title, label in (("به تفکیک واحد", streets.name), ("به تفکیک خدمت", POTHOLES[1])):
        sheet = book[title]
        assert [cell.value for cell in sheet[1]][1:] == [
            "پاسخ‌ها",
            "میانگین امتیاز",
            "سهم راضی (۴ یا ۵)",
        ]
        assert list(sheet.iter_rows(min_row=2, values_only=True)) == [(label, 4, 3.75, 0.75)]

    comments = book["نظرها"]
    assert [cell.value for cell in comments[1]] == [
        "زمان پاسخ",
        "کد رهگیری",
        "واحد",
        "خدمت",
        "پرسش",
        "نظر",
    ]
    [row] = comments.iter_rows(min_row=2, values_only=True)
    assert row[1] == answered[0].case_code
    assert row[2:] == (streets.name, POTHOLES[1], asked["text"].text, COMMENT)


def test_the_excel_export_keeps_the_period(admin_client, survey, answered):
    Response.objects.filter(pk=answered[0].pk).update(
        submitted_at=timezone.now() - timedelta(days=40)
    )
    today = format_jalali_date(timezone.localdate())
    book = workbook(admin_client, survey, **{"from": today})
    rows = {row[0]: row for row in book["پرسش‌ها"].iter_rows(min_row=2, values_only=True)}
    assert rows[questions_of(survey)["headline"].text][2] == 3
    assert list(book["نظرها"].iter_rows(min_row=2, values_only=True)) == []


# --- who may see them ---------------------------------------------------------------------------


def test_staff_without_the_surveys_permission_get_403(client, outsider, survey, answered):
    client.force_login(outsider)
    assert client.get(results_url(survey)).status_code == 403
    response = client.get(export_url(survey))
    assert response.status_code == 403
    assert COMMENT.encode() not in response.content


def test_a_citizen_is_sent_to_the_login_page(client, survey):
    response = client.get(results_url(survey))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_comments_link_to_the_case_only_for_who_may_see_that_kind_of_case(
    client, django_user_model, survey, answered
):
    code = answered[0].case_code
    case_link = f"{reverse('admin:complaints_complaint_changelist')}?q={code}"

    analyst = staff(django_user_model, "analyst", "surveys.view_survey")
    client.force_login(analyst)
    response = client.get(results_url(survey))
    assert response.status_code == 200
    page = Page(response.content.decode())
    assert not page.find("a", href=case_link)
    assert to_persian_digits(code) in page.get_text()  # the code, without a link

    clerk = staff(django_user_model, "clerk", "surveys.view_survey", "complaints.view_complaint")
    client.force_login(clerk)
    page = Page(client.get(results_url(survey)).content.decode())
    link = page.find("a", href=case_link)
    assert link is not None and page.text(link).strip() == to_persian_digits(code)
    # The link leads to the case in the clerk's list.
    listed = client.get(case_link)
    assert listed.status_code == 200


def test_a_meeting_clerk_gets_no_link_to_a_complaint(client, django_user_model, survey, answered):
    meetings = staff(
        django_user_model, "meetings", "surveys.view_survey", "appointments.view_meetingrequest"
    )
    client.force_login(meetings)
    page = Page(client.get(results_url(survey)).content.decode())
    assert not [a for a in page.find_all("a") if "?q=" in (attr(a, "href") or "")]


# --- the survey editor --------------------------------------------------------------------------


def editor_data(survey=None, questions=(), **fields) -> dict:
    """The survey change form as the admin posts it: the survey's fields and its questions
    inline (dicts of the question's fields, `id` for an existing one)."""
    data = {
        "title": survey.title if survey else "نظرسنجی تازه",
        "introduction": survey.introduction if survey else "",
        "follows": survey.follows if survey else Follows.GENERAL,
        "created_at_0": "2026-11-18",
        "created_at_1": "09:00:00",
        "questions-TOTAL_FORMS": str(len(questions)),
        "questions-INITIAL_FORMS": str(sum(1 for q in questions if q.get("id"))),
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "1000",
    }
    if survey is None or survey.is_active:
        data["is_active"] = "on"
    data.update(fields)
    for index, question in enumerate(questions):
        for name, value in question.items():
            if value is True:
                value = "on"
            if value is not False:
                data[f"questions-{index}-{name}"] = value
    return data


def as_posted(survey, **headline_by_index) -> list[dict]:
    rows = []
    for index, question in enumerate(survey.questions.all()):
        rows.append(
            {
                "id": question.pk,
                "survey": survey.pk,
                "order": question.order,
                "text": question.text,
                "kind": question.kind,
                "required": question.required,
                "options": question.options,
                "is_headline": headline_by_index.get(f"q{index}", question.is_headline),
            }
        )
    return rows


def test_the_editor_moves_the_overall_question_to_a_later_one(admin_client, survey):
    # The first question (a rating) is the overall one; the third is a rating too.
    response = admin_client.post(
        reverse("admin:surveys_survey_change", args=[survey.pk]),
        editor_data(survey, as_posted(survey, q0=False, q2=True)),
    )
    assert response.status_code == 302
    assert [q.is_headline for q in survey.questions.all()] == [False, False, True, False]


def test_a_second_active_survey_for_a_kind_is_refused(admin_client, survey):
    response = admin_client.post(
        reverse("admin:surveys_survey_add"), editor_data(follows=Follows.COMPLAINT, title="تازه")
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert Survey.objects.filter(follows=Follows.COMPLAINT).count() == 1


def test_the_editors_refusals_are_said_in_persian(admin_client, survey):
    second = admin_client.post(
        reverse("admin:surveys_survey_add"), editor_data(follows=Follows.COMPLAINT, title="تازه")
    )
    rows = as_posted(survey, q0=False, q1=True)  # the second question is a yes/no one
    not_a_rating = admin_client.post(
        reverse("admin:surveys_survey_change", args=[survey.pk]), editor_data(survey, rows)
    )
    for response in (second, not_a_rating):
        assert response.status_code == 200
        errors = Page(response.content.decode()).find_all(class_="errorlist")
        said = " ".join(Page.text(e) for e in errors)
        assert said and "Constraint" not in said and "violated" not in said, said


def new_question(order: int, **fields) -> dict:
    return {
        "order": str(order),
        "text": f"پرسش {order}",
        "kind": "rating",
        "required": True,
        "options": "",
        "is_headline": False,
        **fields,
    }


def test_two_overall_questions_in_a_new_survey_are_a_form_error(admin_client, survey):
    questions = [new_question(1, is_headline=True), new_question(2, is_headline=True)]
    response = admin_client.post(
        reverse("admin:surveys_survey_add"), editor_data(questions=questions, is_active="")
    )
    assert response.status_code == 200
    assert not Survey.objects.filter(title="نظرسنجی تازه").exists()


def test_the_editor_moves_the_overall_question_to_an_earlier_one(admin_client, survey):
    first, _yes_no, third, _text = survey.questions.all()
    Question.objects.filter(pk=first.pk).update(is_headline=False)
    Question.objects.filter(pk=third.pk).update(is_headline=True)
    response = admin_client.post(
        reverse("admin:surveys_survey_change", args=[survey.pk]),
        editor_data(survey, as_posted(survey, q0=True, q2=False)),
    )
    assert response.status_code == 302
    assert [q.is_headline for q in survey.questions.all()] == [True, False, False, False]


# --- the invitations sent -----------------------------------------------------------------------


def test_the_invitations_list_shows_neither_the_token_nor_the_mobile(admin_client, invite):
    invitation = invite()
    # A row has no page of its own: the list says all there is.
    assert (
        admin_client.get(
            reverse("admin:surveys_invitation_change", args=[invitation.pk])
        ).status_code
        == 403
    )
    for url in (reverse("admin:surveys_invitation_changelist"),):
        response = admin_client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert invitation.case_code in html or to_persian_digits(invitation.case_code) in html
        assert invitation.token not in html
        assert invitation.mobile not in html and to_persian_digits(invitation.mobile) not in html


def test_a_units_staff_read_and_export_their_units_results_only(
    client, django_user_model, survey, answered, invite, streets
):
    """Staff tied to a unit who may read the surveys (a unit's head) see the answers about
    their unit's cases only, on the page and in the Excel file: another unit's rating and
    comment are not counted, not listed."""
    from desk.models import Department

    parks = Department.objects.create(name="سازمان پارک‌ها", slug="parks")
    elsewhere = invite(Follows.COMPLAINT, unit=parks, service_key="parks", service_label="پارک")
    asked = questions_of(elsewhere.survey)
    services.answer_invitation(
        elsewhere,
        answers={
            asked["headline"].pk: 1,
            asked["yes_no"].pk: False,
            asked["text"].pk: "پارک کثیف است.",
        },
    )
    head = staff(django_user_model, "head", "surveys.view_survey")
    streets.staff.add(head)
    client.force_login(head)

    page = client.get(results_url(survey)).text
    assert streets.name in page and "پارک کثیف است." not in page
    assert "سازمان پارک‌ها" not in page
    sheets = workbook(client, survey)
    cells = [str(c.value) for sheet in sheets for row in sheet.iter_rows() for c in row]
    assert "سازمان پارک‌ها" not in cells and "پارک کثیف است." not in cells
    assert streets.name in cells

    client.force_login(django_user_model.objects.create_superuser("boss", password="x"))
    assert "پارک کثیف است." in client.get(results_url(survey)).text


def test_unit_staff_reach_neither_the_survey_results_nor_the_contacts_export(
    client, django_user_model, survey, answered, streets
):
    from django.contrib.auth.models import Group

    from desk.roles import UNIT_STAFF

    clerk = django_user_model.objects.create_user("unit", password="x", is_staff=True)
    clerk.groups.add(Group.objects.get(name=UNIT_STAFF.name))
    streets.staff.add(clerk)
    client.force_login(clerk)

    assert client.get(results_url(survey)).status_code == 403
    assert client.get(export_url(survey)).status_code == 403
    contacts_export = reverse("admin:contacts_contact_export")
    assert client.post(contacts_export, {"format": "1"}).status_code == 403


def test_results_follow_the_overall_question_when_the_editor_moves_it(
    admin_client, survey, invite, streets
):
    """Each response keeps its overall rating; moving the flag to another rating question
    copies that question's answers instead, and the results per unit follow."""
    made = []
    for overall, second in [(5, 1), (4, None)]:
        invitation = invite(Follows.COMPLAINT, unit=streets)
        asked = questions_of(invitation.survey)
        answers = {asked["headline"].pk: overall, asked["yes_no"].pk: True}
        if second is not None:
            answers[asked["second_rating"].pk] = second
        made.append(services.answer_invitation(invitation, answers=answers))
    assert [response.overall_rating for response in made] == [5, 4]

    admin_client.post(
        reverse("admin:surveys_survey_change", args=[survey.pk]),
        editor_data(survey, as_posted(survey, q0=False, q2=True)),
    )

    assert list(Response.objects.order_by("pk").values_list("overall_rating", flat=True)) == [
        1,
        None,
    ]
    results = admin_client.get(results_url(survey))
    [unit] = results.context["units"]
    assert (unit.count, unit.mean, unit.satisfied) == (1, 1, 0)
