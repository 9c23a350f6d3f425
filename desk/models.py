from django.db import models
from django.utils.translation import gettext_lazy as _


class DepartmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Department(models.Model):
    """A unit (واحد) of the municipality: cases are routed to it, its phones are listed."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True, allow_unicode=True)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return self.name


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

    def __str__(self) -> str:
        return self.municipality_name

    @property
    def officer_name(self) -> str:
        return f"{self.officer_first_name} {self.officer_last_name}".strip()

    @classmethod
    def current(cls) -> "SiteProfile | None":
        return cls.objects.order_by("pk").first()


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
        return self.code


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
    # Set by queue_sms and by every retry; the re-queue job compares it with the clock.
    next_attempt_at = models.DateTimeField(_("next attempt at"))
    last_attempt_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    provider_message_id = models.CharField(_("provider's message id"), max_length=40, blank=True)
    provider_status = models.CharField(_("provider's status"), max_length=120, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

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
        return f"{self.kind} → {self.receiver}"
