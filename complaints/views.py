"""The citizen's pages: file a complaint, see it filed, follow it, add to it, object.

Thin views: parse a form, call complaints.services, render. A case page is shown only to a
browser holding the tracking session for its code (desk.tracking), granted at /track/ or
on filing; anyone else is sent to /track/ to prove it with the code and the mobile number.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from complaints import services
from complaints.forms import CitizenInfoForm, ComplaintForm, ReopenForm
from complaints.models import COMPLAINT_FORM_GENERATION, Complaint
from desk import fragments
from desk.cases.forms import KeptBlankForm
from desk.cases.models import IllegalTransition
from desk.cases.views import (
    TOO_MANY_FILINGS,
    already_filed,
    attachment_download,
    case_access_required,
    filing_allowed,
    lost_files,
    show_filed,
)


@require_http_methods(["GET", "POST"])
def new(request):
    if request.method == "GET":
        return _render_new(request, KeptBlankForm(ComplaintForm))
    form = ComplaintForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_new(request, form)
    if earlier := already_filed(Complaint, form):
        # Back and submit again: the same complaint, without spending a rate-limit slot.
        return show_filed(request, earlier, "complaints:filed")
    if form.errors:
        return _render_new(request, form)
    if not filing_allowed(request, "complaint", form.cleaned_data["mobile"]):
        form.add_error(None, TOO_MANY_FILINGS)
        return _render_new(request, form, status=429)
    try:
        complaint = services.submit_complaint(**_submission(form.cleaned_data))
    except ValidationError as error:
        form.add_error(None, error)
        return _render_new(request, form)
    return show_filed(request, complaint, "complaints:filed")


def _submission(data: dict) -> dict:
    return {
        "kind": data["kind"],
        "category": data["category"],
        "subject": data["subject"],
        "description": data["description"],
        "place": data["place"],
        "citizen_name": data["citizen_name"],
        "mobile": data["mobile"],
        "national_code": data["national_code"],
        "attachments": data["files"],
        "submission_key": data["submission_key"],
    }


def _render_new(request, form: ComplaintForm, *, status: int = 200):
    context = {
        "form": form,
        "lost_files": lost_files(request),
        # The blank fields are kept rendered per generation of the categories.
        "generation": fragments.generation(COMPLAINT_FORM_GENERATION),
    }
    return render(request, "complaints/new.html", context, status=status)


@require_GET
@case_access_required
def filed(request, code: str):
    complaint = get_object_or_404(Complaint.objects.select_related("category"), tracking_code=code)
    return render(request, "complaints/filed.html", {"complaint": complaint})


@require_GET
@case_access_required
def case(request, code: str):
    return _render_case(request, _get_complaint(code))


@require_POST
@case_access_required
def add_info(request, code: str):
    complaint = _get_complaint(code)
    form = CitizenInfoForm(request.POST, request.FILES, room=_room(complaint.attachments.all()))
    if form.is_valid():
        try:
            services.add_citizen_info(
                complaint,
                text=form.cleaned_data["text"],
                attachments=form.cleaned_data.get("files", []),
            )
        except IllegalTransition:
            return _refused(request, code)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your information was added to the request."))
            return redirect("complaints:case", code=code)
    return _render_case(request, complaint, info_form=form)


@require_POST
@case_access_required
def reopen(request, code: str):
    complaint = _get_complaint(code)
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            services.reopen_complaint(complaint, reason=form.cleaned_data["reason"])
        except IllegalTransition:
            return _refused(request, code)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Your objection was registered; the request is open again.")
            )
            return redirect("complaints:case", code=code)
    return _render_case(request, complaint, reopen_form=form)


@require_GET
def attachment(request, code: str, pk: int):
    return attachment_download(request, Complaint, code, pk)


def _get_complaint(code: str) -> Complaint:
    """The complaint alone: what its page's kept body (case.html) shows besides (its
    category, unit, files, timeline, the case it was joined to) is read only where that body
    must be drawn again, after a change."""
    if (complaint := Complaint.by_code(code)) is None:
        raise Http404
    return complaint


def _room(attachments) -> int:
    return services.MAX_ATTACHMENTS - len(attachments)


def _refused(request, code: str):
    # The case moved on meanwhile (a clerk answered or closed it): show it as it is now.
    messages.error(request, _("This is not possible in the request's current state."))
    return redirect("complaints:case", code=code)


def _render_case(request, complaint: Complaint, *, info_form=None, reopen_form=None):
    # Read once, if at all: for the room an open case has left, or where the kept body of the
    # page must be drawn again.
    files = complaint.attachments.all()
    # A form sent back with its errors is shown even if the case has moved on meanwhile.
    if info_form is None and complaint.is_open:
        info_form = CitizenInfoForm(room=_room(files))
    can_reopen = services.can_reopen(complaint)
    if reopen_form is None and can_reopen:
        reopen_form = ReopenForm()
    context = {
        "complaint": complaint,
        "timeline": services.FLOW.public_timeline(complaint),
        "attachments": SimpleLazyObject(lambda: [file for file in files if file.by_citizen]),
        "info_form": info_form,
        "reopen_form": reopen_form,
        "lost_files": lost_files(request),
        "reopen_until": (services.reopen_deadline(complaint) if can_reopen else None),
    }
    return render(request, "complaints/case.html", context)
