"""Satisfaction surveys (نظرسنجی): a survey per kind of finished case and a general one, the
invitation each finished case gets by SMS, and the answers.

`surveys` imports no case app: an invitation keeps what results are grouped by (the case's
kind, code, unit and service, from `CitizenCase.report_group()`), and each response copies
them, so results are aggregated in the database without touching the apps' tables.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from desk.models import Department
from desk.text import local_digits, normalize_text

RATING_SCALE = range(1, 6)
SATISFIED_FROM = 4  # a rating of 4 or 5 counts as satisfied


class Follows(models.TextChoices):
    """What a survey asks about: the `tracking_kind` of a finished case, or anyone's visit."""

    COMPLAINT = "complaint", _("a finished complaint")
    MEETING = "appointment", _("a finished meeting request")
    SERVICE_REQUEST = "service_request", _("a finished service request")
    GENERAL = "general", _("the desk in general (anyone)")


class SurveyQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Survey(models.Model):
    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(_("introduction"), blank=True)
    follows = models.CharField(_("asks about"), max_length=20, choices=Follows.choices)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = SurveyQuerySet.as_manager()

    class Meta:
        ordering = ["follows", "-created_at"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        constraints = [
            # One survey asked at a time for each kind of case: the invitation knows which.
            models.UniqueConstraint(
                fields=["follows"],
                condition=Q(is_active=True),
                name="one_active_survey_per_kind",
                violation_error_message=_(
                    "Another survey about this kind of case is active: deactivate it first."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.title


class QuestionKind(models.TextChoices):
    RATING = "rating", _("rating from 1 to 5")
    YES_NO = "yes_no", _("yes or no")
    CHOICE = "choice", _("one of several options")
    TEXT = "text", _("free text")


class Question(models.Model):
    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="questions"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.CharField(_("question"), max_length=300)
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices)
    required = models.BooleanField(_("required"), default=True)
    options = models.TextField(
        _("options"), blank=True, help_text=_("For a question with options: one option per line.")
    )
    is_headline = models.BooleanField(
        _("overall satisfaction"),
        default=False,
        help_text=_(
            "The survey's one rating of overall satisfaction: results per unit and per "
            "service, and the quarterly report, are read from it."
        ),
    )

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(
                fields=["survey"],
                condition=Q(is_headline=True),
                name="one_headline_per_survey",
                violation_error_message=_("A survey has one overall-satisfaction question."),
            ),
            models.CheckConstraint(
                condition=Q(is_headline=False) | Q(kind="rating"),
                name="headline_is_a_rating",
                violation_error_message=_(
                    "The overall-satisfaction question must be a rating from 1 to 5."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def option_list(self) -> list[str]:
        """The options in their stored spelling (Persian letters, single spaces): what the
        citizen's choice is compared with, whatever keyboard the editor typed them on."""
        return [normalize_text(line) for line in self.options.splitlines() if line.strip()]


class Invitation(models.Model):
    """One finished case's invitation: a random token in an SMS link, answered once, until
    it expires."""

    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.PROTECT, related_name="invitations"
    )
    token = models.CharField(_("token"), max_length=40, unique=True)
    case_kind = models.CharField(_("kind of case"), max_length=20)
    case_code = models.CharField(_("tracking code"), max_length=12, unique=True)
    outcome = models.CharField(_("how the case ended"), max_length=30, blank=True)
    unit = models.ForeignKey(
        Department,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    service_key = models.CharField(max_length=120, blank=True)
    service_label = models.CharField(_("service"), max_length=200, blank=True)
    mobile = models.CharField(_("mobile number"), max_length=11)
    created_at = models.DateTimeField(_("sent at"), default=timezone.now, db_index=True)
    expires_at = models.DateTimeField(_("expires at"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return local_digits(self.case_code)

    def is_usable(self, now=None) -> bool:
        return self.answered_at is None and (now or timezone.now()) < self.expires_at


class OptOut(models.Model):
    """A mobile number whose owner asked never to be sent a survey again."""

    mobile = models.CharField(_("mobile number"), max_length=11, unique=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("survey opt-out")
        verbose_name_plural = _("survey opt-outs")

    def __str__(self) -> str:
        return self.mobile


class Response(models.Model):
    """One set of answers: to an invitation (its grouping copied here), or to the general
    survey (no case, no unit, no service)."""

    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.PROTECT, related_name="responses"
    )
    invitation = models.OneToOneField(
        Invitation,
        verbose_name=_("invitation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="response",
    )
    case_kind = models.CharField(_("kind of case"), max_length=20, blank=True)
    case_code = models.CharField(_("tracking code"), max_length=12, blank=True)
    unit = models.ForeignKey(
        Department,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    service_key = models.CharField(max_length=120, blank=True, db_index=True)
    service_label = models.CharField(_("service"), max_length=200, blank=True)
    submitted_at = models.DateTimeField(_("answered at"), default=timezone.now, db_index=True)
    # The rating given to the survey's overall-satisfaction question, kept on the response
    # too: results per unit and per service, and the quarterly report, read responses only.
    overall_rating = models.PositiveSmallIntegerField(
        _("overall satisfaction"), null=True, blank=True
    )

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        indexes = [
            # Results per unit and per service over a period, from this index alone (an
            # index-only scan on PostgreSQL).
            models.Index(
                fields=["submitted_at"],
                include=["overall_rating", "survey", "unit", "service_key", "service_label"],
                condition=Q(overall_rating__isnull=False),
                name="responses_overall_rating",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(overall_rating__isnull=True)
                | Q(overall_rating__gte=1, overall_rating__lte=5),
                name="overall_rating_from_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return self.case_code or str(self.pk)


class Answer(models.Model):
    response = models.ForeignKey(
        Response, verbose_name=_("response"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.PROTECT, related_name="answers"
    )
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    yes = models.BooleanField(_("yes"), null=True, blank=True)
    choice = models.CharField(_("option"), max_length=200, blank=True)
    text = models.TextField(_("text"), blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="one_answer_per_question"
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="rating_from_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.response_id}: {self.question_id}"
