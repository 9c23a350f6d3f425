"""/reports/: the quarterly report's page, its Excel file and who may read them (issue 15)."""

import io
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import time_machine
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from complaints import services
from desk.roles import CONTENT_EDITOR, DESK_CLERK, MANAGER, UNIT_STAFF
from tests.complaints.conftest import file_complaint, potholes  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

TEHRAN = ZoneInfo("Asia/Tehran")
NOW = datetime(2026, 12, 2, 10, 0, tzinfo=TEHRAN)  # 1405/09/11: autumn, so summer is the last
LATIN_DIGIT = re.compile(r"[0-9]")


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def member(django_user_model, role, name: str):
    user = django_user_model.objects.create_user(name, password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=role.name))
    return user


@pytest.fixture
def manager(django_user_model):
    return member(django_user_model, MANAGER, "manager")


@pytest.fixture
def summer(file_complaint, django_user_model):  # noqa: F811
    """Three complaints filed in summer 1405, one answered; one in spring."""
    clerk = django_user_model.objects.create_user("clerk", is_staff=True)
    for moment, mobile in (("2026-07-05", "1"), ("2026-08-10", "2"), ("2026-09-01", "3")):
        with time_machine.travel(datetime.fromisoformat(f"{moment} 10:00+03:30"), tick=False):
            case = file_complaint(mobile=f"0912000000{mobile}")
    with time_machine.travel(datetime.fromisoformat("2026-09-02 10:00+03:30"), tick=False):
        services.start_review(case, actor=clerk)
        services.answer_complaint(case, actor=clerk, answer="انجام شد.")
    with time_machine.travel(datetime.fromisoformat("2026-05-01 10:00+03:30"), tick=False):
        file_complaint(mobile="09120000009")


def report_text(html: str) -> str:
    body = html[html.index('<div class="report"') :]
    return re.sub(r"<[^>]+>", " ", re.sub(r"<svg.*?</svg>", " ", body, flags=re.S))


def test_the_manager_reads_the_last_finished_quarter_in_persian(client, manager, summer):
    client.force_login(manager)
    response = client.get("/reports/")

    assert response.status_code == 200
    html = response.text
    assert "تابستان ۱۴۰۵ (تیر تا شهریور)" in html
    assert "در مقایسه با بهار ۱۴۰۵" in html
    received = re.search(r'id="figure-complaints-received">(.*?)</tr>', html, re.S).group(1)
    assert re.findall(r'<td class="number">(?:<bdi>)?([^<]*)', received) == ["۳", "۱", "+۲"]
    # Every number of the report in Persian digits (the charts' coordinates aside).
    text = report_text(html)
    assert not LATIN_DIGIT.search(text), text[LATIN_DIGIT.search(text).start() - 80 :][:160]
    assert "امضا و تاریخ" in html and "گزارش عملکرد میز خدمت" in html
    # Its charts are drawn on the server: no script needed to read them.
    assert html.count("<svg") >= 2 and "چاپ" in html


def test_a_quarter_typed_in_persian_digits_is_read(client, manager, summer):
    client.force_login(manager)
    response = client.get("/reports/", {"year": "۱۴۰۵", "quarter": "1"})

    assert "بهار ۱۴۰۵ (فروردین تا خرداد)" in response.text
    assert 'value="۱۴۰۵"' in response.text


@pytest.mark.parametrize(
    ("year", "quarter", "said"),
    [
        ("1405", "4", "زمستان ۱۴۰۵ هنوز آغاز نشده است"),
        ("سال", "1", "سال را به شمسی بنویسید"),
        ("1405", "9", ""),
    ],
)
def test_a_quarter_that_cannot_be_shown_is_said_and_the_last_one_shown(
    client, manager, year, quarter, said
):
    client.force_login(manager)
    response = client.get("/reports/", {"year": year, "quarter": quarter})

    assert response.status_code == 200
    assert said in response.text
    assert "errorlist" in response.text or "errornote" in response.text
    assert "تابستان ۱۴۰۵ (تیر تا شهریور)" in response.text
    assert f'value="{year}"' in response.text  # what was typed is kept


@pytest.mark.parametrize("role", [DESK_CLERK, UNIT_STAFF, CONTENT_EDITOR], ids=lambda r: r.key)
def test_other_roles_are_refused(client, django_user_model, role):
    client.force_login(member(django_user_model, role, role.key))
    assert client.get("/reports/").status_code == 403
    assert client.get("/reports/excel/").status_code == 403


def test_a_visitor_is_sent_to_log_in(client):
    response = client.get("/reports/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_the_excel_file_reads_back_right_to_left_with_numbers_as_numbers(client, manager, summer):
    client.force_login(manager)
    response = client.get("/reports/excel/", {"year": "1405", "quarter": "2"})

    assert response.status_code == 200
    assert 'filename="quarterly-report-1405-q2.xlsx"' in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[0] == "خلاصه"
    assert "شکایت، انتقاد و پیشنهاد" in book.sheetnames
    assert all(sheet.sheet_view.rightToLeft for sheet in book.worksheets)
    sheet = book["شکایت، انتقاد و پیشنهاد"]
    rows = {row[0].value: row for row in sheet.iter_rows() if row[0].value}
    received = rows["ثبت شده"]
    assert [cell.value for cell in received[1:4]] == [3, 1, 2]
    on_time = rows["پاسخ در مهلت"]
    assert on_time[1].value == 1.0 and on_time[1].number_format == "0%"
    assert rows["به تفکیک واحد مسئول"] is not None


def test_the_page_costs_the_same_queries_for_few_or_many_cases(
    client,
    manager,
    file_complaint,  # noqa: F811
):
    client.force_login(manager)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/reports/").status_code == 200
        return len(captured)

    def file(count: int, start: int) -> None:
        for n in range(count):
            moment = datetime(2026, 7, 1 + n % 28, 10, 0, tzinfo=TEHRAN)
            with time_machine.travel(moment, tick=False):
                file_complaint(mobile=f"0912{start + n:07d}")

    file(2, 0)
    queries()  # the site profile and the permissions, then kept
    few = queries()
    file(18, 100)
    assert queries() == few
