"""The complaints' part of the quarterly report, every figure against a hand-built quarter.

Spring 1405 (Farvardin to Khordad: 21 March to 21 June 2026) and the winter before it, with
the Nowruz holidays (1 to 4 and 12, 13 Farvardin) in the calendar and Friday the weekend:

    A  filed 1404/12/29 23:50 (winter)     answered 1405/01/05: 1 working day (Nowruz skipped)
    B  filed 1405/01/01 00:10              reviewed, answered 01/08 (3 working days), closed
    C  filed 1405/01/16, criticism, desk   referred to green space, answered 02/10 (22 working
                                           days, past its 04-16 deadline), objected to 02/12
    D  filed 1405/03/31 23:50, suggestion  untouched: open at the quarter's end
    E  filed 1405/02/20                    not our jurisdiction the next day
    F  filed 1405/04/01 00:10              summer: not in spring
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from complaints import reports, services
from complaints.models import Kind, Outcome
from desk.cases.models import Channel
from desk.models import Holiday
from desk.reports import DAYS, SHARE, Period, build_report

pytestmark = pytest.mark.django_db

TEHRAN = ZoneInfo("Asia/Tehran")
SPRING = Period(1405, 1)
NOWRUZ = [date(2026, 3, d) for d in (21, 22, 23, 24)] + [date(2026, 4, 1), date(2026, 4, 2)]


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TEHRAN)


@pytest.fixture
def nowruz(db):
    for day in NOWRUZ:
        Holiday.objects.update_or_create(date=day, defaults={"title": "نوروز", "is_active": True})


@pytest.fixture
def spring(nowruz, file_complaint, desk_clerk, green_space, sms_outbox):
    def on(moment, action, *args, **kwargs):
        with time_machine.travel(at(moment), tick=False):
            return action(*args, **kwargs)

    clerk = desk_clerk
    a = on("2026-03-20 23:50", file_complaint, mobile="09120000001")
    on("2026-03-25 10:00", services.start_review, a, actor=clerk)
    on("2026-03-25 10:05", services.answer_complaint, a, actor=clerk, answer="ترمیم شد.")

    b = on("2026-03-21 00:10", file_complaint, mobile="09120000002")
    on("2026-03-25 09:00", services.start_review, b, actor=clerk)
    on("2026-03-28 09:00", services.answer_complaint, b, actor=clerk, answer="ترمیم شد.")
    on("2026-03-29 09:00", services.close_complaint, b, actor=clerk, outcome=Outcome.RESOLVED)

    c = on(
        "2026-04-05 10:00",
        file_complaint,
        mobile="09120000003",
        kind=Kind.CRITICISM,
        channel=Channel.WALK_IN,
    )
    on("2026-04-06 10:00", services.refer_complaint, c, department=green_space, actor=clerk)
    on("2026-04-30 10:00", services.answer_complaint, c, actor=clerk, answer="بررسی شد.")
    on("2026-05-02 10:00", services.reopen_complaint, c, reason="کاری انجام نشد.")

    on("2026-06-21 23:50", file_complaint, mobile="09120000004", kind=Kind.SUGGESTION)
    e = on("2026-05-10 10:00", file_complaint, mobile="09120000005")
    on("2026-05-11 10:00", services.mark_out_of_jurisdiction, e, actor=clerk, guidance="۱۲۱")
    on("2026-06-22 00:10", file_complaint, mobile="09120000006")


def figures(result) -> dict:
    return {figure.key: figure.value for figure in result.figures}


def rows(result, table: str) -> dict:
    found = next(t for t in result.tables if t.key == table)
    return {str(row.label): row.values for row in found.rows}


def test_every_figure_of_spring(spring):
    with time_machine.travel(at("2026-07-01 09:00"), tick=False):
        result = reports.build(SPRING)

    assert figures(result) == {
        "received": 4,  # B, C, D, E: not A (winter, ten minutes before), not F (summer)
        "answered": 2,  # B, C
        "closed": 1,
        "closed_resolved": 1,
        "closed_not_resolved": 0,
        "closed_no_action": 0,
        "open_at_end": 2,  # C (objected to, not answered again) and D
        "median_days": 12.5,  # 3 and 22 working days
        "p90_days": 22,
        "on_time_share": 0.5,  # B by its 1405/01/18 deadline, C not
        "referred": 1,
        "out_of_jurisdiction": 1,
        "reopen_share": pytest.approx(1 / 3),  # C, of B, C and E
    }
    assert rows(result, "by_kind") == {
        "شکایت": {"received": 2},
        "انتقاد": {"received": 1},
        "پیشنهاد": {"received": 1},
        "تقدیر و تشکر": {"received": 0},
    }
    assert rows(result, "by_channel")["حضوری در میز خدمت"] == {"received": 1}
    assert rows(result, "by_channel")["وبگاه"] == {"received": 3}
    assert rows(result, "by_unit") == {
        "سازمان فضای سبز": {
            "received": 1,
            "answered": 1,
            "on_time_share": 0.0,
            "open_at_end": 1,
        },
        "معاونت خدمات شهری": {
            "received": 3,
            "answered": 1,
            "on_time_share": 1.0,
            "open_at_end": 1,
        },
    }
    by_month = next(chart for chart in result.charts if chart.key == "by_month")
    assert by_month.categories == ["فروردین", "اردیبهشت", "خرداد"]
    assert by_month.series[0][1] == [2, 1, 1]
    on_time = next(chart for chart in result.charts if chart.key == "on_time_by_unit")
    assert (on_time.measure, on_time.series[0][1]) == (SHARE, [0.0, 1.0])


def test_each_figure_sits_beside_the_winter_before(spring):
    with time_machine.travel(at("2026-07-01 09:00"), tick=False):
        report = build_report(SPRING)

    received = report.figure("complaints", "received")
    assert (received.value, received.previous, received.change) == (4, 1, 3)
    median = report.figure("complaints", "median_days")
    assert (median.measure, median.previous, median.change) == (DAYS, 1, 11.5)
    on_time = report.figure("complaints", "on_time_share")
    assert (on_time.previous, on_time.change) == (1.0, -0.5)
    overview = report.figure("overview", "received_complaints")
    assert (overview.value, overview.previous) == (4, 1)
    volumes = report.section("overview").charts[0]
    assert dict(volumes.series)["شکایت، انتقاد و پیشنهاد"] == [2, 1, 1]
    units = next(t for t in report.section("complaints").tables if t.key == "by_unit")
    streets = next(row for row in units.rows if row.label == "معاونت خدمات شهری")
    assert streets.previous["received"] == 1 and streets.change("received") == 2


def test_a_case_reopened_after_the_quarter_was_not_open_at_its_end(
    nowruz, file_complaint, desk_clerk
):
    with time_machine.travel(at("2026-06-10 10:00"), tick=False):
        case = file_complaint()
        services.start_review(case, actor=desk_clerk)
        services.answer_complaint(case, actor=desk_clerk, answer="انجام شد.")
    with time_machine.travel(at("2026-06-23 10:00"), tick=False):
        services.reopen_complaint(case, reason="انجام نشد.")
        result = reports.build(SPRING)

    assert figures(result)["open_at_end"] == 0
    assert figures(result)["reopen_share"] == 1.0


def test_the_query_count_does_not_grow_with_the_cases(nowruz, file_complaint, desk_clerk):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            reports.build(SPRING)
        return len(captured)

    def file(count: int, start: int) -> None:
        for n in range(count):
            with time_machine.travel(at(f"2026-04-{10 + n % 15:02d} 10:00"), tick=False):
                case = file_complaint(mobile=f"0912{start + n:07d}")
                services.start_review(case, actor=desk_clerk)
                services.answer_complaint(case, actor=desk_clerk, answer="انجام شد.")

    file(2, 0)
    queries()  # the working calendar's holidays, read once and kept by the process
    few = queries()
    file(18, 100)
    assert queries() == few
