from django.urls import path

import desk.converters  # noqa: F401 (registers <tracking_code:…>)
from complaints import views

app_name = "complaints"

urlpatterns = [
    path("new/", views.new, name="new"),
    path("<tracking_code:code>/", views.case, name="case"),
    path("<tracking_code:code>/filed/", views.filed, name="filed"),
    path("<tracking_code:code>/info/", views.add_info, name="add_info"),
    path("<tracking_code:code>/reopen/", views.reopen, name="reopen"),
    path("<tracking_code:code>/files/<int:pk>/", views.attachment, name="attachment"),
]
