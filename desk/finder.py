"""The back office's one search box: any case of any kind, by tracking code or mobile.

What was typed is read in any digits (Persian, Arabic), with or without +98 / 0098, spaces or
dashes. A full valid tracking code opens its case, when the clerk may see it; a mobile lists
the cases of every kind filed with it that the clerk may see. A case the clerk may not see is
never found (nor said to exist): each kind's cases come from its own ModelAdmin's queryset,
through the registry (`CaseKind.staff_cases`), so `desk` imports no app.
"""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from desk import registry
from desk.codes import CodeError, parse_code
from desk.jalali import format_jalali_date
from desk.text import local_digits, normalize_mobile

# A mobile's cases of one kind shown at most; a citizen with more is found in the kind's list.
MOST_PER_KIND = 50


@dataclass(frozen=True)
class FoundCase:
    kind: Any
    code: str
    status: str
    filed: str
    url: str


def searchable_kinds() -> list[registry.CaseKind]:
    return [kind for kind in registry.case_kinds() if kind.staff_cases and kind.staff_change_url]


def case_by_code(request: Any, code: str) -> str | None:
    """The back-office page of the case with `code`, if the user may see it."""
    kind = registry.case_kind_for(code)
    if kind is None or kind.staff_cases is None or kind.staff_change_url is None:
        return None
    pk = kind.staff_cases(request).filter(tracking_code=code).values_list("pk", flat=True).first()
    return None if pk is None else kind.staff_change_url(pk)


def cases_by_mobile(request: Any, mobile: str) -> list[FoundCase]:
    """The cases of every kind filed with `mobile` that the user may see, newest first in
    each kind: one query per kind (and its scoping)."""
    found = []
    for kind in searchable_kinds():
        cases = kind.staff_cases(request).filter(mobile=mobile).order_by("-created_at")
        for case in cases[:MOST_PER_KIND]:
            found.append(
                FoundCase(
                    kind=kind.label,
                    code=case.tracking_code,
                    status=case.get_status_display(),
                    filed=format_jalali_date(case.created_at),
                    url=kind.staff_change_url(case.pk),
                )
            )
    return found


def read_query(typed: str) -> tuple[str, str]:
    """("code", code) for a full valid code of a known kind, ("mobile", 09…) for a mobile,
    ("", "") for anything else."""
    try:
        code = parse_code(typed)
    except CodeError:
        pass
    else:
        if registry.case_kind_for(code) is not None:
            return "code", code
    try:
        return "mobile", normalize_mobile(typed)
    except ValidationError:
        return "", ""


def find_view(request: Any, admin_site: Any) -> Any:
    typed = request.GET.get("q", "").strip()
    what, value = read_query(typed) if typed else ("", "")
    found: list[FoundCase] = []
    if what == "code":
        url = case_by_code(request, value)
        if url:
            return redirect(url)
    elif what == "mobile":
        found = cases_by_mobile(request, value)
    context = {
        **admin_site.each_context(request),
        "title": _("Find a case"),
        "case_query": typed,
        "searched": bool(typed),
        "understood": bool(what),
        "shown_query": local_digits(value) if value else "",
        "found": found,
    }
    return TemplateResponse(request, "admin/case_finder.html", context)
