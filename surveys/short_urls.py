"""The invitation's short path, /s/<token>, kept short for the SMS."""

from django.urls import path

from surveys import views

app_name = "survey_links"

urlpatterns = [
    path("<str:token>", views.answer, name="answer"),
    path("<str:token>/opt-out/", views.opt_out, name="opt_out"),
]
