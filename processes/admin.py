"""The content editor's card editor: a card with its ordered steps, documents, fees and
questions on one page, and the list of cards due for their yearly review (article 5)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from desk.jalali import format_jalali_date
from processes.models import (
    RequiredDocument,
    Service,
    ServiceCategory,
    ServiceFee,
    ServiceQuestion,
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


class QuestionInline(admin.StackedInline):
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
class ServiceAdmin(admin.ModelAdmin):
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
