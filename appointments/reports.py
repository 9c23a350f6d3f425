"""The meetings' part of the quarterly report (desk/reports): what was asked of the mayor and
the deputies, what became of it and how long citizens waited for their meeting, in three
queries whatever the number of requests: one pass (per host, status, approval and month), the
hosts' names, the dates.

A request belongs to the quarter it was filed in; what became of it is its status as recorded
by the time the report is read. "Approved" counts every request approved at some point
(`was_approved`, set by the approval), so a meeting held, missed or cancelled after its
approval still counts."""

from typing import Any

from django.db.models import Count, F, QuerySet
from django.utils.translation import gettext_lazy as _

from appointments.models import MeetingRequest, Status
from desk.reports import (
    COUNT,
    DAYS,
    Chart,
    Column,
    Figure,
    PartResult,
    Period,
    Rollup,
    Row,
    Table,
    month_of,
    month_values,
    monthly_tallies,
    ordered,
    working_day_spreads,
)

SECTION_TITLE = _("Meetings with the mayor")

# The requests whose session is the meeting they were given: its date is the meeting's.
GIVEN_A_MEETING = (Status.APPROVED, Status.HELD, Status.NO_SHOW)


def _tallies() -> dict[str, Any]:
    """What the totals and the per-host table count, each a test of a group of requests of
    one host, status, approval and month."""
    return {
        "approved": lambda group: group["was_approved"],
        "referred": lambda group: group["status"] == Status.REFERRED,
        "declined": lambda group: group["status"] == Status.DECLINED,
        "held": lambda group: group["status"] == Status.HELD,
        "no_shows": lambda group: group["status"] == Status.NO_SHOW,
        "cancelled": lambda group: group["status"] == Status.CANCELLED,
    }


def build(period: Period) -> PartResult:
    filed = MeetingRequest.objects.filter(created_at__gte=period.start, created_at__lt=period.end)
    # One pass over the quarter's requests, grouped by host, status, approval and month (a
    # few hundred groups): the totals, the table and the months are added up from them.
    rollup = Rollup(
        filed.annotate(month=month_of(period)),
        ["host", "status", "was_approved", "month"],
        {"received": Count("pk")},
        labels={"host": ["title", "name", "order"]},
        tallies={**_tallies(), **monthly_tallies(period)},
    )
    totals = rollup.totals()
    overall_wait, wait_by_host = _waits(filed, period)
    figures = [
        Figure("received", _("meeting requests received"), totals["received"]),
        Figure("approved", _("approved for a meeting"), totals["approved"]),
        Figure("referred", _("referred to a deputy or a unit"), totals["referred"]),
        Figure("declined", _("requests declined"), totals["declined"]),
        Figure("held", _("meetings held"), totals["held"]),
        Figure("no_shows", _("citizen did not come"), totals["no_shows"]),
        Figure("cancelled", _("cancelled by the citizen"), totals["cancelled"]),
        Figure(
            "median_wait_days",
            _("median wait for the meeting"),
            overall_wait,
            DAYS,
            note=_(
                "working days from the request to the day of the meeting, over the requests "
                "given a meeting (approved, held or not attended)"
            ),
        ),
    ]
    hosts = rollup.by("host", "host__order", "host__name", "host__title")
    rows = [
        Row(
            str(row["host"]),
            f"{row['host__title']} ({row['host__name']})",
            {
                "received": row["received"],
                "approved": row["approved"],
                "referred": row["referred"],
                "declined": row["declined"],
                "held": row["held"],
                "median_wait_days": wait_by_host.get(row["host"]),
            },
        )
        for row in sorted(hosts, key=lambda row: (row["host__order"], ordered(row["host__name"])))
    ]
    table = Table(
        "by_host",
        _("By the official asked for"),
        [
            Column("received", _("meeting requests received")),
            Column("approved", _("approved for a meeting")),
            Column("referred", _("referred to a deputy or a unit")),
            Column("declined", _("requests declined")),
            Column("held", _("meetings held")),
            Column("median_wait_days", _("median wait for the meeting"), DAYS),
        ],
        rows,
    )
    chart = Chart(
        "by_month",
        _("Meeting requests received per month"),
        [name for name, _start, _end in period.months()],
        [(_("meeting requests received"), month_values(period, totals))],
        measure=COUNT,
    )
    return PartResult(figures=figures, tables=[table], charts=[chart])


def _waits(filed: QuerySet, period: Period) -> tuple[float | None, dict[int, float | None]]:
    """The median wait in working days from the Tehran date of the request to its session's
    date, overall and per host (one GROUP BY)."""
    overall, per_host = working_day_spreads(
        filed.filter(status__in=GIVEN_A_MEETING, session__isnull=False),
        "created_at",
        F("session__date"),
        by="host",
        since=period.start,
    )
    return overall.median, {host: spread.median for host, spread in per_host.items()}
