from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from desk import sms
from desk.models import Department, SiteProfile, SmsMessage, TrackingCode
from desk.text import to_ascii_digits


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(SiteProfile)
class SiteProfileAdmin(admin.ModelAdmin):
    list_display = ["municipality_name", "officer_name", "officer_role", "urgent_phone"]

    @admin.display(description=_("desk officer"))
    def officer_name(self, profile):
        return profile.officer_name

    def has_add_permission(self, request):
        # One profile per portal: the footer and the home page read the first row.
        return not SiteProfile.objects.exists()


@admin.register(TrackingCode)
class TrackingCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "kind", "issued_at"]
    list_filter = ["kind"]
    search_fields = ["code"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SmsMessage)
class SmsMessageAdmin(admin.ModelAdmin):
    """The SMS log: read-only, because only the outbox worker moves a message on; a failed
    one can be queued again with the "retry" action."""

    list_display = ["receiver", "kind", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["receiver", "tracking_code"]
    actions = ["retry_failed"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_retry_permission(self, request) -> bool:
        return request.user.has_perm("desk.change_smsmessage")

    def get_search_results(self, request, queryset, search_term):
        # Staff type numbers with Persian digits as often as with ASCII ones.
        return super().get_search_results(request, queryset, to_ascii_digits(search_term))

    @admin.action(description=_("Retry the selected failed messages"), permissions=["retry"])
    def retry_failed(self, request, queryset):
        failed = queryset.filter(status=SmsMessage.Status.FAILED).values_list("pk", flat=True)
        count = sum(sms.retry_message(pk) for pk in failed)
        self.message_user(
            request,
            ngettext("%(count)d message queued again.", "%(count)d messages queued again.", count)
            % {"count": count},
            messages.SUCCESS,
        )
