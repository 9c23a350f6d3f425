"""The complaints list in the back office: Jalali dates, overdue cases, filters, search, unit
scoping, and a fixed number of queries however many rows."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from complaints import services
from complaints.models import Complaint, ComplaintCategory, Status
from desk.text import to_persian_digits

pytestmark = pytest.mark.django_db

TEHRAN = ZoneInfo("Asia/Tehran")
CHANGELIST = reverse("admin:complaints_complaint_changelist")
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=TEHRAN)  # Monday 2 Azar 1405


def listed(response) -> set[str]:
    assert response.status_code == 200
    return {complaint.tracking_code for complaint in response.context["cl"].result_list}


def make_overdue(complaint) -> Complaint:
    Complaint.objects.filter(pk=complaint.pk).update(due_date=date(2026, 11, 1))
    complaint.refresh_from_db()
    return complaint


@time_machine.travel(NOW, tick=False)
def test_the_list_shows_jalali_dates_and_marks_overdue_cases(clerk_client, file_complaint):
    late = make_overdue(file_complaint())
    file_complaint()

    response = clerk_client.get(CHANGELIST)

    assert len(listed(response)) == 2
    assert "۱۴۰۵/۰۹/۰۲" in response.text  # filed today
    assert "۱۴۰۵/۰۸/۱۰" in response.text  # the late one's due date
    assert response.text.count('class="badge badge-overdue"') == 1
    assert response.context["overdue_count"] == 1
    assert late.is_overdue


@time_machine.travel(NOW, tick=False)
def test_an_answered_case_past_its_date_is_not_marked_overdue(clerk_client, file_complaint, clerk):
    complaint = make_overdue(file_complaint())
    services.start_review(complaint, actor=clerk)
    services.answer_complaint(complaint, actor=clerk, answer="انجام شد.")

    response = clerk_client.get(CHANGELIST)

    assert 'class="badge badge-overdue"' not in response.text
    assert response.context["overdue_count"] == 0


def test_it_filters_by_status(clerk_client, file_complaint, clerk):
    waiting = file_complaint()
    in_review = services.start_review(file_complaint(), actor=clerk)

    assert listed(clerk_client.get(CHANGELIST, {"status__exact": Status.IN_REVIEW})) == {
        in_review.tracking_code
    }
    assert listed(clerk_client.get(CHANGELIST, {"status__exact": Status.RECEIVED})) == {
        waiting.tracking_code
    }


@time_machine.travel(NOW, tick=False)
def test_it_filters_the_open_overdue_cases(clerk_client, file_complaint, clerk):
    late = make_overdue(file_complaint())
    file_complaint()
    closed_late = make_overdue(file_complaint())
    services.close_complaint(closed_late, actor=clerk, outcome="no_action")

    assert listed(clerk_client.get(CHANGELIST, {"overdue": "yes"})) == {late.tracking_code}


def file_at(file_complaint, moment: datetime) -> str:
    with time_machine.travel(moment, tick=False):
        return file_complaint().tracking_code


def test_it_filters_by_a_jalali_filing_date_range_both_ends_included(clerk_client, file_complaint):
    file_at(file_complaint, datetime(2026, 3, 20, 23, 0, tzinfo=TEHRAN))  # 29 Esfand 1404
    first_day = file_at(file_complaint, datetime(2026, 3, 21, 0, 5, tzinfo=TEHRAN))  # 1 Farvardin
    last_day = file_at(file_complaint, datetime(2026, 6, 21, 23, 50, tzinfo=TEHRAN))  # 31 Khordad
    file_at(file_complaint, datetime(2026, 6, 22, 0, 10, tzinfo=TEHRAN))  # 1 Tir

    spring = clerk_client.get(CHANGELIST, {"filed_from": "۱۴۰۵/۰۱/۰۱", "filed_to": "1405/3/31"})

    assert listed(spring) == {first_day, last_day}
    assert 'value="۱۴۰۵/۰۱/۰۱"' in spring.text  # what was typed stays in the form


def test_a_date_range_keeps_the_other_filters_and_the_search(clerk_client, file_complaint):
    response = clerk_client.get(
        CHANGELIST, {"filed_from": "1405/01/01", "status__exact": "received", "q": "چاله"}
    )

    assert '<input type="hidden" name="status__exact" value="received">' in response.text
    assert '<input type="hidden" name="q" value="چاله">' in response.text


def test_a_date_range_with_only_one_end_is_open_on_the_other(clerk_client, file_complaint):
    old = file_at(file_complaint, datetime(2025, 5, 1, 12, 0, tzinfo=TEHRAN))
    recent = file_at(file_complaint, datetime(2026, 10, 1, 12, 0, tzinfo=TEHRAN))

    assert listed(clerk_client.get(CHANGELIST, {"filed_from": "1405/01/01"})) == {recent}
    assert listed(clerk_client.get(CHANGELIST, {"filed_to": "1404/12/29"})) == {old}


def test_a_mistyped_date_is_left_out_with_a_warning(clerk_client, file_complaint):
    complaint = file_complaint()

    response = clerk_client.get(CHANGELIST, {"filed_from": "1405/13/40"})

    assert listed(response) == {complaint.tracking_code}
    assert [m.level_tag for m in response.context["messages"]] == ["warning"]


def test_it_finds_a_case_by_its_code_typed_in_persian_digits(clerk_client, file_complaint):
    wanted = file_complaint()
    file_complaint()

    response = clerk_client.get(CHANGELIST, {"q": to_persian_digits(wanted.tracking_code)})

    assert listed(response) == {wanted.tracking_code}


def test_it_finds_a_case_by_a_code_typed_with_spaces(clerk_client, file_complaint):
    wanted = file_complaint()
    code = wanted.tracking_code
    spaced = f"{code[:4]} {code[4:8]}-{code[8:]}"

    assert listed(clerk_client.get(CHANGELIST, {"q": spaced})) == {code}


@pytest.mark.parametrize("typed", ["۰۹۱۲ ۷۶۵ ۴۳۲۱", "+98 912 765 4321", "٠٩١٢٧٦٥٤٣٢١"])
def test_it_finds_cases_by_mobile_in_any_spelling(clerk_client, file_complaint, typed):
    wanted = file_complaint(mobile="09127654321")
    file_complaint(mobile="09121234567")

    assert listed(clerk_client.get(CHANGELIST, {"q": typed})) == {wanted.tracking_code}


def test_it_finds_cases_by_name_and_text_typed_with_arabic_letters(clerk_client, file_complaint):
    wanted = file_complaint(citizen_name="علی یزدانی", subject="درخت خشکیده")
    file_complaint()

    assert listed(clerk_client.get(CHANGELIST, {"q": "يزداني"})) == {wanted.tracking_code}
    assert listed(clerk_client.get(CHANGELIST, {"q": "خشکيده"})) == {wanted.tracking_code}


def test_a_unit_clerk_lists_only_the_cases_of_their_unit(unit_client, file_complaint, trees):
    ours = file_complaint()
    file_complaint(category=trees)

    assert listed(unit_client.get(CHANGELIST)) == {ours.tracking_code}


def test_the_desk_clerk_lists_every_unit(clerk_client, file_complaint, trees):
    file_complaint()
    file_complaint(category=trees)

    assert len(listed(clerk_client.get(CHANGELIST))) == 2


def test_staff_without_the_permission_cannot_see_the_list(outsider_client):
    assert outsider_client.get(CHANGELIST).status_code == 403


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(CHANGELIST)

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


@pytest.mark.parametrize("rows", [3, 40])
def test_the_list_runs_a_fixed_number_of_queries(
    unit_client, file_complaint, potholes, streets, django_assert_max_num_queries, rows
):
    lighting = ComplaintCategory.objects.create(title="روشنایی معابر", department=streets)
    for i in range(rows):
        file_complaint(category=lighting if i % 2 else potholes)
    query = {"overdue": "", "filed_from": "1400/01/01", "status__exact": "received"}

    # 14: the staff session's sliding expiry is written back on every back-office request.
    with django_assert_max_num_queries(14):
        response = unit_client.get(CHANGELIST, query)

    assert len(listed(response)) == rows


def test_the_category_and_reply_template_lists_load(admin_client, potholes):
    for name in ("complaintcategory", "replytemplate"):
        response = admin_client.get(reverse(f"admin:complaints_{name}_changelist"))
        assert response.status_code == 200
