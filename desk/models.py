from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from desk.jalali import format_jalali_date
from desk.registry import sms_kind_label
from desk.text import local_digits


class DepartmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Department(models.Model):
    """A unit (واحد) of the municipality: cases are routed to it, its phones are listed."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True, allow_unicode=True)
    description = models.TextField(_("description"), blank=True)
    location = models.CharField(
        _("location"),
        max_length=250,
        blank=True,
        help_text=_("Where citizens find the unit: building, floor, room, or its address."),
    )
    working_hours = models.CharField(
        _("working hours"),
        max_length=120,
        blank=True,
        help_text=_("When the unit receives citizens, e.g. Saturday to Wednesday, 7:30 to 14:30."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("unit staff"),
        blank=True,
        related_name="desk_units",
        help_text=_("Staff tied to a unit see only that unit's cases in the back office."),
    )

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return self.name


SITE_PROFILE_KEY = "site-profile"
NOT_CACHED = object()


class SiteProfile(models.Model):
    """The one row that names the municipality and its desk officer (footer, home page)."""

    municipality_name = models.CharField(_("municipality name"), max_length=120)
    officer_first_name = models.CharField(_("desk officer's first name"), max_length=60)
    officer_last_name = models.CharField(_("desk officer's last name"), max_length=80)
    officer_role = models.CharField(_("desk officer's role"), max_length=120)
    urgent_phone = models.CharField(_("urgent number"), max_length=30)
    address = models.CharField(_("address"), max_length=250, blank=True)
    working_hours = models.CharField(_("working hours"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("site profile")
        verbose_name_plural = _("site profile")
        # Not about the profile: a permission needs a model, and the quarterly report has
        # none. The roles (desk/roles.py) give it to the manager and the administrator.
        permissions = [("view_reports", _("Can read the quarterly report"))]

    def __str__(self) -> str:
        return self.municipality_name

    @property
    def officer_name(self) -> str:
        return f"{self.officer_first_name} {self.officer_last_name}".strip()

    @classmethod
    def current(cls) -> "SiteProfile | None":
        """The profile every page shows, kept in the process's memory (desk/fragments.py):
        no query per page. Saving or deleting it forgets it (desk/apps.py)."""
        from desk.fragments import local_cache

        found = local_cache().get(SITE_PROFILE_KEY, NOT_CACHED)
        if found is NOT_CACHED:
            found = cls.objects.order_by("pk").first()
            local_cache().set(SITE_PROFILE_KEY, found, settings.LOCAL_CACHE_SECONDS)
        return found


def forget_site_profile(sender, **kwargs) -> None:
    """The profile changed: this process forgets it and the cards showing it at once
    (connected in desk/apps.py); the other processes within LOCAL_CACHE_SECONDS."""
    from desk.fragments import local_cache

    local_cache().clear()


class TrackingCode(models.Model):
    """Every tracking code ever issued, whatever app owns the case: the unique constraint
    here is what makes two concurrent cases never share a code."""

    code = models.CharField(_("tracking code"), max_length=12, unique=True)
    kind = models.CharField(_("kind"), max_length=20)
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)

    class Meta:
        verbose_name = _("tracking code")
        verbose_name_plural = _("tracking codes")

    def __str__(self) -> str:
        return local_digits(self.code)


class HolidayQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Holiday(models.Model):
    """An official holiday: not a working day for deadlines, next visits and sessions.

    Imported rows come from the `holidays` package (`load_holidays`); a row the staff added,
    edited or deactivated is marked as theirs, and no later import changes it.
    """

    class Source(models.TextChoices):
        IMPORTED = "imported", _("imported")
        STAFF = "staff", _("staff")

    date = models.DateField(_("date"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.STAFF
    )
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Untick to make this day a working day again."),
    )

    objects = HolidayQuerySet.as_manager()

    class Meta:
        ordering = ["date"]
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")

    def __str__(self) -> str:
        return f"{format_jalali_date(self.date)} {local_digits(self.title)}"


class SmsMessageQuerySet(models.QuerySet):
    def failed_since(self, when: datetime) -> "SmsMessageQuerySet":
        """Messages that failed for good at or after `when` (their last attempt failed)."""
        return self.filter(status=SmsMessage.Status.FAILED, last_attempt_at__gte=when)


class SmsMessage(models.Model):
    """One SMS in the outbox: written in the transaction of the state change that caused it,
    sent afterwards by a background task, kept as the log staff read in the back office."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    receiver = models.CharField(_("receiver"), max_length=11)
    kind = models.CharField(_("kind"), max_length=50)
    tracking_code = models.CharField(_("tracking code"), max_length=12, blank=True)
    text = models.TextField(_("text"))
    # Kavenegar's approved-template mode sends these instead of the text.
    tokens = models.JSONField(_("template tokens"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # When the current round of attempts began: at creation, and again when staff retry a
    # failed message. Transient failures are retried until SMS_RETRY_HOURS after it.
    queued_at = models.DateTimeField(_("queued at"), default=timezone.now)
    # Set by queue_sms and by every retry; the re-queue job compares it with the clock.
    next_attempt_at = models.DateTimeField(_("next attempt at"))
    last_attempt_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    provider_message_id = models.CharField(_("provider's message id"), max_length=40, blank=True)
    provider_status = models.CharField(_("provider's status"), max_length=120, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    objects = SmsMessageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("SMS message")
        verbose_name_plural = _("SMS messages")
        indexes = [
            # The re-queue job looks for queued rows whose next attempt is overdue.
            models.Index(fields=["status", "next_attempt_at"], name="desk_sms_due_idx"),
            models.Index(fields=["tracking_code"], name="desk_sms_tracking_idx"),
            models.Index(fields=["receiver"], name="desk_sms_receiver_idx"),
        ]

    def __str__(self) -> str:
        return f"{sms_kind_label(self.kind)} ← {local_digits(self.receiver)}"


class RateLimitHit(models.Model):
    """One allowed hit of a rate limit (desk/ratelimit.py) on the database: counted while
    `until` (a Unix time: the hit's time plus its period) is ahead, pruned hourly after."""

    name = models.CharField(max_length=80)
    until = models.FloatField()

    class Meta:
        verbose_name = _("rate limit hit")
        verbose_name_plural = _("rate limit hits")
        indexes = [
            models.Index(fields=["name", "until"], name="desk_ratelimit_name_until"),
            models.Index(fields=["until"], name="desk_ratelimit_until"),
        ]

    def __str__(self) -> str:
        return self.name
