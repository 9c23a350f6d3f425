"""The quarterly performance report of article 9 (گزارش سه‌ماهه), put together from parts.

`desk` imports no app: each app registers a `ReportPart` (desk/registry.py) whose `build`
computes its figures for a `Period` with a few aggregate queries, never a loop over cases.
Parts with the same `section` key make one section of the report. `build_report` asks every
part for the chosen quarter and the one before, and sets each figure and each table row
beside its previous value (matched by key), so a new app adds a section without touching
this module.

A case belongs to the quarter of its filing time in Tehran (desk.jalali.quarter_datetimes):
the figures of a quarter are about the cases filed in it, their answers and ends counted as
recorded by the time the report is read; "open at the quarter's end" is as it stood then.
"""

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from desk import registry
from desk.jalali import (
    MONTH_NAMES,
    jalali_quarter,
    local_midnight,
    previous_quarter,
    quarter_bounds,
    quarter_datetimes,
    to_jalali,
)
from desk.text import (
    local_decimal,
    local_digits,
    local_grouped,
    local_percent,
    persian_sort_key,
)
from desk.workdays import WorkingDayCounter

# How a value reads: a count «۱۲٬۳۴۵», a share «۸۵٪», working days «۴٫۵», a rating «۳٫۷۵».
COUNT, SHARE, DAYS, RATING = "count", "share", "days", "rating"
QUARTER_NAMES = {1: "بهار", 2: "تابستان", 3: "پاییز", 4: "زمستان"}


@dataclass(frozen=True)
class Period:
    """A Jalali quarter: its Tehran dates and the aware datetimes [start, end)."""

    year: int
    quarter: int

    def __post_init__(self):
        if not 1 <= self.quarter <= 4:
            raise ValueError(f"A quarter is 1 to 4, not {self.quarter}.")

    @classmethod
    def last_finished(cls, today: date | None = None) -> "Period":
        """The last quarter that has ended by `today` (Tehran)."""
        today = today or timezone.localdate()
        return cls(*previous_quarter(*jalali_quarter(today)))

    @property
    def start(self) -> datetime:
        return quarter_datetimes(self.year, self.quarter)[0]

    @property
    def end(self) -> datetime:
        return quarter_datetimes(self.year, self.quarter)[1]

    @property
    def first_day(self) -> date:
        return quarter_bounds(self.year, self.quarter)[0]

    @property
    def last_day(self) -> date:
        return quarter_bounds(self.year, self.quarter)[1]

    def previous(self) -> "Period":
        return Period(*previous_quarter(self.year, self.quarter))

    def has_begun(self, today: date | None = None) -> bool:
        return self.first_day <= (today or timezone.localdate())

    @property
    def label(self) -> str:
        """«پاییز ۱۴۰۵ (مهر تا آذر)»"""
        first, last = MONTH_NAMES[3 * self.quarter - 3], MONTH_NAMES[3 * self.quarter - 1]
        return local_digits(f"{QUARTER_NAMES[self.quarter]} {self.year} ({first} تا {last})")

    @property
    def year_shown(self) -> str:
        return local_digits(self.year)

    @property
    def short_label(self) -> str:
        """«پاییز ۱۴۰۵»"""
        return local_digits(f"{QUARTER_NAMES[self.quarter]} {self.year}")

    def months(self) -> list[tuple[str, datetime, datetime]]:
        """The quarter's three Jalali months: name and the aware datetimes [start, end)."""
        months = []
        for offset in range(3):
            month = 3 * self.quarter - 2 + offset
            first = to_jalali(self.first_day).replace(month=month, day=1).togregorian()
            following = (
                self.end
                if offset == 2
                else local_midnight(
                    to_jalali(self.first_day).replace(month=month + 1, day=1).togregorian()
                )
            )
            months.append((MONTH_NAMES[month - 1], local_midnight(first), following))
        return months


@dataclass
class Figure:
    """One number of the report; `previous` is the same figure a quarter earlier."""

    key: str
    label: Any
    value: float | int | None
    measure: str = COUNT
    note: Any = ""
    previous: float | int | None = None

    @property
    def change(self) -> float | int | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous


@dataclass
class Column:
    key: str
    label: Any
    measure: str = COUNT


@dataclass
class Row:
    key: str
    label: Any
    values: dict[str, Any]
    previous: dict[str, Any] = field(default_factory=dict)

    def change(self, column: str) -> float | int | None:
        now, before = self.values.get(column), self.previous.get(column)
        if now is None or before is None:
            return None
        return now - before


@dataclass
class Table:
    """A breakdown (per unit, per service…): rows of values under `columns`; the first
    column is the one compared with the previous quarter."""

    key: str
    title: Any
    columns: list[Column]
    rows: list[Row]
    note: Any = ""


@dataclass
class Chart:
    """Values a manager reads at a glance; one or more series over the same categories."""

    key: str
    title: Any
    categories: list[str]
    series: list[tuple[Any, list[float | int | None]]]
    measure: str = COUNT
    kind: str = "columns"  # "columns" (months) or "bars" (units, long names)


@dataclass
class PartResult:
    """What a part computes for one quarter."""

    figures: list[Figure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    lists: list["Listing"] = field(default_factory=list)


@dataclass
class Listing:
    """Named items (cards overdue for review, units without a public number): not compared."""

    key: str
    title: Any
    items: list[Any]
    empty: Any = ""


@dataclass
class Section:
    key: str
    title: Any
    figures: list[Figure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    lists: list[Listing] = field(default_factory=list)


@dataclass
class Report:
    period: Period
    previous: Period
    sections: list[Section]
    made_at: datetime

    def section(self, key: str) -> Section | None:
        return next((section for section in self.sections if section.key == key), None)

    def figure(self, section: str, key: str) -> Figure | None:
        found = self.section(section)
        return next((f for f in found.figures if f.key == key), None) if found else None


def build_report(period: Period) -> Report:
    """Every registered part for `period` and the quarter before, side by side."""
    previous = period.previous()
    sections: dict[str, Section] = {}
    for part in registry.report_parts():
        now, before = part.build(period), part.build(previous)
        section = sections.setdefault(part.section, Section(part.section, part.section_title))
        _compare(now, before)
        section.figures += now.figures
        section.tables += now.tables
        section.charts += now.charts
        section.lists += now.lists
    return Report(
        period, previous, [_overview(sections.values()), *sections.values()], timezone.now()
    )


def _overview(sections: Iterable[Section]) -> Section:
    """What came in, every kind side by side: each section's "received" figure and its
    "by_month" chart, when it has them."""
    overview = Section("overview", _("At a glance"))
    series, categories = [], []
    for section in sections:
        received = next((f for f in section.figures if f.key == "received"), None)
        if received is not None:
            overview.figures.append(
                Figure(
                    f"received_{section.key}",
                    section.title,
                    received.value,
                    received.measure,
                    previous=received.previous,
                )
            )
        by_month = next((c for c in section.charts if c.key == "by_month"), None)
        if by_month is not None:
            categories = by_month.categories
            series.append((section.title, by_month.series[0][1]))
    if series:
        overview.charts.append(Chart("volumes", _("Received per month"), categories, series))
    return overview


def _compare(now: PartResult, before: PartResult) -> None:
    earlier = {figure.key: figure.value for figure in before.figures}
    for figure in now.figures:
        figure.previous = earlier.get(figure.key)
    earlier_rows = {
        (table.key, row.key): row.values for table in before.tables for row in table.rows
    }
    for table in now.tables:
        for row in table.rows:
            row.previous = earlier_rows.get((table.key, row.key), {})


# --- helpers for the parts ----------------------------------------------------------------------


def share(part: int | None, whole: int | None) -> float | None:
    """part / whole, None when there is no whole to divide."""
    return part / whole if whole else None


class Rollup:
    """A part's counts in one GROUP BY over the finest grouping its tables need (unit ×
    subject area: a few hundred rows however many cases), added up here into the totals and
    into each table's rows: one pass over the quarter's cases instead of one per table.

    `by` names the grouping fields; `measures` are aggregate keyword arguments that add up
    across groups: counts and sums, not means (a mean is a sum over a count). `labels` names,
    per foreign key of `by`, the fields of the row it points at that the tables show: they
    are read after, one small query per key, and set on the groups as "key__field". Joined
    into the GROUP BY they would cost more than the grouping itself: PostgreSQL expects a
    group per combination of names and sorts the cases (on disk) instead of hashing them.

    `tallies` are counts read from the grouping itself: per name, a test of a group's fields
    (a status, a flag, the month from `month_of`); a group that passes adds its first
    measure, its count, to that name. Grouping by a few statuses and flags and telling the
    groups apart here costs the database less than a FILTER count per figure."""

    def __init__(
        self,
        cases: QuerySet,
        by: Iterable[str],
        measures: dict[str, Any],
        labels: dict[str, Iterable[str]] | None = None,
        tallies: dict[str, Callable[[dict[str, Any]], bool]] | None = None,
    ):
        self.rows = list(cases.values(*by).annotate(**measures).order_by())
        count = next(iter(measures))
        for row in self.rows:
            for name, test in (tallies or {}).items():
                row[name] = row[count] if test(row) else 0
        self.measures = [*measures, *(tallies or {})]
        for key, fields in (labels or {}).items():
            self._label(cases.model, key, list(fields))

    def _label(self, model: Any, key: str, fields: list[str]) -> None:
        pointed = model._meta.get_field(key).related_model._default_manager
        ids = {row[key] for row in self.rows if row[key] is not None}
        found = {row["pk"]: row for row in pointed.filter(pk__in=ids).values("pk", *fields)}
        for row in self.rows:
            facts = found.get(row[key], {})
            row.update({f"{key}__{field}": facts.get(field) for field in fields})

    def totals(self) -> dict[str, int]:
        return self._added(self.rows)

    def by(self, key: str, *labels: str) -> list[dict[str, Any]]:
        """One dict per value of `key`: that value, its `labels` and every measure added up
        over its groups; in the order of the first label (the value without one last)."""
        grouped: dict[Any, list[dict[str, Any]]] = {}
        for row in self.rows:
            grouped.setdefault(row[key], []).append(row)
        found = [
            {key: value, **{label: rows[0][label] for label in labels}, **self._added(rows)}
            for value, rows in grouped.items()
        ]
        if labels:
            found.sort(key=lambda row: ordered(row[labels[0]]))
        return found

    def _added(self, rows: list[dict[str, Any]]) -> dict[str, int]:
        return {measure: sum(row[measure] or 0 for row in rows) for measure in self.measures}


def ordered(value: Any) -> tuple[bool, Any]:
    """A sort key for a table's rows by a name (in Persian alphabetical order) or a number,
    the rows without one last."""
    return (value is None, persian_sort_key(value) if isinstance(value, str) else value)


def monthly_counts(period: Period, field_name: str = "created_at") -> dict[str, Any]:
    """Aggregate keyword arguments counting rows per Jalali month of `field_name`: add them to
    the part's one `aggregate()` call and read them back with `month_values`."""
    return {
        f"month_{index}": Count(
            "pk", filter=Q(**{f"{field_name}__gte": start, f"{field_name}__lt": end})
        )
        for index, (_name, start, end) in enumerate(period.months())
    }


def month_of(period: Period, field_name: str = "created_at") -> Case:
    """The index (0 to 2) of the quarter's month that `field_name` falls in, for rows of the
    quarter: a field to group by, read back with `monthly_tallies`."""
    months = period.months()
    return Case(
        *(
            When(**{f"{field_name}__lt": end}, then=Value(index))
            for index, (_name, _start, end) in enumerate(months[:-1])
        ),
        default=Value(len(months) - 1),
        output_field=IntegerField(),
    )


def monthly_tallies(period: Period, field: str = "month") -> dict[str, Callable[..., bool]]:
    """Rollup tallies counting the groups of each month of `month_of`, by the same names as
    `monthly_counts`, for `month_values`."""
    return {
        f"month_{index}": lambda group, index=index: group[field] == index
        for index in range(len(period.months()))
    }


def month_values(period: Period, totals: dict[str, Any]) -> list[int]:
    return [totals[f"month_{index}"] for index in range(len(period.months()))]


@dataclass(frozen=True)
class Spread:
    """Working days from one moment to another over many cases: median and 90th percentile."""

    count: int
    median: float | None
    p90: float | None


def working_day_spread(
    cases: QuerySet, start: Any, end: Any, *, since: datetime | None = None
) -> Spread:
    """The median and the 90th percentile of the working days from each case's `start` to
    its `end` (see working_day_spreads)."""
    return working_day_spreads(cases, start, end, since=since)[0]


def working_day_spreads(
    cases: QuerySet,
    start: Any,
    end: Any,
    *,
    by: str | None = None,
    since: datetime | None = None,
) -> tuple[Spread, dict[Any, Spread]]:
    """The median and the 90th percentile of the working days (desk.workdays) from each
    case's `start` to its `end`, over all the cases and per value of the field `by`.

    `start` and `end` name datetime fields, taken as Tehran dates, or are expressions that
    give a date already (F("session__date")); cases without an end are left out. The database
    groups the cases by (`by`, start date, end date) in one query (a quarter holds a few
    thousand distinct pairs however many cases it has); each pair is counted in working days
    by desk.workdays (its WorkingDayCounter gives what working_days_between gives), as the
    deadlines are, so the report and the deadlines never disagree about a holiday.

    `since`, when given, is the earliest of the cases' starts (the quarter's first moment):
    from then on the dates may be taken at the zone's one offset (see `LocalDate`)."""
    # Cases without an end left out by the field itself: by its date, each case's end
    # would be turned into a Tehran date twice.
    ended = Q(**{f"{end}__isnull": False}) if isinstance(end, str) else Q(_to__isnull=False)
    offset = steady_offset(since) if since is not None else None
    pairs = (
        cases.annotate(_from=_as_date(start, offset), _to=_as_date(end, offset))
        .filter(ended)
        .values(*([by] if by else []), "_from", "_to")
        .annotate(n=Count("pk"))
        .order_by()
    )
    rows = list(pairs)
    overall: dict[int, int] = {}
    grouped: dict[Any, dict[int, int]] = {}
    if not rows:
        return _spread(overall), {}
    days_between = WorkingDayCounter(
        min(min(row["_from"], row["_to"]) for row in rows),
        max(max(row["_from"], row["_to"]) for row in rows),
    ).between
    for row in rows:
        days = days_between(row["_from"], row["_to"])
        histograms = [overall, grouped.setdefault(row[by], {})] if by else [overall]
        for histogram in histograms:
            histogram[days] = histogram.get(days, 0) + row["n"]
    return _spread(overall), {key: _spread(counts) for key, counts in grouped.items()}


def _as_date(field: Any, offset: timedelta | None) -> Any:
    return LocalDate(field, offset=offset) if isinstance(field, str) else field


class LocalDate(TruncDate):
    """The Tehran date of a moment (TruncDate in the site's zone). Given the zone's `offset`
    (steady_offset), PostgreSQL turns the moment into a date at that offset, an interval,
    which it does in half the time it takes by the zone's name (the rules looked up for
    every row): for a quarter's 160,000 complaints, 34 ms instead of 67."""

    def __init__(self, expression: Any, *, offset: timedelta | None = None, **extra: Any):
        super().__init__(expression, tzinfo=timezone.get_default_timezone(), **extra)
        self.offset = offset

    def as_postgresql(self, compiler: Any, connection: Any, **extra_context: Any):
        if self.offset is None:
            return self.as_sql(compiler, connection, **extra_context)
        sql, params = compiler.compile(self.lhs)
        return f"(({sql}) AT TIME ZONE %s::interval)::date", (*params, self.offset)

    def get_db_converters(self, connection: Any) -> list[Any]:
        # PostgreSQL's result is a date already (cast in the SQL either way): TruncDate's
        # converter would look at each of a quarter's thousands of pairs to change nothing.
        if connection.vendor == "postgresql":
            return self.output_field.get_db_converters(connection)
        return super().get_db_converters(connection)


def steady_offset(since: datetime, now: datetime | None = None) -> timedelta | None:
    """The site zone's offset from UTC when it has kept that one offset from `since` to a
    day after `now` (Iran has had no daylight saving time since September 2022), else None:
    the dates are then taken by the zone's name. Checked once a day (a millisecond for two
    years): clocks that change stay changed for months."""
    zone = timezone.get_default_timezone()
    moment, last = since, (now or timezone.now()) + timedelta(days=1)
    offset = moment.astimezone(zone).utcoffset()
    while moment < last:
        moment += timedelta(days=1)
        if moment.astimezone(zone).utcoffset() != offset:
            return None
    return offset


def _spread(histogram: dict[int, int]) -> Spread:
    total = sum(histogram.values())
    return Spread(total, _percentile(histogram, total, 0.5), _percentile(histogram, total, 0.9))


def _percentile(histogram: dict[int, int], total: int, fraction: float) -> float | None:
    """The value below which `fraction` of the cases fall (the nearest-rank method; the
    median of an even count is the mean of the two middle values)."""
    if not total:
        return None
    if fraction == 0.5 and total % 2 == 0:
        return (_nth(histogram, total // 2) + _nth(histogram, total // 2 + 1)) / 2
    rank = max(1, math.ceil(round(fraction * total, 9)))
    return float(_nth(histogram, rank))


def _nth(histogram: dict[int, int], rank: int) -> int:
    """The rank-th smallest value (1-based) of the histogram."""
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= rank:
            return value
    raise ValueError("rank beyond the histogram")


# --- how a value reads (the one display door: Persian digits, «٪», «٫») -------------------------


def format_value(value: float | int | None, measure: str = COUNT) -> str:
    """«۱۲٬۳۴۵», «۸۵٪», «۴٫۵», «۳٫۷۵»; «—» when there is nothing to show."""
    if value is None:
        return "—"
    if measure == SHARE:
        return local_percent(value)
    if measure == DAYS:
        return local_decimal(value, 0 if float(value).is_integer() else 1)
    if measure == RATING:
        return local_decimal(value, 2)
    return local_grouped(value)


def format_change(change: float | int | None, measure: str = COUNT) -> str:
    """The change from the previous quarter with its sign: «+۱۲», «−۵٪», «۰»."""
    if change is None:
        return "—"
    if measure == SHARE:
        change = round(change, 2)  # whole percentage points
        shown = local_percent(abs(change))
    elif measure in (DAYS, RATING):
        change = round(change, 2 if measure == RATING else 1)
        shown = format_value(abs(change), measure)
    else:
        shown = local_grouped(abs(change))
    if not change:
        return format_value(0, COUNT)
    return ("+" if change > 0 else "−") + shown
