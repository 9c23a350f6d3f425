"""The complaints back office.

A complaint is never edited by hand: its change page is read-only, and every state change is
a small form on that page that posts to its own URL and calls the service function. Staff
tied to units (`user.desk_units`) see only those units' complaints, everywhere: the list, the
change page, the attachments and the transitions (404 for another unit's case).
"""

from django.contrib import admin
from django.db.models import Q
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
class ReplyTemplateAdmin(admin.ModelAdmin):
    list_display = ["title", "use", "category", "is_active"]
    list_editable = ["is_active"]
    list_filter = ["use", "is_active", "category"]
    list_select_related = ["category"]
    search_fields = ["title", "text"]


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

    # --- the change page: transitions, reply templates, attachments ------------------------------

    def case_steps(self, request, complaint):
        """The transition forms allowed from the case's status, each with its reply templates;
        `?reply_template=<id>` fills the form the template is for."""
        templates = reply_templates_for(complaint)
        chosen = request.GET.get("reply_template", "")
        steps = []
        for form_class in STEP_FORMS.values():
            if not form_class.allowed_for(complaint):
                continue
            form = form_class(case=complaint, user=request.user)
            offered = [t for t in templates if t.use == form_class.reply_use]
            picked = next((t for t in offered if str(t.pk) == chosen), None)
            if picked:
                form.with_template(picked)
            steps.append({"form": form, "templates": offered, "picked": picked})
        return steps


def reply_templates_for(complaint: Complaint) -> list[ReplyTemplate]:
    """The active templates for the case's category and the general ones."""
    return list(
        ReplyTemplate.objects.filter(is_active=True).filter(
            Q(category=complaint.category_id) | Q(category=None)
        )
    )
