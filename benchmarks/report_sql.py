"""The quarterly report's figures for one quarter by hand-written SQL (PostgreSQL), for
benchmarks/report.py to time against the ORM parts and to check them by.

Each function below gives what one registered report part gives (complaints, meetings,
service_requests, satisfaction, compliance.cards, compliance.contacts): every figure, every
table row and the months of the "by_month" chart, by value, in a `Figures`. They are the
fastest plain SQL found for those figures (benchmarks/report.py's docstring says how they were
chosen), run through Django's connection, with the little Python that adds groups up; the
working days between a case's two dates are counted in Python by desk.workdays, as the ORM
parts do, since the holidays are in a table the SQL could only join at a cost.

Import after django.setup().
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

from desk.reports import Period, Spread, _spread, steady_offset
from desk.text import persian_sort_key
from desk.workdays import WorkingDayCounter
from processes.models import oldest_current_review

# --- complaints: one pass per unit × subject area (the totals, the months, both tables); the
# units' and subject areas' names joined to its hundred rows, not to the 160,000 complaints.
COMPLAINTS_COUNTS = """
SELECT x.*, d.name AS department_name, g.title AS category_title
FROM (
    SELECT c.department_id, c.category_id,
           count(*) AS received,
           count(c.answered_at) AS answered,
           count(*) FILTER (WHERE c.answered_at IS NOT NULL AND c.answered_in_time) AS on_time,
           count(*) FILTER (WHERE (NOT coalesce(c.answered_at < %(end)s, false)
                                   AND NOT coalesce(c.closed_at < %(end)s, false))
                                  OR (c.reopened_at > c.answered_at
                                      AND c.reopened_at < %(end)s)) AS open_at_end,
           count(*) FILTER (WHERE c.status = 'closed') AS closed,
           count(*) FILTER (WHERE c.status = 'closed' AND c.outcome = 'resolved')
               AS closed_resolved,
           count(*) FILTER (WHERE c.status = 'closed' AND c.outcome = 'not_resolved')
               AS closed_not_resolved,
           count(*) FILTER (WHERE c.status = 'closed' AND c.outcome = 'no_action')
               AS closed_no_action,
           count(*) FILTER (WHERE c.status = 'out_of_jurisdiction') AS out_of_jurisdiction,
           count(*) FILTER (WHERE c.was_referred) AS referred,
           count(c.reopened_at) AS reopened,
           count(*) FILTER (WHERE c.answered_at IS NOT NULL OR c.closed_at IS NOT NULL)
               AS finished,
           count(*) FILTER (WHERE c.kind = 'complaint') AS kind_complaint,
           count(*) FILTER (WHERE c.kind = 'criticism') AS kind_criticism,
           count(*) FILTER (WHERE c.kind = 'suggestion') AS kind_suggestion,
           count(*) FILTER (WHERE c.kind = 'appreciation') AS kind_appreciation,
           count(*) FILTER (WHERE c.channel = 'web') AS channel_web,
           count(*) FILTER (WHERE c.channel = 'walk_in') AS channel_walk_in,
           count(*) FILTER (WHERE c.channel = 'phone') AS channel_phone,
           count(*) FILTER (WHERE c.channel = 'api') AS channel_api,
           count(*) FILTER (WHERE c.created_at < %(m1)s) AS month_0,
           count(*) FILTER (WHERE c.created_at >= %(m1)s AND c.created_at < %(m2)s) AS month_1,
           count(*) FILTER (WHERE c.created_at >= %(m2)s) AS month_2
    FROM complaints_complaint c
    WHERE c.created_at >= %(start)s AND c.created_at < %(end)s
    GROUP BY 1, 2
) x
JOIN desk_department d ON d.id = x.department_id
JOIN complaints_complaintcategory g ON g.id = x.category_id
"""
# The (filing date, answer date) pairs in the report's zone, counted.
COMPLAINTS_PAIRS = """
SELECT (c.created_at AT TIME ZONE %(zone)s)::date, (c.answered_at AT TIME ZONE %(zone)s)::date,
       count(*)
FROM complaints_complaint c
WHERE c.created_at >= %(start)s AND c.created_at < %(end)s AND c.answered_at IS NOT NULL
GROUP BY 1, 2
"""

# --- meetings: the requests counted per host, status, approval and month (a few dozen rows;
# a count per group costs less than ten FILTER aggregates per request), added up in Python.
MEETINGS_COUNTS = """
SELECT x.*, h.title, h.name, h."order"
FROM (
    SELECT m.host_id, m.status, m.was_approved,
           CASE WHEN m.created_at < %(m1)s THEN 0 WHEN m.created_at < %(m2)s THEN 1 ELSE 2 END
               AS month,
           count(*) AS n
    FROM appointments_meetingrequest m
    WHERE m.created_at >= %(start)s AND m.created_at < %(end)s
    GROUP BY 1, 2, 3, 4
) x
JOIN appointments_host h ON h.id = x.host_id
"""
MEETINGS_PAIRS = """
SELECT m.host_id, (m.created_at AT TIME ZONE %(zone)s)::date, s.date, count(*)
FROM appointments_meetingrequest m
JOIN appointments_meetingsession s ON s.id = m.session_id
WHERE m.created_at >= %(start)s AND m.created_at < %(end)s
  AND m.status IN ('approved', 'held', 'no_show')
GROUP BY 1, 2, 3
"""

# --- service requests: counted per service, status and what each figure asks of a request
# (a few hundred rows), added up in Python; the completion pairs; the open inquiries.
SERVICES_COUNTS = """
SELECT x.*, s.title, s.duration_days
FROM (
    SELECT r.service_id, r.status, r.correction_asked,
           coalesce(r.finished_at < %(end)s, false) AS finished_by_end,
           coalesce((r.finished_at AT TIME ZONE %(zone)s)::date <= r.expected_date, false)
               AS by_expected_date,
           CASE WHEN r.created_at < %(m1)s THEN 0 WHEN r.created_at < %(m2)s THEN 1 ELSE 2 END
               AS month,
           count(*) AS n
    FROM processes_servicerequest r
    WHERE r.created_at >= %(start)s AND r.created_at < %(end)s
    GROUP BY 1, 2, 3, 4, 5, 6
) x
JOIN processes_service s ON s.id = x.service_id
"""
SERVICES_PAIRS = """
SELECT r.service_id, (r.created_at AT TIME ZONE %(zone)s)::date,
       (r.finished_at AT TIME ZONE %(zone)s)::date, count(*)
FROM processes_servicerequest r
WHERE r.created_at >= %(start)s AND r.created_at < %(end)s
  AND r.status = 'completed' AND r.finished_at IS NOT NULL
GROUP BY 1, 2, 3
"""
SERVICES_OPEN_INQUIRIES = """
SELECT r.service_id, count(*)
FROM processes_servicerequest r
JOIN processes_inquiry i ON i.request_id = r.id
WHERE r.created_at >= %(start)s AND r.created_at < %(end)s
  AND i.sent_on <= %(last_day)s AND (i.answered_on IS NULL OR i.answered_on > %(last_day)s)
GROUP BY 1
"""

# --- satisfaction: per unit and service, the units' names joined to the groups after (joined
# to the responses, PostgreSQL expects thousands of groups and sorts them on disk).
SATISFACTION = """
SELECT x.*, d.name
FROM (
    SELECT r.unit_id, r.service_key, r.service_label,
           count(*) AS n, sum(r.overall_rating) AS rating_sum,
           count(*) FILTER (WHERE r.overall_rating >= 4) AS satisfied
    FROM surveys_response r
    WHERE r.overall_rating IS NOT NULL
      AND r.submitted_at >= %(start)s AND r.submitted_at < %(end)s
    GROUP BY 1, 2, 3
) x
LEFT JOIN desk_department d ON d.id = x.unit_id
"""

# --- compliance: every published card with what it has (a few dozen), in the listing's order.
CARDS = """
SELECT s.title,
       EXISTS (SELECT 1 FROM processes_servicestep t WHERE t.service_id = s.id)
       AND EXISTS (SELECT 1 FROM processes_requireddocument d WHERE d.service_id = s.id)
       AND (EXISTS (SELECT 1 FROM processes_servicefee f WHERE f.service_id = s.id)
            OR s.fee_note <> '') AS complete,
       coalesce(s.last_reviewed >= %(reviewed_since)s, false) AS reviewed
FROM processes_service s
JOIN processes_servicecategory k ON k.id = s.category_id
WHERE s.published
ORDER BY k."order", s."order", s.title
"""
UNREACHABLE_UNITS = """
SELECT d.name
FROM desk_department d
WHERE d.is_active
  AND NOT EXISTS (SELECT 1 FROM contacts_contact c WHERE c.unit_id = d.id AND c.is_public)
"""

# The quarter's requests per status, as the meetings' figures name them.
MEETING_STATUSES = {
    "referred": "referred",
    "declined": "declined",
    "held": "held",
    "no_shows": "no_show",
    "cancelled": "cancelled",
}


@dataclass
class Figures:
    """What a part's SQL gives, by value: figure key → value; table key → row key → column
    → value (and "label" where the database names the row); chart key → its first series;
    listing key → its items (or only how many, for listings the ORM words)."""

    figures: dict[str, Any]
    tables: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    charts: dict[str, list[Any]] = field(default_factory=dict)
    lists: dict[str, list[str] | int] = field(default_factory=dict)


def parameters(period: Period, zone: Any) -> dict[str, Any]:
    """The query parameters of `period`; `zone` is what the dates are taken in (see
    date_zone)."""
    months = period.months()
    return {
        "start": period.start,
        "end": period.end,
        "m1": months[1][1],
        "m2": months[2][1],
        "last_day": period.last_day,
        "zone": zone,
        "reviewed_since": oldest_current_review(min(period.last_day, timezone.localdate())),
    }


def date_zone(period: Period, *, by_name: bool = False) -> timedelta | str:
    """What `AT TIME ZONE` takes the report's dates in: the zone's one UTC offset when it has
    kept one since the quarter's start (desk.reports.steady_offset, the ORM's own check:
    Asia/Tehran has had no daylight saving time since 2022), else, or `by_name`, the zone's
    name."""
    offset = None if by_name else steady_offset(period.start)
    return settings.TIME_ZONE if offset is None else offset


def complaints(params: dict[str, Any]) -> Figures:
    rows = _dicts(COMPLAINTS_COUNTS, params)
    totals = _added(rows, [column for column in rows[0] if column not in _LABELS] if rows else [])
    spread, _ = _spreads(
        (None, first, last, n) for first, last, n in _rows(COMPLAINTS_PAIRS, params)
    )
    figures = {
        key: totals.get(key, 0)
        for key in (
            "received",
            "answered",
            "closed",
            "closed_resolved",
            "closed_not_resolved",
            "closed_no_action",
            "open_at_end",
            "referred",
            "out_of_jurisdiction",
        )
    }
    figures |= {
        "median_days": spread.median,
        "p90_days": spread.p90,
        "on_time_share": _share(totals.get("on_time"), totals.get("answered")),
        "reopen_share": _share(totals.get("reopened"), totals.get("finished")),
    }

    def breakdown(key: str, label: str) -> dict[str, dict[str, Any]]:
        grouped = _grouped(rows, key)
        return {
            str(value): {
                "label": group[0][label],
                "received": sums["received"],
                "answered": sums["answered"],
                "on_time_share": _share(sums["on_time"], sums["answered"]),
                "open_at_end": sums["open_at_end"],
            }
            for value, group in grouped.items()
            for sums in [_added(group, ["received", "answered", "on_time", "open_at_end"])]
        }

    kinds = ("complaint", "criticism", "suggestion", "appreciation")
    channels = ("web", "walk_in", "phone", "api")
    tables = {
        "by_kind": {kind: {"received": totals.get(f"kind_{kind}", 0)} for kind in kinds},
        "by_category": breakdown("category_id", "category_title"),
        "by_unit": breakdown("department_id", "department_name"),
        "by_channel": {
            channel: {"received": totals.get(f"channel_{channel}", 0)} for channel in channels
        },
    }
    months = [totals.get(f"month_{index}", 0) for index in range(3)]
    return Figures(figures, tables, {"by_month": months})


def meetings(params: dict[str, Any]) -> Figures:
    rows = _dicts(MEETINGS_COUNTS, params)
    overall, per_host = _spreads(_rows(MEETINGS_PAIRS, params))

    def counts(group: list[dict[str, Any]]) -> dict[str, int]:
        found = {
            "received": sum(row["n"] for row in group),
            "approved": sum(row["n"] for row in group if row["was_approved"]),
        }
        for key, status in MEETING_STATUSES.items():
            found[key] = sum(row["n"] for row in group if row["status"] == status)
        return found

    totals = counts(rows)
    figures = totals | {"median_wait_days": overall.median}
    table = {}
    for host, group in _grouped(rows, "host_id").items():
        found = counts(group)
        table[str(host)] = {
            "label": f"{group[0]['title']} ({group[0]['name']})",
            **{key: found[key] for key in ("received", "approved", "referred", "declined", "held")},
            "median_wait_days": per_host[host].median if host in per_host else None,
        }
    months = [sum(row["n"] for row in rows if row["month"] == index) for index in range(3)]
    return Figures(figures, {"by_host": table}, {"by_month": months})


def service_requests(params: dict[str, Any]) -> Figures:
    rows = _dicts(SERVICES_COUNTS, params)
    overall, per_service = _spreads(_rows(SERVICES_PAIRS, params))
    inquiries = dict(_rows(SERVICES_OPEN_INQUIRIES, params))

    def counts(group: list[dict[str, Any]]) -> dict[str, int]:
        found = {"received": 0, "completed": 0, "rejected": 0, "on_time": 0, "corrections": 0}
        found["open_at_end"] = 0
        for row in group:
            n = row["n"]
            found["received"] += n
            found["completed"] += n if row["status"] == "completed" else 0
            found["rejected"] += n if row["status"] == "rejected" else 0
            found["on_time"] += n if row["status"] == "completed" and row["by_expected_date"] else 0
            found["corrections"] += n if row["correction_asked"] else 0
            found["open_at_end"] += 0 if row["finished_by_end"] else n
        return found

    totals = counts(rows)
    figures = {
        "received": totals["received"],
        "completed": totals["completed"],
        "rejected": totals["rejected"],
        "on_time_share": _share(totals["on_time"], totals["completed"]),
        "corrections": totals["corrections"],
        "median_days": overall.median,
        "open_inquiries": sum(inquiries.values()),
        "open_at_end": totals["open_at_end"],
    }
    table = {}
    for service, group in _grouped(rows, "service_id").items():
        found = counts(group)
        table[str(service)] = {
            "label": group[0]["title"],
            "received": found["received"],
            "completed": found["completed"],
            "rejected": found["rejected"],
            "on_time_share": _share(found["on_time"], found["completed"]),
            "corrections": found["corrections"],
            "median_days": per_service[service].median if service in per_service else None,
            "published_days": group[0]["duration_days"],
            "open_inquiries": inquiries.get(service, 0),
        }
    months = [sum(row["n"] for row in rows if row["month"] == index) for index in range(3)]
    return Figures(figures, {"by_service": table}, {"by_month": months})


def satisfaction(params: dict[str, Any]) -> Figures:
    rows = _dicts(SATISFACTION, params)
    measures = ["n", "rating_sum", "satisfied"]

    def result(sums: dict[str, int], label: Any = None) -> dict[str, Any]:
        found = {
            "responses": sums["n"],
            "mean_rating": sums["rating_sum"] / sums["n"] if sums["n"] else None,
            "satisfied_share": _share(sums["satisfied"], sums["n"]),
        }
        return found if label is None else {"label": label, **found}

    units = {
        str(unit) if unit else "none": result(_added(group, measures), group[0]["name"] or "")
        for unit, group in _grouped(rows, "unit_id").items()
    }
    services = {
        key or "none": result(_added(group, measures), group[0]["service_label"] or "")
        for key, group in _grouped(rows, "service_key").items()
    }
    for row in (units.get("none"), services.get("none")):
        if row is not None:
            del row["label"]  # the ORM names it ("no unit", "the desk in general")
    tables = {"by_unit": units, "by_service": services}
    return Figures(result(_added(rows, measures)), tables)


def compliance_cards(params: dict[str, Any]) -> Figures:
    cards = _rows(CARDS, params)
    published = len(cards)
    figures = {
        "published_cards": published,
        "cards_complete_share": _share(sum(1 for _t, complete, _r in cards if complete), published),
        "cards_reviewed_share": _share(sum(1 for _t, _c, reviewed in cards if reviewed), published),
    }
    short = sum(1 for _title, complete, reviewed in cards if not (complete and reviewed))
    return Figures(figures, lists={"cards_falling_short": short})


def compliance_contacts(params: dict[str, Any]) -> Figures:
    # In Persian alphabetical order, sorted here as the ORM part sorts them.
    names = sorted((name for (name,) in _rows(UNREACHABLE_UNITS, params)), key=persian_sort_key)
    return Figures(
        {"units_without_public_contact": len(names)},
        lists={"units_without_public_contact": names},
    )


# Registered part key → its hand-written SQL.
PARTS: dict[str, Callable[[dict[str, Any]], Figures]] = {
    "complaints": complaints,
    "meetings": meetings,
    "service_requests": service_requests,
    "satisfaction": satisfaction,
    "compliance.cards": compliance_cards,
    "compliance.contacts": compliance_contacts,
}

_LABELS = {"department_id", "category_id", "department_name", "category_title"}


def _rows(sql: str, params: dict[str, Any]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _dicts(sql: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column.name for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _grouped(rows: list[dict[str, Any]], key: str) -> dict[Any, list[dict[str, Any]]]:
    grouped: dict[Any, list[dict[str, Any]]] = {}
    for row in rows:
        grouped.setdefault(row[key], []).append(row)
    return grouped


def _added(rows: list[dict[str, Any]], measures: Iterable[str]) -> dict[str, int]:
    return {measure: sum(row[measure] or 0 for row in rows) for measure in measures}


def _share(part: int | None, whole: int | None) -> float | None:
    return part / whole if whole else None


def _spreads(rows: Iterable[tuple[Any, date, date, int]]) -> tuple[Spread, dict[Any, Spread]]:
    """(group, first date, last date, count) rows → the working days' spread overall and per
    group, counted as desk.reports.working_day_spreads counts them."""
    rows = list(rows)
    overall: dict[int, int] = {}
    grouped: dict[Any, dict[int, int]] = {}
    if rows:
        between = WorkingDayCounter(
            min(min(first, last) for _g, first, last, _n in rows),
            max(max(first, last) for _g, first, last, _n in rows),
        ).between
        for group, first, last, n in rows:
            days = between(first, last)
            overall[days] = overall.get(days, 0) + n
            if group is not None:
                histogram = grouped.setdefault(group, {})
                histogram[days] = histogram.get(days, 0) + n
    return _spread(overall), {group: _spread(counts) for group, counts in grouped.items()}
