"""Working days: deadlines ("answer within 10 working days"), next visits, sessions.

A working day is a Tehran calendar date that is neither a weekend day (settings
DESK_WEEKEND_DAYS, Python weekday numbers, Friday = 4) nor an active Holiday row. Every
function takes a date or an aware datetime, which counts as its Tehran date. The active
holidays (a few dozen a year) are read with one query and kept in the process's memory for
settings.LOCAL_CACHE_SECONDS: every filing computes a deadline, and the table changes a few
times a year. Saving or deleting a Holiday forgets them in that process at once
(desk/apps.py), in the others within LOCAL_CACHE_SECONDS; so does load_holidays.
"""

from collections.abc import Iterator
from datetime import date, timedelta
from itertools import islice

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from desk.fragments import local_cache
from desk.jalali import DateLike, local_date
from desk.models import Holiday

ONE_DAY = timedelta(days=1)
HOLIDAYS_KEY = "active-holidays"


def weekend_days() -> frozenset[int]:
    days = frozenset(settings.DESK_WEEKEND_DAYS)
    if len(days) >= 7:
        raise ImproperlyConfigured("DESK_WEEKEND_DAYS leaves no working day in the week.")
    return days


def active_holidays() -> frozenset[date]:
    """The dates of every active holiday, from the process's memory when it has them."""
    found = local_cache().get(HOLIDAYS_KEY)
    if found is None:
        found = frozenset(Holiday.objects.active().values_list("date", flat=True))
        local_cache().set(HOLIDAYS_KEY, found, settings.LOCAL_CACHE_SECONDS)
    return found


def forget_holidays(sender=None, **kwargs) -> None:
    """A holiday changed: this process reads them again (connected in desk/apps.py)."""
    local_cache().delete(HOLIDAYS_KEY)


def holiday_dates(first: date, last: date) -> set[date]:
    """The dates of the active holidays from first to last, both included."""
    return {day for day in active_holidays() if first <= day <= last}


def is_working_day(day: DateLike) -> bool:
    """Whether the Tehran date of day is neither a weekend day nor an active holiday."""
    day = local_date(day)
    return day.weekday() not in weekend_days() and day not in active_holidays()


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
    return next(islice(_working_days_after(start), days - 1, None))


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


class WorkingDayCounter:
    """working_days_between for many pairs of dates at once (the report's thousands of
    filing and answer dates): each date from `first` to `last` is given once the number of
    working days up to it, and a pair costs a subtraction. Gives what working_days_between
    gives, for any pair; a date outside [first, last] is counted by working_days_between."""

    def __init__(self, first: date, last: date):
        weekend, closed = weekend_days(), active_holidays()
        self.first, self.last = first, last
        self.ranks, seen, day = [], 0, first
        while day <= last:
            if day.weekday() not in weekend and day not in closed:
                seen += 1
            self.ranks.append(seen)
            day += ONE_DAY

    def between(self, start: date, end: date) -> int:
        if not (self.first <= start <= self.last and self.first <= end <= self.last):
            return working_days_between(start, end)
        return self.ranks[(end - self.first).days] - self.ranks[(start - self.first).days]


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


def _working_days_after(start: date) -> Iterator[date]:
    """The working days after start, in order."""
    weekend, closed = weekend_days(), active_holidays()
    day = start
    while True:
        day += ONE_DAY
        if day.weekday() not in weekend and day not in closed:
            yield day
