from django.urls import path

import desk.converters  # noqa: F401 (registers <tracking_code:…>)
from processes import views

app_name = "processes"

urlpatterns = [
    path("", views.index, name="index"),
    path("requests/<tracking_code:code>/", views.request_case, name="request"),
    path("requests/<tracking_code:code>/filed/", views.request_filed, name="request_filed"),
    path("requests/<tracking_code:code>/correct/", views.correct, name="correct"),
    path("requests/<tracking_code:code>/files/<int:pk>/", views.request_file, name="request_file"),
    path("<str:slug>/", views.service, name="service"),
    path("<str:slug>/print/", views.service_print, name="print"),
    path("<str:slug>/checklist/", views.checklist, name="checklist"),
    path("<str:slug>/apply/", views.apply, name="apply"),
]
