"""Survey results, computed in the database with aggregates: per question (count, mean rating,
distribution, share satisfied), per unit and per service on each survey's overall-satisfaction
question, and the free-text comments. The back office's results page and its Excel export
read these; so will the quarterly report. A period is [start, end) on the answer's time."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from desk.reports import (
    RATING,
    SHARE,
    Chart,
    Column,
    Figure,
    PartResult,
    Period,
    Rollup,
    Row,
    Table,
)
from surveys.models import SATISFIED_FROM, Answer, Question, QuestionKind, Response, Survey

SATISFIED = Q(rating__gte=SATISFIED_FROM)


@dataclass
class QuestionResult:
    question: Question
    count: int = 0
    mean: float | None = None
    # rating → how many gave it (1 to 5); option → how many chose it
    distribution: dict = field(default_factory=dict)
    satisfied: int = 0
    yes: int = 0

    @property
    def satisfied_share(self) -> float | None:
        return self.satisfied / self.count if self.count else None

    @property
    def yes_share(self) -> float | None:
        return self.yes / self.count if self.count else None


@dataclass
class GroupResult:
    key: object
    label: str
    count: int
    mean: float | None
    satisfied: int

    @property
    def satisfied_share(self) -> float | None:
        return self.satisfied / self.count if self.count else None


def answers_in(
    start: datetime | None = None, end: datetime | None = None, units: list[int] | None = None
) -> QuerySet:
    """The answers submitted in [start, end), about the cases of `units` (None: all)."""
    answers = Answer.objects.all()
    if units is not None:
        answers = answers.filter(response__unit__in=units)
    if start is not None:
        answers = answers.filter(response__submitted_at__gte=start)
    if end is not None:
        answers = answers.filter(response__submitted_at__lt=end)
    return answers


def question_results(
    survey: Survey,
    start: datetime | None = None,
    end: datetime | None = None,
    units: list[int] | None = None,
) -> list[QuestionResult]:
    """Every question of `survey` with its results: three queries, whatever the answers."""
    questions = list(survey.questions.all())
    answers = answers_in(start, end, units).filter(question__survey=survey)
    totals = answers.values("question").annotate(
        count=Count("pk"),
        mean=Avg("rating"),
        satisfied=Count("pk", filter=SATISFIED),
        yes=Count("pk", filter=Q(yes=True)),
        **{f"r{n}": Count("pk", filter=Q(rating=n)) for n in range(1, 6)},
    )
    by_question = {row["question"]: row for row in totals.order_by()}
    options = (
        answers.exclude(choice="")
        .values("question", "choice")
        .annotate(count=Count("pk"))
        .order_by()
    )
    chosen: dict[int, dict[str, int]] = {}
    for row in options:
        chosen.setdefault(row["question"], {})[row["choice"]] = row["count"]
    results = []
    for question in questions:
        row = by_question.get(question.pk, {})
        result = QuestionResult(
            question=question,
            count=row.get("count", 0),
            mean=row.get("mean") if question.kind == QuestionKind.RATING else None,
            satisfied=row.get("satisfied", 0),
            yes=row.get("yes", 0),
        )
        if question.kind == QuestionKind.RATING:
            result.distribution = {n: row.get(f"r{n}", 0) for n in range(1, 6)}
        elif question.kind == QuestionKind.CHOICE:
            counts = chosen.get(question.pk, {})
            result.distribution = {option: counts.get(option, 0) for option in question.option_list}
        results.append(result)
    return results


def rated_responses(
    start: datetime | None = None, end: datetime | None = None, units: list[int] | None = None
) -> QuerySet:
    """The responses submitted in [start, end) that rate the overall satisfaction, about the
    cases of `units` (None: all)."""
    responses = Response.objects.filter(overall_rating__isnull=False)
    if units is not None:
        responses = responses.filter(unit__in=units)
    if start is not None:
        responses = responses.filter(submitted_at__gte=start)
    if end is not None:
        responses = responses.filter(submitted_at__lt=end)
    return responses


OVERALL = {
    "count": Count("pk"),
    "rating_sum": Sum("overall_rating"),
    "satisfied": Count("pk", filter=Q(overall_rating__gte=SATISFIED_FROM)),
}


@dataclass
class OverallResults:
    """The overall-satisfaction ratings of a period: in all, per unit and per service."""

    total: GroupResult
    units: list[GroupResult]
    services: list[GroupResult]


def overall_results(
    start: datetime | None = None,
    end: datetime | None = None,
    *,
    survey: Survey | None = None,
    kind: str | None = None,
    units: list[int] | None = None,
) -> OverallResults:
    """Responses, mean rating and share satisfied of the overall-satisfaction question, in
    all, per unit and per service: one pass over the responses, per unit and service."""
    responses = rated_responses(start, end, units)
    if survey is not None:
        responses = responses.filter(survey=survey)
    if kind is not None:
        responses = responses.filter(survey__follows=kind)
    rollup = Rollup(
        responses, ["unit", "service_key", "service_label"], OVERALL, labels={"unit": ["name"]}
    )
    return OverallResults(
        total=_group(None, "", rollup.totals()),
        units=[
            _group(row["unit"], row["unit__name"], row) for row in rollup.by("unit", "unit__name")
        ],
        services=[
            _group(row["service_key"], row["service_label"], row)
            for row in rollup.by("service_key", "service_label")
        ],
    )


def _group(key: object, label: str | None, sums: dict) -> GroupResult:
    count = sums["count"]
    return GroupResult(
        key, label or "", count, sums["rating_sum"] / count if count else None, sums["satisfied"]
    )


def by_unit(
    start: datetime | None = None,
    end: datetime | None = None,
    *,
    survey: Survey | None = None,
    kind: str | None = None,
    units: list[int] | None = None,
) -> list[GroupResult]:
    """Overall satisfaction per unit: responses, mean rating, share satisfied."""
    return overall_results(start, end, survey=survey, kind=kind, units=units).units


def by_service(
    start: datetime | None = None,
    end: datetime | None = None,
    *,
    survey: Survey | None = None,
    kind: str | None = None,
    units: list[int] | None = None,
) -> list[GroupResult]:
    """Overall satisfaction per service."""
    return overall_results(start, end, survey=survey, kind=kind, units=units).services


def comments(
    survey: Survey,
    start: datetime | None = None,
    end: datetime | None = None,
    limit: int = 500,
    units: list[int] | None = None,
) -> list[dict]:
    """The free-text answers, newest first, with the case they are about."""
    return list(
        answers_in(start, end, units)
        .filter(question__survey=survey)
        .exclude(text="")
        .order_by("-response__submitted_at", "-pk")
        .values(
            "text",
            "question__text",
            "response__case_kind",
            "response__case_code",
            "response__submitted_at",
            "response__unit__name",
            "response__service_label",
        )[:limit]
    )


# --- the quarterly report (desk/reports) ----------------------------------------------------------

SECTION_TITLE = _("Satisfaction of the citizens")


def build(period: Period) -> PartResult:
    """The satisfaction part of the quarterly report: the overall-satisfaction rating of the
    answers given in the quarter (by when the citizen answered, not when the case was filed),
    overall, per unit and per service, from one pass over the responses."""
    overall = overall_results(period.start, period.end)
    total = overall.total
    units = _unnamed_last(overall.units, _("no unit"))
    services = _unnamed_last(overall.services, _("the desk in general"))
    columns = [
        Column("responses", _("answers")),
        Column("mean_rating", _("mean rating"), RATING),
        Column("satisfied_share", _("share satisfied (4 or 5)"), SHARE),
    ]

    def rows(groups: list[tuple[str, Any, GroupResult]]) -> list[Row]:
        return [
            Row(
                key,
                label,
                {
                    "responses": group.count,
                    "mean_rating": group.mean,
                    "satisfied_share": group.satisfied_share,
                },
            )
            for key, label, group in groups
        ]

    figures = [
        Figure(
            "responses",
            _("survey answers"),
            total.count,
            note=_("answers given in the quarter, whenever their case was filed"),
        ),
        Figure(
            "mean_rating",
            _("mean rating"),
            total.mean,
            RATING,
            note=_("of the overall-satisfaction question, from one to five"),
        ),
        Figure(
            "satisfied_share",
            _("share satisfied (4 or 5)"),
            total.satisfied_share,
            SHARE,
            note=_("answers rating the overall satisfaction four or five"),
        ),
    ]
    tables = [
        Table("by_unit", _("By unit"), columns, rows(units)),
        Table("by_service", _("By service"), columns, rows(services)),
    ]
    chart = Chart(
        "satisfaction_by_unit",
        _("Share satisfied, per unit"),
        [label for _key, label, _group in units],
        [(_("share satisfied (4 or 5)"), [group.satisfied_share for _k, _l, group in units])],
        measure=SHARE,
        kind="bars",
    )
    return PartResult(figures=figures, tables=tables, charts=[chart])


def _unnamed_last(groups: list[GroupResult], unnamed: Any) -> list[tuple[str, Any, GroupResult]]:
    """(row key, label, result) in the order of the names, the group without a unit or a
    service (the general survey, a meeting sent to no unit) last, under `unnamed`."""
    named = [(str(group.key), group.label, group) for group in groups if group.key]
    rest = [("none", unnamed, group) for group in groups if not group.key]
    return named + rest
