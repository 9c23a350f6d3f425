"""Working days: deadlines ("answer within 10 working days"), next visits, sessions.

A working day is a Tehran calendar date that is neither a weekend day (settings
DESK_WEEKEND_DAYS, Python weekday numbers, Friday = 4) nor an active Holiday row. Every
function takes a date or an aware datetime, which counts as its Tehran date, and reads the
holidays with one query per call (or one per window of a very long walk), never one per day.
"""

from collections.abc import Iterator
from datetime import date, timedelta
from itertools import islice
from math import ceil

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from desk.jalali import DateLike, local_date
from desk.models import Holiday

ONE_DAY = timedelta(days=1)
# Head-room for the holidays of the first window of a walk: Nowruz alone closes up to
# six working days, Muharram and the end of Ramadan a few more.
_WINDOW_SLACK = 31


def weekend_days() -> frozenset[int]:
    days = frozenset(settings.DESK_WEEKEND_DAYS)
    if len(days) >= 7:
        raise ImproperlyConfigured("DESK_WEEKEND_DAYS leaves no working day in the week.")
    return days


def holiday_dates(first: date, last: date) -> set[date]:
    """The dates of the active holidays from first to last, both included."""
    rows = Holiday.objects.active().filter(date__range=(first, last))
    return set(rows.values_list("date", flat=True))


def is_working_day(day: DateLike) -> bool:
    """Whether the Tehran date of day is neither a weekend day nor an active holiday."""
    day = local_date(day)
    if day.weekday() in weekend_days():
        return False
    return not Holiday.objects.active().filter(date=day).exists()


def add_working_days(start: DateLike, days: int) -> date:
    """The date of the days-th working day after the Tehran date of start.

    Zero gives the start date itself, working day or not; add_working_days(start, 1) is the
    next working day. The start date never counts, so a case filed on a Friday evening with
    "within 2 working days" is due on the Sunday.
    """
    if days < 0:
        raise ValueError("add_working_days counts forward only.")
    start = local_date(start)
    if days == 0:
        return start
    return next(islice(_working_days_after(start, days), days - 1, None))


def next_working_day(day: DateLike) -> date:
    """The first working day after the Tehran date of day (never day itself)."""
    return add_working_days(day, 1)


def working_days_between(start: DateLike, end: DateLike) -> int:
    """The number of working days after start up to and including end.

    The inverse of add_working_days: working_days_between(d, add_working_days(d, n)) == n.
    Negative when end is before start, and working_days_between(a, b) ==
    -working_days_between(b, a), so "how late is this case" reads naturally either way.
    """
    start, end = local_date(start), local_date(end)
    if end < start:
        return -working_days_between(end, start)
    if end == start:
        return 0
    first = start + ONE_DAY
    weekend = weekend_days()
    closed = {day for day in holiday_dates(first, end) if day.weekday() not in weekend}
    return _weekdays_in(first, end, weekend) - len(closed)


def _weekdays_in(first: date, last: date, weekend: frozenset[int]) -> int:
    """The non-weekend days from first to last, both included, counted without a loop over
    the days so that spans of years cost nothing."""
    total = (last - first).days + 1
    weeks, rest = divmod(total, 7)
    count = weeks * (7 - len(weekend))
    for offset in range(rest):
        if (first + timedelta(days=weeks * 7 + offset)).weekday() not in weekend:
            count += 1
    return count


def _working_days_after(start: date, expected: int) -> Iterator[date]:
    """The working days after start, in order, reading the holidays a window at a time.

    The first window is sized to hold the expected number of working days, so a usual
    deadline costs a single query.
    """
    weekend = weekend_days()
    size = ceil(expected * 7 / (7 - len(weekend))) + _WINDOW_SLACK
    day = start
    while True:
        closed = holiday_dates(day + ONE_DAY, day + timedelta(days=size))
        for _ in range(size):
            day += ONE_DAY
            if day.weekday() not in weekend and day not in closed:
                yield day
