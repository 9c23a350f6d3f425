"""Synthetic complaints for the quarterly report's benchmark (`manage.py generate_load`).

A million complaints at scale 1 over the span, filed day by day (more in summer, fewer on
weekend days and holidays, at the desk only in office hours), each with the timeline
complaints/services.py would have written: submit, review, referrals (with the staff's own
note as an internal event), answers, closings with their outcome, out of jurisdiction,
duplicates, the citizen's objection within REOPEN_DAYS and the second round it starts, added
information, corrected details. The case's own fields say what its last events did
(`answered_at` the latest answer, `closed_at` cleared by a reopening, the due date counted
again from it). Units differ in speed, so the share answered in time varies by unit.
"""

import contextlib
import random
from collections import defaultdict
from datetime import date
from typing import Any

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from complaints.demo import CASES, REPLY_TEMPLATES
from complaints.models import (
    Complaint,
    ComplaintCategory,
    ComplaintEvent,
    Kind,
    Outcome,
    ReplyTemplate,
    Status,
)
from complaints.services import REOPEN_DAYS
from desk.cases.models import Channel
from desk.management.commands.generate_load import (
    Beyond,
    Citizens,
    LoadWriter,
    Span,
    Timelines,
    TrackingCodes,
    Weighted,
    app_random,
    scaled,
    staff_members,
    submission_key,
    working_days_drawn,
)
from desk.models import Department, TrackingCode
from desk.text import local_digits, normalize_text

FULL_SIZE = 1_000_000
KINDS = Weighted(
    (Kind.COMPLAINT, Kind.CRITICISM, Kind.SUGGESTION, Kind.APPRECIATION), (58, 14, 18, 10)
)
# On working days: the web, a walk-in at the desk, a call; on other days the web alone.
DESK_CHANNELS = Weighted((Channel.WEB, Channel.WALK_IN, Channel.PHONE), (64, 20, 16))
CLOSED_DAY_SHARE = 0.45
OUTCOMES = (Outcome.RESOLVED, Outcome.NOT_RESOLVED, Outcome.NO_ACTION)
# How each kind's cases end once answered: resolved, not resolved, no action possible.
ENDINGS = {
    Kind.COMPLAINT: Weighted(OUTCOMES, (62, 22, 16)),
    Kind.CRITICISM: Weighted(OUTCOMES, (45, 30, 25)),
    Kind.SUGGESTION: Weighted(OUTCOMES, (35, 15, 50)),
    Kind.APPRECIATION: Weighted(OUTCOMES, (95, 0, 5)),
}
# After the citizen objected, the second answer settles less.
SECOND_ENDINGS = Weighted(OUTCOMES, (30, 40, 30))
REOPEN_SHARE = {Kind.COMPLAINT: 0.07, Kind.CRITICISM: 0.05}

EXTRA_SENTENCES = (
    "چند بار تلفنی پیگیری کرده‌ام ولی نتیجه‌ای نگرفته‌ام.",
    "لطفاً هر چه زودتر رسیدگی شود.",
    "این مشکل از ماه گذشته ادامه دارد.",
    "ساکنان محل از این وضعیت ناراضی هستند.",
    "عکس محل را هم می‌توانم ارسال کنم.",
    "کودکان و سالمندان محله در خطر هستند.",
    "شب‌ها وضعیت بدتر است.",
    "",
    "",
)
STREETS = (
    "خیابان امام", "بلوار ساحلی", "خیابان طالقانی", "محله صیادان", "خیابان فردوسی",
    "بلوار امام خمینی", "محله شهرک", "خیابان معلم", "کوچه گلستان", "بازار مرکزی",
    "خیابان ساحل", "محله امیرآباد", "میدان ولیعصر", "خیابان بهار", "کوچه نسترن",
)  # fmt: skip
CITIZEN_NOTES = (
    "عکس‌های بیشتری از محل فرستادم.",
    "امروز دوباره همان وضعیت را دیدم.",
    "نشانی دقیق: جنب نانوایی، پلاک ۲۴.",
    "همسایه‌ها هم همین را گزارش کرده‌اند.",
)
REOPEN_REASONS = (
    "پاسخ داده‌شده مشکل را حل نکرده است و وضعیت همچنان مانند قبل است.",
    "کاری انجام نشده و فقط پاسخ کلی داده شده است.",
    "بعد از چند روز مشکل دوباره پیش آمده است.",
)
STAFF_NOTES = (
    "با شهروند تماس تلفنی گرفته شد و توضیحات تکمیلی دریافت شد.",
    "بازدید میدانی برای هفته آینده برنامه‌ریزی شد.",
    "موضوع با پیمانکار منطقه هماهنگ شد.",
    "در انتظار اعلام نظر واحد فنی.",
)


def generate(scale: float, start: date, end: date, seed: int) -> dict[str, int]:
    """Write `scale` × 1,000,000 complaints filed on the Tehran dates [start, end)."""
    categories = list(ComplaintCategory.objects.filter(is_active=True).order_by("pk"))
    if not categories:
        raise CommandError("No complaint category: run `manage.py seed_demo` first.")
    rng = app_random(seed, "complaints")
    span = Span(start, end)
    load = ComplaintLoad(rng, span, categories)
    for day, count in zip(
        span.days, span.arrivals(rng, scaled(FULL_SIZE, scale), CLOSED_DAY_SHARE), strict=True
    ):
        at_the_desk = span.is_working(day)
        channels = [DESK_CHANNELS.pick(rng) if at_the_desk else Channel.WEB for _ in range(count)]
        filed = sorted(
            (span.filing_time(rng, day, channel != Channel.WEB), channel) for channel in channels
        )
        for at, channel in filed:
            load.complaint(at, channel)
    return load.writer.close()


class Case:
    """A complaint as its services leave it, step after step."""

    __slots__ = (
        "answer",
        "answered_at",
        "answered_in_time",
        "citizen_name",
        "closed_at",
        "code",
        "department",
        "due_day",
        "duplicate_of",
        "events",
        "id",
        "outcome",
        "reopened_at",
        "status",
        "updated_at",
        "was_referred",
    )  # fmt: skip

    def __init__(self, **values: Any):
        for name in self.__slots__:
            setattr(self, name, values.get(name))
        self.events = []


class ComplaintLoad(Timelines):
    def __init__(self, rng: random.Random, span: Span, categories: list[ComplaintCategory]):
        self.rng, self.span = rng, span
        self.categories = categories
        self.category = Weighted(categories, [rng.lognormvariate(0, 0.6) for _ in categories])
        units = list(Department.objects.filter(is_active=True).order_by("pk"))
        self.units = {unit.pk: unit for unit in units}
        # Some units answer in half the time, some take twice as long.
        self.speed = {unit.pk: rng.lognormvariate(0, 0.35) for unit in units}
        self.staff = staff_members()
        self.citizens = Citizens(rng)
        self.codes = TrackingCodes(rng, Complaint.tracking_prefix)
        self.texts = self._texts()
        self.recent: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
        self.writer = LoadWriter()
        self.tracking_codes = self.writer.table(
            TrackingCode, ["id", "code", "kind", "issued_at"], "tracking codes"
        )
        self.complaints = self.writer.table(
            Complaint,
            [
                "id", "tracking_code", "citizen_name", "mobile", "national_code", "channel",
                "created_at", "updated_at", "submission_key", "kind", "category_id", "subject",
                "description", "place", "status", "department_id", "due_date", "answer",
                "answered_at", "answered_in_time", "closed_at", "was_referred", "reopened_at",
                "outcome", "duplicate_of_id",
            ],
            "complaints",
        )  # fmt: skip
        self.events = self.writer.table(
            ComplaintEvent,
            [
                "id", "complaint_id", "actor_id", "by_citizen", "action", "from_status",
                "to_status", "note", "is_public", "created_at",
            ],
            "events",
        )  # fmt: skip

    def _texts(self) -> dict[str, Any]:
        by_use = defaultdict(list)
        for _title, use, _category, text in REPLY_TEMPLATES:
            by_use[use].append(normalize_text(text))
        samples = defaultdict(list)
        for title, kind, subject, description, place, _steps, _days in CASES:
            samples[title].append((kind, subject, description, place))
        return {
            "answer": by_use[ReplyTemplate.Use.ANSWER],
            "guidance": by_use[ReplyTemplate.Use.OUT_OF_JURISDICTION],
            "close": by_use[ReplyTemplate.Use.CLOSE],
            "refer": by_use[ReplyTemplate.Use.REFER],
            "samples": samples,
            "every_sample": [sample for found in samples.values() for sample in found],
            "outcome": {
                outcome: _("Outcome: %(outcome)s.") % {"outcome": outcome.label}
                for outcome in OUTCOMES
            },
            "referred": {
                pk: _("Referred to %(unit)s.") % {"unit": unit.name}
                for pk, unit in self.units.items()
            },
            "same_matter": _("Dealt with together with an earlier request on the same matter."),
            "corrected": _("Corrected:")
            + "\n"
            + str(Complaint._meta.get_field("citizen_name").verbose_name),
        }

    # --- one complaint ----------------------------------------------------------------------

    def complaint(self, filed_at: float, channel: str) -> None:
        rng, span = self.rng, self.span
        category = self.category.pick(rng)
        kind = KINDS.pick(rng)
        name, mobile, national_code = self.citizens.person(national_code_share=0.3)
        code = self.codes.next()
        filed_day = span.day_of(filed_at)
        case = Case(
            id=self.complaints.new_id(),
            code=code,
            status=Status.RECEIVED,
            department=category.department_id,
            due_day=span.add_working_days(filed_day, category.answer_days),
            answer="",
            outcome="",
            citizen_name=name,
            was_referred=False,
        )
        clerk = self.clerk() if channel != Channel.WEB else None
        self.step(case, "submit", filed_at + rng.uniform(0.003, 0.03), actor=clerk, source="")
        with contextlib.suppress(Beyond):  # the span ended before the next step
            self.story(case, category, kind, filed_at, mobile)
        subject, description, place = self.wording(category, kind)
        self.tracking_codes.add(
            self.tracking_codes.new_id(), code, Complaint.tracking_kind, filed_at + 0.001
        )
        self.complaints.add(
            case.id, code, case.citizen_name, mobile, national_code, channel, filed_at,
            case.updated_at, submission_key(code), kind, category.pk, subject, description,
            place, case.status, case.department, span.date(case.due_day), case.answer,
            case.answered_at, case.answered_in_time, case.closed_at, case.was_referred,
            case.reopened_at, case.outcome, case.duplicate_of,
        )  # fmt: skip
        for at, actor, by_citizen, action, source, target, note, public in case.events:
            self.events.add(
                self.events.new_id(), case.id, actor, by_citizen, action, source, target,
                note, public, at,
            )  # fmt: skip
        recent = self.recent[category.pk]
        recent.append((case.id, code, mobile))
        if len(recent) > 200:
            del recent[:100]

    def story(
        self, case: Case, category: ComplaintCategory, kind: str, filed_at: float, mobile: str
    ) -> None:
        """The steps staff and the citizen take, each raising Beyond past the span's end."""
        rng, span = self.rng, self.span
        at = filed_at
        if rng.random() < 0.01:
            at = self.correct(case, at)
        fate = rng.random()
        if fate < 0.07:
            at = span.staff_time(rng, at, working_days_drawn(rng, 0.6))
            if rng.random() < 0.5:
                self.step(case, "start_review", at, target=Status.IN_REVIEW)
                at = span.staff_time(rng, at, working_days_drawn(rng, 0.4))
            if fate < 0.05:
                self.out_of_jurisdiction(case, at)
            else:
                self.duplicate(case, category, at, mobile)
            return
        at = span.staff_time(rng, at, working_days_drawn(rng, 0.5))
        referred = rng.random() < 0.27
        if referred and rng.random() < 0.3:
            at = self.refer(case, at)  # straight from the desk to the unit, unread
        else:
            self.step(case, "start_review", at, target=Status.IN_REVIEW)
            if referred:
                at = self.refer(case, span.staff_time(rng, at, working_days_drawn(rng, 0.6)))
        if referred and rng.random() < 0.12:
            at = self.refer(case, span.staff_time(rng, at, working_days_drawn(rng, 1.5)))
        at = self.asides(case, at)
        if rng.random() < 0.03:
            self.close(
                case, span.staff_time(rng, at, working_days_drawn(rng, 2)), Outcome.NO_ACTION
            )
            return
        at = self.answer(case, category, at, span.day_of(filed_at), referred)
        self.after_answer(case, category, kind, at)

    def after_answer(
        self, case: Case, category: ComplaintCategory, kind: str, answered: float
    ) -> None:
        rng, span = self.rng, self.span
        close_at = None
        if rng.random() < 0.88:
            with contextlib.suppress(Beyond):  # a closing after the end: an objection may come
                close_at = span.staff_time(rng, answered, working_days_drawn(rng, 2.5))
        objects_at = None
        if rng.random() < REOPEN_SHARE.get(kind, 0.01):
            # Within REOPEN_DAYS of the answer, whether or not staff closed the case meanwhile.
            objects_at = answered + rng.expovariate(1 / (3 * 86400))
            if objects_at > answered + REOPEN_DAYS * 86400:
                objects_at = None
        outcome = ENDINGS[kind].pick(rng)
        if close_at is not None and (objects_at is None or close_at < objects_at):
            self.close(case, close_at, outcome)
        if objects_at is None:
            return
        at = self.reopen(case, category, objects_at)
        at = span.staff_time(rng, at, working_days_drawn(rng, 0.7))
        self.step(case, "start_review", at, target=Status.IN_REVIEW)
        at = span.staff_time(rng, at, working_days_drawn(rng, category.answer_days * 0.35))
        self.answered(case, at)
        at = span.staff_time(rng, at, working_days_drawn(rng, 2))
        self.close(case, at, SECOND_ENDINGS.pick(rng))

    # --- the services' steps, as they write them -------------------------------------------

    def correct(self, case: Case, at: float) -> float:
        """The clerk fixes the name typed at filing (only the first name was typed)."""
        typed = case.citizen_name.split(" ")[0]
        note = f"{self.texts['corrected']}: {typed} ← {case.citizen_name}"
        return self.step(
            case, "correct", self.span.staff_time(self.rng, at), note=note, public=False
        )

    def refer(self, case: Case, at: float) -> float:
        rng = self.rng
        others = [pk for pk in self.units if pk != case.department] or [case.department]
        case.department = rng.choice(others)
        case.was_referred = True
        note = rng.choice(self.texts["refer"]) if rng.random() < 0.5 else ""
        shown = rng.random() < 0.3
        public = self.texts["referred"][case.department] + (f"\n{note}" if note and shown else "")
        self.step(case, "refer", at, target=Status.REFERRED, note=public)
        if note and not shown:
            self.step(case, "internal_note", at + 0.01, note=note, public=False)
        return at

    def asides(self, case: Case, at: float) -> float:
        """A staff note, the citizen's added information: now and then, while it is open."""
        rng, span = self.rng, self.span
        if rng.random() < 0.12:
            at = self.step(
                case,
                "internal_note",
                span.staff_time(rng, at),
                note=rng.choice(STAFF_NOTES),
                public=False,
            )
        if rng.random() < 0.04:
            at = self.step(
                case, "citizen_info", span.citizen_time(rng, at, 20), actor=None,
                by_citizen=True, note=rng.choice(CITIZEN_NOTES),
            )  # fmt: skip
        return at

    def answer(
        self, case: Case, category: ComplaintCategory, at: float, filed_day: int, referred: bool
    ) -> float:
        """The answer, log-normal in working days around half the category's deadline,
        slower in a slow unit and after a referral."""
        rng, span = self.rng, self.span
        median = (
            category.answer_days
            * 0.5
            * self.speed.get(case.department, 1)
            * (1.3 if referred else 1)
        )
        total = working_days_drawn(rng, median, 0.75)
        left = max(total - span.working_days_between(filed_day, span.day_of(at)), 0)
        return self.answered(case, span.staff_time(rng, at, left))

    def answered(self, case: Case, at: float) -> float:
        case.answer = self.rng.choice(self.texts["answer"])
        at = self.step(case, "answer", at, target=Status.ANSWERED, note=case.answer)
        case.answered_at = at
        # Judged when given, against the deadline this answer was owed by (a later
        # objection sets a new one), as answer_complaint does.
        case.answered_in_time = self.span.day_of(at) <= case.due_day
        return at

    def close(self, case: Case, at: float, outcome: str) -> None:
        note = self.texts["outcome"][outcome]
        if self.rng.random() < 0.2:
            note += "\n" + self.rng.choice(self.texts["close"])
        self.step(case, "close", at, target=Status.CLOSED, note=note)
        case.outcome, case.closed_at = outcome, at

    def reopen(self, case: Case, category: ComplaintCategory, at: float) -> float:
        """The citizen objects: a new deadline runs from now, the closing is undone."""
        self.step(
            case,
            "reopen",
            at,
            target=Status.REOPENED,
            actor=None,
            by_citizen=True,
            note=self.rng.choice(REOPEN_REASONS),
        )
        case.outcome, case.closed_at, case.reopened_at = "", None, at
        case.due_day = self.span.add_working_days(self.span.day_of(at), category.answer_days)
        return at

    def out_of_jurisdiction(self, case: Case, at: float) -> None:
        guidance = self.rng.choice(self.texts["guidance"])
        self.step(case, "out_of_jurisdiction", at, target=Status.OUT_OF_JURISDICTION, note=guidance)
        case.closed_at = at

    def duplicate(self, case: Case, category: ComplaintCategory, at: float, mobile: str) -> None:
        earlier = self.recent.get(category.pk)
        if not earlier:
            self.out_of_jurisdiction(case, at)
            return
        original, code, original_mobile = self.rng.choice(earlier)
        if original_mobile == mobile:
            text = _("Duplicate of the request with tracking code %(code)s.") % {
                "code": local_digits(code)
            }
        else:
            text = self.texts["same_matter"]
        self.step(case, "duplicate", at, target=Status.DUPLICATE, note=text)
        case.duplicate_of, case.closed_at = original, at

    def wording(self, category: ComplaintCategory, kind: str) -> tuple[str, str, str]:
        """Subject, description and place: the demo's cases of the category, told with a
        sentence or two more, and an address most of the time."""
        rng = self.rng
        samples = self.texts["samples"].get(category.title) or self.texts["every_sample"]
        _kind, subject, description, place = rng.choice(samples)
        extra = f"{rng.choice(EXTRA_SENTENCES)} {rng.choice(EXTRA_SENTENCES)}".strip()
        description = f"{description} {extra}".strip()
        if not place and rng.random() < 0.6:
            place = f"{rng.choice(STREETS)}، پلاک {local_digits(rng.randrange(1, 300))}"
        return subject, description, place
