from django.urls import path, register_converter

from complaints import views


class TrackingCodeConverter:
    """Twelve ASCII digits: anything else is not a code and never reaches a view."""

    regex = "[0-9]{12}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(TrackingCodeConverter, "tracking_code")

app_name = "complaints"

urlpatterns = [
    path("new/", views.new, name="new"),
    path("<tracking_code:code>/", views.case, name="case"),
    path("<tracking_code:code>/filed/", views.filed, name="filed"),
    path("<tracking_code:code>/info/", views.add_info, name="add_info"),
    path("<tracking_code:code>/reopen/", views.reopen, name="reopen"),
    path("<tracking_code:code>/files/<int:pk>/", views.attachment, name="attachment"),
]
