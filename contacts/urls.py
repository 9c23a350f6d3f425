from django.urls import path

from contacts import views

app_name = "contacts"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("<int:pk>/vcard/", views.vcard, name="vcard"),
]
