from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import jdatetime
import pytest
import time_machine
from django.template import Context, Template
from django.utils import timezone, translation

from desk.jalali import (
    format_jalali_date,
    format_jalali_datetime,
    format_jalali_long,
    jalali_quarter,
    jalali_year_bounds,
    parse_jalali_date,
    previous_quarter,
    quarter_bounds,
    quarter_datetimes,
    to_jalali,
)

TEHRAN = ZoneInfo("Asia/Tehran")
# 1403 is a leap year: its Esfand has 30 days, and 30 Esfand 1403 is 20 March 2025.
LAST_MINUTE_OF_1403 = datetime(2025, 3, 20, 23, 59, tzinfo=TEHRAN)
FIRST_MINUTES_OF_1404 = datetime(2025, 3, 21, 0, 1, tzinfo=TEHRAN)
AZAR_2_1405 = date(2026, 11, 23)
ASCII_DIGITS = set("0123456789")


def test_1403_esfand_has_thirty_days_and_1404_esfand_twenty_nine():
    assert jdatetime.date(1403, 12, 30).togregorian() == date(2025, 3, 20)
    assert not jdatetime.date(1404, 1, 1).isleap()
    assert jalali_year_bounds(1404) == (date(2025, 3, 21), date(2026, 3, 20))


def test_nowruz_1405_is_21_march_2026():
    assert to_jalali(date(2026, 3, 21)) == jdatetime.date(1405, 1, 1)


def test_a_datetime_is_converted_in_tehran_time():
    moment = to_jalali(datetime(2025, 3, 20, 20, 31, tzinfo=UTC))

    assert (moment.year, moment.month, moment.day) == (1404, 1, 1)
    assert (moment.hour, moment.minute) == (0, 1)


def test_the_year_end_splits_quarters_in_tehran_time_not_utc():
    before, after = LAST_MINUTE_OF_1403.astimezone(UTC), FIRST_MINUTES_OF_1404.astimezone(UTC)
    assert before.date() == after.date()  # the same UTC day, 20 March

    assert jalali_quarter(before) == (1403, 4)
    assert jalali_quarter(after) == (1404, 1)


def test_quarter_datetimes_cut_the_year_end_at_tehran_midnight():
    start, end = quarter_datetimes(1403, 4)

    assert start == datetime(2024, 12, 21, tzinfo=TEHRAN)
    assert end == datetime(2025, 3, 20, 20, 30, tzinfo=UTC)
    assert start <= LAST_MINUTE_OF_1403 < end
    assert not start <= FIRST_MINUTES_OF_1404 < end
    assert quarter_datetimes(1404, 1)[0] == end


@time_machine.travel(LAST_MINUTE_OF_1403, tick=False)
def test_now_at_the_last_minute_of_esfand_is_still_the_old_year():
    assert jalali_quarter(timezone.now()) == (1403, 4)
    assert format_jalali_date(timezone.now()) == "۱۴۰۳/۱۲/۳۰"


@time_machine.travel(FIRST_MINUTES_OF_1404, tick=False)
def test_now_a_minute_after_midnight_is_the_new_year():
    assert jalali_quarter(timezone.now()) == (1404, 1)
    assert format_jalali_date(timezone.now()) == "۱۴۰۴/۰۱/۰۱"


@pytest.mark.parametrize(
    ("year", "quarter", "first", "last"),
    [
        (1405, 1, date(2026, 3, 21), date(2026, 6, 21)),
        (1405, 2, date(2026, 6, 22), date(2026, 9, 22)),
        (1405, 3, date(2026, 9, 23), date(2026, 12, 21)),
        (1405, 4, date(2026, 12, 22), date(2027, 3, 20)),
        (1403, 4, date(2024, 12, 21), date(2025, 3, 20)),
    ],
)
def test_quarter_bounds_are_the_first_and_last_gregorian_dates(year, quarter, first, last):
    assert quarter_bounds(year, quarter) == (first, last)
    assert jalali_quarter(first) == jalali_quarter(last) == (year, quarter)


def test_quarters_follow_each_other_without_gaps():
    quarters = [(year, quarter) for year in (1403, 1404, 1405) for quarter in (1, 2, 3, 4)]
    for earlier, later in pairwise(quarters):
        assert quarter_bounds(*earlier)[1] + timedelta(days=1) == quarter_bounds(*later)[0]
        assert previous_quarter(*later) == earlier


def test_previous_quarter_of_the_first_is_the_last_of_the_year_before():
    assert previous_quarter(1405, 1) == (1404, 4)
    assert previous_quarter(1405, 3) == (1405, 2)


def test_an_unknown_quarter_is_refused():
    with pytest.raises(ValueError):
        quarter_bounds(1405, 5)


def test_the_short_date_has_persian_digits():
    assert format_jalali_date(AZAR_2_1405) == "۱۴۰۵/۰۹/۰۲"


def test_the_long_date_has_the_persian_weekday_and_month():
    assert format_jalali_long(AZAR_2_1405) == "دوشنبه ۲ آذر ۱۴۰۵"
    assert format_jalali_long(date(2026, 3, 21)) == "شنبه ۱ فروردین ۱۴۰۵"


def test_the_datetime_shows_the_tehran_time():
    # 11:00 UTC is 14:30 in Tehran.
    moment = datetime(2026, 11, 23, 11, 0, tzinfo=UTC)

    assert format_jalali_datetime(moment) == "۱۴۰۵/۰۹/۰۲ ساعت ۱۴:۳۰"


def test_a_late_utc_evening_is_already_the_next_day_in_tehran():
    assert format_jalali_date(datetime(2026, 11, 22, 21, 0, tzinfo=UTC)) == "۱۴۰۵/۰۹/۰۲"


def test_no_value_formats_as_nothing():
    assert format_jalali_date(None) == ""
    assert format_jalali_long(None) == ""
    assert format_jalali_datetime(None) == ""


def test_english_pages_keep_the_jalali_date():
    with translation.override("en"):
        assert format_jalali_date(AZAR_2_1405) == "۱۴۰۵/۰۹/۰۲"


def test_the_filters_render_persian_digits_and_month_names():
    template = Template("{{ day|jalali }}|{{ day|jalali_long }}|{{ moment|jalali_datetime }}")
    moment = datetime(2026, 11, 23, 11, 0, tzinfo=UTC)

    html = template.render(Context({"day": AZAR_2_1405, "moment": moment}))

    assert html == "۱۴۰۵/۰۹/۰۲|دوشنبه ۲ آذر ۱۴۰۵|۱۴۰۵/۰۹/۰۲ ساعت ۱۴:۳۰"
    assert not ASCII_DIGITS & set(html)


def test_the_filters_render_nothing_for_a_missing_date():
    assert Template("[{{ missing|jalali }}{{ missing|jalali_datetime }}]").render(Context()) == "[]"


def test_a_typed_jalali_date_is_read_in_any_digits():
    assert parse_jalali_date("۱۴۰۵/۰۱/۱۲") == date(2026, 4, 1)
    assert parse_jalali_date(" 1405-1-12 ") == date(2026, 4, 1)


@pytest.mark.parametrize("typed", ["1404/12/30", "1405/13/01", "12/01/1405", "tomorrow", ""])
def test_a_typed_date_that_does_not_exist_is_refused(typed):
    with pytest.raises(ValueError):
        parse_jalali_date(typed)
