"""/reports/: the quarterly report for managers and administrators (desk.view_reports), on
screen with its charts, printable on A4 for the paper report of article 9, and in Excel."""

from django import forms
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from desk.models import SiteProfile
from desk.reports import QUARTER_NAMES, Period, build_report, excel
from desk.reports.charts import draw
from desk.text import to_ascii_digits

PERMISSION = "desk.view_reports"
FIRST_YEAR = 1390


class PeriodForm(forms.Form):
    """A Jalali year and quarter, typed in any digits; a quarter that has not begun is
    refused (there is nothing to report yet)."""

    year = forms.CharField(
        label=_("year"),
        max_length=8,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 6, "dir": "ltr"}),
    )
    quarter = forms.TypedChoiceField(
        label=_("quarter"),
        coerce=int,
        choices=[(number, f"{name}") for number, name in QUARTER_NAMES.items()],
    )

    def clean_year(self) -> int:
        typed = to_ascii_digits(self.cleaned_data["year"]).strip()
        if not typed.isdigit() or not FIRST_YEAR <= int(typed) <= 1500:
            raise forms.ValidationError(
                _("Enter a Jalali year such as %(year)s."),
                params={"year": Period.last_finished().year_shown},
            )
        return int(typed)

    def clean(self):
        cleaned = super().clean()
        if "year" in cleaned and "quarter" in cleaned:
            period = Period(cleaned["year"], cleaned["quarter"])
            if not period.has_begun():
                raise forms.ValidationError(
                    _("%(quarter)s has not begun yet; choose a quarter that has."),
                    params={"quarter": period.short_label},
                )
            cleaned["period"] = period
        return cleaned


def _period_of(request) -> tuple[PeriodForm, Period]:
    """The quarter asked for, or the last finished one (also when what was typed is not a
    quarter: the form then says why, beside what was typed)."""
    default = Period.last_finished()
    if "year" not in request.GET and "quarter" not in request.GET:
        form = PeriodForm(initial={"year": default.year_shown, "quarter": default.quarter})
        return form, default
    form = PeriodForm(request.GET)
    if not form.is_valid():
        return form, default
    period = form.cleaned_data["period"]
    # Shown back in Persian digits, however it was typed.
    return PeriodForm(initial={"year": period.year_shown, "quarter": period.quarter}), period


def _allowed(request):
    if not request.user.is_authenticated or not request.user.is_staff:
        return redirect_to_login(request.get_full_path(), "admin:login")
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    return None


def quarterly_report(request):
    refused = _allowed(request)
    if refused:
        return refused
    form, period = _period_of(request)
    report = build_report(period)
    context = {
        **admin.site.each_context(request),
        "title": gettext("Quarterly performance report"),
        "form": form,
        "report": report,
        "drawings": {
            section.key: [draw(chart) for chart in section.charts] for section in report.sections
        },
        "profile": SiteProfile.objects.first(),
        "finished": period.end <= timezone.now(),
        "query": f"year={period.year}&quarter={period.quarter}",
    }
    return TemplateResponse(request, "reports/quarterly.html", context)


def quarterly_report_excel(request):
    refused = _allowed(request)
    if refused:
        return refused
    _form, period = _period_of(request)
    workbook = excel.workbook(build_report(period), SiteProfile.objects.first())
    response = HttpResponse(
        excel.save(workbook),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"quarterly-report-{period.year}-q{period.quarter}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
