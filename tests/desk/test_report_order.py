"""The report's tables list units, services and hosts by name in Persian alphabetical order,
as a manager reads a list on paper, not in the order of their code points (ه before و, then پ
چ ژ ک گ ی)."""

import pytest
from django.db.models import Count

from desk.models import Department
from desk.reports import Rollup

pytestmark = pytest.mark.django_db


def test_a_tables_rows_are_in_persian_alphabetical_order():
    names = ["هنر", "ورزش", "نوسازی", "کتابخانه", "پسماند", "بهداشت"]
    for number, name in enumerate(names):
        Department.objects.create(name=name, slug=f"unit-{number}")

    rows = Rollup(Department.objects.all(), ["name"], {"units": Count("pk")}).by("name", "name")

    assert [row["name"] for row in rows] == [
        "بهداشت",
        "پسماند",
        "کتابخانه",
        "نوسازی",
        "ورزش",
        "هنر",
    ]
