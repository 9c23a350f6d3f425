"""The contacts' part of the quarterly report's compliance section: the active units a
citizen cannot reach, having no public number in the directory, as the directory is now."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contacts import reports
from desk.models import Department
from desk.reports import Period, build_report

pytestmark = pytest.mark.django_db

AUTUMN = Period(1405, 3)


@pytest.fixture
def directory(add_contact, revenue, green_space):
    """revenue: a public number; green space: only an internal one; works: nothing at all;
    an inactive unit with nothing is not the directory's business."""
    add_contact()
    add_contact(unit=green_space, role="مدیر", is_public=False)
    Department.objects.create(name="معاونت فنی و عمرانی", slug="works")
    Department.objects.create(name="واحد منحل", slug="closed", is_active=False)


@pytest.fixture(autouse=True)
def _in_autumn(time_machine):
    time_machine.move_to("2026-11-18 09:00 +03:30", tick=False)


def test_units_with_no_public_contact_are_counted_and_listed(directory):
    result = reports.build(AUTUMN)
    (figure,) = result.figures
    assert (figure.key, figure.value) == ("units_without_public_contact", 2)
    (listing,) = result.lists
    assert listing.key == "units_without_public_contact"
    assert listing.items == ["سازمان فضای سبز", "معاونت فنی و عمرانی"]


def test_a_directory_with_every_unit_reachable_lists_none(add_contact):
    add_contact()
    result = reports.build(AUTUMN)
    assert result.figures[0].value == 0
    assert result.lists[0].items == []


def test_the_figure_is_as_of_now_so_the_quarter_before_is_the_same(directory):
    figure = build_report(AUTUMN).figure("compliance", "units_without_public_contact")
    assert (figure.value, figure.previous, figure.change) == (2, 2, 0)
    assert "به وضع کنونی" in str(figure.note)


def test_the_part_costs_the_same_queries_for_2_and_for_20_units(add_contact):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            reports.build(AUTUMN)
        return len(captured)

    def add_units(numbers: range) -> None:
        for number in numbers:
            unit = Department.objects.create(name=f"واحد {number}", slug=f"unit-{number}")
            if number % 2:
                add_contact(unit=unit)

    add_contact()  # the revenue unit's
    add_units(range(2))
    few = queries()
    add_units(range(2, 20))
    assert reports.build(AUTUMN).figures[0].value == 10
    assert few == queries() == 2  # the count, the names


def test_the_units_are_listed_in_persian_alphabetical_order(add_contact):
    add_contact()
    for slug, name in [("h", "هنر"), ("v", "ورزش"), ("p", "پارک‌ها"), ("b", "بازار")]:
        Department.objects.create(name=name, slug=slug)

    assert reports.build(AUTUMN).lists[0].items == [
        "بازار",
        "پارک‌ها",
        "ورزش",
        "هنر",
    ]
