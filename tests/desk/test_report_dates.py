"""The Tehran date of a moment, as the report's GROUP BYs take it: at the zone's one offset
while it has kept one (PostgreSQL's fast path) or by the zone's name, either way the date a
person in Tehran would give, a minute before and after midnight."""

from datetime import UTC, date, datetime, timedelta

import pytest

from desk.models import TrackingCode
from desk.reports import LocalDate, Period, month_of, steady_offset

pytestmark = pytest.mark.django_db

TEHRAN_OFFSET = timedelta(hours=3, minutes=30)
NOW = datetime(2026, 11, 18, 6, 0, tzinfo=UTC)


def issued_at(moments: list[datetime]):
    for n, moment in enumerate(moments):
        TrackingCode.objects.create(code=f"9{n:011d}", kind="test")
        TrackingCode.objects.filter(code=f"9{n:011d}").update(issued_at=moment)
    return TrackingCode.objects.order_by("code")


def dates_of(moments: list[datetime], offset: timedelta | None) -> list[date]:
    rows = issued_at(moments).annotate(day=LocalDate("issued_at", offset=offset))
    return list(rows.values_list("day", flat=True))


def test_since_iran_dropped_daylight_saving_the_zone_keeps_one_offset():
    assert steady_offset(datetime(2024, 12, 1, tzinfo=UTC), now=NOW) == TEHRAN_OFFSET


def test_a_quarter_from_before_that_is_read_by_the_zones_name():
    # Summer 1401 (2022) was still at +04:30; the clocks went back on 22 September 2022.
    assert steady_offset(datetime(2022, 6, 22, tzinfo=UTC), now=NOW) is None


def test_at_the_steady_offset_a_minute_either_side_of_tehran_midnight():
    moments = [
        datetime(2026, 6, 21, 20, 29, tzinfo=UTC),  # 23:59 on 31 Khordad 1405 in Tehran
        datetime(2026, 6, 21, 20, 31, tzinfo=UTC),  # 00:01 on 1 Tir
    ]
    offset = steady_offset(datetime(2026, 3, 20, 20, 30, tzinfo=UTC), now=NOW)

    assert dates_of(moments, offset) == [date(2026, 6, 21), date(2026, 6, 22)]


def test_by_the_zones_name_daylight_saving_time_is_kept():
    moments = [
        datetime(2022, 6, 21, 19, 29, tzinfo=UTC),  # 23:59 in Tehran, then at +04:30
        datetime(2022, 6, 21, 19, 31, tzinfo=UTC),  # 00:01 the next day
    ]
    assert dates_of(moments, None) == [date(2022, 6, 21), date(2022, 6, 22)]


def test_the_month_of_a_moment_in_the_quarter_turns_at_tehran_midnight():
    moments = [
        datetime(2026, 6, 21, 20, 31, tzinfo=UTC),  # 00:01 on 1 Tir 1405: the first month
        datetime(2026, 7, 22, 20, 29, tzinfo=UTC),  # 23:59 on 31 Tir
        datetime(2026, 7, 22, 20, 31, tzinfo=UTC),  # 00:01 on 1 Mordad: the second
        datetime(2026, 8, 22, 20, 31, tzinfo=UTC),  # 00:01 on 1 Shahrivar: the third
        datetime(2026, 9, 22, 20, 29, tzinfo=UTC),  # 23:59 on 31 Shahrivar, the quarter's last
    ]
    rows = issued_at(moments).annotate(month=month_of(Period(1405, 2), "issued_at"))

    assert list(rows.values_list("month", flat=True)) == [0, 0, 1, 2, 2]
