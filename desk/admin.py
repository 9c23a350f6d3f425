from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from desk.models import Department, SiteProfile, TrackingCode


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
