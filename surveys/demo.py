"""Demo answers for `seed_demo`: a few hundred responses over the last four Jalali quarters,
through the real invitation path (invite, then answer), then dated back. They are grouped
like the demo's own finished cases (which were invited as they ended), so the results read
per unit and per service as a year of a real desk would."""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from desk import codes, registry
from desk.cases.models import ReportGroup
from desk.models import Department
from surveys import services
from surveys.models import Follows, Invitation, QuestionKind, Response, Survey

DEMO_INVITATIONS = 320
ANSWERED_SHARE = 0.7
COMMENTS = [
    "کارشناس واحد با حوصله توضیح داد؛ سپاسگزارم.",
    "پیگیری طول کشید ولی در پایان انجام شد.",
    "کاش پیامک زودتر می‌رسید.",
    "برای یک امضا دو بار مراجعه کردم.",
    "از سرعت کار راضی بودم.",
    "راهنمای مدارک در سایت کامل نبود.",
]


def seed_demo_surveys() -> str:
    if Response.objects.exists():
        return "Surveys: demo answers already present, none added."
    groups = _groups()
    if not groups:
        return "Surveys: no active survey for a kind of case; no demo answers."
    rng = random.Random(1405)
    now = timezone.now()
    answered = 0
    with transaction.atomic():
        for number in range(DEMO_INVITATIONS):
            kind, group, mood = groups[number % len(groups)]
            invitation = services.invite(
                case_kind=kind,
                case_code=_demo_code(kind, rng),
                mobile=f"0912{rng.randrange(10**7):07d}",
                outcome="",
                group=group,
            )
            if invitation is None:
                continue
            response = None
            if rng.random() < ANSWERED_SHARE:
                response = services.answer_invitation(
                    invitation, answers=_answers(invitation.survey, mood, rng)
                )
                answered += 1
            _date_back(invitation, response, now - timedelta(days=rng.randrange(2, 365)))
    return f"Surveys: {answered} demo answers to {DEMO_INVITATIONS} invitations."


def _groups() -> list[tuple[str, ReportGroup, float]]:
    """(kind of case, its grouping, how satisfied its citizens tend to be) for each group the
    demo's finished cases fall in, and each unit for the service requests."""
    active = set(Survey.objects.active().values_list("follows", flat=True))
    seen = {}
    for invitation in Invitation.objects.all():
        group = ReportGroup(invitation.unit_id, invitation.service_key, invitation.service_label)
        seen.setdefault((invitation.case_kind, group), None)
    found = [(kind, group) for kind, group in seen if kind in active]
    rng = random.Random(5)
    if not found and Follows.COMPLAINT in active:
        found = [(Follows.COMPLAINT, ReportGroup(unit.pk)) for unit in Department.objects.all()]
    return [(kind, group, rng.uniform(2.6, 4.6)) for kind, group in found]


def _demo_code(kind: str, rng: random.Random) -> str:
    prefix = registry.case_kind_named(kind).prefix
    return codes.make_code(
        prefix, "".join(str(rng.randrange(10)) for _ in range(codes.BODY_LENGTH))
    )


def _answers(survey: Survey, mood: float, rng: random.Random) -> dict:
    answers = {}
    for question in survey.questions.all():
        if question.kind == QuestionKind.RATING:
            answers[question.pk] = max(1, min(5, round(rng.gauss(mood, 1.0))))
        elif question.kind == QuestionKind.YES_NO:
            answers[question.pk] = rng.random() < mood / 5
        elif question.kind == QuestionKind.CHOICE and question.option_list:
            answers[question.pk] = rng.choice(question.option_list)
        elif question.kind == QuestionKind.TEXT and rng.random() < 0.15:
            answers[question.pk] = rng.choice(COMMENTS)
    return answers


def _date_back(invitation: Invitation, response: Response | None, sent) -> None:
    """Demo data only: the invitation sent on `sent`, answered a few hours later."""
    expires = sent + timedelta(days=14)
    answered = sent + timedelta(hours=3) if response else None
    Invitation.objects.filter(pk=invitation.pk).update(
        created_at=sent, expires_at=expires, answered_at=answered
    )
    if response:
        Response.objects.filter(pk=response.pk).update(submitted_at=answered)
