from django.urls import path

from desk import views
from desk.reports import views as report_views

app_name = "desk"

urlpatterns = [
    path("", views.home, name="home"),
    path("track/", views.track, name="track"),
    path("reports/", report_views.quarterly_report, name="report"),
    path("reports/excel/", report_views.quarterly_report_excel, name="report_excel"),
]
