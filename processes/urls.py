from django.urls import path

from processes import views

app_name = "processes"

urlpatterns = [
    path("", views.index, name="index"),
    path("<str:slug>/", views.service, name="service"),
    path("<str:slug>/print/", views.service_print, name="print"),
    path("<str:slug>/checklist/", views.checklist, name="checklist"),
]
