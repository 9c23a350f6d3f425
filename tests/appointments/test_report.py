"""The meetings' part of the quarterly report against a quarter built by hand through the
services: spring 1405 (Farvardin to Khordad, 21 March to 21 June 2026), which opens with the
Nowruz holidays, compared with winter 1404 before it."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from appointments import reports, services
from desk.models import Holiday
from desk.reports import DAYS, Period, build_report

pytestmark = pytest.mark.django_db

TEHRAN = ZoneInfo("Asia/Tehran")
SPRING = Period(1405, 1)
WINTER = Period(1404, 4)
AUTUMN = Period(1405, 3)
# Esfand 29 (a Friday), Nowruz (1 to 4 Farvardin), the 12th and the Day of Nature (13th).
NOWRUZ_1405 = [date(2026, 3, 20), *(date(2026, 3, day) for day in range(21, 25))]
NOWRUZ_1405 += [date(2026, 4, 1), date(2026, 4, 2)]


def tehran(month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=TEHRAN)


@pytest.fixture
def clock(time_machine):
    return lambda moment: time_machine.move_to(moment, tick=False)


@pytest.fixture
def citizen(request_meeting):
    """File a request as a citizen, each with their own mobile number."""
    mobiles = iter(range(10**6))

    def file(host):
        return request_meeting(host=host, mobile=f"0912{next(mobiles):07d}")

    return file


@pytest.fixture
def spring(db, clock, citizen, make_session, mayor, deputy, office_clerk, streets):
    """The requests, in the order things happened:

    request  asked   filed                  then                                  wait
    M1       mayor   Mon 25 Esfand 10:00    approved for Wed 5 Farvardin, held    4
    M2       mayor   Fri 29 Esfand 23:50    declined
    M3       mayor   Sat 1 Farvardin 00:10  approved for Sun 23 Farvardin, held   14
    M4       mayor   Sat 8 Farvardin        approved for Sun 23 Farvardin, did    11
                                            not come
    M5       deputy  Sun 9 Farvardin        approved for Wed 26 Farvardin         13
    M6       deputy  Mon 10 Farvardin       referred to the streets unit
    M7       mayor   Tue 11 Farvardin       declined
    M10      mayor   Sat 15 Farvardin       approved, then cancelled by the citizen
    M8       mayor   Sun 31 Khordad 23:50   approved for Sun 7 Tir               6
    M9       mayor   Mon 1 Tir 00:10        summer: in no figure of spring

    The waits are in working days: Fridays, Esfand 29, 1-4, 12 and 13 Farvardin are closed.
    """
    for day in NOWRUZ_1405:
        Holiday.objects.create(date=day, title="تعطیلات نوروز")
    after_nowruz = make_session(date(2026, 3, 25))
    april = make_session(date(2026, 4, 12))
    deputy_day = make_session(date(2026, 4, 15), host=deputy)
    summer = make_session(date(2026, 6, 28))

    def approve(meeting, session):
        return services.approve_meeting(
            meeting, session=session, meeting_time=None, actor=office_clerk
        )

    clock(tehran(3, 16, 10))
    m1 = citizen(mayor)
    clock(tehran(3, 17))
    approve(m1, after_nowruz)
    clock(tehran(3, 20, 23, 50))
    m2 = citizen(mayor)
    clock(tehran(3, 21, 0, 10))
    m3 = citizen(mayor)
    clock(tehran(3, 25))
    services.decline_meeting(m2, actor=office_clerk, reason="در حیطه شهرداری نیست.")
    approve(m3, april)
    clock(tehran(3, 25, 10))
    services.mark_held(m1, actor=office_clerk)
    clock(tehran(3, 28))
    m4 = approve(citizen(mayor), april)
    clock(tehran(3, 29))
    approve(citizen(deputy), deputy_day)
    clock(tehran(3, 30))
    m6 = citizen(deputy)
    clock(tehran(3, 31))
    services.refer_meeting(m6, actor=office_clerk, department=streets)
    m7 = citizen(mayor)
    clock(tehran(4, 4))
    services.decline_meeting(m7, actor=office_clerk, reason="موضوع تکراری است.")
    m10 = approve(citizen(mayor), april)
    clock(tehran(4, 5))
    services.cancel_meeting(m10, reason="سفر هستم.")
    clock(tehran(4, 12, 10))
    services.mark_held(m3, actor=office_clerk)
    services.mark_no_show(m4, actor=office_clerk)
    clock(tehran(6, 21, 23, 50))
    m8 = citizen(mayor)
    clock(tehran(6, 22, 0, 10))
    citizen(mayor)
    clock(tehran(6, 22))
    approve(m8, summer)
    clock(tehran(11, 23))
    return {"mayor": str(mayor.pk), "deputy": str(deputy.pk)}


def figures(result) -> dict:
    return {figure.key: figure.value for figure in result.figures}


def test_the_quarter_counts_each_request_by_its_filing_time_in_tehran(spring):
    assert figures(reports.build(SPRING)) == {
        "received": 7,  # M3 (00:10 on 1 Farvardin) to M8 (23:50 on 31 Khordad)
        "approved": 5,  # M3, M4, M5, M8, and M10 before its cancellation
        "referred": 1,
        "declined": 1,
        "held": 1,
        "no_shows": 1,
        "cancelled": 1,
        "median_wait_days": 12.0,  # 6, 11, 13, 14: M10's cancelled meeting does not count
    }
    assert figures(reports.build(WINTER)) == {
        "received": 2,  # M1 and M2 (23:50 on 29 Esfand)
        "approved": 1,
        "referred": 0,
        "declined": 1,
        "held": 1,
        "no_shows": 0,
        "cancelled": 0,
        # 25 Esfand to 5 Farvardin: 26, 27, 28 Esfand and 5 Farvardin.
        "median_wait_days": 4.0,
    }


def test_the_wait_is_in_working_days_and_says_so(spring):
    wait = next(f for f in reports.build(SPRING).figures if f.key == "median_wait_days")
    assert wait.measure == DAYS
    assert "روزهای کاری" in str(wait.note)


def test_the_table_has_a_row_per_official_asked_for(spring):
    (table,) = reports.build(SPRING).tables
    assert table.key == "by_host"
    assert [(row.key, row.label) for row in table.rows] == [
        (spring["mayor"], "شهردار (علی رستمی)"),
        (spring["deputy"], "معاون خدمات شهری (سارا نوروزی)"),
    ]
    assert [row.values for row in table.rows] == [
        {
            "received": 5,
            "approved": 4,
            "referred": 0,
            "declined": 1,
            "held": 1,
            "median_wait_days": 11.0,
        },
        {
            "received": 2,
            "approved": 1,
            "referred": 1,
            "declined": 0,
            "held": 0,
            "median_wait_days": 13.0,
        },
    ]


def test_the_months_chart_follows_the_jalali_months(spring):
    (chart,) = reports.build(SPRING).charts
    assert chart.key == "by_month"
    assert chart.categories == ["فروردین", "اردیبهشت", "خرداد"]
    assert chart.series[0][1] == [6, 0, 1]
    assert reports.build(WINTER).charts[0].series[0][1] == [0, 0, 2]


def test_the_report_sets_each_figure_beside_the_previous_quarter(spring):
    report = build_report(SPRING)
    received = report.figure("meetings", "received")
    assert (received.value, received.previous, received.change) == (7, 2, 5)
    wait = report.figure("meetings", "median_wait_days")
    assert (wait.previous, wait.change) == (4.0, 8.0)
    (table,) = report.section("meetings").tables
    mayor, deputy = table.rows
    assert (mayor.previous["received"], mayor.change("received")) == (2, 3)
    assert deputy.change("received") is None  # nobody asked for the deputy in winter
    # "received" and "by_month" put the meetings beside the other kinds at a glance.
    glance = report.figure("overview", "received_meetings")
    assert (glance.value, glance.previous) == (7, 2)


def test_the_part_costs_the_same_queries_for_2_and_for_20_requests(
    citizen, make_session, mayor, deputy, office_clerk
):
    # The clock stands on Monday 2 Azar 1405; the sessions are next week.
    sessions = {
        host: make_session(host=host, capacity=20, slot_minutes=5) for host in (mayor, deputy)
    }

    def file(count: int) -> None:
        for number in range(count):
            host = (mayor, deputy)[number % 2]
            meeting = citizen(host)
            if number % 3 == 0:
                services.approve_meeting(
                    meeting, session=sessions[host], meeting_time=None, actor=office_clerk
                )
            elif number % 3 == 1:
                services.decline_meeting(meeting, actor=office_clerk, reason="تکراری")

    def queries() -> int:
        reports.build(AUTUMN)  # the holidays are read once, then kept in memory
        with CaptureQueriesContext(connection) as captured:
            reports.build(AUTUMN)
        return len(captured)

    file(2)
    few = queries()
    file(18)
    assert figures(reports.build(AUTUMN))["received"] == 20
    # The counts per host (totals and table), the hosts' names, the (host, dates) pairs.
    assert few == queries() == 3
