"""The service requests' part of the quarterly report and the service cards' part of its
compliance section, against a quarter built by hand through the services: spring 1405
(Farvardin to Khordad, 21 March to 21 June 2026), which opens with the Nowruz holidays,
compared with winter 1404 before it."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from desk.jalali import format_jalali_long
from desk.models import Holiday
from desk.reports import Period, build_report
from processes import reports, services
from processes.models import DocumentReview, RequiredDocument, ServiceFee, ServiceStep
from tests.processes.conftest import NATIONAL_CODE, pdf_upload

pytestmark = pytest.mark.django_db

TEHRAN = ZoneInfo("Asia/Tehran")
SPRING = Period(1405, 1)
WINTER = Period(1404, 4)
SUMMER = Period(1405, 2)
AUTUMN = Period(1405, 3)
# Esfand 29 (a Friday), Nowruz (1 to 4 Farvardin), the 12th and the Day of Nature (13th).
NOWRUZ_1405 = [date(2026, 3, 20), *(date(2026, 3, day) for day in range(21, 25))]
NOWRUZ_1405 += [date(2026, 4, 1), date(2026, 4, 2)]


def tehran(month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=TEHRAN)


@pytest.fixture
def nowruz(db):
    for day in NOWRUZ_1405:
        Holiday.objects.create(date=day, title="تعطیلات نوروز")


@pytest.fixture
def licence_card(add_service):
    """A second card, 7 working days, online, asking no document."""
    return add_service(
        title="صدور پروانه کسب", slug="licence", duration_days=7, accepts_online_requests=True
    )


@pytest.fixture
def clock(time_machine):
    return lambda moment: time_machine.move_to(moment, tick=False)


@pytest.fixture
def citizen(file_request, licence_card):
    """File a request as a citizen: for the 5-day certificate (with its documents) or, with
    `licence=True`, for the 7-day licence."""
    mobiles = iter(range(10**6))

    def file(*, licence: bool = False):
        mobile = f"0912{next(mobiles):07d}"
        if not licence:
            return file_request(mobile=mobile)
        return services.submit_service_request(
            service=licence_card,
            citizen_name="رضا صادقی",
            mobile=mobile,
            national_code=NATIONAL_CODE,
        )

    return file


def accept_all(request, actor):
    verdicts = {slot.pk: (DocumentReview.ACCEPTED, "") for slot in request.documents.all()}
    return services.review_documents(request, verdicts=verdicts, actor=actor)


@pytest.fixture
def spring(nowruz, citizen, reviewer, clock, online_card, licence_card, deed):
    """The requests, in the order things happened (certificate: 5 working days, licence: 7):

    request  card         filed                     then
    P1       certificate  Wed 27 Esfand 10:00       completed Sat 8 Farvardin (4 working days
                                                    across Nowruz; expected 9 Farvardin)
    P2       certificate  Fri 29 Esfand 23:50       left open (winter's last minutes)
    C1       certificate  Sat 1 Farvardin 00:10     deed refused, sent again 8 Farvardin (the
                                                    expected date moves from 10 to 16
                                                    Farvardin), completed 16 Farvardin: 8
                                                    working days, on time; its inquiry
                                                    answered 15 Farvardin
    C2       certificate  Mon 17 Farvardin          completed Tue 25 Farvardin: 7 working
                                                    days, late (expected 23 Farvardin); its
                                                    inquiry answered 2 Tir, after the quarter
    C3       licence      Tue 18 Farvardin          rejected the next day; its inquiry never
                                                    answered
    C4       licence      Sun 31 Khordad 23:50      left open; an inquiry sent 1 Tir
    N1       licence      Mon 1 Tir 00:10           summer: in no figure of spring
    """
    clock(tehran(3, 18, 10))
    p1 = citizen()
    clock(tehran(3, 19))
    accept_all(p1, reviewer)
    clock(tehran(3, 20, 23, 50))
    citizen()
    clock(tehran(3, 21, 0, 10))
    c1 = citizen()

    clock(tehran(3, 25))
    services.mark_ready(p1, ready_date=date(2026, 3, 28), actor=reviewer)
    deed_slot = c1.documents.get(name=deed.name)
    refused = {deed_slot.pk: (DocumentReview.REFUSED, "سند خوانا نیست.")}
    services.review_documents(c1, verdicts=refused, actor=reviewer)
    clock(tehran(3, 28))
    services.complete_request(p1, actor=reviewer)
    services.resubmit_documents(c1, replacements={deed_slot.pk: pdf_upload()})
    clock(tehran(3, 29))
    accept_all(c1, reviewer)
    c1_inquiry = services.record_inquiry(
        c1, agency="اداره ثبت", subject="استعلام سند", sent_on=date(2026, 3, 29), actor=reviewer
    )
    clock(tehran(4, 4))
    services.record_inquiry_answer(
        c1_inquiry, answered_on=date(2026, 4, 4), result="سند معتبر است.", actor=reviewer
    )
    services.mark_ready(c1, ready_date=date(2026, 4, 5), actor=reviewer)
    clock(tehran(4, 5, 10))
    services.complete_request(c1, actor=reviewer)

    clock(tehran(4, 6))
    c2 = citizen()
    clock(tehran(4, 7))
    accept_all(c2, reviewer)
    c2_inquiry = services.record_inquiry(
        c2, agency="اداره ثبت", subject="استعلام سند", sent_on=date(2026, 4, 7), actor=reviewer
    )
    c3 = citizen(licence=True)
    services.record_inquiry(
        c3, agency="آتش‌نشانی", subject="ایمنی محل", sent_on=date(2026, 4, 7), actor=reviewer
    )
    clock(tehran(4, 8))
    services.reject_request(c3, actor=reviewer, reason="کاربری ملک تجاری نیست.")
    clock(tehran(4, 13))
    services.mark_ready(c2, ready_date=date(2026, 4, 14), actor=reviewer)
    clock(tehran(4, 14, 11))
    services.complete_request(c2, actor=reviewer)

    clock(tehran(6, 21, 23, 50))
    c4 = citizen(licence=True)
    clock(tehran(6, 22, 0, 10))
    citizen(licence=True)
    clock(tehran(6, 22))
    services.record_inquiry(
        c4, agency="آتش‌نشانی", subject="ایمنی محل", sent_on=date(2026, 6, 22), actor=reviewer
    )
    clock(tehran(6, 23))
    services.record_inquiry_answer(
        c2_inquiry, answered_on=date(2026, 6, 23), result="سند معتبر است.", actor=reviewer
    )
    clock(tehran(11, 18))
    return {"certificate": online_card, "licence": licence_card}


def figures(result) -> dict:
    return {figure.key: figure.value for figure in result.figures}


def rows(table) -> dict:
    return {row.key: row.values for row in table.rows}


def test_the_quarter_counts_each_request_by_its_filing_time_in_tehran(spring):
    assert figures(reports.build(SPRING)) == {
        "received": 4,  # C1 (00:10 on 1 Farvardin) to C4 (23:50 on 31 Khordad)
        "completed": 2,
        "rejected": 1,
        # C1 finished by its expected date, moved by the corrected documents; C2 late.
        "on_time_share": 0.5,
        "corrections": 1,
        # 8 and 7 working days: the Nowruz holidays and Fridays do not count.
        "median_days": 7.5,
        # C2's (answered after the quarter) and C3's (never); C1's was answered, C4's sent
        # after the quarter's end.
        "open_inquiries": 2,
        "open_at_end": 1,  # C4
    }
    assert figures(reports.build(WINTER)) == {
        "received": 2,  # P1 and P2 (23:50 on 29 Esfand)
        "completed": 1,
        "rejected": 0,
        "on_time_share": 1.0,
        "corrections": 0,
        "median_days": 4.0,  # 27 Esfand to 8 Farvardin: 28 Esfand, 5, 6 and 8 Farvardin
        "open_inquiries": 0,
        "open_at_end": 2,  # P1 was completed after winter ended
    }


def test_the_table_has_a_row_per_service_with_its_published_duration(spring):
    table = reports.build(SPRING).tables[0]
    assert table.key == "by_service"
    assert [column.key for column in table.columns] == [
        "received",
        "completed",
        "rejected",
        "on_time_share",
        "corrections",
        "median_days",
        "published_days",
        "open_inquiries",
    ]
    certificate, licence = str(spring["certificate"].pk), str(spring["licence"].pk)
    assert rows(table) == {
        certificate: {
            "received": 2,
            "completed": 2,
            "rejected": 0,
            "on_time_share": 0.5,
            "corrections": 1,
            "median_days": 7.5,
            "published_days": 5,
            "open_inquiries": 1,
        },
        licence: {
            "received": 2,
            "completed": 0,
            "rejected": 1,
            "on_time_share": None,
            "corrections": 0,
            "median_days": None,
            "published_days": 7,
            "open_inquiries": 1,
        },
    }


def test_the_months_chart_follows_the_jalali_months(spring):
    (chart,) = reports.build(SPRING).charts
    assert chart.key == "by_month"
    assert chart.categories == ["فروردین", "اردیبهشت", "خرداد"]
    assert chart.series[0][1] == [3, 0, 1]
    (winter_chart,) = reports.build(WINTER).charts
    assert winter_chart.series[0][1] == [0, 0, 2]


def test_the_report_sets_each_figure_and_row_beside_the_previous_quarter(spring):
    report = build_report(SPRING)
    received = report.figure("service_requests", "received")
    assert (received.value, received.previous, received.change) == (4, 2, 2)
    on_time = report.figure("service_requests", "on_time_share")
    assert (on_time.value, on_time.previous, on_time.change) == (0.5, 1.0, -0.5)
    median = report.figure("service_requests", "median_days")
    assert (median.previous, median.change) == (4.0, 3.5)
    table = next(t for t in report.section("service_requests").tables if t.key == "by_service")
    by_key = {row.key: row for row in table.rows}
    certificate, licence = by_key[str(spring["certificate"].pk)], by_key[str(spring["licence"].pk)]
    assert certificate.change("received") == 0  # two in winter, two in spring
    assert licence.previous == {} and licence.change("received") is None
    glance = report.figure("overview", "received_service_requests")
    assert (glance.value, glance.previous) == (4, 2)


def test_the_part_costs_the_same_queries_for_2_and_for_20_requests(citizen, reviewer, clock):
    clock(tehran(11, 18))
    today = date(2026, 11, 18)  # a Wednesday of autumn 1405

    def file(count: int) -> None:
        for number in range(count):
            request = citizen(licence=number % 2 == 1)
            services.record_inquiry(
                request, agency="اداره ثبت", subject="استعلام", sent_on=today, actor=reviewer
            )
            if number % 3 == 0:
                accept_all(request, reviewer)
                services.mark_ready(request, ready_date=today, actor=reviewer)
                services.complete_request(request, actor=reviewer)

    def queries() -> int:
        reports.build(AUTUMN)  # the holidays are read once, then kept in memory
        with CaptureQueriesContext(connection) as captured:
            reports.build(AUTUMN)
        return len(captured)

    file(2)
    few = queries()
    file(18)
    assert figures(reports.build(AUTUMN))["received"] == 20
    # The counts per service (the totals and the table), the services' titles and
    # durations, the inquiries, the (service, dates) pairs.
    assert few == queries() == 4


# --- compliance: the service cards ----------------------------------------------------------------


@pytest.fixture
def cards(add_service, clock):
    """Four published cards and a draft, on Wednesday 27 Aban 1405 (18 November 2026):

    card       steps  documents  fees            last reviewed
    complete   1      1          a fee row       1 June 2026
    free       1      1          a note          1 October 2025: current at summer's end
                                                 (22 September 2026), not today
    bare       -      -          -               never
    stale      1      1          a fee row       10 January 2025
    draft      -      -          -               never (not published: in no figure)
    """
    clock(tehran(11, 18))

    def card(slug: str, order: int, *, parts: bool = True, fee: bool = True, **fields):
        service = add_service(title=f"خدمت {slug}", slug=slug, order=order, **fields)
        if parts:
            ServiceStep.objects.create(service=service, title="ثبت درخواست")
            RequiredDocument.objects.create(service=service, name="کارت ملی")
        if parts and fee:
            ServiceFee.objects.create(service=service, title="عوارض", amount_rials=500_000)
        return service

    return [
        card("complete", 1, last_reviewed=date(2026, 6, 1)),
        card("free", 2, fee=False, fee_note="رایگان", last_reviewed=date(2025, 10, 1)),
        card("bare", 3, parts=False, last_reviewed=None),
        card("stale", 4, last_reviewed=date(2025, 1, 10)),
        card("draft", 5, parts=False, last_reviewed=None, published=False),
    ]


def test_cards_complete_and_reviewed_as_of_the_quarters_end(cards):
    assert figures(reports.build_compliance(SUMMER)) == {
        "published_cards": 4,
        "cards_complete_share": 0.75,  # all but the bare card
        "cards_reviewed_share": 0.5,  # complete, and free (within the year before 31 Shahrivar)
    }
    # Autumn is not over: as of today, the free card is overdue.
    assert figures(reports.build_compliance(AUTUMN)) == {
        "published_cards": 4,
        "cards_complete_share": 0.75,
        "cards_reviewed_share": 0.25,
    }


def test_the_cards_that_fall_short_are_listed_with_the_reasons(cards):
    with translation.override("en"):
        (autumn,) = reports.build_compliance(AUTUMN).lists
        (summer,) = reports.build_compliance(SUMMER).lists
    assert autumn.key == "cards_falling_short"
    assert autumn.items == [
        f"خدمت free: last reviewed on {format_jalali_long(date(2025, 10, 1))}",
        "خدمت bare: no steps, no documents, no fees and no note on fees, never reviewed",
        f"خدمت stale: last reviewed on {format_jalali_long(date(2025, 1, 10))}",
    ]
    assert [item.split(":")[0] for item in summer.items] == ["خدمت bare", "خدمت stale"]


def test_the_review_share_is_compared_with_the_quarter_before(cards):
    report = build_report(AUTUMN)
    assert [part.key for part in report.section("compliance").figures][:3] == [
        "published_cards",
        "cards_complete_share",
        "cards_reviewed_share",
    ]
    reviewed = report.figure("compliance", "cards_reviewed_share")
    assert (reviewed.value, reviewed.previous, reviewed.change) == (0.25, 0.5, -0.25)
    # The cards keep no history of their parts: the same value for both quarters.
    complete = report.figure("compliance", "cards_complete_share")
    assert (complete.previous, complete.change) == (0.75, 0.0)


def test_the_compliance_part_costs_two_queries_however_many_cards(cards, add_service):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            reports.build_compliance(AUTUMN)
        return len(captured)

    few = queries()
    for number in range(20):
        add_service(title=f"خدمت {number}", slug=f"more-{number}", last_reviewed=None)
    assert few == queries() == 2
