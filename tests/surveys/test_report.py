"""The satisfaction part of the quarterly report: the overall-satisfaction ratings given in
autumn 1405 (Mehr to Azar, 23 September to 21 December 2026), compared with summer before it.
An answer belongs to the quarter in which the citizen gave it, in Tehran time."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from desk.models import Department
from desk.reports import RATING, SHARE, Period, build_report
from surveys import reports, services
from surveys.models import Follows
from tests.surveys.conftest import questions_of, survey_for

pytestmark = pytest.mark.django_db

TEHRAN = ZoneInfo("Asia/Tehran")
AUTUMN = Period(1405, 3)
SUMMER = Period(1405, 2)
POTHOLES = ("complaint-category-1", "آسفالت و چاله معابر")
TREES = ("complaint-category-2", "فضای سبز و درختان")
MAYOR = ("meeting-host-1", "علی رستمی (شهردار)")


def tehran(month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=TEHRAN)


@pytest.fixture
def green(db):
    return Department.objects.create(name="سازمان فضای سبز", slug="green-space")


@pytest.fixture
def rate(invite, time_machine):
    """At `moment`, a citizen invited about a case of `kind` in `unit` about `service` gives
    `rating` as overall satisfaction (and answers the other required question)."""

    def answer(moment, kind, unit, service, rating):
        time_machine.move_to(moment, tick=False)
        invitation = invite(kind, unit=unit, service_key=service[0], service_label=service[1])
        asked = questions_of(invitation.survey)
        answers = {asked["headline"].pk: rating}
        if "yes_no" in asked:
            answers[asked["yes_no"].pk] = True
        return services.answer_invitation(invitation, answers=answers)

    return answer


@pytest.fixture
def rate_the_desk(time_machine):
    def answer(moment, rating):
        time_machine.move_to(moment, tick=False)
        survey = survey_for(Follows.GENERAL)
        return services.answer_general(
            survey, answers={questions_of(survey)["headline"].pk: rating}
        )

    return answer


@pytest.fixture
def answered(rate, rate_the_desk, streets, green):
    """Eight answers:

    when (Tehran)             about      unit     service   rating  quarter
    31 Shahrivar 23:50        complaint  streets  potholes  2       summer
    20 Shahrivar              complaint  green    trees     4       summer
    1 Mehr 00:10              complaint  streets  potholes  5       autumn
    10 Mehr                   complaint  streets  potholes  4       autumn
    15 Aban                   complaint  green    trees     2       autumn
    20 Aban                   complaint  green    trees     3       autumn
    25 Aban                   meeting    (none)   mayor     4       autumn
    27 Aban                   the desk   (none)   (none)    5       autumn
    """
    c, m = Follows.COMPLAINT, Follows.MEETING
    rate(tehran(9, 22, 23, 50), c, streets, POTHOLES, 2)
    rate(tehran(9, 11), c, green, TREES, 4)
    rate(tehran(9, 23, 0, 10), c, streets, POTHOLES, 5)
    rate(tehran(10, 2), c, streets, POTHOLES, 4)
    rate(tehran(11, 6), c, green, TREES, 2)
    rate(tehran(11, 11), c, green, TREES, 3)
    rate(tehran(11, 16), m, None, MAYOR, 4)
    rate_the_desk(tehran(11, 18), 5)


def figures(result) -> dict:
    return {figure.key: (figure.value, figure.measure) for figure in result.figures}


def rows(table) -> list:
    return [(row.key, str(row.label), row.values) for row in table.rows]


def test_the_overall_figures_count_the_answers_given_in_the_quarter(answered):
    assert figures(reports.build(AUTUMN)) == {
        "responses": (6, "count"),
        "mean_rating": (pytest.approx(23 / 6), RATING),  # 5+4+2+3+4+5
        "satisfied_share": (pytest.approx(4 / 6), SHARE),  # 5, 4, 4, 5
    }
    assert figures(reports.build(SUMMER)) == {
        "responses": (2, "count"),  # 23:50 on 31 Shahrivar is still summer
        "mean_rating": (3.0, RATING),
        "satisfied_share": (0.5, SHARE),
    }


def test_the_tables_per_unit_and_per_service_put_the_unnamed_group_last(answered, streets, green):
    unit_table, service_table = reports.build(AUTUMN).tables
    assert (unit_table.key, service_table.key) == ("by_unit", "by_service")
    with translation.override("en"):
        by_unit, by_service = rows(unit_table), rows(service_table)
    assert by_unit == [
        (
            str(green.pk),
            "سازمان فضای سبز",
            {"responses": 2, "mean_rating": 2.5, "satisfied_share": 0.0},
        ),
        (
            str(streets.pk),
            "معاونت خدمات شهری",
            {"responses": 2, "mean_rating": 4.5, "satisfied_share": 1.0},
        ),
        # The meeting sent to no unit and the general survey.
        ("none", "no unit", {"responses": 2, "mean_rating": 4.5, "satisfied_share": 1.0}),
    ]
    assert [(key, label, values["responses"]) for key, label, values in by_service] == [
        ("complaint-category-1", "آسفالت و چاله معابر", 2),
        ("meeting-host-1", "علی رستمی (شهردار)", 1),
        ("complaint-category-2", "فضای سبز و درختان", 2),
        ("none", "the desk in general", 1),
    ]


def test_the_chart_shows_the_share_satisfied_per_unit(answered):
    (chart,) = reports.build(AUTUMN).charts
    assert (chart.key, chart.kind, chart.measure) == ("satisfaction_by_unit", "bars", SHARE)
    with translation.override("en"):
        categories = [str(label) for label in chart.categories]
    assert categories == [
        "سازمان فضای سبز",
        "معاونت خدمات شهری",
        "no unit",
    ]
    assert chart.series[0][1] == [0.0, 1.0, 1.0]


def test_the_report_compares_with_the_quarter_before(answered, streets):
    report = build_report(AUTUMN)
    satisfied = report.figure("satisfaction", "satisfied_share")
    assert satisfied.previous == 0.5
    assert satisfied.change == pytest.approx(4 / 6 - 0.5)
    by_unit = next(t for t in report.section("satisfaction").tables if t.key == "by_unit")
    streets_row = next(row for row in by_unit.rows if row.key == str(streets.pk))
    assert streets_row.previous["mean_rating"] == 2.0
    assert streets_row.change("responses") == 1  # 2 in autumn, 1 in summer


def test_the_part_costs_the_same_queries_for_2_and_for_20_answers(rate, streets, green):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            reports.build(AUTUMN)
        return len(captured)

    for number in range(20):
        if number == 2:
            few = queries()
        unit, service = [(streets, POTHOLES), (green, TREES)][number % 2]
        rate(tehran(10, 1 + number), Follows.COMPLAINT, unit, service, 1 + number % 5)
    assert figures(reports.build(AUTUMN))["responses"][0] == 20
    assert few == queries() == 2  # the counts per unit and service (totals, both tables), the names
