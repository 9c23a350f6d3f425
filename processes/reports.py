"""The processes' parts of the quarterly report (desk/reports).

`build`: the service requests of a quarter per service (received, completed, rejected,
completed within the card's duration, corrections asked, the median duration against the
published one, inquiries still open at the quarter's end), in four queries whatever the
number of requests or services: one pass per service, the services' titles, the open
inquiries, the dates.

`build_compliance`: the service cards of articles 5 and 6 (published cards complete, and
reviewed within the year), in two queries; with the contacts' part it makes the report's
"compliance" section."""

from datetime import date
from typing import Any

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
)
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from desk.jalali import format_jalali_long
from desk.reports import (
    DAYS,
    SHARE,
    Chart,
    Column,
    Figure,
    Listing,
    PartResult,
    Period,
    Rollup,
    Row,
    Table,
    month_values,
    monthly_counts,
    share,
    working_day_spreads,
)
from processes.models import (
    Inquiry,
    RequestStatus,
    RequiredDocument,
    Service,
    ServiceFee,
    ServiceRequest,
    ServiceStep,
    oldest_current_review,
)

SECTION_TITLE = _("Service requests")
COMPLIANCE_TITLE = _("Published information: service cards and contacts")


def _measures() -> dict[str, Any]:
    """What the totals and every service's row count, as aggregate keyword arguments."""
    completed = Q(status=RequestStatus.COMPLETED)
    return {
        "received": Count("pk"),
        "completed": Count("pk", filter=completed),
        "rejected": Count("pk", filter=Q(status=RequestStatus.REJECTED)),
        # The expected date is the card's duration in working days from the complete
        # request (set at filing, set again when corrected documents come): finished on or
        # before it, as Tehran dates, is within the duration.
        "on_time": Count("pk", filter=completed & Q(finished_at__date__lte=F("expected_date"))),
        "corrections": Count("pk", filter=Q(correction_asked=True)),
    }


def build(period: Period) -> PartResult:
    filed = ServiceRequest.objects.filter(created_at__gte=period.start, created_at__lt=period.end)
    # One pass over the quarter's requests, per service: the totals and the table.
    rollup = Rollup(
        filed,
        ["service"],
        {
            **_measures(),
            "open_at_end": Count("pk", filter=~Q(finished_at__lt=period.end)),
            **monthly_counts(period),
        },
        labels={"service": ["title", "duration_days"]},
    )
    totals = rollup.totals()
    overall_days, days_by_service = _durations(filed, period)
    inquiries = _open_inquiries(period)
    figures = [
        Figure("received", _("received"), totals["received"]),
        Figure("completed", _("completed"), totals["completed"]),
        Figure("rejected", _("rejected"), totals["rejected"]),
        Figure(
            "on_time_share",
            _("completed within the published duration"),
            share(totals["on_time"], totals["completed"]),
            SHARE,
            note=_(
                "of the completed requests: finished by the expected date, the published duration "
                "in working days from the complete request (from the corrected documents when "
                "a correction was asked)"
            ),
        ),
        Figure(
            "corrections",
            _("correction of documents asked"),
            totals["corrections"],
            note=_("requests asked at least once to send documents again"),
        ),
        Figure(
            "median_days",
            _("median time to complete"),
            overall_days,
            DAYS,
            note=_("working days from filing to completion, over the completed requests"),
        ),
        Figure(
            "open_inquiries",
            _("inquiries unanswered at the end of the quarter"),
            sum(inquiries.values()),
            note=_("inquiries to other agencies about the requests of the quarter"),
        ),
        Figure("open_at_end", _("still open at the quarter's end"), totals["open_at_end"]),
    ]
    services = rollup.by("service", "service__title", "service__duration_days")
    rows = [
        Row(
            str(row["service"]),
            row["service__title"],
            {
                "received": row["received"],
                "completed": row["completed"],
                "rejected": row["rejected"],
                "on_time_share": share(row["on_time"], row["completed"]),
                "corrections": row["corrections"],
                "median_days": days_by_service.get(row["service"]),
                "published_days": row["service__duration_days"],
                "open_inquiries": inquiries.get(row["service"], 0),
            },
        )
        for row in services
    ]
    table = Table(
        "by_service",
        _("By service"),
        [
            Column("received", _("received")),
            Column("completed", _("completed")),
            Column("rejected", _("rejected")),
            Column("on_time_share", _("completed within the published duration"), SHARE),
            Column("corrections", _("correction of documents asked")),
            Column("median_days", _("median time to complete"), DAYS),
            Column("published_days", _("published duration"), DAYS),
            Column("open_inquiries", _("inquiries unanswered at the end of the quarter")),
        ],
        rows,
        note=_("The published duration is the one on the service card today."),
    )
    chart = Chart(
        "by_month",
        _("Service requests received per month"),
        [name for name, _start, _end in period.months()],
        [(_("received"), month_values(period, totals))],
    )
    return PartResult(figures=figures, tables=[table], charts=[chart])


def _durations(filed: QuerySet, period: Period) -> tuple[float | None, dict[int, float | None]]:
    """The median working days from filing to completion, overall and per service (one
    GROUP BY)."""
    overall, per_service = working_day_spreads(
        filed.filter(status=RequestStatus.COMPLETED),
        "created_at",
        "finished_at",
        by="service",
        since=period.start,
    )
    return overall.median, {key: spread.median for key, spread in per_service.items()}


def _open_inquiries(period: Period) -> dict[int, int]:
    """Per service, the inquiries about the quarter's requests that were sent by its last
    day and not answered by then (one query)."""
    rows = (
        Inquiry.objects.filter(
            request__created_at__gte=period.start,
            request__created_at__lt=period.end,
            sent_on__lte=period.last_day,
        )
        .filter(Q(answered_on__isnull=True) | Q(answered_on__gt=period.last_day))
        .values("request__service")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["request__service"]: row["n"] for row in rows}


# --- compliance: the service cards (articles 5 and 6) ------------------------------------------


def _card_parts() -> dict[str, Any]:
    return {
        "has_steps": Exists(ServiceStep.objects.filter(service=OuterRef("pk"))),
        "has_documents": Exists(RequiredDocument.objects.filter(service=OuterRef("pk"))),
        "has_fees": ExpressionWrapper(
            Exists(ServiceFee.objects.filter(service=OuterRef("pk"))) | ~Q(fee_note=""),
            output_field=BooleanField(),
        ),
    }


# A complete card lists at least one step and one document, and its fees (a fee row, or a
# note such as "free of charge" or how the fee is worked out). The duration is a required
# field of every card, so it never makes one fall short.
COMPLETE = Q(has_steps=True, has_documents=True, has_fees=True)


def build_compliance(period: Period) -> PartResult:
    """Published cards complete, as they are now (the cards keep no history of their
    parts), and reviewed within the year before the quarter's last day (or today, for a
    quarter not yet over)."""
    since = oldest_current_review(min(period.last_day, timezone.localdate()))
    reviewed = Q(last_reviewed__gte=since)
    cards = Service.objects.published().annotate(**_card_parts())
    totals = cards.aggregate(
        published=Count("pk"),
        complete=Count("pk", filter=COMPLETE),
        reviewed=Count("pk", filter=reviewed),
    )
    figures = [
        Figure("published_cards", _("published service cards"), totals["published"]),
        Figure(
            "cards_complete_share",
            _("service cards complete"),
            share(totals["complete"], totals["published"]),
            SHARE,
            note=_(
                "of the published cards, as they are now: at least one step, one document, "
                "and a fee or a note on fees"
            ),
        ),
        Figure(
            "cards_reviewed_share",
            _("service cards reviewed within the year"),
            share(totals["reviewed"], totals["published"]),
            SHARE,
            note=_(
                "of the cards published now, last reviewed within the year before the end "
                "of the quarter; a card reviewed again since counts as reviewed (only its "
                "latest review date is kept)"
            ),
        ),
    ]
    short = cards.exclude(COMPLETE & reviewed).values(
        "title", "has_steps", "has_documents", "has_fees", "last_reviewed"
    )
    listing = Listing(
        "cards_falling_short",
        _("Published service cards that fall short"),
        [_falls_short(card, reviewed_since=since) for card in short],
        empty=_("Every published card is complete and reviewed within the year."),
    )
    return PartResult(figures=figures, lists=[listing])


def _falls_short(card: dict[str, Any], *, reviewed_since: date) -> str:
    """«title: no steps، last reviewed on …»"""
    reasons = []
    if not card["has_steps"]:
        reasons.append(gettext("no steps"))
    if not card["has_documents"]:
        reasons.append(gettext("no documents"))
    if not card["has_fees"]:
        reasons.append(gettext("no fees and no note on fees"))
    if card["last_reviewed"] is None:
        reasons.append(gettext("never reviewed"))
    elif card["last_reviewed"] < reviewed_since:
        reasons.append(
            gettext("last reviewed on %(date)s")
            % {"date": format_jalali_long(card["last_reviewed"])}
        )
    # The separator is the language's own comma («، »): the msgid of Django's get_text_list.
    return gettext("%(card)s: %(reasons)s") % {
        "card": card["title"],
        "reasons": gettext(", ").join(reasons),
    }
