"""Synthetic meeting requests for the quarterly report's benchmark (`manage.py generate_load`).

200,000 requests at scale 1 over the span, with the sessions they are given: each host
receives on some weekdays, in sessions of 30 ten-minute places from 8:00, and a day gets
another session (another room) when its first is full. A request is filed on the web (some
choosing a session, which keeps a place for it), at the desk or by phone; the office decides
within days: approved into a session and a time of its own, referred to a deputy or a unit,
or declined; the citizen may cancel before the meeting. An approved meeting gets its reminder
the day before (the periodic job), may be moved, and is then held or missed; the outcome of
a meeting or a referral is often written. Requests still open at the span's end stay
pending or approved, one open request per mobile and host, as the constraint wants.
"""

import contextlib
import random
from datetime import date, time

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from appointments.models import (
    OPEN_STATUSES,
    Host,
    MeetingRequest,
    MeetingRequestEvent,
    MeetingSession,
    Status,
)
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

FULL_SIZE = 200_000
CLOSED_DAY_SHARE = 0.5
CHANNELS = Weighted((Channel.WEB, Channel.WALK_IN, Channel.PHONE), (70, 20, 10))
# The session a host holds: 8:00 to 13:00, a place every ten minutes.
SESSION_START, SESSION_END, SLOT_MINUTES = time(8, 0), time(13, 0), 10
CAPACITY = 30
ROOMS = (
    "ساختمان مرکزی شهرداری، طبقه دوم، دفتر شهردار",
    "ساختمان مرکزی شهرداری، طبقه دوم، سالن جلسات",
    "ساختمان مرکزی شهرداری، طبقه اول، اتاق ملاقات مردمی",
    "ساختمان خدمات شهری، طبقه همکف، سالن انتظار",
)
# Python weekdays a host receives on, by the host's rank: the mayor Saturday, Monday and
# Wednesday, the deputies twice a week; the other working days when those are full.
RECEIVING_DAYS = ({5, 0, 2}, {6, 1}, {1, 3}, {6, 2})

SUBJECTS = (
    "مشکل پروانه ساختمانی منزل مسکونی", "پیشنهاد ایجاد پارک محله", "عوارض نوسازی ملک قدیمی",
    "سد معبر جلوی مغازه", "تغییر کاربری زمین کشاورزی", "شکایت از پیمانکار آسفالت",
    "درخواست شغل در شهرداری", "نورپردازی خیابان", "وضعیت جمع‌آوری پسماند محله",
    "تخفیف عوارض برای ایثارگران", "تعریض کوچه و تملک ملک", "مشکل فاضلاب سطحی محله",
    "درخواست کمک برای مراسم محلی", "ساماندهی دست‌فروشان بازار", "پیگیری پرونده کمیسیون ماده صد",
)  # fmt: skip
DECLINE_REASONS = (
    "استخدام از طریق آزمون عمومی انجام می‌شود.",
    "موضوع در حوزه وظایف شهرداری نیست.",
    "موضوع پیش‌تر در ملاقات قبلی بررسی و پاسخ داده شده است.",
    "موضوع در کمیسیون ماده صد در حال رسیدگی است و ملاقات اثری بر آن ندارد.",
)
CANCEL_REASONS = (
    "کارم در واحد مربوط انجام شد.",
    "در آن روز در سفر هستم.",
    "مشکل برطرف شد.",
    "بیمار هستم و نمی‌توانم بیایم.",
)
OUTCOMES = (
    "مقرر شد واحد خدمات شهری تا پایان ماه اقدام کند.",
    "موضوع به معاونت شهرسازی ارجاع و مقرر شد ظرف دو هفته پاسخ داده شود.",
    "درخواست تخفیف در کمیسیون بعدی طرح می‌شود.",
    "توضیحات لازم داده شد و شهروند قانع شد.",
    "مقرر شد بازدید میدانی انجام و نتیجه اعلام شود.",
)
STAFF_NOTES = (
    "پرونده قبلی شهروند ضمیمه شود.",
    "با واحد مربوط هماهنگ شد.",
    "موضوع پیش‌تر نیز مطرح شده است.",
)


def generate(scale: float, start: date, end: date, seed: int) -> dict[str, int]:
    """Write `scale` × 200,000 meeting requests filed on the Tehran dates [start, end), and
    the sessions they take places in."""
    hosts = list(Host.objects.filter(is_active=True).order_by("order", "pk"))
    if not hosts:
        raise CommandError("No host receives citizens: run `manage.py seed_demo` first.")
    rng = app_random(seed, "appointments")
    span = Span(start, end)
    load = MeetingLoad(rng, span, hosts)
    for day, count in zip(
        span.days, span.arrivals(rng, scaled(FULL_SIZE, scale), CLOSED_DAY_SHARE), strict=True
    ):
        working = span.is_working(day)
        channels = [CHANNELS.pick(rng) if working else Channel.WEB for _ in range(count)]
        for at, channel in sorted(
            (span.filing_time(rng, day, c != Channel.WEB), c) for c in channels
        ):
            load.request(at, channel)
    return load.writer.close()


class Session:
    __slots__ = ("day", "id", "taken")

    def __init__(self, pk: int, day: int):
        self.id, self.day, self.taken = pk, day, 0


class Place:
    """A place in a session: its session, its time, and when that time begins."""

    __slots__ = ("session", "starts_at", "time")

    def __init__(self, session: Session, moment: time, starts_at: float):
        self.session, self.time, self.starts_at = session, moment, starts_at


class Meeting:
    __slots__ = (
        "cancel_reason",
        "decided_at",
        "decline_reason",
        "events",
        "id",
        "outcome",
        "preferred",
        "referred_host",
        "referred_unit",
        "reminder_sent_at",
        "session",
        "status",
        "time",
        "updated_at",
        "was_approved",
    )  # fmt: skip

    def __init__(self, pk: int):
        for name in self.__slots__:
            setattr(self, name, None)
        self.id, self.status, self.events = pk, Status.PENDING, []
        self.decline_reason = self.cancel_reason = self.outcome = ""
        self.was_approved = False


class MeetingLoad(Timelines):
    def __init__(self, rng: random.Random, span: Span, hosts: list[Host]):
        self.rng, self.span, self.hosts = rng, span, hosts
        # The mayor receives more than half the requests, the deputies share the rest.
        weights = [55 if rank == 0 else 45 / max(len(hosts) - 1, 1) for rank in range(len(hosts))]
        self.host_rank = Weighted(range(len(hosts)), weights)
        self.units = list(Department.objects.filter(is_active=True).order_by("pk"))
        self.staff = staff_members()
        self.citizens = Citizens(rng)
        self.codes = TrackingCodes(rng, MeetingRequest.tracking_prefix)
        self.sessions: dict[tuple[int, int], list[Session]] = {}
        self.open_requests: set[tuple[str, int]] = set()
        self.referred_text = {
            **{
                ("host", host.pk): _("Referred to %(target)s.") % {"target": str(host)}
                for host in hosts
            },
            **{
                ("unit", unit.pk): _("Referred to %(target)s.") % {"target": unit.name}
                for unit in self.units
            },
        }
        self.writer = LoadWriter()
        self.tracking_codes = self.writer.table(
            TrackingCode, ["id", "code", "kind", "issued_at"], "tracking codes"
        )
        self.session_rows = self.writer.table(
            MeetingSession,
            ["id", "host_id", "date", "start_time", "end_time", "place", "capacity",
             "slot_minutes", "is_published"],
            "sessions",
        )  # fmt: skip
        self.requests = self.writer.table(
            MeetingRequest,
            [
                "id", "tracking_code", "citizen_name", "mobile", "national_code", "channel",
                "created_at", "updated_at", "submission_key", "host_id", "subject",
                "description", "preferred_session_id", "status", "session_id", "meeting_time",
                "referred_to_host_id", "referred_to_department_id", "decline_reason",
                "cancel_reason", "outcome", "reminder_sent_at", "decided_at", "was_approved",
            ],
            "meeting requests",
        )  # fmt: skip
        self.events = self.writer.table(
            MeetingRequestEvent,
            [
                "id", "request_id", "actor_id", "by_citizen", "action", "from_status",
                "to_status", "note", "is_public", "created_at",
            ],
            "events",
        )  # fmt: skip

    # --- sessions and places --------------------------------------------------------------

    def place(self, host_rank: int, host: Host, after: int, lead: int) -> Place:
        """The first free place on a receiving day of `host`, `lead` days or more after the
        day `after`: in that day's sessions, or in a new one."""
        span = self.span
        receiving = RECEIVING_DAYS[host_rank % len(RECEIVING_DAYS)]
        day = after + max(lead, 1)
        while not (span.is_working(day) and span.date(day).weekday() in receiving):
            day += 1
            if day - after > 14:  # no receiving day soon: any working day will do
                while not span.is_working(day):
                    day += 1
                break
        sessions = self.sessions.setdefault((host.pk, day), [])
        session = next((s for s in sessions if s.taken < CAPACITY), None)
        if session is None:
            session = Session(self.session_rows.new_id(), day)
            sessions.append(session)
            self.session_rows.add(
                session.id, host.pk, span.date(day), SESSION_START, SESSION_END,
                ROOMS[(len(sessions) - 1) % len(ROOMS)], CAPACITY, SLOT_MINUTES, True,
            )  # fmt: skip
        minutes = SESSION_START.hour * 60 + SESSION_START.minute + session.taken * SLOT_MINUTES
        session.taken += 1
        moment = time(*divmod(minutes, 60))
        return Place(session, moment, span.midnight(day) + minutes * 60)

    # --- one request ---------------------------------------------------------------------

    def request(self, filed_at: float, channel: str) -> None:
        rng, span = self.rng, self.span
        rank = self.host_rank.pick(rng)
        host = self.hosts[rank]
        name, mobile, national_code = self.citizens.person(national_code_share=0.25)
        meeting = Meeting(self.requests.new_id())
        code = self.codes.next()
        clerk = self.clerk() if channel != Channel.WEB else None
        chosen = None
        if channel == Channel.WEB and rng.random() < 0.4:
            # The citizen picks a session in the booking window: from two days to a month on.
            chosen = self.place(rank, host, span.day_of(filed_at), 1 + int(rng.expovariate(1 / 6)))
            meeting.preferred = meeting.session = chosen.session
        self.step(meeting, "request", filed_at + rng.uniform(0.003, 0.03), actor=clerk, source="")
        with contextlib.suppress(Beyond):
            self.story(meeting, rank, host, filed_at, chosen)
        if meeting.status in OPEN_STATUSES:
            while (mobile, host.pk) in self.open_requests:  # one open request per host
                mobile = self.citizens.mobile()
            self.open_requests.add((mobile, host.pk))
        self.tracking_codes.add(
            self.tracking_codes.new_id(),
            code,
            MeetingRequest.tracking_kind,
            filed_at + 0.001,
        )
        self.requests.add(
            meeting.id, code, name, mobile, national_code, channel, filed_at,
            meeting.updated_at, submission_key(code), host.pk, rng.choice(SUBJECTS),
            "" if rng.random() < 0.4 else rng.choice(SUBJECTS) + ".",
            meeting.preferred.id if meeting.preferred else None, meeting.status,
            meeting.session.id if meeting.session else None, meeting.time,
            meeting.referred_host, meeting.referred_unit, meeting.decline_reason,
            meeting.cancel_reason, meeting.outcome, meeting.reminder_sent_at,
            meeting.decided_at, meeting.was_approved,
        )  # fmt: skip
        for at, actor, by_citizen, action, source, target, note, public in meeting.events:
            self.events.add(
                self.events.new_id(), meeting.id, actor, by_citizen, action, source, target,
                note, public, at,
            )  # fmt: skip

    def story(
        self, meeting: Meeting, rank: int, host: Host, filed_at: float, chosen: Place | None
    ) -> None:
        rng, span = self.rng, self.span
        decided = span.staff_time(rng, filed_at, working_days_drawn(rng, 1.2))
        if chosen is not None and decided > chosen.starts_at - 3 * 3600:
            decided = span.staff_time(rng, filed_at)  # the office decides before the session
        if rng.random() < 0.05:
            cancelled = span.citizen_time(rng, filed_at, 30)
            if cancelled < decided and (chosen is None or cancelled < chosen.starts_at):
                self.cancel(meeting, cancelled)
                return
        fate = rng.random()
        if fate < 0.15:
            self.refer(meeting, rank, decided)
            return
        if fate < 0.25:
            meeting.decline_reason = rng.choice(DECLINE_REASONS)
            meeting.decided_at = self.step(
                meeting, "decline", decided, target=Status.DECLINED, note=meeting.decline_reason
            )
            return
        place = chosen
        if place is None or place.starts_at < decided + 3600:
            place = self.place(rank, host, span.day_of(decided), 1 + int(rng.expovariate(1 / 8)))
        self.approve(meeting, place, decided)
        self.until_the_meeting(meeting, rank, host, decided, place)

    def until_the_meeting(
        self, meeting: Meeting, rank: int, host: Host, approved: float, place: Place
    ) -> None:
        rng, span = self.rng, self.span
        if rng.random() < 0.05 and place.starts_at - approved > 2 * 86400:
            moved = span.staff_time(rng, approved, 1)
            if moved < place.starts_at - 86400:
                place = self.place(
                    rank, host, span.day_of(place.starts_at), 2 + int(rng.expovariate(1 / 4))
                )
                meeting.session, meeting.time, meeting.reminder_sent_at = (
                    place.session,
                    place.time,
                    None,
                )
                approved = self.step(meeting, "reschedule", moved, target=Status.APPROVED)
        if rng.random() < 0.07:
            cancelled = span.citizen_time(rng, approved, 48)
            if cancelled < place.starts_at:
                self.remind(meeting, place, approved, before=cancelled)
                self.cancel(meeting, cancelled)
                return
        self.remind(meeting, place, approved)
        span.check(place.starts_at)
        if rng.random() < 0.85:
            marked = span.staff_time(rng, place.starts_at, 0 if rng.random() < 0.8 else 1)
            self.step(meeting, "held", marked, target=Status.HELD, public=False)
            if rng.random() < 0.55:
                self.write_outcome(
                    meeting, span.staff_time(rng, marked, working_days_drawn(rng, 0.8))
                )
        else:
            marked = span.staff_time(rng, place.starts_at, 0 if rng.random() < 0.8 else 1)
            self.step(meeting, "no_show", marked, target=Status.NO_SHOW, public=False)

    # --- the services' steps, as they write them -------------------------------------------

    def approve(self, meeting: Meeting, place: Place, at: float) -> None:
        meeting.session, meeting.time, meeting.was_approved = place.session, place.time, True
        meeting.decided_at = self.step(meeting, "approve", at, target=Status.APPROVED)

    def remind(
        self, meeting: Meeting, place: Place, approved: float, before: float | None = None
    ) -> None:
        """The periodic job (every ten minutes) reminds approved meetings of tomorrow once."""
        span = self.span
        day_before = span.midnight(place.session.day - 1)
        at = max(day_before, approved) + self.rng.uniform(5, 600)
        if at >= span.midnight(place.session.day) or (before is not None and at >= before):
            return
        meeting.reminder_sent_at = span.check(at)
        self.step(meeting, "reminder", at + 0.01, actor=None, public=False)

    def cancel(self, meeting: Meeting, at: float) -> None:
        meeting.cancel_reason = self.rng.choice(CANCEL_REASONS)
        self.step(
            meeting,
            "cancel",
            at,
            target=Status.CANCELLED,
            actor=None,
            by_citizen=True,
            note=meeting.cancel_reason,
        )

    def refer(self, meeting: Meeting, rank: int, at: float) -> None:
        rng = self.rng
        deputies = [host for index, host in enumerate(self.hosts) if index != rank]
        if deputies and (rng.random() < 0.5 or not self.units):
            meeting.referred_host = rng.choice(deputies).pk
            text = self.referred_text[("host", meeting.referred_host)]
        else:
            meeting.referred_unit = rng.choice(self.units).pk
            text = self.referred_text[("unit", meeting.referred_unit)]
        note = rng.choice(STAFF_NOTES) if rng.random() < 0.4 else ""
        shown = rng.random() < 0.3
        meeting.decided_at = self.step(
            meeting,
            "refer",
            at,
            target=Status.REFERRED,
            note=text + (f"\n{note}" if note and shown else ""),
        )
        if note and not shown:
            self.step(meeting, "internal_note", at + 0.01, note=note, public=False)
        if rng.random() < 0.25:
            self.write_outcome(meeting, self.span.staff_time(rng, at, working_days_drawn(rng, 3)))

    def write_outcome(self, meeting: Meeting, at: float) -> None:
        meeting.outcome = self.rng.choice(OUTCOMES)
        self.step(meeting, "outcome", at, note=meeting.outcome)
