"""Service cards (شناسنامه خدمت): what each municipal service asks, takes and costs.

Article 5 of the desk instruction: every service's conditions, method and duration are
published, kept in a database and reviewed every year; article 6: shown to clients. A card is
its `Service` row with ordered steps, documents, fees and questions; `published` decides
whether citizens see it, `accepts_online_requests` whether they can apply on the site.
"""

from datetime import date, timedelta
from typing import Any

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
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
from desk.text import normalize_text, search_text, search_words
from desk.uploads import ANY_ACCEPTED, IMAGES, PDF

# The generation (desk.fragments) keying a card's kept page: renewed when a card, one of its
# parts, a category or a unit changes (apps.py).
CARDS_GENERATION = "service-cards"

# Article 5: a card is reviewed every year; one older than this says so.
REVIEW_EVERY_DAYS = 365


def oldest_current_review(today: date | None = None) -> date:
    """A card reviewed before this day is overdue for its yearly review."""
    return (today or timezone.localdate()) - timedelta(days=REVIEW_EVERY_DAYS)


class ServiceCategory(models.Model):
    title = models.CharField(_("title"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True, allow_unicode=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "title"]
        verbose_name = _("service category")
        verbose_name_plural = _("service categories")

    def __str__(self) -> str:
        return self.title


class DeliveryChannel(models.TextChoices):
    IN_PERSON = "in_person", _("in person")
    ONLINE = "online", _("online")
    BOTH = "both", _("in person or online")


class ServiceQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)

    def due_for_review(self, today: date | None = None):
        """Cards not reviewed within the year (or never): the back office lists them."""
        limit = oldest_current_review(today)
        return self.filter(Q(last_reviewed__isnull=True) | Q(last_reviewed__lt=limit))

    def matching(self, query: str):
        """Cards whose title, summary, category, unit or catalogue code hold every word a
        citizen typed, whatever the keyboard: ي/ك or ی/ک, with or without the zero-width
        non-joiner, Persian or Arabic digits, extra spaces."""
        condition = Q()
        for word in search_words(query):
            condition &= Q(search_text__contains=word)
        return self.filter(condition)


class Service(models.Model):
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True, allow_unicode=True)
    summary = models.TextField(_("summary"), help_text=_("Two or three lines on the card list."))
    category = models.ForeignKey(
        ServiceCategory,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="services",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("owner unit"),
        on_delete=models.PROTECT,
        related_name="services",
    )
    who_may_apply = models.TextField(_("who may apply"), blank=True)
    catalogue_code = models.CharField(
        _("code in the national catalogue of services"), max_length=30, blank=True
    )
    legal_basis = models.TextField(_("rules and regulations"), blank=True)
    duration_days = models.PositiveSmallIntegerField(
        _("duration (working days)"),
        help_text=_("From a complete request to delivery; the expected date is counted from it."),
    )
    delivery_channel = models.CharField(
        _("delivery channel"),
        max_length=10,
        choices=DeliveryChannel.choices,
        default=DeliveryChannel.IN_PERSON,
    )
    fee_note = models.CharField(
        _("note on fees"),
        max_length=250,
        blank=True,
        help_text=_("E.g. how a fee that depends on the area is worked out."),
    )
    last_reviewed = models.DateField(_("last reviewed"), null=True, blank=True)
    published = models.BooleanField(_("published"), default=False)
    accepts_online_requests = models.BooleanField(_("online requests"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Kept by save() (and by a category's or unit's rename), so that a search is a plain
    # LIKE on every database.
    search_text = models.TextField(editable=False, blank=True)

    objects = ServiceQuerySet.as_manager()

    class Meta:
        ordering = ["category__order", "order", "title"]
        verbose_name = _("service")
        verbose_name_plural = _("services")

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.title = normalize_text(self.title)
        self.summary = normalize_text(self.summary)
        self.search_text = self.build_search_text()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("processes:service", args=[self.slug])

    def build_search_text(self) -> str:
        return search_text(
            self.title,
            self.summary,
            self.catalogue_code,
            self.category.title if self.category_id else "",
            self.department.name if self.department_id else "",
        )

    def needs_review(self, today: date | None = None) -> bool:
        return self.last_reviewed is None or self.last_reviewed < oldest_current_review(today)


class ServicePart(models.Model):
    """A line of a card's ordered list (a step, a document, a fee, a question)."""

    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        abstract = True
        ordering = ["order", "pk"]


class ServiceStep(ServicePart):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="steps")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    department = models.ForeignKey(
        Department,
        verbose_name=_("responsible unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    duration_days = models.PositiveSmallIntegerField(
        _("duration (working days)"), null=True, blank=True
    )

    class Meta(ServicePart.Meta):
        verbose_name = _("step")
        verbose_name_plural = _("steps")

    def __str__(self) -> str:
        return self.title


class AcceptedTypes(models.TextChoices):
    PDF_OR_IMAGE = "pdf_image", _("PDF or image")
    PDF = "pdf", _("PDF only")
    IMAGE = "image", _("image only")


# The content types each choice lets through desk.uploads.check_upload.
ACCEPTED_CONTENT_TYPES = {
    "pdf_image": ANY_ACCEPTED,
    "pdf": frozenset({PDF}),
    "image": IMAGES,
}


class RequiredDocument(ServicePart):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="documents")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    mandatory = models.BooleanField(_("mandatory"), default=True)
    upload_online = models.BooleanField(
        _("uploaded online"),
        default=True,
        help_text=_("Untick for a document that is only shown at the counter (an original)."),
    )
    accepted_types = models.CharField(
        _("accepted file types"),
        max_length=10,
        choices=AcceptedTypes.choices,
        default=AcceptedTypes.PDF_OR_IMAGE,
    )

    class Meta(ServicePart.Meta):
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")

    def __str__(self) -> str:
        return self.name


class ServiceFee(ServicePart):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="fees")
    title = models.CharField(_("title"), max_length=200)
    amount_rials = models.PositiveBigIntegerField(_("amount (rials)"))

    class Meta(ServicePart.Meta):
        verbose_name = _("fee")
        verbose_name_plural = _("fees")

    def __str__(self) -> str:
        return self.title

    @property
    def amount_tomans(self) -> int:
        return self.amount_rials // 10


class ServiceQuestion(ServicePart):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="questions")
    question = models.CharField(_("question"), max_length=300)
    answer = models.TextField(_("answer"))

    class Meta(ServicePart.Meta):
        verbose_name = _("frequently asked question")
        verbose_name_plural = _("frequently asked questions")

    def __str__(self) -> str:
        return self.question


# --- online service requests ----------------------------------------------------------------


class RequestStatus(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")
    UNDER_REVIEW = "under_review", _("under review")
    NEEDS_CORRECTION = "needs_correction", _("needs correction")
    IN_PROGRESS = "in_progress", _("in progress")
    READY = "ready", _("ready")
    COMPLETED = "completed", _("completed")
    REJECTED = "rejected", _("rejected")


OPEN_STATUSES = frozenset(
    {
        RequestStatus.SUBMITTED,
        RequestStatus.UNDER_REVIEW,
        RequestStatus.NEEDS_CORRECTION,
        RequestStatus.IN_PROGRESS,
        RequestStatus.READY,
    }
)
# Where the municipality owes the next move: the card's duration runs (article 2-ج). A
# request waiting for the citizen's corrections, or ready for collection, is not late.
WITH_THE_MUNICIPALITY = frozenset(
    {RequestStatus.SUBMITTED, RequestStatus.UNDER_REVIEW, RequestStatus.IN_PROGRESS}
)


class ServiceRequestQuerySet(UnitScopedQuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today: date | None = None):
        """Requests with the municipality past the date the card's duration gave them."""
        today = today or timezone.localdate()
        return self.filter(status__in=WITH_THE_MUNICIPALITY, expected_date__lt=today)

    def due_this_week(self, today: date | None = None):
        """Requests with the municipality whose expected date falls in the coming seven days
        (today included)."""
        today = today or timezone.localdate()
        return self.filter(
            status__in=WITH_THE_MUNICIPALITY,
            expected_date__range=(today, today + timedelta(days=6)),
        )

    def waiting_on_inquiry(self):
        """Open requests with an inquiry to another agency not yet answered."""
        unanswered = Inquiry.objects.filter(request=OuterRef("pk"), answered_on__isnull=True)
        return self.open().filter(Exists(unanswered))


class ServiceRequest(CitizenCase):
    """A citizen's online request for a service (the third kind of case): the card's
    documents uploaded one per slot, reviewed by staff, corrected by the citizen, and the
    result delivered on a date staff confirm."""

    tracking_prefix = "3"
    tracking_kind = "service_request"
    sms_name = "service_request"

    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.PROTECT, related_name="requests"
    )
    # The card's owner unit when filed: who handles it and sees it in the back office.
    department = models.ForeignKey(
        Department,
        verbose_name=_("responsible unit"),
        on_delete=models.PROTECT,
        related_name="service_requests",
    )
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=30,
        choices=RequestStatus.choices,
        default=RequestStatus.SUBMITTED,
        db_index=True,
    )
    expected_date = models.DateField(
        _("expected date"),
        db_index=True,
        help_text=_("The card's duration counted in working days from the complete request."),
    )
    ready_date = models.DateField(_("next visit or delivery date"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # What the timeline says, kept on the row too, so that the quarterly report reads one
    # row per request and no events.
    correction_asked = models.BooleanField(
        _("corrected documents asked at least once"), default=False
    )

    objects = ServiceRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")
        indexes = [
            models.Index(fields=["status", "expected_date"]),
            # The quarterly report reads a quarter's requests from this index alone (an
            # index-only scan on PostgreSQL).
            models.Index(
                fields=["created_at"],
                include=[
                    "id",
                    "status",
                    "service",
                    "expected_date",
                    "finished_at",
                    "correction_asked",
                ],
                name="requests_quarter_report",
            ),
        ]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.status in WITH_THE_MUNICIPALITY and self.expected_date < timezone.localdate()

    def receipt_facts(self) -> list[tuple[Any, Any]]:
        return [(_("service"), self.service.title)]

    def receipt_next_step(self) -> Any:
        return _(
            "Staff review the documents; if all is in order, the expected date is %(date)s."
        ) % {"date": format_jalali_long(self.expected_date)}

    def report_group(self) -> ReportGroup:
        return ReportGroup(
            unit_id=self.department_id,
            service_key=f"service-{self.service.slug}",
            service_label=self.service.title,
        )


class DocumentReview(models.TextChoices):
    PENDING = "pending", _("awaiting review")
    ACCEPTED = "accepted", _("accepted")
    REFUSED = "refused", _("refused")


class RequestDocument(models.Model):
    """A request's slot for one of the card's documents: what the card asked when the request
    was filed (kept here, so a later edit of the card changes no filed request), and staff's
    verdict on the file in it. Every file ever put in the slot is kept (`files`); the latest
    is the one under review."""

    request = models.ForeignKey(
        ServiceRequest,
        verbose_name=_("service request"),
        on_delete=models.CASCADE,
        related_name="documents",
    )
    required_document = models.ForeignKey(
        RequiredDocument, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    mandatory = models.BooleanField(_("mandatory"), default=True)
    accepted_types = models.CharField(
        _("accepted file types"),
        max_length=10,
        choices=AcceptedTypes.choices,
        default=AcceptedTypes.PDF_OR_IMAGE,
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    review = models.CharField(
        _("review"), max_length=10, choices=DocumentReview.choices, default=DocumentReview.PENDING
    )
    refusal_reason = models.TextField(_("reason for refusal"), blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("request document")
        verbose_name_plural = _("request documents")

    def __str__(self) -> str:
        return self.name

    @property
    def content_types(self) -> frozenset[str]:
        return ACCEPTED_CONTENT_TYPES[self.accepted_types]

    @property
    def is_refused(self) -> bool:
        return self.review == DocumentReview.REFUSED


class ServiceRequestEvent(CaseEvent):
    request = models.ForeignKey(
        ServiceRequest,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("service request"),
    )

    class Meta(CaseEvent.Meta):
        verbose_name = _("event")
        verbose_name_plural = _("timeline")


class ReplyTemplate(CaseReplyTemplate):
    """A ready text for a service request's steps, per service (or for all)."""

    class Use(models.TextChoices):
        READY = "ready", _("note with the date to come")
        COMPLETE = "complete", _("completion note")
        REJECT = "reject", _("reason of the rejection")

    use = models.CharField(_("used for"), max_length=30, choices=Use.choices, default=Use.REJECT)
    service = models.ForeignKey(
        Service,
        verbose_name=_("service"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text=_("Empty: offered for every service."),
        related_name="reply_templates",
    )

    class Meta(CaseReplyTemplate.Meta):
        pass

    @classmethod
    def offered_for(cls, service_request: "ServiceRequest") -> models.QuerySet:
        return (
            super()
            .offered_for(service_request)
            .filter(Q(service=service_request.service_id) | Q(service=None))
        )


class ServiceRequestAttachment(CaseAttachment):
    """A file of a request: in a document's slot (every version kept), or staff's own."""

    request = models.ForeignKey(
        ServiceRequest,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("service request"),
    )
    document = models.ForeignKey(
        RequestDocument,
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="files",
    )

    class Meta(CaseAttachment.Meta):
        verbose_name = _("file")
        verbose_name_plural = _("files")


class Inquiry(models.Model):
    """An inquiry (استعلام) staff sent to another agency for a request, and its answer."""

    request = models.ForeignKey(
        ServiceRequest,
        verbose_name=_("service request"),
        on_delete=models.CASCADE,
        related_name="inquiries",
    )
    agency = models.CharField(_("agency"), max_length=200)
    subject = models.CharField(_("subject"), max_length=250)
    sent_on = models.DateField(_("sent on"))
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    result = models.TextField(_("result"), blank=True)

    class Meta:
        ordering = ["sent_on", "pk"]
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")

    def __str__(self) -> str:
        return f"{self.agency}: {self.subject}"

    @property
    def is_open(self) -> bool:
        return self.answered_on is None
