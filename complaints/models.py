from datetime import timedelta
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from desk.cases.models import (
    CaseAttachment,
    CaseEvent,
    CitizenCase,
    ReportGroup,
    UnitScopedQuerySet,
)
from desk.cases.models import (
    ReplyTemplate as CaseReplyTemplate,
)
from desk.jalali import format_jalali_long
from desk.models import Department


class ComplaintCategory(models.Model):
    title = models.CharField(_("title"), max_length=120)
    department = models.ForeignKey(
        Department,
        verbose_name=_("default unit"),
        on_delete=models.PROTECT,
        related_name="complaint_categories",
    )
    answer_days = models.PositiveSmallIntegerField(_("answer deadline (working days)"), default=10)
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "title"]
        verbose_name = _("complaint category")
        verbose_name_plural = _("complaint categories")

    def __str__(self) -> str:
        return self.title


class Kind(models.TextChoices):
    COMPLAINT = "complaint", _("complaint")
    CRITICISM = "criticism", _("criticism")
    SUGGESTION = "suggestion", _("suggestion")
    APPRECIATION = "appreciation", _("appreciation")


class Status(models.TextChoices):
    RECEIVED = "received", _("received")
    IN_REVIEW = "in_review", _("in review")
    REFERRED = "referred", _("referred to a unit")
    ANSWERED = "answered", _("answered")
    REOPENED = "reopened", _("reopened")
    CLOSED = "closed", _("closed")
    OUT_OF_JURISDICTION = "out_of_jurisdiction", _("not our jurisdiction")
    DUPLICATE = "duplicate", _("duplicate")


OPEN_STATUSES = frozenset({Status.RECEIVED, Status.IN_REVIEW, Status.REFERRED, Status.REOPENED})
FINAL_STATUSES = frozenset({Status.CLOSED, Status.OUT_OF_JURISDICTION, Status.DUPLICATE})


class Outcome(models.TextChoices):
    RESOLVED = "resolved", _("resolved")
    NOT_RESOLVED = "not_resolved", _("not resolved")
    NO_ACTION = "no_action", _("no action possible")


class ComplaintQuerySet(UnitScopedQuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today=None):
        today = today or timezone.localdate()
        return self.open().filter(due_date__lt=today)

    def due_this_week(self, today=None):
        """Open cases whose deadline falls from today to six days on: the week's work."""
        today = today or timezone.localdate()
        return self.open().filter(due_date__range=(today, today + timedelta(days=6)))


class Complaint(CitizenCase):
    tracking_prefix = "1"
    tracking_kind = "complaint"
    sms_name = "complaint"

    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.COMPLAINT)
    category = models.ForeignKey(
        ComplaintCategory,
        verbose_name=_("subject area"),
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    subject = models.CharField(_("subject"), max_length=150)
    description = models.TextField(_("description"))
    place = models.CharField(_("address or place"), max_length=250, blank=True)
    status = models.CharField(
        _("status"), max_length=30, choices=Status.choices, default=Status.RECEIVED, db_index=True
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("responsible unit"),
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    due_date = models.DateField(_("answer due by"), db_index=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_in_time = models.BooleanField(
        _("answered within the deadline"),
        null=True,
        blank=True,
        help_text=_("Whether the last answer came by the deadline it was owed by."),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # What the timeline says, kept on the row too, so that the quarterly report reads one
    # row per case and no events.
    was_referred = models.BooleanField(_("referred to a unit at least once"), default=False)
    reopened_at = models.DateTimeField(_("last objected to at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("duplicate of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
    )

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("complaint, criticism or suggestion")
        verbose_name_plural = _("complaints, criticisms and suggestions")
        indexes = [
            models.Index(fields=["status", "due_date"]),
            # The quarterly report reads a quarter's complaints from this index alone (an
            # index-only scan on PostgreSQL; SQLite has no included columns and uses it as a
            # plain index on the filing time).
            models.Index(
                fields=["created_at"],
                include=[
                    "id",
                    "status",
                    "kind",
                    "channel",
                    "outcome",
                    "department",
                    "category",
                    "answered_at",
                    "closed_at",
                    "answered_in_time",
                    "was_referred",
                    "reopened_at",
                ],
                name="complaints_quarter_report",
            ),
        ]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_date < timezone.localdate()

    def receipt_facts(self) -> list[tuple[Any, Any]]:
        return [
            (_("type"), self.get_kind_display()),
            (_("subject area"), self.category.title),
            (_("subject"), self.subject),
        ]

    def receipt_next_step(self) -> Any:
        return _("An answer will be given by %(date)s.") % {
            "date": format_jalali_long(self.due_date)
        }

    def report_group(self) -> ReportGroup:
        return ReportGroup(
            unit_id=self.department_id,
            service_key=f"complaint-category-{self.category_id}",
            service_label=self.category.title,
        )

    @property
    def original_code_for_citizen(self) -> str:
        """The code of the case this one was joined to, when the same mobile filed it; empty
        otherwise, because another citizen's code is not this citizen's to know."""
        original = self.duplicate_of
        return original.tracking_code if original and original.mobile == self.mobile else ""


class ComplaintEvent(CaseEvent):
    complaint = models.ForeignKey(
        Complaint, on_delete=models.CASCADE, related_name="events", verbose_name=_("complaint")
    )

    class Meta(CaseEvent.Meta):
        verbose_name = _("event")
        verbose_name_plural = _("timeline")


class ComplaintAttachment(CaseAttachment):
    complaint = models.ForeignKey(
        Complaint,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("complaint"),
    )

    class Meta(CaseAttachment.Meta):
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")


class ReplyTemplate(CaseReplyTemplate):
    """A ready answer staff pick, edit and send, per category (or for all) and action."""

    class Use(models.TextChoices):
        ANSWER = "answer", _("answer")
        OUT_OF_JURISDICTION = "out_of_jurisdiction", _("not our jurisdiction")
        CLOSE = "close", _("closing note")
        REFER = "refer", _("referral note")

    use = models.CharField(_("used for"), max_length=30, choices=Use.choices, default=Use.ANSWER)
    category = models.ForeignKey(
        ComplaintCategory,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text=_("Empty: offered for every category."),
        related_name="reply_templates",
    )

    class Meta(CaseReplyTemplate.Meta):
        pass

    @classmethod
    def offered_for(cls, complaint: "Complaint") -> models.QuerySet:
        """The active templates for the case's category and the general ones."""
        return (
            super()
            .offered_for(complaint)
            .filter(Q(category=complaint.category_id) | Q(category=None))
        )


# The generation (desk.fragments) keying the complaint form's cached blank fields (the
# categories it offers): renewed when a category changes (apps.py).
COMPLAINT_FORM_GENERATION = "complaint-form"
