"""The complaints' part of the quarterly report (desk/reports): what came in, how it was
answered and how fast, in four queries whatever the number of cases: one pass over the
quarter per unit and subject area (their names read after, one small query each), and one
over its pairs of filing and answer dates."""

from typing import Any

from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from complaints.models import Complaint, Kind, Outcome, Status
from desk.cases.models import Channel
from desk.reports import (
    COUNT,
    DAYS,
    SHARE,
    Chart,
    Column,
    Figure,
    PartResult,
    Period,
    Rollup,
    Row,
    Table,
    month_values,
    monthly_counts,
    share,
    working_day_spread,
)

SECTION_TITLE = _("Complaints, criticisms and suggestions")


def _measures(period: Period) -> dict[str, Any]:
    """What every breakdown counts, as aggregate keyword arguments."""
    answered = Q(answered_at__isnull=False)
    return {
        "received": Count("pk"),
        "answered": Count("pk", filter=answered),
        # The last answer came by the deadline it was owed by (judged when it was given).
        "on_time": Count("pk", filter=answered & Q(answered_in_time=True)),
        # Neither answered nor closed before the end, or objected to after its last answer
        # and not answered again before the end.
        "open_at_end": Count(
            "pk",
            filter=(~Q(answered_at__lt=period.end) & ~Q(closed_at__lt=period.end))
            | Q(reopened_at__gt=F("answered_at"), reopened_at__lt=period.end),
        ),
    }


def build(period: Period) -> PartResult:
    filed = Complaint.objects.filter(created_at__gte=period.start, created_at__lt=period.end)
    # One pass over the quarter's complaints, per unit and subject area: the totals and both
    # tables are added up from it.
    rollup = Rollup(
        filed,
        ["department", "category"],
        {
            **_measures(period),
            "closed": Count("pk", filter=Q(status=Status.CLOSED)),
            **{
                f"closed_{outcome}": Count("pk", filter=Q(status=Status.CLOSED, outcome=outcome))
                for outcome in Outcome.values
            },
            "out_of_jurisdiction": Count("pk", filter=Q(status=Status.OUT_OF_JURISDICTION)),
            "referred": Count("pk", filter=Q(was_referred=True)),
            "reopened": Count("pk", filter=Q(reopened_at__isnull=False)),
            "finished": Count(
                "pk", filter=Q(answered_at__isnull=False) | Q(closed_at__isnull=False)
            ),
            **{f"kind_{kind}": Count("pk", filter=Q(kind=kind)) for kind in Kind.values},
            **{
                f"channel_{channel}": Count("pk", filter=Q(channel=channel))
                for channel in Channel.values
            },
            **monthly_counts(period),
        },
        labels={"department": ["name"], "category": ["title"]},
    )
    totals = rollup.totals()
    spread = working_day_spread(filed, "created_at", "answered_at", since=period.start)
    figures = [
        Figure("received", _("received"), totals["received"]),
        Figure("answered", _("answered"), totals["answered"]),
        Figure("closed", _("closed"), totals["closed"]),
        Figure("closed_resolved", _("closed: resolved"), totals["closed_resolved"]),
        Figure("closed_not_resolved", _("closed: not resolved"), totals["closed_not_resolved"]),
        Figure("closed_no_action", _("closed: no action possible"), totals["closed_no_action"]),
        Figure("open_at_end", _("still open at the quarter's end"), totals["open_at_end"]),
        Figure(
            "median_days",
            _("median time to answer"),
            spread.median,
            DAYS,
            note=_("working days from filing to the answer"),
        ),
        Figure("p90_days", _("90th percentile of the time to answer"), spread.p90, DAYS),
        Figure(
            "on_time_share",
            _("answered within the deadline"),
            share(totals["on_time"], totals["answered"]),
            SHARE,
            note=_("of the answered cases"),
        ),
        Figure("referred", _("referred to a unit"), totals["referred"]),
        Figure("out_of_jurisdiction", _("not our jurisdiction"), totals["out_of_jurisdiction"]),
        Figure(
            "reopen_share",
            _("reopened by the citizen"),
            share(totals["reopened"], totals["finished"]),
            SHARE,
            note=_("of the answered or closed cases"),
        ),
    ]
    units = _breakdown(rollup, "department", "department__name")
    tables = [
        _table(
            "by_kind",
            _("By type"),
            [
                Row(kind.value, kind.label, {"received": totals[f"kind_{kind.value}"]})
                for kind in Kind
            ],
            received_only=True,
        ),
        _table(
            "by_category",
            _("By subject area"),
            _breakdown(rollup, "category", "category__title"),
        ),
        _table("by_unit", _("By responsible unit"), units),
        _table(
            "by_channel",
            _("By channel"),
            [
                Row(channel.value, channel.label, {"received": totals[f"channel_{channel.value}"]})
                for channel in Channel
            ],
            received_only=True,
        ),
    ]
    charts = [
        Chart(
            "by_month",
            _("Complaints, criticisms and suggestions received per month"),
            [name for name, _start, _end in period.months()],
            [(_("received"), month_values(period, totals))],
        ),
        Chart(
            "on_time_by_unit",
            _("Answered within the deadline, per unit"),
            [row.label for row in units],
            [(_("answered within the deadline"), [row.values["on_time_share"] for row in units])],
            measure=SHARE,
            kind="bars",
        ),
    ]
    return PartResult(figures=figures, tables=tables, charts=charts)


def _breakdown(rollup: Rollup, key: str, label: str) -> list[Row]:
    """One row per unit or subject area, with its on-time share."""
    return [
        Row(
            str(row[key]),
            row[label],
            {
                "received": row["received"],
                "answered": row["answered"],
                "on_time_share": share(row["on_time"], row["answered"]),
                "open_at_end": row["open_at_end"],
            },
        )
        for row in rollup.by(key, label)
    ]


def _table(key: str, title: Any, rows: list[Row], *, received_only: bool = False) -> Table:
    columns = [Column("received", _("received"))]
    if not received_only:
        columns += [
            Column("answered", _("answered")),
            Column("on_time_share", _("answered within the deadline"), SHARE),
            Column("open_at_end", _("still open at the quarter's end"), COUNT),
        ]
    return Table(key, title, columns, rows)
