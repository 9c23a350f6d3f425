"""The content editor's card editor: a card with its ordered steps, documents, fees and
questions on one page, and the list of cards due for their yearly review (article 5). And
the service requests: the list with its filters, a request's page with its documents (every
version), inquiries and timeline, and one form per staff move. Staff tied to units see only
the requests of those units, everywhere (404 for another unit's request or file)."""

from django.contrib import admin
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from desk.admin import JalaliDatesMixin
from desk.cases.admin import (
    CaseAttachmentInline,
    CaseEventInline,
    CaseStepsAdmin,
    FiledBetweenFilter,
    ReadOnlyCaseInline,
    WalkInAddMixin,
)
from desk.cases.admin import ReplyTemplateAdmin as BaseReplyTemplateAdmin
from desk.jalali import format_jalali_date, format_jalali_datetime
from desk.text import local_digits
from processes import services
from processes.admin_forms import STEP_FORMS, ServiceRequestAddForm
from processes.models import (
    Inquiry,
    ReplyTemplate,
    RequestDocument,
    RequestStatus,
    RequiredDocument,
    Service,
    ServiceCategory,
    ServiceFee,
    ServiceQuestion,
    ServiceRequest,
    ServiceRequestAttachment,
    ServiceRequestEvent,
    ServiceStep,
)


@admin.register(ServiceCategory)
class ServiceCategoryAdmin(admin.ModelAdmin):
    list_display = ["title", "order"]
    list_editable = ["order"]
    prepopulated_fields = {"slug": ["title"]}


class StepInline(admin.TabularInline):
    model = ServiceStep
    extra = 0
    fields = ["order", "title", "description", "department", "duration_days"]
    autocomplete_fields = ["department"]


class DocumentInline(admin.TabularInline):
    model = RequiredDocument
    extra = 0
    fields = ["order", "name", "description", "mandatory", "upload_online", "accepted_types"]


class FeeInline(admin.TabularInline):
    model = ServiceFee
    extra = 0
    fields = ["order", "title", "amount_rials"]


class QuestionInline(admin.TabularInline):
    model = ServiceQuestion
    extra = 0
    fields = ["order", "question", "answer"]


class ReviewFilter(admin.SimpleListFilter):
    title = _("yearly review")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("due", _("not reviewed within a year"))]

    def queryset(self, request, queryset):
        return queryset.due_for_review() if self.value() == "due" else queryset


@admin.register(Service)
class ServiceAdmin(JalaliDatesMixin, admin.ModelAdmin):
    list_display = [
        "title",
        "category",
        "department",
        "published",
        "accepts_online_requests",
        "reviewed",
    ]
    list_filter = [ReviewFilter, "published", "accepts_online_requests", "category", "department"]
    search_fields = ["search_text"]
    list_select_related = ["category", "department"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["department"]
    inlines = [StepInline, DocumentInline, FeeInline, QuestionInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "category", "department", "order"]}),
        (
            _("The card"),
            {
                "fields": [
                    "who_may_apply",
                    "legal_basis",
                    "duration_days",
                    "delivery_channel",
                    "fee_note",
                    "catalogue_code",
                ]
            },
        ),
        (
            _("Publication"),
            {"fields": ["published", "accepts_online_requests", "last_reviewed"]},
        ),
    ]

    def get_search_results(self, request, queryset, search_term):
        # The citizen's search: whatever the keyboard, with or without the non-joiner.
        return queryset.matching(search_term), False

    @admin.display(description=_("last reviewed"), ordering="last_reviewed")
    def reviewed(self, service: Service) -> str:
        if service.last_reviewed is None:
            return _("never")
        shown = format_jalali_date(service.last_reviewed)
        return f"{shown} ⚠" if service.needs_review() else shown


# --- service requests -------------------------------------------------------------------------

VIEW_REQUEST = "processes.view_servicerequest"


class OverdueFilter(admin.SimpleListFilter):
    title = _("deadline")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [
            ("yes", _("past the card's duration")),
            ("week", _("expected in the coming seven days")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.overdue()
        if self.value() == "week":
            return queryset.due_this_week()
        return queryset


class InquiryFilter(admin.SimpleListFilter):
    title = _("inquiries")
    parameter_name = "inquiry"

    def lookups(self, request, model_admin):
        return [("open", _("waiting for another agency"))]

    def queryset(self, request, queryset):
        # Open requests only: a finished one no longer waits, whatever its inquiries.
        return queryset.waiting_on_inquiry() if self.value() == "open" else queryset


class RequestDocumentInline(ReadOnlyCaseInline):
    model = RequestDocument
    view_permission = VIEW_REQUEST
    fields = ["name", "mandatory", "review", "refusal_reason", "versions"]
    readonly_fields = fields
    verbose_name_plural = _("documents")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("files")

    @admin.display(description=_("files (newest first)"))
    def versions(self, slot: RequestDocument):
        files = sorted(slot.files.all(), key=lambda file: file.created_at, reverse=True)
        if not files:
            return gettext("No file (seen at the counter).")
        return format_html_join(
            mark_safe("<br>"),
            '<a href="{}" translate="no">{}</a> <span class="help">{}</span>',
            (
                (
                    reverse(
                        "admin:processes_servicerequest_attachment",
                        args=[slot.request_id, file.pk],
                    ),
                    file.original_name,
                    format_jalali_datetime(file.created_at),
                )
                for file in files
            ),
        )


class InquiryInline(ReadOnlyCaseInline):
    model = Inquiry
    view_permission = VIEW_REQUEST
    fields = ["agency", "subject", "sent", "answered", "result"]
    readonly_fields = fields

    @admin.display(description=_("sent on"))
    def sent(self, inquiry: Inquiry) -> str:
        return format_jalali_date(inquiry.sent_on)

    @admin.display(description=_("answered on"))
    def answered(self, inquiry: Inquiry) -> str:
        return format_jalali_date(inquiry.answered_on) if inquiry.answered_on else gettext("open")


class ServiceRequestEventInline(CaseEventInline):
    model = ServiceRequestEvent
    flow = services.FLOW
    statuses = RequestStatus
    view_permission = VIEW_REQUEST


class ServiceRequestAttachmentInline(CaseAttachmentInline):
    model = ServiceRequestAttachment
    view_permission = VIEW_REQUEST
    fields = ["link", "document", "kind", "size_shown", "by_citizen", "uploaded"]
    readonly_fields = fields


@admin.register(ReplyTemplate)
class ReplyTemplateAdmin(BaseReplyTemplateAdmin):
    list_display = ["title", "use", "service", "is_active"]
    list_filter = ["use", "is_active"]
    list_select_related = ["service"]
    autocomplete_fields = ["service"]


@admin.register(ServiceRequest)
class ServiceRequestAdmin(WalkInAddMixin, CaseStepsAdmin):
    step_forms = STEP_FORMS
    reply_template_model = ReplyTemplate
    add_form = ServiceRequestAddForm

    list_display = [
        "tracking_code",
        "service",
        "department",
        "status",
        "filed",
        "expected",
        "inquiry",
    ]
    list_select_related = ["service", "department"]
    list_filter = [
        "status",
        OverdueFilter,
        InquiryFilter,
        FiledBetweenFilter,
        "service",
        "department",
        "channel",
    ]
    search_fields = ["tracking_code", "mobile", "national_code", "citizen_name"]
    search_help_text = _("Tracking code, mobile, national code or name.")
    fieldsets = [
        (None, {"fields": ["tracking_code", "status", "service", "department"]}),
        (_("Citizen"), {"fields": ["citizen_name", "mobile", "national_code", "channel"]}),
        (_("Request"), {"fields": ["description", "filed", "expected", "ready", "finished"]}),
    ]
    add_fieldsets = [
        (_("Citizen"), {"fields": ["citizen_name", "mobile", "national_code", "channel"]}),
        (_("Request"), {"fields": ["service", "description", "submission_key"]}),
    ]
    readonly_fields = ["filed", "expected", "ready", "finished"]
    inlines = [
        RequestDocumentInline,
        InquiryInline,
        ServiceRequestEventInline,
        ServiceRequestAttachmentInline,
    ]

    def get_queryset(self, request):
        open_inquiries = Count("inquiries", filter=Q(inquiries__answered_on__isnull=True))
        return (
            super()
            .get_queryset(request)
            .for_staff(request.user)
            .annotate(open_inquiries=open_inquiries)
        )

    @admin.display(description=_("filed"), ordering="created_at")
    def filed(self, service_request: ServiceRequest) -> str:
        return format_jalali_date(service_request.created_at)

    @admin.display(description=_("expected date"), ordering="expected_date")
    def expected(self, service_request: ServiceRequest):
        shown = format_jalali_date(service_request.expected_date)
        if service_request.is_overdue:
            return format_html(
                '{} <span class="badge badge-overdue">{}</span>', shown, gettext("overdue")
            )
        return shown

    @admin.display(description=_("next visit or delivery date"))
    def ready(self, service_request: ServiceRequest) -> str:
        return format_jalali_date(service_request.ready_date) if service_request.ready_date else "—"

    @admin.display(description=_("finished at"))
    def finished(self, service_request: ServiceRequest) -> str:
        return format_jalali_datetime(service_request.finished_at)

    @admin.display(description=_("inquiries"), ordering="open_inquiries")
    def inquiry(self, service_request: ServiceRequest):
        if not service_request.open_inquiries:
            return ""
        return format_html(
            '<span class="badge badge-internal">{}</span>',
            gettext("%(count)s open") % {"count": local_digits(service_request.open_inquiries)},
        )
