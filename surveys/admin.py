"""The surveys back office: the survey editor (ordered questions), the invitations sent, the
opt-outs, and each survey's results (per question, per unit, per service, the comments) for
a Jalali date range, on a page and as an Excel workbook."""

from datetime import timedelta
from io import BytesIO

from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Font

from desk import registry
from desk.cases.models import staff_unit_scope
from desk.jalali import (
    format_jalali_date,
    format_jalali_datetime,
    local_midnight,
    parse_jalali_date,
)
from desk.text import local_digits
from surveys import reports
from surveys.models import Invitation, OptOut, Question, QuestionKind, Survey
from surveys.services import recount_overall_ratings


class QuestionFormSet(BaseInlineFormSet):
    """The survey's questions, checked together: one overall-satisfaction question at most,
    and it is a rating (the database holds the same rules; here they are form errors)."""

    def clean(self):
        super().clean()
        kept = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        headlines = [data for data in kept if data.get("is_headline")]
        if len(headlines) > 1:
            raise ValidationError(_("A survey has one overall-satisfaction question."))
        if headlines and headlines[0].get("kind") != QuestionKind.RATING:
            raise ValidationError(
                _("The overall-satisfaction question must be a rating from 1 to 5.")
            )


class QuestionInline(admin.TabularInline):
    model = Question
    formset = QuestionFormSet
    extra = 0
    fields = ["order", "text", "kind", "required", "is_headline", "options"]


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["title", "follows", "is_active", "invited", "answered", "results_link"]
    list_filter = ["follows", "is_active"]
    inlines = [QuestionInline]
    readonly_fields = ["created_at"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(invited_count=_count("invitations"), answered_count=_count("responses"))
        )

    @admin.display(description=_("invitations"), ordering="invited_count")
    def invited(self, survey):
        return local_digits(survey.invited_count)

    @admin.display(description=_("responses"), ordering="answered_count")
    def answered(self, survey):
        return local_digits(survey.answered_count)

    @admin.display(description=_("results"))
    def results_link(self, survey):
        url = reverse("admin:surveys_survey_results", args=[survey.pk])
        return format_html('<a href="{}">{}</a>', url, gettext("results"))

    def save_formset(self, request, form, formset, change):
        if formset.model is not Question:
            return super().save_formset(request, form, formset, change)
        # The flag leaves its old question before it reaches the new one: the database
        # allows one overall-satisfaction question at every moment.
        questions = formset.save(commit=False)
        for question in formset.deleted_objects:
            question.delete()
        for question in sorted(questions, key=lambda q: q.is_headline):
            question.save()
        formset.save_m2m()
        if any("is_headline" in changed for _question, changed in formset.changed_objects) or any(
            question.is_headline for question in formset.new_objects + formset.deleted_objects
        ):
            recount_overall_ratings(form.instance)

    def get_urls(self):
        return [
            path(
                "<int:pk>/results/",
                self.admin_site.admin_view(self.results_view),
                name="surveys_survey_results",
            ),
            path(
                "<int:pk>/results.xlsx",
                self.admin_site.admin_view(self.export_view),
                name="surveys_survey_export",
            ),
            *super().get_urls(),
        ]

    def _survey_and_period(self, request, pk):
        if not self.has_view_permission(request):
            raise PermissionDenied
        survey = get_object_or_404(Survey, pk=pk)
        return survey, *_period(request)

    def _results(self, request, survey, start, end) -> dict:
        """The results as the staff member may see them: a unit's staff, their units'
        answers only (the same scope as their cases)."""
        units = staff_unit_scope(request.user)
        overall = reports.overall_results(start, end, survey=survey, units=units)
        return {
            "questions": reports.question_results(survey, start, end, units),
            "units": overall.units,
            "services": overall.services,
            "comments": reports.comments(survey, start, end, units=units),
        }

    def results_view(self, request, pk):
        survey, start, end, typed, errors = self._survey_and_period(request, pk)
        results = self._results(request, survey, start, end)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Results: %(survey)s") % {"survey": survey.title},
            "survey": survey,
            **results,
            "comments": _with_case_links(request, results["comments"]),
            "typed": typed,
            "period_errors": errors,
            "export_url": reverse("admin:surveys_survey_export", args=[pk])
            + (f"?{request.GET.urlencode()}" if request.GET else ""),
        }
        return TemplateResponse(request, "admin/surveys/results.html", context)

    def export_view(self, request, pk):
        survey, start, end, _typed, _errors = self._survey_and_period(request, pk)
        results = self._results(request, survey, start, end)
        workbook = results_workbook(
            survey, results["questions"], results["units"], results["services"], results["comments"]
        )
        out = BytesIO()
        workbook.save(out)
        response = HttpResponse(
            out.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}-results.xlsx"'
        return response


def _count(relation: str) -> Count:
    return Count(relation, distinct=True)


def _period(request):
    """The Jalali from / to typed on the results page: [start, end) and what was typed."""
    typed = {name: request.GET.get(name, "").strip() for name in ("from", "to")}
    bounds, errors = {}, []
    for name, text in typed.items():
        if not text:
            continue
        try:
            bounds[name] = parse_jalali_date(text)
        except ValueError:
            errors.append(
                gettext("“%(date)s” is not a Jalali date; it was left out.") % {"date": text}
            )
    start = local_midnight(bounds["from"]) if "from" in bounds else None
    end = local_midnight(bounds["to"] + timedelta(days=1)) if "to" in bounds else None
    return start, end, typed, errors


def _with_case_links(request, rows: list[dict]) -> list[dict]:
    """Each comment with a link to its case for staff who may see that kind of case."""
    for row in rows:
        kind = registry.case_kind_named(row["response__case_kind"])
        code = row["response__case_code"]
        row["case_url"] = (
            kind.staff_url(code)
            if kind and code and kind.staff_url and request.user.has_perm(kind.view_permission)
            else ""
        )
    return rows


# --- Excel ---------------------------------------------------------------------------------------

RTL_BOLD = Font(bold=True)


def results_workbook(survey, questions, units, services, comment_rows) -> Workbook:
    """A sheet per part, right to left, Persian headers, numbers as numbers."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = gettext("Questions")
    _header(
        sheet,
        [
            gettext("question"),
            gettext("kind"),
            gettext("answers"),
            gettext("mean rating"),
            gettext("share satisfied (4 or 5)"),
            gettext("share yes"),
            *[gettext("rating %(n)s") % {"n": local_digits(n)} for n in range(1, 6)],
        ],
    )
    for result in questions:
        question = result.question
        rating = question.kind == QuestionKind.RATING
        sheet.append(
            [
                question.text,
                question.get_kind_display(),
                result.count,
                round(result.mean, 2) if result.mean is not None else None,
                _share(result.satisfied_share) if rating else None,
                _share(result.yes_share) if question.kind == QuestionKind.YES_NO else None,
                *[result.distribution.get(n) if rating else None for n in range(1, 6)],
            ]
        )
    for title, groups in ((gettext("By unit"), units), (gettext("By service"), services)):
        group_sheet = workbook.create_sheet(title)
        _header(
            group_sheet,
            [
                title,
                gettext("answers"),
                gettext("mean rating"),
                gettext("share satisfied (4 or 5)"),
            ],
        )
        for group in groups:
            group_sheet.append(
                [
                    group.label or gettext("no unit"),
                    group.count,
                    round(group.mean, 2) if group.mean is not None else None,
                    _share(group.satisfied_share),
                ]
            )
    comment_sheet = workbook.create_sheet(gettext("Comments"))
    _header(
        comment_sheet,
        [
            gettext("answered at"),
            gettext("tracking code"),
            gettext("unit"),
            gettext("service"),
            gettext("question"),
            gettext("comment"),
        ],
    )
    for row in comment_rows:
        comment_sheet.append(
            [
                format_jalali_datetime(row["response__submitted_at"]),
                row["response__case_code"],
                row["response__unit__name"] or "",
                row["response__service_label"],
                row["question__text"],
                row["text"],
            ]
        )
    for each in workbook.worksheets:
        each.sheet_view.rightToLeft = True
    return workbook


def _header(sheet, titles: list[str]) -> None:
    sheet.append(titles)
    for cell in sheet[1]:
        cell.font = RTL_BOLD


def _share(value: float | None) -> float | None:
    return round(value, 4) if value is not None else None


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["case_code", "kind", "unit", "service_label", "sent", "answered"]
    list_filter = ["survey", "unit"]
    list_display_links = None
    list_select_related = ["unit"]
    search_fields = ["case_code"]
    exclude = ["token", "mobile"]

    def has_view_permission(self, request, obj=None):
        # The list says all there is; a row's page would show the token's neighbours.
        return obj is None and super().has_view_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("kind of case"), ordering="case_kind")
    def kind(self, invitation):
        kind = registry.case_kind_named(invitation.case_kind)
        return kind.label if kind else invitation.case_kind

    @admin.display(description=_("sent at"), ordering="created_at")
    def sent(self, invitation):
        return format_jalali_date(invitation.created_at)

    @admin.display(description=_("answered at"), ordering="answered_at")
    def answered(self, invitation):
        return format_jalali_datetime(invitation.answered_at) if invitation.answered_at else "—"


@admin.register(OptOut)
class OptOutAdmin(admin.ModelAdmin):
    list_display = ["mobile", "at"]
    search_fields = ["mobile"]
    readonly_fields = ["created_at"]

    @admin.display(description=_("at"), ordering="created_at")
    def at(self, opt_out):
        return format_jalali_datetime(opt_out.created_at)
