"""The citizen's survey pages: the invitation's short link (/s/<token>), its opt-out, and
the general desk survey. A used, expired or unknown link gets a friendly page and records
nothing."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_http_methods, require_POST

from desk import ratelimit
from surveys import services
from surveys.forms import GeneralSurveyForm, SurveyForm
from surveys.models import Follows, Invitation, Survey

# What the closed page says, by why the link does not open a survey; its HTTP status.
CLOSED_STATUS = {"unknown": 404, "used": 410, "expired": 410}


@require_http_methods(["GET", "POST"])
def answer(request, token: str):
    invitation, why = services.usable_invitation(token)
    if invitation is None:
        return _closed(request, why, token)
    survey = invitation.survey
    if request.method == "GET":
        return _render_survey(request, invitation, SurveyForm(survey=survey))
    form = SurveyForm(request.POST, survey=survey)
    if form.is_valid():
        try:
            services.answer_invitation(invitation, answers=form.answers())
        except ValidationError as error:
            if error.code == "used":
                return _closed(request, "used", token)
            form.add_error(None, error)
        else:
            return render(request, "surveys/thanks.html", {"survey": survey})
    return _render_survey(request, invitation, form)


@require_POST
def opt_out(request, token: str):
    """Any link once sent (answered or expired too) lets its owner stop all surveys."""
    invitation = Invitation.objects.filter(token=token[:40]).first()
    if invitation is None:
        raise Http404
    services.opt_out(invitation.mobile)
    return render(request, "surveys/opted_out.html")


@require_http_methods(["GET", "POST"])
def general(request):
    survey = Survey.objects.active().filter(follows=Follows.GENERAL).first()
    if survey is None:
        return _closed(request, "unknown", "")
    if request.method == "GET":
        return _render_general(request, survey, GeneralSurveyForm(survey=survey))
    form = GeneralSurveyForm(request.POST, survey=survey)
    if form.is_robot():
        # A robot is thanked like anyone and nothing is kept: no hint of what gave it away.
        return render(request, "surveys/thanks.html", {"survey": survey})
    if form.is_valid():
        address = ratelimit.client_address(request)
        if ratelimit.allow("survey", address=address) is None:
            form.add_error(None, services.TOO_MANY_ANSWERS)
            return _render_general(request, survey, form, status=429)
        try:
            services.answer_general(survey, answers=form.answers())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return render(request, "surveys/thanks.html", {"survey": survey})
    return _render_general(request, survey, form)


def _render_survey(request, invitation, form, *, status: int = 200):
    context = {"survey": invitation.survey, "invitation": invitation, "form": form}
    return render(request, "surveys/answer.html", context, status=status)


def _render_general(request, survey, form, *, status: int = 200):
    context = {"survey": survey, "form": form, "general": True}
    return render(request, "surveys/answer.html", context, status=status)


def _closed(request, why: str, token: str):
    context = {"why": why, "token": token if why != "unknown" else ""}
    return render(request, "surveys/closed.html", context, status=CLOSED_STATUS[why])
