"""The citizen's pages: the sessions and the request form, the confirmation, the case page
with its cancel form. Thin views: parse a form, call appointments.services, render. A case
page is shown only to a browser holding the tracking session for its code (desk.tracking)."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from appointments import services
from appointments.forms import CancelForm, MeetingRequestForm
from appointments.models import BookingWindow, MeetingRequest, MeetingRequestEvent, MeetingSession
from desk import ratelimit
from desk.cases import IllegalTransition
from desk.tracking import grant_case_access, has_case_access

EVENT_TITLES = {
    "request": gettext_lazy("Your request was received"),
    "approve": gettext_lazy("Approved"),
    "reschedule": gettext_lazy("The meeting was moved"),
    "refer": gettext_lazy("Referred"),
    "decline": gettext_lazy("Declined"),
    "cancel": gettext_lazy("You cancelled the request"),
    "outcome": gettext_lazy("Outcome of the meeting"),
}

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
    sessions = open_sessions()
    if request.method == "GET":
        return _render_index(request, MeetingRequestForm(sessions=sessions), sessions)
    form = MeetingRequestForm(request.POST, sessions=sessions)
    valid = form.is_valid()
    data = form.cleaned_data
    if "mobile" in data and (earlier := _already_filed(data.get("submission_key"))):
        # Back and submit again (even if its session has since filled up, or the first post
        # took its last place): the same request, without spending a rate-limit slot.
        return _show_filed(request, earlier, data["mobile"])
    if not valid:
        return _render_index(request, form, sessions)
    if not _filing_allowed(request, data["mobile"]):
        form.add_error(
            None,
            _(
                "Too many requests have been filed from this connection or for this mobile "
                "number. Please try again later, or call the service desk."
            ),
        )
        return _render_index(request, form, sessions, status=429)
    try:
        meeting = services.request_meeting(**data)
    except services.OpenRequestExists as refusal:
        services.remind_open_request(refusal.earlier)
        form.add_error(None, OPEN_REQUEST_MESSAGE)
        return _render_index(request, form, open_sessions())
    except ValidationError as error:
        form.add_error(None, error)
        return _render_index(request, form, open_sessions())
    return _show_filed(request, meeting, data["mobile"])


def _already_filed(key) -> MeetingRequest | None:
    return MeetingRequest.objects.filter(submission_key=key).first() if key else None


def _show_filed(request, meeting: MeetingRequest, mobile: str):
    if meeting.mobile != mobile:
        # A submission key copied from someone else's form: never open their request here.
        raise PermissionDenied
    grant_case_access(request, meeting.tracking_code)
    return redirect("appointments:filed", code=meeting.tracking_code)


def _filing_allowed(request, mobile: str) -> bool:
    return (
        ratelimit.hit(
            "appointment-ip",
            ratelimit.client_address(request),
            limit=settings.APPOINTMENT_RATE_LIMIT_PER_ADDRESS,
            period=settings.APPOINTMENT_RATE_PERIOD_PER_ADDRESS,
        )
        is not None
        and ratelimit.hit(
            "appointment-mobile",
            mobile,
            limit=settings.APPOINTMENT_RATE_LIMIT_PER_MOBILE,
            period=settings.APPOINTMENT_RATE_PERIOD_PER_MOBILE,
        )
        is not None
    )


def _render_index(request, form, sessions, *, status=200):
    return render(
        request, "appointments/index.html", {"form": form, "sessions": sessions}, status=status
    )


@require_GET
def filed(request, code: str):
    if not has_case_access(request, code):
        return _to_tracking(code)
    meeting = get_object_or_404(
        MeetingRequest.objects.select_related("host", "session"), tracking_code=code
    )
    return render(request, "appointments/filed.html", {"meeting": meeting})


@require_GET
def case(request, code: str):
    if not has_case_access(request, code):
        return _to_tracking(code)
    return _render_case(request, _get_request(code))


@require_POST
def cancel(request, code: str):
    if not has_case_access(request, code):
        return _to_tracking(code)
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


def _to_tracking(code: str):
    return redirect(f"{reverse('desk:track')}?code={code}")


def _get_request(code: str) -> MeetingRequest:
    queryset = MeetingRequest.objects.select_related(
        "host", "session", "referred_to_host", "referred_to_department"
    ).prefetch_related(
        Prefetch("events", queryset=MeetingRequestEvent.objects.filter(is_public=True))
    )
    return get_object_or_404(queryset, tracking_code=code)


def _render_case(request, meeting: MeetingRequest, *, cancel_form=None):
    if cancel_form is None and services.can_cancel(meeting):
        cancel_form = CancelForm()
    context = {
        "meeting": meeting,
        "timeline": [(EVENT_TITLES.get(e.action, ""), e) for e in meeting.events.all()],
        "cancel_form": cancel_form,
    }
    return render(request, "appointments/case.html", context)
