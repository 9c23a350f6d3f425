"""Jalali (Solar Hijri) dates for people, aware UTC datetimes for the database.

Conversions happen only at the edges: a datetime is stored in UTC and turned into the portal's
local date (Asia/Tehran, the TIME_ZONE setting) before it is shown or put into a Jalali month or
quarter. The default time zone is used rather than the request's active one, so that a
deadline or a quarterly report never depends on who is looking at it.

Quarters follow the Jalali year: Farvardin–Khordad is 1, Tir–Shahrivar 2, Mehr–Azar 3,
Dey–Esfand 4 (the three-monthly report of article 9 of the instruction).
"""

import re
from datetime import date, datetime, time, timedelta

import jdatetime
from django.utils import timezone

from desk.text import to_ascii_digits, to_persian_digits

MONTH_NAMES = (
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
)
# In jdatetime's order: the Persian week starts on Saturday (weekday 0).
WEEKDAY_NAMES = ("شنبه", "یک‌شنبه", "دوشنبه", "سه‌شنبه", "چهارشنبه", "پنج‌شنبه", "جمعه")

DateLike = date | datetime


def local_date(value: DateLike) -> date:
    """The calendar date in Tehran of a date, an aware datetime or a naive local datetime."""
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value, timezone.get_default_timezone())
        return value.date()
    return value


def to_jalali(value: DateLike) -> jdatetime.date | jdatetime.datetime:
    """A jdatetime.date for a date, a jdatetime.datetime in Tehran time for a datetime."""
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value, timezone.get_default_timezone())
        return jdatetime.datetime.fromgregorian(datetime=value)
    return jdatetime.date.fromgregorian(date=value)


def jalali_quarter(value: DateLike) -> tuple[int, int]:
    """The Jalali (year, quarter) that the Tehran date of value falls in."""
    day = jdatetime.date.fromgregorian(date=local_date(value))
    return day.year, (day.month - 1) // 3 + 1


def previous_quarter(year: int, quarter: int) -> tuple[int, int]:
    return (year, quarter - 1) if quarter > 1 else (year - 1, 4)


def next_quarter(year: int, quarter: int) -> tuple[int, int]:
    return (year, quarter + 1) if quarter < 4 else (year + 1, 1)


def _first_day_of_quarter(year: int, quarter: int) -> date:
    if not 1 <= quarter <= 4:
        raise ValueError(f"A quarter is 1 to 4, not {quarter}.")
    return jdatetime.date(year, 3 * (quarter - 1) + 1, 1).togregorian()


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    """The first and the last Gregorian dates of a Jalali quarter, both included."""
    first = _first_day_of_quarter(year, quarter)
    following = _first_day_of_quarter(*next_quarter(year, quarter))
    return first, following - timedelta(days=1)


def quarter_datetimes(year: int, quarter: int) -> tuple[datetime, datetime]:
    """The aware datetimes [start, end) of a Jalali quarter, midnight to midnight in Tehran:
    filter with `created_at__gte=start, created_at__lt=end`."""
    first = _first_day_of_quarter(year, quarter)
    following = _first_day_of_quarter(*next_quarter(year, quarter))
    return local_midnight(first), local_midnight(following)


def jalali_year_bounds(year: int) -> tuple[date, date]:
    """The first and the last Gregorian dates of a Jalali year (1 Farvardin to end of Esfand)."""
    first = jdatetime.date(year, 1, 1).togregorian()
    following = jdatetime.date(year + 1, 1, 1).togregorian()
    return first, following - timedelta(days=1)


def local_midnight(day: date) -> datetime:
    """The aware datetime at which day begins in Tehran."""
    return datetime.combine(day, time.min, tzinfo=timezone.get_default_timezone())


def format_jalali_date(value: DateLike | None) -> str:
    """«۱۴۰۵/۰۹/۰۲»: the short Jalali date with Persian digits; "" for no value."""
    if not value:
        return ""
    day = jdatetime.date.fromgregorian(date=local_date(value))
    return to_persian_digits(f"{day.year:04d}/{day.month:02d}/{day.day:02d}")


def format_jalali_long(value: DateLike | None) -> str:
    """«دوشنبه ۲ آذر ۱۴۰۵»: weekday, day, month name and year; "" for no value."""
    if not value:
        return ""
    day = jdatetime.date.fromgregorian(date=local_date(value))
    weekday = WEEKDAY_NAMES[day.weekday()]
    return to_persian_digits(f"{weekday} {day.day} {MONTH_NAMES[day.month - 1]} {day.year}")


def format_jalali_datetime(value: datetime | None) -> str:
    """«۱۴۰۵/۰۹/۰۲ ساعت ۱۴:۳۰»: the Jalali date and the Tehran time; "" for no value."""
    if not value:
        return ""
    moment = to_jalali(value)
    return format_jalali_date(value) + to_persian_digits(
        f" ساعت {moment.hour:02d}:{moment.minute:02d}"
    )


_TYPED_DATE = re.compile(r"^\s*([0-9]{4})\s*[/\-.]\s*([0-9]{1,2})\s*[/\-.]\s*([0-9]{1,2})\s*$")


def parse_jalali_date(text: str) -> date:
    """The Gregorian date of a Jalali date typed as 1405/01/12 (any digits, / - or .).

    Raises ValueError when the text is not a real Jalali date.
    """
    match = _TYPED_DATE.match(to_ascii_digits(text or ""))
    if not match:
        raise ValueError(f"Not a Jalali date: {text!r}")
    year, month, day = (int(part) for part in match.groups())
    return jdatetime.date(year, month, day).togregorian()
