"""Synthetic service requests for the quarterly report's benchmark (`manage.py generate_load`).

200,000 requests at scale 1 over the span, for every published card (a few popular, most
rare; cards without online requests only at the counter), each with a slot per document the
card has uploaded online and the timeline processes/services.py would have written: review,
a correction asked now and then (the refused documents named, the citizen's new files, the
card's duration counted again from the complete request), acceptance, inquiries to other
agencies (most answered, some after the request ended, some never), the ready date, the
completion on or after it; some rejected. The work takes about the card's duration, longer
in a slow unit, so the share done in time varies by card and unit. Uploaded files are not
written (the report reads none): a slot's verdict stands without its file.
"""

import contextlib
import random
from datetime import date
from typing import Any

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from desk.cases.models import Channel
from desk.jalali import format_jalali_long
from desk.management.commands.generate_load import (
    Beyond,
    Citizens,
    LoadWriter,
    Span,
    Timelines,
    TrackingCodes,
    app_random,
    popularity,
    scaled,
    staff_members,
    submission_key,
    working_days_drawn,
)
from desk.models import TrackingCode
from processes.models import (
    DocumentReview,
    Inquiry,
    RequestDocument,
    RequestStatus,
    Service,
    ServiceRequest,
    ServiceRequestEvent,
)

Status = RequestStatus
FULL_SIZE = 200_000
CLOSED_DAY_SHARE = 0.35
REFUSALS = (
    "تصویر ارسال‌شده خوانا نیست؛ لطفاً تصویر واضح هر دو روی مدرک را بفرستید.",
    "مدرک ارسال‌شده مربوط به این ملک نیست.",
    "تاریخ اعتبار مدرک گذشته است.",
    "صفحه دوم سند ارسال نشده است.",
    "امضای مالک در فرم دیده نمی‌شود.",
)
REJECTIONS = (
    "ملک در طرح تعریض معبر است و تا تعیین تکلیف طرح، گواهی صادر نمی‌شود.",
    "مدارک اصلاحی در مهلت مقرر ارسال نشد.",
    "کاربری ملک با درخواست همخوانی ندارد.",
    "بدهی عوارض ملک تسویه نشده است.",
)
AGENCIES = (
    ("اداره ثبت اسناد و املاک", "استعلام وضعیت ثبتی پلاک"),
    ("شرکت آب و فاضلاب", "استعلام انشعاب آب"),
    ("شرکت توزیع نیروی برق", "استعلام حریم شبکه برق"),
    ("اداره راه و شهرسازی", "استعلام طرح تفصیلی"),
    ("سازمان منطقه آزاد قشم", "استعلام مجوز فعالیت"),
    ("اداره میراث فرهنگی", "استعلام حریم بنای تاریخی"),
)
INQUIRY_RESULTS = ("بلامانع است.", "با رعایت ضوابط بلامانع است.", "نیاز به بازدید دارد.")
NOTES = ("", "", "", "لطفاً اصل مدارک را همراه داشته باشید.", "پرداخت عوارض پیش از مراجعه.")


def generate(scale: float, start: date, end: date, seed: int) -> dict[str, int]:
    """Write `scale` × 200,000 service requests filed on the Tehran dates [start, end)."""
    services = list(
        Service.objects.published()
        .order_by("pk")
        .prefetch_related("documents")
        .select_related("department")
    )
    if not services:
        raise CommandError("No published service card: run `manage.py seed_demo` first.")
    rng = app_random(seed, "processes")
    span = Span(start, end)
    load = RequestLoad(rng, span, services)
    for day, count in zip(
        span.days, span.arrivals(rng, scaled(FULL_SIZE, scale), CLOSED_DAY_SHARE), strict=True
    ):
        filed = sorted(load.filing(day) for _ in range(count))
        for at, service, channel in filed:
            load.request(at, service, channel)
    return load.writer.close()


class Slot:
    __slots__ = ("document", "has_file", "id", "refusal_reason", "review", "reviewed_at")

    def __init__(self, pk: int, document: Any, has_file: bool):
        self.id, self.document, self.has_file = pk, document, has_file
        self.review, self.refusal_reason, self.reviewed_at = DocumentReview.PENDING, "", None

    @property
    def needs_verdict(self) -> bool:
        return self.document.mandatory or self.has_file


class Request:
    __slots__ = (
        "correction_asked",
        "events",
        "expected_day",
        "finished_at",
        "id",
        "inquiries",
        "later",
        "ready_day",
        "slots",
        "status",
        "updated_at",
    )  # fmt: skip

    def __init__(self, pk: int, expected_day: int):
        self.id, self.status, self.expected_day = pk, Status.SUBMITTED, expected_day
        self.ready_day = self.finished_at = self.updated_at = None
        self.events, self.slots, self.inquiries = [], [], []
        self.correction_asked = False
        # Steps that come later than the story told so far (an inquiry's late answer).
        self.later: list[tuple[float, str, str]] = []


class RequestLoad(Timelines):
    def __init__(self, rng: random.Random, span: Span, services: list[Service]):
        self.rng, self.span = rng, span
        self.services = services
        self.popular = popularity(rng, services)
        self.online = [s for s in services if s.accepts_online_requests]
        self.documents = {s.pk: [d for d in s.documents.all() if d.upload_online] for s in services}
        units = {s.department_id for s in services}
        self.speed = {unit: rng.lognormvariate(0, 0.3) for unit in sorted(units)}
        self.staff = staff_members()
        self.citizens = Citizens(rng)
        self.codes = TrackingCodes(rng, ServiceRequest.tracking_prefix)
        self.writer = LoadWriter()
        self.tracking_codes = self.writer.table(
            TrackingCode, ["id", "code", "kind", "issued_at"], "tracking codes"
        )
        self.requests = self.writer.table(
            ServiceRequest,
            [
                "id", "tracking_code", "citizen_name", "mobile", "national_code", "channel",
                "created_at", "updated_at", "submission_key", "service_id", "department_id",
                "description", "status", "expected_date", "ready_date", "finished_at",
                "correction_asked",
            ],
            "service requests",
        )  # fmt: skip
        self.slots = self.writer.table(
            RequestDocument,
            ["id", "request_id", "required_document_id", "name", "mandatory", "accepted_types",
             "order", "review", "refusal_reason", "reviewed_at"],
            "document slots",
        )  # fmt: skip
        self.events = self.writer.table(
            ServiceRequestEvent,
            [
                "id", "request_id", "actor_id", "by_citizen", "action", "from_status",
                "to_status", "note", "is_public", "created_at",
            ],
            "events",
        )  # fmt: skip
        self.inquiries = self.writer.table(
            Inquiry,
            ["id", "request_id", "agency", "subject", "sent_on", "answered_on", "result"],
            "inquiries",
        )

    def filing(self, day: int) -> tuple[float, Service, str]:
        """A request's card and channel: on the web for a card that takes online requests
        (seven in ten), else at the counter in office hours; on a closed day the web alone."""
        rng, span = self.rng, self.span
        if not span.is_working(day) and self.online:
            service = self.popular.pick(rng)
            while not service.accepts_online_requests:
                service = self.popular.pick(rng)
            return span.filing_time(rng, day, False), service, Channel.WEB
        service = self.popular.pick(rng)
        online = service.accepts_online_requests and rng.random() < 0.7
        channel = Channel.WEB if online else Channel.WALK_IN
        return span.filing_time(rng, day, not online), service, channel

    # --- one request ---------------------------------------------------------------------

    def request(self, filed_at: float, service: Service, channel: str) -> None:
        rng, span = self.rng, self.span
        name, mobile, national_code = self.citizens.person(national_code_share=1.0)
        code = self.codes.next()
        request = Request(
            self.requests.new_id(),
            span.add_working_days(span.day_of(filed_at), service.duration_days),
        )
        on_the_web = channel == Channel.WEB
        for document in self.documents[service.pk]:
            # On the web every mandatory document comes with a file; at the counter the
            # clerk sees the originals and scans some.
            has_file = (
                (document.mandatory or rng.random() < 0.5) if on_the_web else rng.random() < 0.3
            )
            request.slots.append(Slot(self.slots.new_id(), document, has_file))
        clerk = None if on_the_web else self.clerk()
        self.step(request, "submit", filed_at + rng.uniform(0.003, 0.03), actor=clerk, source="")
        with contextlib.suppress(Beyond):
            self.story(request, service, filed_at)
        while request.later:
            self.late_step(request)
        self.tracking_codes.add(
            self.tracking_codes.new_id(),
            code,
            ServiceRequest.tracking_kind,
            filed_at + 0.001,
        )
        self.requests.add(
            request.id, code, name, mobile, national_code, channel, filed_at,
            request.updated_at, submission_key(code), service.pk, service.department_id,
            rng.choice(("", "", "پلاک ۴۲، طبقه همکف.", "برای ملک واقع در بلوار ساحلی.")),
            request.status, span.date(request.expected_day),
            span.date(request.ready_day) if request.ready_day else None, request.finished_at,
            request.correction_asked,
        )  # fmt: skip
        for slot in request.slots:
            document = slot.document
            self.slots.add(
                slot.id, request.id, document.pk, document.name, document.mandatory,
                document.accepted_types, document.order, slot.review, slot.refusal_reason,
                slot.reviewed_at,
            )  # fmt: skip
        for at, actor, by_citizen, action, source, target, note, public in request.events:
            self.events.add(
                self.events.new_id(), request.id, actor, by_citizen, action, source, target,
                note, public, at,
            )  # fmt: skip
        for agency, subject, sent_day, answered_day, result in request.inquiries:
            self.inquiries.add(
                self.inquiries.new_id(), request.id, agency, subject, span.date(sent_day),
                span.date(answered_day) if answered_day else None, result,
            )  # fmt: skip

    def story(self, request: Request, service: Service, filed_at: float) -> None:
        rng, span = self.rng, self.span
        at = span.staff_time(rng, filed_at, working_days_drawn(rng, 0.6))
        if rng.random() < 0.75:
            at = self.step(request, "start_review", at, target=Status.UNDER_REVIEW)
            at = span.staff_time(rng, at, working_days_drawn(rng, 0.5))
        if rng.random() < 0.03:
            self.reject(request, at)
            return
        complete_at = filed_at
        rounds = 0
        while rng.random() < (0.22 if rounds == 0 else 0.12) and rounds < 3:
            rounds += 1
            self.ask_correction(request, at)
            if rng.random() > 0.78:  # the citizen never sends the files again
                if rng.random() < 0.4:
                    self.reject(request, span.staff_time(rng, at, 10 + working_days_drawn(rng, 5)))
                return
            at = complete_at = self.resubmit(request, service, span.citizen_time(rng, at, 60))
            at = span.staff_time(rng, at, working_days_drawn(rng, 0.8))
        self.accept(request, at)
        if rng.random() < 0.03:
            self.reject(request, span.staff_time(rng, at, working_days_drawn(rng, 3)))
            return
        work = working_days_drawn(
            rng, service.duration_days * 0.5 * self.speed[service.department_id], 0.55
        )
        complete_day = span.day_of(complete_at)
        ready_at = span.staff_time(
            rng, at, max(work - span.working_days_between(complete_day, span.day_of(at)), 0)
        )
        if rng.random() < 0.18:
            ready_at = self.inquire(request, at, ready_at)
            if ready_at is None:
                return  # waiting for the agency's answer
        self.ready(request, ready_at)
        if rng.random() < 0.04:
            ready_at = self.ready(
                request, span.staff_time(rng, ready_at, 1 + working_days_drawn(rng, 1))
            )
        if rng.random() < 0.03:
            return  # never collected
        late = 0 if rng.random() < 0.9 else 1 + working_days_drawn(rng, 2)
        collected = span.staff_time(rng, span.midnight(request.ready_day), late)
        request.finished_at = self.step(
            request,
            "complete",
            max(collected, ready_at + 600),
            target=Status.COMPLETED,
            note=rng.choice(NOTES[:3]),
        )

    # --- the services' steps, as they write them -------------------------------------------

    def step(self, request: Request, action: str, at: float, **options: Any) -> float:
        """The shared step, once the steps put off until before `at` are taken."""
        at = self.span.check(at)
        while request.later and request.later[0][0] < at:
            self.late_step(request)
        return super().step(request, action, at, **options)

    def late_step(self, request: Request) -> None:
        """A step put off until the story reached its time (it is never past the end)."""
        at, action, note = request.later.pop(0)
        self.step(request, action, at, note=note)

    def ask_correction(self, request: Request, at: float) -> None:
        """review_documents with one document refused, or two: the others accepted."""
        rng = self.rng
        needed = [slot for slot in request.slots if slot.needs_verdict]
        if not needed:
            needed = request.slots
        refused = (
            rng.sample(needed, min(len(needed), 1 if rng.random() < 0.8 else 2)) if needed else []
        )
        at = self.span.check(at)
        for slot in needed:
            if slot in refused:
                slot.review, slot.refusal_reason = DocumentReview.REFUSED, rng.choice(REFUSALS)
            else:
                slot.review, slot.refusal_reason = DocumentReview.ACCEPTED, ""
            slot.reviewed_at = at
        note = "\n".join(f"{slot.document.name}: {slot.refusal_reason}" for slot in refused)
        request.correction_asked = True
        self.step(request, "ask_correction", at, target=Status.NEEDS_CORRECTION, note=note)

    def resubmit(self, request: Request, service: Service, at: float) -> float:
        at = self.span.check(at)
        refused = [slot for slot in request.slots if slot.review == DocumentReview.REFUSED]
        for slot in refused:
            slot.has_file = True
            slot.review, slot.reviewed_at = DocumentReview.PENDING, None
        request.expected_day = self.span.add_working_days(
            self.span.day_of(at), service.duration_days
        )
        text = _("New files: %(names)s.") % {
            "names": "، ".join(slot.document.name for slot in refused)
        }
        return self.step(
            request,
            "resubmit",
            at,
            target=Status.UNDER_REVIEW,
            actor=None,
            by_citizen=True,
            note=text,
        )

    def accept(self, request: Request, at: float) -> None:
        at = self.span.check(at)
        for slot in request.slots:
            if slot.needs_verdict:
                slot.review, slot.refusal_reason, slot.reviewed_at = DocumentReview.ACCEPTED, "", at
        self.step(request, "accept", at, target=Status.IN_PROGRESS)

    def reject(self, request: Request, at: float) -> None:
        request.finished_at = self.step(
            request, "reject", at, target=Status.REJECTED, note=self.rng.choice(REJECTIONS)
        )

    def inquire(self, request: Request, accepted: float, ready_at: float) -> float | None:
        """An inquiry to another agency. Mostly the work waits for its answer; now and then
        it goes on and the answer is recorded after the request ended; some answers never
        come (None: the request waits still)."""
        rng, span = self.rng, self.span
        agency, subject = rng.choice(AGENCIES)
        sent_at = span.staff_time(rng, accepted, working_days_drawn(rng, 0.5))
        sent = self.step(request, "inquiry_sent", sent_at, note=agency)
        answered = None
        if rng.random() < 0.85:
            try:
                answered = span.staff_time(rng, sent, 1 + working_days_drawn(rng, 6))
            except Beyond:
                answered = None
        request.inquiries.append(
            (agency, subject, span.day_of(sent), span.day_of(answered) if answered else None,
             rng.choice(INQUIRY_RESULTS) if answered else "")
        )  # fmt: skip
        if answered is None:
            return None if rng.random() < 0.5 else max(ready_at, span.staff_time(rng, sent))
        if rng.random() < 0.1:
            request.later.append((answered, "inquiry_answered", agency))
            return max(ready_at, span.staff_time(rng, sent))
        self.step(request, "inquiry_answered", answered, note=agency)
        return max(ready_at, span.staff_time(rng, answered, working_days_drawn(rng, 1)))

    def ready(self, request: Request, at: float) -> float:
        rng, span = self.rng, self.span
        at = span.check(at)
        request.ready_day = span.add_working_days(span.day_of(at), 1 + working_days_drawn(rng, 0.8))
        text = _("Date to come: %(date)s.") % {
            "date": format_jalali_long(span.date(request.ready_day))
        }
        note = rng.choice(NOTES)
        return self.step(
            request, "ready", at, target=Status.READY, note=text + (f"\n{note}" if note else "")
        )
