"""The citizen's pages: file a complaint, see it filed, follow it, add to it, object.

Thin views: parse a form, call complaints.services, render. A case page is shown only to a
browser holding the tracking session for its code (desk.tracking), granted at /track/ or
on filing; anyone else is sent to /track/ to prove it with the code and the mobile number.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from complaints import services
from complaints.forms import CitizenInfoForm, ComplaintForm, ReopenForm
from complaints.models import Complaint, ComplaintAttachment, ComplaintEvent
from desk import ratelimit
from desk.cases import IllegalTransition
from desk.tracking import grant_case_access, has_case_access
from desk.uploads import private_file_response

# What each public event means to the citizen; the note (answer, guidance…) follows it.
EVENT_TITLES = {
    "submit": gettext_lazy("Your request was received"),
    "start_review": gettext_lazy("Review started"),
    "refer": gettext_lazy("Referred to a unit"),
    "answer": gettext_lazy("Answered"),
    "close": gettext_lazy("Closed"),
    "out_of_jurisdiction": gettext_lazy("Not within the municipality's duties"),
    "duplicate": gettext_lazy("Marked as a duplicate"),
    "reopen": gettext_lazy("You objected to the answer"),
    "citizen_info": gettext_lazy("You added information"),
}


@require_http_methods(["GET", "POST"])
def new(request):
    if request.method == "GET":
        return _render_new(request, ComplaintForm())
    form = ComplaintForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_new(request, form)
    if earlier := _already_filed(form.cleaned_data["submission_key"]):
        # Back and submit again: the same complaint, without spending a rate-limit slot.
        return _show_filed(request, earlier, form.cleaned_data["mobile"])
    if not _filing_allowed(request, form.cleaned_data["mobile"]):
        form.add_error(
            None,
            _(
                "Too many requests have been filed from this connection or for this mobile "
                "number. Please try again later, or call the service desk."
            ),
        )
        return _render_new(request, form, status=429)
    try:
        complaint = services.submit_complaint(**_submission(form.cleaned_data))
    except ValidationError as error:
        form.add_error(None, error)
        return _render_new(request, form)
    return _show_filed(request, complaint, form.cleaned_data["mobile"])


def _show_filed(request, complaint: Complaint, mobile: str):
    if complaint.mobile != mobile:
        # A submission key copied from someone else's form: never open their case here.
        raise PermissionDenied
    grant_case_access(request, complaint.tracking_code)
    return redirect("complaints:filed", code=complaint.tracking_code)


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


def _already_filed(key) -> Complaint | None:
    return Complaint.objects.filter(submission_key=key).first() if key else None


def _filing_allowed(request, mobile: str) -> bool:
    return (
        ratelimit.hit(
            "complaint-ip",
            ratelimit.client_address(request),
            limit=settings.COMPLAINT_RATE_LIMIT_PER_ADDRESS,
            period=settings.COMPLAINT_RATE_PERIOD_PER_ADDRESS,
        )
        is not None
        and ratelimit.hit(
            "complaint-mobile",
            mobile,
            limit=settings.COMPLAINT_RATE_LIMIT_PER_MOBILE,
            period=settings.COMPLAINT_RATE_PERIOD_PER_MOBILE,
        )
        is not None
    )


def _render_new(request, form: ComplaintForm, *, status: int = 200):
    # Browsers never keep a chosen file after a round trip: name what must be chosen again.
    lost_files = [upload.name for upload in request.FILES.getlist("files")]
    return render(
        request, "complaints/new.html", {"form": form, "lost_files": lost_files}, status=status
    )


@require_GET
def filed(request, code: str):
    if not has_case_access(request, code):
        return _to_tracking(code)
    complaint = get_object_or_404(Complaint.objects.select_related("category"), tracking_code=code)
    context = {"complaint": complaint, "masked_mobile": _masked(complaint.mobile)}
    return render(request, "complaints/filed.html", context)


def _masked(mobile: str) -> str:
    """09121234567 → 0912***4567: enough to recognise one's own number, not to learn one."""
    return f"{mobile[:4]}***{mobile[-4:]}"


@require_GET
def case(request, code: str):
    if not has_case_access(request, code):
        return _to_tracking(code)
    return _render_case(request, _get_complaint(code))


@require_POST
def add_info(request, code: str):
    if not has_case_access(request, code):
        return _to_tracking(code)
    complaint = _get_complaint(code)
    form = CitizenInfoForm(request.POST, request.FILES, room=_room(complaint))
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
def reopen(request, code: str):
    if not has_case_access(request, code):
        return _to_tracking(code)
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
    if not has_case_access(request, code):
        raise Http404
    upload = get_object_or_404(
        ComplaintAttachment,
        pk=pk,
        complaint__tracking_code=code,
        by_citizen=True,
    )
    return private_file_response(
        upload.file, content_type=upload.content_type, download_name=upload.original_name
    )


def _to_tracking(code: str):
    return redirect(f"{reverse('desk:track')}?code={code}")


def _get_complaint(code: str) -> Complaint:
    """The complaint with everything its page shows, in a fixed number of queries."""
    queryset = Complaint.objects.select_related("category", "department", "duplicate_of")
    queryset = queryset.prefetch_related(
        Prefetch("events", queryset=ComplaintEvent.objects.filter(is_public=True)),
        "attachments",
    )
    return get_object_or_404(queryset, tracking_code=code)


def _room(complaint: Complaint) -> int:
    # Counted from the prefetched attachments: no extra query.
    return services.MAX_ATTACHMENTS - len(complaint.attachments.all())


def _refused(request, code: str):
    # The case moved on meanwhile (a clerk answered or closed it): show it as it is now.
    messages.error(request, _("This is not possible in the request's current state."))
    return redirect("complaints:case", code=code)


def _render_case(request, complaint: Complaint, *, info_form=None, reopen_form=None):
    # A form sent back with its errors is shown even if the case has moved on meanwhile.
    if info_form is None and complaint.is_open:
        info_form = CitizenInfoForm(room=_room(complaint))
    can_reopen = services.can_reopen(complaint)
    if reopen_form is None and can_reopen:
        reopen_form = ReopenForm()
    context = {
        "complaint": complaint,
        "timeline": [(EVENT_TITLES.get(e.action, ""), e) for e in complaint.events.all()],
        "attachments": [a for a in complaint.attachments.all() if a.by_citizen],
        "info_form": info_form,
        "reopen_form": reopen_form,
        "lost_files": [upload.name for upload in request.FILES.getlist("files")],
        "reopen_until": (services.reopen_deadline(complaint) if can_reopen else None),
    }
    return render(request, "complaints/case.html", context)
