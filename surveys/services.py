"""Inviting a citizen once a case ends, answering, opting out: one function per use case.

Every finished case (closed or out of jurisdiction, a meeting held, declined or sent on, a
service request completed or rejected: failures included, or satisfaction is overstated)
announces itself with `desk.cases.models.case_finished`; `invite_after_case` listens, inside
the transaction that finished the case. One invitation per case, none to a mobile that opted
out, none without a mobile or without an active survey for that kind of case.
"""

import secrets
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from desk.cases.models import ReportGroup
from desk.sms import queue_sms
from desk.text import normalize_mobile, normalize_text
from surveys.models import (
    Answer,
    Follows,
    Invitation,
    OptOut,
    Question,
    QuestionKind,
    Response,
    Survey,
)

TOKEN_BYTES = 16  # 128 bits, 22 URL-safe characters
TOO_MANY_ANSWERS = gettext_lazy(
    "Many answers have come from this connection already. Thank you; please try again later."
)
MAX_TEXT_ANSWER = 1000


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def short_link(token: str) -> str:
    """The invitation's address as the SMS carries it: the portal's address and /s/<token>."""
    return f"{settings.PORTAL_URL.rstrip('/')}/s/{token}"


def invite_after_case(sender: Any = None, *, case: Any, outcome: str = "", **kwargs: Any):
    """`case_finished`'s receiver: invite the citizen of any kind of case."""
    return invite(
        case_kind=case.tracking_kind,
        case_code=case.tracking_code,
        mobile=case.mobile,
        outcome=str(outcome),
        group=case.report_group(),
    )


def invite(
    *,
    case_kind: str,
    case_code: str,
    mobile: str,
    outcome: str,
    group: ReportGroup,
    now: datetime | None = None,
) -> Invitation | None:
    """Invite the citizen of a finished case by SMS, in the caller's transaction; None when
    there is nothing to send (no mobile, opted out, no active survey, already invited)."""
    if not mobile:
        return None
    mobile = normalize_mobile(mobile)
    if OptOut.objects.filter(mobile=mobile).exists():
        return None
    survey = Survey.objects.active().filter(follows=case_kind).first()
    if survey is None or Invitation.objects.filter(case_code=case_code).exists():
        return None
    now = now or timezone.now()
    try:
        with transaction.atomic():  # a race for the same case meets the unique code
            invitation = Invitation.objects.create(
                survey=survey,
                token=new_token(),
                case_kind=case_kind,
                case_code=case_code,
                outcome=outcome,
                unit_id=group.unit_id,
                service_key=group.service_key[:120],
                service_label=group.service_label[:200],
                mobile=mobile,
                created_at=now,
                expires_at=now + timedelta(days=settings.SURVEY_INVITATION_DAYS),
            )
    except IntegrityError:
        return None
    queue_sms(
        receiver=mobile,
        kind="survey_invitation",
        context={"link": short_link(invitation.token)},
        tracking_code=case_code,
    )
    return invitation


def usable_invitation(token: str) -> tuple[Invitation | None, str]:
    """The invitation a link opens, or None and why not: "unknown", "used" or "expired"."""
    invitation = (
        Invitation.objects.select_related("survey").filter(token=token[:40]).first()
        if token
        else None
    )
    if invitation is None:
        return None, "unknown"
    if invitation.answered_at is not None:
        return None, "used"
    if not invitation.is_usable():
        return None, "expired"
    return invitation, ""


@transaction.atomic
def answer_invitation(invitation: Invitation, *, answers: Mapping[int, Any]) -> Response:
    """Record the answers to an invitation, once: a second post (another tab, a double
    click) is refused, and nothing of it is kept."""
    now = timezone.now()
    claimed = Invitation.objects.filter(
        pk=invitation.pk, answered_at__isnull=True, expires_at__gt=now
    ).update(answered_at=now)
    if claimed != 1:
        raise ValidationError(_("This survey has already been answered."), code="used")
    response = Response.objects.create(
        survey=invitation.survey,
        invitation=invitation,
        case_kind=invitation.case_kind,
        case_code=invitation.case_code,
        unit_id=invitation.unit_id,
        service_key=invitation.service_key,
        service_label=invitation.service_label,
        submitted_at=now,
    )
    _save_answers(response, invitation.survey, answers)
    return response


@transaction.atomic
def answer_general(survey: Survey, *, answers: Mapping[int, Any]) -> Response:
    """Anyone's answers to the general desk survey."""
    if survey.follows != Follows.GENERAL or not survey.is_active:
        raise ValidationError(_("This survey is closed."), code="closed")
    response = Response.objects.create(survey=survey)
    _save_answers(response, survey, answers)
    return response


def _save_answers(response: Response, survey: Survey, answers: Mapping[int, Any]) -> None:
    """Each question's answer by its id, checked against its kind; a required one missing
    refuses the whole response."""
    missing, rows = [], []
    for question in survey.questions.all():
        value = answers.get(question.pk)
        if value in (None, ""):
            if question.required:
                missing.append(question.text)
            continue
        answer = _answer(response, question, value)
        rows.append(answer)
        if question.is_headline:
            response.overall_rating = answer.rating
    if missing:
        raise ValidationError(
            _("Please answer: %(questions)s") % {"questions": "، ".join(missing)}, code="missing"
        )
    response.answers.bulk_create(rows)
    if response.overall_rating is not None:
        response.save(update_fields=["overall_rating"])


@transaction.atomic
def recount_overall_ratings(survey: Survey) -> None:
    """Copy each response's rating of the survey's overall-satisfaction question onto the
    response again (none where the survey has none now): after the editor moved the flag to
    another question, results per unit and per service follow it."""
    headline = Answer.objects.filter(
        response=OuterRef("pk"), question__survey=survey, question__is_headline=True
    ).values("rating")[:1]
    Response.objects.filter(survey=survey).update(overall_rating=Subquery(headline))


def _answer(response: Response, question: Question, value: Any):
    answer = response.answers.model(response=response, question=question)
    if question.kind == QuestionKind.RATING:
        rating = int(value)
        if rating not in range(1, 6):
            raise ValidationError(_("A rating is from 1 to 5."), code="rating")
        answer.rating = rating
    elif question.kind == QuestionKind.YES_NO:
        if value not in (True, False):
            raise ValidationError(_("Answer yes or no."), code="yes_no")
        answer.yes = value
    elif question.kind == QuestionKind.CHOICE:
        if value not in question.option_list:
            raise ValidationError(_("Choose one of the options."), code="choice")
        answer.choice = value
    else:
        answer.text = normalize_text(str(value))[:MAX_TEXT_ANSWER]
    return answer


@transaction.atomic
def opt_out(mobile: str) -> None:
    """Never send this mobile a survey again."""
    OptOut.objects.get_or_create(mobile=normalize_mobile(mobile))
