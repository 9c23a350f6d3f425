"""Meetings with the mayor (وقت ملاقات با شهردار): who receives, when, and who asked.

A place in a session is held by every request whose `session` points at it while its status
is one of HOLDS_PLACE; services take a place only under a row lock on the session, so the
count never exceeds the capacity.

Each place has its own time. The times of a session are its start plus whole slots,
`start + k × slot_minutes` for k = 0 … capacity − 1 (`MeetingSession.times`), and `clean`
makes sure they all fall before the end. A meeting time is always one of them, and no two
requests holding a place in one session share one (the service checks under the session's
lock; a conditional unique constraint is the database's half).
"""

from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from desk.cases.models import CaseEvent, CitizenCase, ReportGroup, UnitScopedQuerySet
from desk.cases.models import ReplyTemplate as CaseReplyTemplate
from desk.jalali import format_jalali_long
from desk.models import Department
from desk.text import LocalNumber, local_digits
from desk.workdays import is_working_day

DEFAULT_SLOT_MINUTES = 15


def clock(value: time) -> str:
    """«۰۹:۳۰»: a time of day in the reader's digits."""
    return local_digits(f"{value:%H:%M}")


def hours_range(start: time, end: time) -> str:
    """«۰۹:۰۰ تا ۱۲:۰۰»: a range in words, never a dash, which right-to-left text turns
    around (and which a `dir="ltr"` span would keep in the wrong reading order)."""
    return pgettext("time range", "%(start)s to %(end)s") % {
        "start": clock(start),
        "end": clock(end),
    }


def _minutes(value: time) -> int:
    return value.hour * 60 + value.minute


class Host(models.Model):
    """The mayor or a deputy who receives citizens."""

    name = models.CharField(_("name"), max_length=120)
    title = models.CharField(
        _("title"), max_length=120, help_text=_("e.g. Mayor, Deputy for urban services")
    )
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("host")
        verbose_name_plural = _("hosts")

    def __str__(self) -> str:
        return f"{self.title} ({self.name})"


class BookingWindow(models.Model):
    """The one row of booking rules the office edits; the defaults apply until it exists."""

    open_days_ahead = models.PositiveSmallIntegerField(
        _("open for requests (days ahead)"),
        default=30,
        help_text=_("A session can be requested at most this many days before its date."),
    )
    close_hours_before = models.PositiveSmallIntegerField(
        _("closed for requests (hours before)"),
        default=24,
        help_text=_("Requests for a session stop this many hours before it starts."),
    )

    class Meta:
        verbose_name = _("booking window")
        verbose_name_plural = _("booking window")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls) -> "BookingWindow":
        return cls.objects.order_by("pk").first() or cls()

    def is_open(self, session: "MeetingSession", now: datetime | None = None) -> bool:
        now = now or timezone.now()
        if timezone.localdate(now) + timedelta(days=self.open_days_ahead) < session.date:
            return False
        return now <= session.starts_at - timedelta(hours=self.close_hours_before)


class Status(models.TextChoices):
    PENDING = "pending", _("awaiting a decision")
    APPROVED = "approved", _("approved")
    REFERRED = "referred", _("referred")
    DECLINED = "declined", _("declined")
    CANCELLED = "cancelled", _("cancelled by the citizen")
    HELD = "held", _("held")
    NO_SHOW = "no_show", _("citizen did not come")


OPEN_STATUSES = frozenset({Status.PENDING, Status.APPROVED})
# A request in one of these keeps its place in its session (the past ones count as used).
HOLDS_PLACE = frozenset({Status.PENDING, Status.APPROVED, Status.HELD, Status.NO_SHOW})


class MeetingSessionQuerySet(models.QuerySet):
    def with_taken(self):
        """Annotate `taken`: the places held, counted in the same query."""
        return self.annotate(
            taken=Count("requests", filter=Q(requests__status__in=HOLDS_PLACE), distinct=True)
        )

    def upcoming(self, now: datetime | None = None):
        return self.filter(date__gte=timezone.localdate(now or timezone.now()))

    def bookable(self, now: datetime | None = None, window: BookingWindow | None = None):
        """Published sessions inside the booking window, with `taken` annotated; the hour
        bound is checked per row by `BookingWindow.is_open` (times and dates are separate)."""
        now = now or timezone.now()
        window = window or BookingWindow.current()
        last_day = timezone.localdate(now) + timedelta(days=window.open_days_ahead)
        return (
            self.filter(is_published=True, host__is_active=True)
            .upcoming(now)
            .filter(date__lte=last_day)
            .with_taken()
            .select_related("host")
            .order_by("date", "start_time", "pk")
        )


class MeetingSession(models.Model):
    host = models.ForeignKey(
        Host, verbose_name=_("host"), on_delete=models.PROTECT, related_name="sessions"
    )
    date = models.DateField(_("date"), db_index=True)
    start_time = models.TimeField(_("start time"))
    end_time = models.TimeField(_("end time"))
    place = models.CharField(_("place"), max_length=200)
    capacity = models.PositiveSmallIntegerField(_("capacity"), default=8)
    slot_minutes = models.PositiveSmallIntegerField(
        _("minutes per meeting"),
        default=DEFAULT_SLOT_MINUTES,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 60)],
        help_text=_(
            "Each place has its own time: the start, then every this many minutes. "
            "Capacity × minutes must fit between the start and the end."
        ),
    )
    is_published = models.BooleanField(
        _("published"),
        default=True,
        help_text=_("Citizens see and request only published sessions."),
    )

    objects = MeetingSessionQuerySet.as_manager()

    class Meta:
        ordering = ["date", "start_time"]
        verbose_name = _("meeting session")
        verbose_name_plural = _("meeting sessions")

    def __str__(self) -> str:
        return f"{format_jalali_long(self.date)}، {self.hours} — {self.host.name}"

    def clean(self) -> None:
        if self.date and not is_working_day(self.date):
            raise ValidationError(
                {
                    "date": ValidationError(
                        _("This day is a holiday or a weekend day; choose a working day."),
                        code="closed_day",
                    )
                }
            )
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            raise ValidationError({"end_time": _("The session must end after it starts.")})
        if self.start_time and self.end_time and self.capacity and self.slot_minutes:
            self._check_places_fit()

    def _check_places_fit(self) -> None:
        length = _minutes(self.end_time) - _minutes(self.start_time)
        if self.capacity * self.slot_minutes <= length:
            return
        raise ValidationError(
            {
                "slot_minutes": ValidationError(
                    _(
                        "%(capacity)s meetings of %(minutes)s minutes take %(needed)s minutes, "
                        "but the session is %(length)s minutes long. Lower the capacity or the "
                        "minutes per meeting, or end the session later."
                    ),
                    code="places_do_not_fit",
                    params={
                        "capacity": LocalNumber(self.capacity),
                        "minutes": LocalNumber(self.slot_minutes),
                        "needed": LocalNumber(self.capacity * self.slot_minutes),
                        "length": LocalNumber(length),
                    },
                )
            }
        )

    @property
    def hours(self) -> str:
        """«۰۹:۰۰ تا ۱۲:۰۰»"""
        return hours_range(self.start_time, self.end_time)

    def times(self) -> list[time]:
        """The meeting times of the session, one per place: the start and every slot after
        it, none at or after the end (a session saved before `clean` checked the fit may
        have fewer times than places)."""
        start, end = _minutes(self.start_time), _minutes(self.end_time)
        return [
            time(*divmod(minute, 60))
            for minute in range(start, end, self.slot_minutes)[: self.capacity]
        ]

    def held_times(
        self, *, excluding: "MeetingRequest | None" = None
    ) -> dict[time, "MeetingRequest"]:
        """The times already given in this session, each with the request holding it."""
        holders = self.requests.filter(status__in=HOLDS_PLACE, meeting_time__isnull=False)
        if excluding is not None:
            holders = holders.exclude(pk=excluding.pk)
        return {holder.meeting_time: holder for holder in holders}

    def free_times(self, *, excluding: "MeetingRequest | None" = None) -> list[time]:
        held = self.held_times(excluding=excluding)
        return [moment for moment in self.times() if moment not in held]

    @property
    def starts_at(self) -> datetime:
        return datetime.combine(self.date, self.start_time, tzinfo=timezone.get_default_timezone())

    def places_taken(self) -> int:
        if hasattr(self, "taken"):
            return self.taken
        return self.requests.filter(status__in=HOLDS_PLACE).count()

    @property
    def free_places(self) -> int:
        return max(self.capacity - self.places_taken(), 0)


# A request still awaiting a decision after this long is waiting too long (the home page).
PENDING_TOO_LONG = timedelta(days=3)


class MeetingRequestQuerySet(UnitScopedQuerySet):
    # A unit's staff see the requests the mayor's office sent on to their unit.
    unit_field = "referred_to_department"

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def meetings_on(self, day: date):
        """The approved meetings of the sessions held on `day`."""
        return self.filter(status=Status.APPROVED, session__date=day)

    def waiting_too_long(self, now: datetime | None = None):
        """Requests awaiting a decision filed more than PENDING_TOO_LONG ago."""
        now = now or timezone.now()
        return self.filter(status=Status.PENDING, created_at__lt=now - PENDING_TOO_LONG)


class MeetingRequest(CitizenCase):
    tracking_prefix = "2"
    tracking_kind = "appointment"
    sms_name = "meeting"

    host = models.ForeignKey(
        Host, verbose_name=_("host asked for"), on_delete=models.PROTECT, related_name="requests"
    )
    subject = models.CharField(_("subject"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    preferred_session = models.ForeignKey(
        MeetingSession,
        verbose_name=_("preferred session"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    session = models.ForeignKey(
        MeetingSession,
        verbose_name=_("session"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requests",
    )
    meeting_time = models.TimeField(_("meeting time"), null=True, blank=True)
    referred_to_host = models.ForeignKey(
        Host,
        verbose_name=_("referred to deputy"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referred_requests",
    )
    referred_to_department = models.ForeignKey(
        Department,
        verbose_name=_("referred to unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meeting_requests",
    )
    decline_reason = models.TextField(_("reason of the decline"), blank=True)
    cancel_reason = models.CharField(_("reason of the cancellation"), max_length=250, blank=True)
    outcome = models.TextField(_("outcome"), blank=True, help_text=_("Seen by the citizen."))
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    # What the timeline says, kept on the row too, so that the quarterly report reads one
    # row per request and no events.
    was_approved = models.BooleanField(_("approved at least once"), default=False)

    objects = MeetingRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("meeting request")
        verbose_name_plural = _("meeting requests")
        indexes = [
            # The quarterly report reads a quarter's requests from this index alone (an
            # index-only scan on PostgreSQL).
            models.Index(
                fields=["created_at"],
                include=["id", "status", "host", "session", "was_approved"],
                name="meetings_quarter_report",
            ),
        ]
        constraints = [
            # The database's half of "one open request per mobile per host": two tabs
            # submitting at once cannot both pass the service's check.
            models.UniqueConstraint(
                fields=["mobile", "host"],
                condition=Q(status__in=["pending", "approved"]),
                name="appointments_one_open_request_per_host",
            ),
            # The database's half of "one citizen per time": the service picks a free time
            # under the session's lock, this refuses whatever slips past it. (A pending
            # request holds a place with no time yet; NULLs never clash.)
            models.UniqueConstraint(
                fields=["session", "meeting_time"],
                condition=Q(status__in=["pending", "approved", "held", "no_show"]),
                name="appointments_one_request_per_time",
            ),
        ]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def receipt_facts(self) -> list[tuple[Any, Any]]:
        return [(_("host asked for"), str(self.host)), (_("subject"), self.subject)]

    def receipt_next_step(self) -> Any:
        if self.meeting_at is not None and self.status == Status.APPROVED:
            return _("Your meeting: %(date)s at %(time)s.") % {
                "date": format_jalali_long(self.meeting_at),
                "time": local_digits(f"{self.meeting_at:%H:%M}"),
            }
        return _("The office will decide on your request; you will be told by SMS.")

    def report_group(self) -> ReportGroup:
        # Counted under the official asked for; a request sent on to a unit, under that unit.
        return ReportGroup(
            unit_id=self.referred_to_department_id,
            service_key=f"meeting-host-{self.host_id}",
            service_label=str(self.host),
        )

    @property
    def meeting_at(self) -> datetime | None:
        if self.session is None:
            return None
        return datetime.combine(
            self.session.date,
            self.meeting_time or self.session.start_time,
            tzinfo=timezone.get_default_timezone(),
        )


class MeetingRequestEvent(CaseEvent):
    request = models.ForeignKey(
        MeetingRequest,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("meeting request"),
    )

    class Meta(CaseEvent.Meta):
        verbose_name = _("event")
        verbose_name_plural = _("timeline")


class ReplyTemplate(CaseReplyTemplate):
    """A ready text for deciding on a meeting request: a decline's reason, a referral note,
    what to bring to the meeting, the outcome."""

    class Use(models.TextChoices):
        APPROVE = "approve", _("approval note")
        REFER = "refer", _("referral note")
        DECLINE = "decline", _("reason of the decline")
        OUTCOME = "outcome", _("outcome")

    use = models.CharField(_("used for"), max_length=30, choices=Use.choices, default=Use.DECLINE)

    class Meta(CaseReplyTemplate.Meta):
        pass


# The generation (desk.fragments) keying the meetings page's cached blank form: renewed when
# a host, a session, the booking window or a request (free places) changes (apps.py).
MEETINGS_GENERATION = "meetings"
