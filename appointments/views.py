"""The citizen's pages: the sessions and the request form, the confirmation, the case page
with its cancel form. Thin views: parse a form, call appointments.services, render. A case
page is shown only to a browser holding the tracking session for its code (desk.tracking)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from appointments import services
from appointments.forms import CancelForm, MeetingRequestForm
from appointments.models import (
    MEETINGS_GENERATION,
    BookingWindow,
    MeetingRequest,
    MeetingSession,
)
from desk import fragments
from desk.cases.forms import KeptBlankForm
from desk.cases.models import IllegalTransition
from desk.cases.views import (
    TOO_MANY_FILINGS,
    already_filed,
    case_access_required,
    filing_allowed,
    show_filed,
)

# The same words whether or not the limit let the SMS go: the page tells nothing more.
OPEN_REQUEST_MESSAGE = gettext_lazy(
    "This mobile number already has an open request for this meeting. Its tracking code has "
    "been sent to that number by SMS again: follow the request with it, or cancel it before "
    "asking again."
)


def open_sessions() -> list[MeetingSession]:
    """The sessions a citizen may request now, with free places: two queries, however many."""
    now, window = timezone.now(), BookingWindow.current()
    return [
        session
        for session in MeetingSession.objects.bookable(now, window)
        if session.free_places > 0 and window.is_open(session, now)
    ]


@require_http_methods(["GET", "POST"])
def index(request):
    if request.method == "GET":
        return _render_index(request, KeptBlankForm(MeetingRequestForm, sessions=open_sessions))
    form = MeetingRequestForm(request.POST, sessions=open_sessions)
    valid = form.is_valid()
    if earlier := already_filed(MeetingRequest, form):
        # Back and submit again (even if its session has since filled up, or the first post
        # took its last place): the same request, without spending a rate-limit slot.
        return show_filed(request, earlier, "appointments:filed")
    if not valid or form.errors:
        return _render_index(request, form)
    data = form.cleaned_data
    if not filing_allowed(request, "appointment", data["mobile"]):
        form.add_error(None, TOO_MANY_FILINGS)
        return _render_index(request, form, status=429)
    try:
        meeting = services.request_meeting(**data)
    except services.OpenRequestExists as refusal:
        services.remind_open_request(refusal.earlier)
        form.add_error(None, OPEN_REQUEST_MESSAGE)
        return _render_index(request, form)
    except ValidationError as error:
        # A session taken or closed since the form was checked: the service's words, on
        # the choice (the form also maps the service's `host` and `session` to it).
        on_choice = getattr(error, "code", None) in {"full", "closed"}
        form.add_error("meeting" if on_choice else None, error)
        return _render_index(request, form)
    return show_filed(request, meeting, "appointments:filed")


def _render_index(request, form, *, status=200):
    # The blank form's rendering is kept per generation: while it is cached, no host or
    # session is read at all.
    context = {"form": form, "generation": fragments.generation(MEETINGS_GENERATION)}
    return render(request, "appointments/index.html", context, status=status)


@require_GET
@case_access_required
def filed(request, code: str):
    meeting = get_object_or_404(
        MeetingRequest.objects.select_related("host", "session"), tracking_code=code
    )
    return render(request, "appointments/filed.html", {"meeting": meeting})


@require_GET
@case_access_required
def case(request, code: str):
    return _render_case(request, _get_request(code))


@require_POST
@case_access_required
def cancel(request, code: str):
    meeting = _get_request(code)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            services.cancel_meeting(meeting, reason=form.cleaned_data["reason"])
        except IllegalTransition:
            messages.error(request, _("This is not possible in the request's current state."))
            return redirect("appointments:case", code=code)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your request was cancelled."))
            return redirect("appointments:case", code=code)
    return _render_case(request, meeting, cancel_form=form)


def _get_request(code: str) -> MeetingRequest:
    """The request and what its summary names, in one query; its timeline is read only where
    the page's kept body (case.html) must be drawn again."""
    queryset = MeetingRequest.objects.select_related(
        "host", "session", "referred_to_host", "referred_to_department"
    )
    return get_object_or_404(queryset, tracking_code=code)


def _render_case(request, meeting: MeetingRequest, *, cancel_form=None):
    if cancel_form is None and services.can_cancel(meeting):
        cancel_form = CancelForm()
    context = {
        "meeting": meeting,
        "timeline": services.FLOW.public_timeline(meeting),
        "cancel_form": cancel_form,
    }
    return render(request, "appointments/case.html", context)
