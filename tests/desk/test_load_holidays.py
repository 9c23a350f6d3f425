from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from desk.models import Holiday
from desk.workdays import add_working_days

pytestmark = pytest.mark.django_db

TEHRAN = ZoneInfo("Asia/Tehran")
# 19 Esfand 1404: "this year" is 1404 and "next year" 1405.
IN_ESFAND_1404 = datetime(2026, 3, 10, 12, 0, tzinfo=TEHRAN)
NOWRUZ_1404, NOWRUZ_1405, NOWRUZ_1406 = date(2025, 3, 21), date(2026, 3, 21), date(2027, 3, 21)
ESFAND_29_1404, ESFAND_29_1405 = date(2026, 3, 20), date(2027, 3, 20)
ORDINARY_DAY_1405 = date(2026, 10, 5)


def load(*years: int) -> str:
    out = StringIO()
    args = ["--years", *map(str, years)] if years else []
    with translation.override("en"):
        call_command("load_holidays", *args, stdout=out)
    return out.getvalue()


def snapshot() -> list[tuple]:
    return list(Holiday.objects.values_list("pk", "date", "title", "source", "is_active"))


@time_machine.travel(IN_ESFAND_1404, tick=False)
def test_it_loads_the_current_and_the_next_jalali_year():
    load()

    assert Holiday.objects.filter(date__in=[NOWRUZ_1404, NOWRUZ_1405]).count() == 2
    assert not Holiday.objects.filter(date=NOWRUZ_1406).exists()


def test_the_deadlines_of_this_process_see_the_holidays_it_loaded():
    assert add_working_days(ESFAND_29_1404, 1) == NOWRUZ_1405  # the holidays are kept

    load(1405)

    assert add_working_days(ESFAND_29_1404, 1) > NOWRUZ_1405


def test_it_loads_nowruz_with_its_persian_name_as_imported():
    load(1405)

    nowruz = Holiday.objects.get(date=NOWRUZ_1405)
    assert "نوروز" in nowruz.title
    assert nowruz.source == Holiday.Source.IMPORTED
    assert nowruz.is_active
    assert Holiday.objects.filter(date__range=(date(2026, 3, 21), date(2026, 3, 24))).count() == 4
    assert Holiday.objects.filter(date__in=[date(2026, 4, 1), date(2026, 4, 2)]).count() == 2


def test_it_keeps_only_the_dates_inside_the_jalali_year():
    load(1405)

    # Both Gregorian years 2026 and 2027 are read, but 29 Esfand 1404 belongs to 1404.
    assert not Holiday.objects.filter(date=ESFAND_29_1404).exists()
    assert Holiday.objects.filter(date=ESFAND_29_1405).exists()
    assert not Holiday.objects.filter(date__gt=ESFAND_29_1405).exists()


def test_it_says_how_many_it_added():
    output = load(1405)

    assert f"{Holiday.objects.count()} added" in output


def test_running_it_twice_changes_nothing():
    load(1404, 1405)
    before = snapshot()

    output = load(1404, 1405)

    assert snapshot() == before
    assert "0 added, 0 renamed, 0 removed" in output


def test_it_never_overwrites_a_holiday_the_staff_edited():
    load(1405)
    Holiday.objects.filter(date=NOWRUZ_1405).update(title="نوروز ۱۴۰۵", source="staff")

    load(1405)

    assert Holiday.objects.get(date=NOWRUZ_1405).title == "نوروز ۱۴۰۵"


def test_it_never_reactivates_a_holiday_the_staff_deactivated():
    load(1405)
    Holiday.objects.filter(date=NOWRUZ_1405).update(is_active=False)

    load(1405)

    assert not Holiday.objects.get(date=NOWRUZ_1405).is_active


def test_it_keeps_a_holiday_the_staff_added():
    Holiday.objects.create(date=ORDINARY_DAY_1405, title="تعطیلی استانی")

    load(1405)

    assert Holiday.objects.get(date=ORDINARY_DAY_1405).title == "تعطیلی استانی"


def test_it_follows_the_package_for_imported_rows_nobody_touched():
    # As after upgrading `holidays`: an estimated date moved and a name was corrected.
    load(1405)
    Holiday.objects.filter(date=NOWRUZ_1405).update(title="old name")
    moved = Holiday.objects.create(date=ORDINARY_DAY_1405, title="moved", source="imported")
    outside = Holiday.objects.create(date=NOWRUZ_1406, title="next year", source="imported")

    output = load(1405)

    assert "نوروز" in Holiday.objects.get(date=NOWRUZ_1405).title
    assert not Holiday.objects.filter(pk=moved.pk).exists()
    assert Holiday.objects.filter(pk=outside.pk).exists()
    assert "0 added, 1 renamed, 1 removed" in output


def test_a_holiday_edited_in_the_admin_becomes_the_staffs_and_survives_a_reload(admin_client):
    load(1405)
    nowruz = Holiday.objects.get(date=NOWRUZ_1405)

    response = admin_client.post(
        reverse("admin:desk_holiday_change", args=[nowruz.pk]),
        {"date": "۱۴۰۵/۰۱/۰۱", "title": "جشن نوروز ۱۴۰۵"},  # is_active unticked
    )
    assert response.status_code == 302
    load(1405)

    nowruz.refresh_from_db()
    assert (nowruz.title, nowruz.source, nowruz.is_active) == ("جشن نوروز ۱۴۰۵", "staff", False)


def test_the_admin_lists_holidays_with_jalali_dates_and_filters_by_year(admin_client):
    load(1404, 1405)

    response = admin_client.get(reverse("admin:desk_holiday_changelist"), {"year": "1405"})

    assert response.status_code == 200
    assert "شنبه ۱ فروردین ۱۴۰۵" in response.text
    assert "۱ فروردین ۱۴۰۴" not in response.text


def test_the_admin_adds_a_holiday_typed_as_a_jalali_date(admin_client):
    response = admin_client.post(
        reverse("admin:desk_holiday_add"),
        {"date": "1405/07/13", "title": "تعطیلی استانی", "is_active": "on"},
    )

    assert response.status_code == 302
    holiday = Holiday.objects.get()
    assert (holiday.date, holiday.source) == (ORDINARY_DAY_1405, "staff")
