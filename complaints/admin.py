"""The complaints back office.

A complaint is never edited by hand: its change page is read-only, and every state change is
a small form on that page that posts to its own URL and calls the service function. Staff
tied to units (`user.desk_units`) see only those units' complaints, everywhere: the list, the
change page, the attachments and the transitions (404 for another unit's case).
"""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from complaints import services
from complaints.admin_forms import STEP_FORMS, ComplaintAddForm
from complaints.models import (
    Complaint,
    ComplaintAttachment,
    ComplaintCategory,
    ComplaintEvent,
    ReplyTemplate,
    Status,
)
from desk.cases.admin import (
    CaseAttachmentInline,
    CaseEventInline,
    CaseStepsAdmin,
    FiledBetweenFilter,
    WalkInAddMixin,
)
from desk.cases.admin import (
    ReplyTemplateAdmin as BaseReplyTemplateAdmin,
)
from desk.jalali import (
    format_jalali_date,
    format_jalali_datetime,
)


@admin.register(ComplaintCategory)
class ComplaintCategoryAdmin(admin.ModelAdmin):
    list_display = ["title", "department", "answer_days", "order", "is_active"]
    list_editable = ["order", "is_active"]
    list_filter = ["is_active", "department"]
    list_select_related = ["department"]
    search_fields = ["title"]


@admin.register(ReplyTemplate)
class ReplyTemplateAdmin(BaseReplyTemplateAdmin):
    list_display = ["title", "use", "category", "is_active"]
    list_filter = ["use", "is_active", "category"]
    list_select_related = ["category"]


class OverdueFilter(admin.SimpleListFilter):
    title = _("deadline")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [
            ("yes", _("open and past the deadline")),
            ("week", _("open and due this week")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.overdue()
        if self.value() == "week":
            return queryset.due_this_week()
        return queryset


class ComplaintEventInline(CaseEventInline):
    model = ComplaintEvent
    flow = services.FLOW
    statuses = Status
    view_permission = "complaints.view_complaint"


class ComplaintAttachmentInline(CaseAttachmentInline):
    model = ComplaintAttachment
    view_permission = "complaints.view_complaint"


@admin.register(Complaint)
class ComplaintAdmin(WalkInAddMixin, CaseStepsAdmin):
    step_forms = STEP_FORMS
    reply_template_model = ReplyTemplate
    add_form = ComplaintAddForm

    list_display = [
        "tracking_code",
        "kind",
        "category",
        "department",
        "status",
        "filed",
        "due",
    ]
    list_select_related = ["category", "department"]
    list_filter = [
        "status",
        OverdueFilter,
        FiledBetweenFilter,
        "kind",
        "category",
        "department",
        "channel",
    ]
    search_fields = [
        "tracking_code",
        "mobile",
        "national_code",
        "citizen_name",
        "subject",
        "description",
    ]
    search_help_text = _("Tracking code, mobile, national code, name, or words of the text.")
    fieldsets = [
        (None, {"fields": ["tracking_code", "status", "kind", "category", "department"]}),
        (_("Request"), {"fields": ["subject", "description", "place", "channel"]}),
        (_("Citizen"), {"fields": ["citizen_name", "mobile", "national_code"]}),
        (
            _("Handling"),
            {"fields": ["filed", "due", "answer", "answered", "outcome", "closed", "duplicate_of"]},
        ),
    ]
    add_fieldsets = [
        (_("Citizen"), {"fields": ["citizen_name", "mobile", "national_code", "channel"]}),
        (
            _("Request"),
            {"fields": ["kind", "category", "subject", "description", "place", "submission_key"]},
        ),
    ]
    readonly_fields = ["filed", "due", "answered", "closed"]
    inlines = [ComplaintEventInline, ComplaintAttachmentInline]

    # --- who sees what ---------------------------------------------------------------------------

    def get_queryset(self, request):
        return super().get_queryset(request).for_staff(request.user)

    # --- the list --------------------------------------------------------------------------------

    @admin.display(description=_("filed"), ordering="created_at")
    def filed(self, complaint):
        return format_jalali_date(complaint.created_at)

    @admin.display(description=_("answer due by"), ordering="due_date")
    def due(self, complaint):
        if complaint.is_overdue:
            return format_html(
                '{} <span class="badge badge-overdue">{}</span>',
                format_jalali_date(complaint.due_date),
                gettext("overdue"),
            )
        return format_jalali_date(complaint.due_date)

    @admin.display(description=_("answered at"))
    def answered(self, complaint):
        return format_jalali_datetime(complaint.answered_at)

    @admin.display(description=_("closed at"))
    def closed(self, complaint):
        return format_jalali_datetime(complaint.closed_at)
