from django.contrib import admin, messages
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin
from import_export.formats.base_formats import CSV, XLSX
from import_export.tmp_storages import CacheStorage

from contacts.models import Contact
from contacts.resources import ContactResource


@admin.register(Contact)
class ContactAdmin(ImportExportModelAdmin):
    """The directory: edited here one line at a time, or all at once through an exported
    CSV or Excel file brought back with "Import" (a preview first, then all or nothing)."""

    list_display = ["role", "name", "unit", "phone", "extension", "is_public", "order"]
    list_display_links = ["role"]
    list_editable = ["order", "is_public"]
    list_filter = ["unit", "is_public"]
    list_select_related = ["unit"]
    search_fields = ["search_text", "search_digits"]
    fields = ["unit", "role", "name", "phone", "extension", "other_numbers", "email"]
    fields += ["is_public", "order"]

    resource_classes = [ContactResource]
    import_formats = [CSV, XLSX]
    export_formats = [CSV, XLSX]
    # Excel opens a UTF-8 CSV as Persian only when it starts with a byte order mark.
    to_encoding = "utf-8-sig"
    # The uploaded file waits for the confirmation in the shared cache, not on one
    # machine's disk: the confirming request may reach another web process.
    tmp_storage_class = CacheStorage

    def get_search_results(self, request, queryset, search_term):
        # The same Persian-aware search as the public page: ي/ك, Persian digits, dashes.
        return queryset.matching(search_term), False

    def has_import_permission(self, request):
        return request.user.has_perms(["contacts.add_contact", "contacts.change_contact"])

    def has_export_permission(self, request):
        return request.user.has_perm("contacts.view_contact")

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            # Rolled back (see ContactResource.import_data): say so instead of "finished".
            self.message_user(
                request,
                _("The file was not imported: it changed since the preview. Import it again."),
                messages.ERROR,
            )
            return redirect("admin:contacts_contact_changelist")
        return super().process_result(result, request)
