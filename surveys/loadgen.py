"""Synthetic survey answers for the quarterly report's benchmark (`manage.py generate_load`).

Runs after the case apps' generators and reads what they wrote, without importing them (as
surveys/services.py listens to `case_finished` without knowing the apps): every model of a
case (`CitizenCase`) whose kind an active survey follows. Each case that finished in the span
(its first finishing step, FINISHING) gets the invitation `invite_after_case` would have
written then: its kind, code and mobile, how it ended, and the unit and service of its own
`report_group()`; none for a case already invited (the demo's) or a mobile that opted out.
Exactly `scale` × 500,000 responses are written, 4 % of them to the general survey and the
rest to invitations picked evenly among all (selection sampling), answered within the
invitation's days; each response's answers follow how the case went: a resolved complaint or
a held meeting rates high, a rejection or a late answer low, and units differ.

Invitations are written in the order they were sent and responses in the order they came,
as a live desk appends them. The finished cases are read as one query per kind, in the order
they finished, each row with what the invitation needs; report_group() is asked once per
combination of what a case points at (its unit, category, host, service: the group is made
of nothing else), so a million cases cost no million model instances.
"""

import base64
import hashlib
import heapq
import itertools
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import BooleanField, Case, Exists, F, Min, OuterRef, Value, When

from desk.cases.models import CitizenCase, ReportGroup
from desk.management.commands.generate_load import (
    LoadWriter,
    Span,
    analyze,
    app_random,
    aware,
    scaled,
)
from surveys.demo import COMMENTS
from surveys.models import (
    Answer,
    Follows,
    Invitation,
    OptOut,
    Question,
    QuestionKind,
    Response,
    Survey,
)

FULL_SIZE = 500_000
GENERAL_SHARE = 0.04
# The steps that send `case_finished` (the services' own list, surveys/services.py): a case
# is invited after the first of them.
FINISHING = {
    "complaint": ("close", "out_of_jurisdiction"),
    "appointment": ("refer", "decline", "held"),
    "service_request": ("complete", "reject"),
}
# How satisfied citizens tend to be, by how their case ended (1 to 5).
MOOD = {
    "resolved": 4.3,
    "not_resolved": 2.2,
    "no_action": 2.5,
    "out_of_jurisdiction": 2.9,
    "held": 4.0,
    "referred": 3.2,
    "declined": 1.9,
    "completed": 4.1,
    "rejected": 1.7,
}
LATE = -0.7
MORE_COMMENTS = (
    "پاسخ کلی بود و مشکل حل نشد.",
    "ممنون از پیگیری سریع.",
    "ای کاش زمان ملاقات زودتر تعیین می‌شد.",
    "مدارک لازم را دو بار خواستند.",
)


@dataclass(order=True)
class Finished:
    """A finished case, as its invitation needs it."""

    finished: float
    kind: str = field(compare=False)
    code: str = field(compare=False)
    mobile: str = field(compare=False)
    outcome: str = field(compare=False)
    group: ReportGroup = field(compare=False)
    late: bool | None = field(compare=False)


def generate(scale: float, start: date, end: date, seed: int) -> dict[str, int]:
    """Invite every case finished on the Tehran dates [start, end) and write `scale` ×
    500,000 responses with their answers."""
    surveys = {
        survey.follows: survey for survey in Survey.objects.active().prefetch_related("questions")
    }
    if not surveys:
        raise CommandError("No active survey: run `manage.py migrate` (it makes the default ones).")
    rng = app_random(seed, "surveys")
    span = Span(start, end)
    load = SurveyLoad(rng, span, surveys, seed)
    case_models = [
        model
        for model in apps.get_models()
        if issubclass(model, CitizenCase)
        and model.tracking_kind in FINISHING
        and model.tracking_kind in surveys
    ]
    events = [model._meta.get_field("events").related_model for model in case_models]
    analyze([*case_models, *events, Invitation, OptOut])
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # A million cases grouped and sorted by when they finished: in memory, not on disk.
            cursor.execute("SET work_mem TO '256MB'")
    eligible = sum(load.to_invite(model).count() for model in case_models)
    wanted = scaled(FULL_SIZE, scale)
    general = round(wanted * GENERAL_SHARE) if Follows.GENERAL in surveys else 0
    load.answering(eligible, wanted - general)
    load.general_responses(general)
    for case in heapq.merge(*(load.finished_cases(model) for model in case_models)):
        load.invite(case)
    load.replies_until(math.inf)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("RESET work_mem")
    return load.writer.close()


class SurveyLoad:
    def __init__(self, rng: random.Random, span: Span, surveys: dict[str, Survey], seed: int):
        self.rng, self.span, self.surveys, self.seed = rng, span, surveys, seed
        self.unit_mood: dict[Any, float] = {}
        self.comments = [*COMMENTS, *MORE_COMMENTS]
        self.expiry = timedelta(days=settings.SURVEY_INVITATION_DAYS).total_seconds()
        self.replies: list[tuple[float, int, Any]] = []  # (submitted, order, what) heap
        self.order = itertools.count()
        self.writer = LoadWriter()
        self.invitations = self.writer.table(
            Invitation,
            ["id", "survey_id", "token", "case_kind", "case_code", "outcome", "unit_id",
             "service_key", "service_label", "mobile", "created_at", "expires_at", "answered_at"],
            "invitations",
        )  # fmt: skip
        self.responses = self.writer.table(
            Response,
            ["id", "survey_id", "invitation_id", "case_kind", "case_code", "unit_id",
             "service_key", "service_label", "submitted_at", "overall_rating"],
            "responses",
        )  # fmt: skip
        self.answers = self.writer.table(
            Answer,
            ["id", "response_id", "question_id", "rating", "yes", "choice", "text"],
            "answers",
        )

    # --- the finished cases ---------------------------------------------------------------

    def to_invite(self, model: type[CitizenCase]):
        """The first finishing step of each case of `model` (the first written: the one that
        sent `case_finished`) taken in the span, for a case not invited yet whose mobile did
        not opt out: the events to invite after."""
        relation = model._meta.get_field("events")
        events, key = relation.related_model, relation.field.name
        first = (
            events.objects.filter(action__in=FINISHING[model.tracking_kind])
            .values(key)
            .annotate(first=Min("pk"))
            .values("first")
        )
        # NOT EXISTS, not NOT IN: with a million invitations NOT IN's list no longer fits
        # PostgreSQL's work memory and it would read them all again for every case.
        invited = Invitation.objects.filter(case_code=OuterRef(f"{key}__tracking_code"))
        opted_out = OptOut.objects.filter(mobile=OuterRef(f"{key}__mobile"))
        return events.objects.filter(
            ~Exists(invited),
            ~Exists(opted_out),
            pk__in=first,
            created_at__gte=aware(self.span.start_at),
            created_at__lt=aware(self.span.end_at),
        )

    def finished_cases(self, model: type[CitizenCase]) -> Iterator[Finished]:
        """The cases of `model` to invite, in the order they finished."""
        key = model._meta.get_field("events").field.name
        pointers = [f for f in model._meta.concrete_fields if f.many_to_one]
        late = _late_expression(model, key)
        rows = (
            self.to_invite(model)
            .annotate(late=late)
            .order_by("created_at", "pk")
            .values_list(
                "created_at", "to_status", "note", f"{key}__tracking_code", f"{key}__mobile",
                "late", *(f"{key}__{pointer.attname}" for pointer in pointers),
            )
        )  # fmt: skip
        groups = CaseGroups(model, pointers)
        outcomes = _outcome_labels(model)
        for at, status, note, code, mobile, is_late, *pointing in rows.iterator(chunk_size=5_000):
            yield Finished(
                finished=at.timestamp(),
                kind=model.tracking_kind,
                code=code,
                mobile=mobile,
                outcome=_outcome(status, note, outcomes),
                group=groups.of(tuple(pointing)),
                late=is_late,
            )

    # --- invitations and responses, in time order --------------------------------------------

    def answering(self, eligible: int, wanted: int) -> None:
        """Pick `wanted` of the `eligible` invitations to be answered, evenly (Knuth's
        selection sampling: exact, one pass, nothing held)."""
        self.left_to_see, self.left_to_pick = eligible, min(wanted, eligible)

    def picked(self) -> bool:
        chosen = self.rng.random() * max(self.left_to_see, 1) < self.left_to_pick
        self.left_to_see -= 1
        self.left_to_pick -= chosen
        return chosen

    def general_responses(self, count: int) -> None:
        """Anyone's answers to the general survey, spread over the span like filings."""
        span, rng = self.span, self.rng
        for day, number in zip(span.days, span.arrivals(rng, count, 0.5), strict=True):
            for _ in range(number):
                at = span.filing_time(rng, day, False)
                heapq.heappush(self.replies, (at, next(self.order), None))

    def invite(self, case: Finished) -> None:
        """The invitation a finished case was sent; an answer to come, when it is picked."""
        self.replies_until(case.finished)
        survey = self.surveys[case.kind]
        answered = self.reply_time(case.finished) if self.picked() else None
        invitation = self.invitations.new_id()
        group = case.group
        # 128 bits like new_token()'s, drawn from the case's unique code and the seed.
        digest = hashlib.blake2b(f"{self.seed}:{case.code}".encode(), digest_size=16).digest()
        token = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
        self.invitations.add(
            invitation, survey.pk, token,
            case.kind, case.code, case.outcome, group.unit_id, group.service_key[:120],
            group.service_label[:200], case.mobile, case.finished,
            case.finished + self.expiry, answered,
        )  # fmt: skip
        if answered is not None:
            heapq.heappush(self.replies, (answered, next(self.order), (invitation, case)))

    def reply_time(self, sent: float) -> float:
        """Most who answer do so within hours of the SMS, some days later, all before the
        invitation expires (and before the span's end)."""
        rng = self.rng
        delay = (
            rng.expovariate(1 / 2400)
            if rng.random() < 0.45
            else rng.lognormvariate(math.log(36 * 3600), 1)
        )
        delay = min(delay, self.expiry - 60)
        if sent + delay >= self.span.end_at:
            delay = (self.span.end_at - sent) * rng.uniform(0.05, 0.95)
        return sent + delay

    def replies_until(self, moment: float) -> None:
        while self.replies and self.replies[0][0] <= moment:
            at, _order, what = heapq.heappop(self.replies)
            self.respond(at, what)

    def respond(self, at: float, what: tuple[int, Finished] | None) -> None:
        response = self.responses.new_id()
        if what is None:
            survey, mood, late = self.surveys[Follows.GENERAL], 3.6, None
            grouping = (None, "", "", None, "", "")
        else:
            invitation, case = what
            survey, group = self.surveys[case.kind], case.group
            mood, late = self.mood(case), case.late
            grouping = (
                invitation, case.kind, case.code, group.unit_id, group.service_key[:120],
                group.service_label[:200],
            )  # fmt: skip
        answers = [
            (question, self.answer(question, mood, late)) for question in survey.questions.all()
        ]
        overall = next(
            (value[0] for question, value in answers if question.is_headline and value), None
        )
        self.responses.add(response, survey.pk, *grouping, at, overall)
        for question, value in answers:
            if value is not None:
                self.answers.add(self.answers.new_id(), response, question.pk, *value)

    def mood(self, case: Finished) -> float:
        unit = case.group.unit_id
        if unit not in self.unit_mood:
            self.unit_mood[unit] = self.rng.uniform(-0.4, 0.4)
        return MOOD.get(case.outcome, 3.4) + self.unit_mood[unit] + (LATE if case.late else 0)

    def answer(self, question: Question, mood: float, late: bool | None) -> tuple | None:
        """(rating, yes, choice, text) as _save_answers stores them, or None when an
        optional question is left blank."""
        rng = self.rng
        if question.kind == QuestionKind.RATING:
            if not question.required and rng.random() > 0.7:
                return None
            return max(1, min(5, round(rng.gauss(mood, 0.95)))), None, "", ""
        if question.kind == QuestionKind.YES_NO:
            if not question.required and rng.random() > 0.7:
                return None
            chance = mood / 5 if late is None else (0.15 if late else 0.85)
            return None, rng.random() < chance, "", ""
        if question.kind == QuestionKind.CHOICE:
            options = question.option_list
            if not options or (not question.required and rng.random() > 0.6):
                return None
            return (
                None,
                None,
                rng.choices(options, [1 / (n + 1) for n in range(len(options))])[0],
                "",
            )
        if rng.random() < (0.12 if not question.required else 1):
            return None, None, "", rng.choice(self.comments)
        return None


class CaseGroups:
    """report_group() of the cases of a model, asked of one instance per combination of
    the foreign keys it is made of, with what they point at read once per table."""

    def __init__(self, model: type[CitizenCase], pointers: list):
        self.model, self.pointers = model, pointers
        self.rows = {
            pointer: pointer.related_model._default_manager.in_bulk()
            for pointer in pointers
            if pointer.related_model is not model
            and pointer.related_model._default_manager.count() <= 5_000
        }
        self.known: dict[tuple, ReportGroup] = {}

    def of(self, values: tuple) -> ReportGroup:
        if (group := self.known.get(values)) is None:
            case = self.model(**{p.attname: v for p, v in zip(self.pointers, values, strict=True)})
            for pointer, rows in self.rows.items():
                pointer.set_cached_value(case, rows.get(getattr(case, pointer.attname)))
            group = self.known[values] = case.report_group()
        return group


def _outcome_labels(model: type[CitizenCase]) -> list[tuple[str, str]]:
    """A case's outcome choices (a complaint's resolved, not resolved…), longest label first:
    its closing step's note names the outcome it sent with `case_finished`."""
    try:
        outcome = model._meta.get_field("outcome")
    except FieldDoesNotExist:
        return []
    labels = [(str(value), str(label)) for value, label in outcome.choices or ()]
    return sorted(labels, key=lambda pair: -len(pair[1]))


def _outcome(status: str, note: str, labels: list[tuple[str, str]]) -> str:
    """What `case_finished` carried: the outcome the closing note names, else the status
    the finishing step moved to (held, rejected, out of jurisdiction…)."""
    first_line = note.split("\n", 1)[0]
    for value, label in labels:
        if label in first_line:
            return value
    return status


def _late_expression(model: type[CitizenCase], key: str):
    """Whether the case was answered or done after its deadline, in SQL (the Tehran date
    of the moment against the due date); None for a kind of case without a deadline."""
    names = {f.name for f in model._meta.concrete_fields}
    due = next((n for n in ("due_date", "expected_date") if n in names), None)
    done = next((n for n in ("answered_at", "finished_at") if n in names), None)
    if due is None or done is None:
        return Value(None, output_field=BooleanField())
    return Case(
        When(**{f"{key}__{done}__isnull": True}, then=Value(None)),
        When(**{f"{key}__{done}__date__gt": F(f"{key}__{due}")}, then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )
