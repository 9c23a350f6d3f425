from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Service desk back office")
admin.site.site_title = _("Service desk")
admin.site.index_title = _("Back office")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("complaints/", include("complaints.urls")),
    path("contacts/", include("contacts.urls")),
    path("appointments/", include("appointments.urls")),
    path("processes/", include("processes.urls")),
    path("surveys/", include("surveys.urls")),
    path("s/", include("surveys.short_urls")),
    path("", include("desk.urls")),
]

# Error pages that need no database, session or CSRF token (desk/errors.py).
handler400 = "desk.errors.bad_request"
handler403 = "desk.errors.permission_denied"
handler404 = "desk.errors.page_not_found"
handler500 = "desk.errors.server_error"
