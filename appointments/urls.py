from django.urls import path

import desk.converters  # noqa: F401 (registers <tracking_code:…>)
from appointments import views

app_name = "appointments"

urlpatterns = [
    path("", views.index, name="index"),
    path("<tracking_code:code>/", views.case, name="case"),
    path("<tracking_code:code>/filed/", views.filed, name="filed"),
    path("<tracking_code:code>/cancel/", views.cancel, name="cancel"),
]
