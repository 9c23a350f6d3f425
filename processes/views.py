"""The citizen's service guides: the cards by category with a search, one card with every
section, its print layout for the counter (article 6), and its "what to bring" checklist; and
online requests: applying with the documents, the confirmation, the request's page behind the
tracking session, and new files for the documents staff refused."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from desk import fragments
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
from processes import services
from processes.filters import ServiceFilter
from processes.forms import CorrectionForm, ServiceRequestForm
from processes.models import (
    CARDS_GENERATION,
    DocumentReview,
    RequestDocument,
    RequestStatus,
    Service,
    ServiceRequest,
    ServiceRequestAttachment,
    ServiceStep,
)


@require_GET
def index(request):
    services = Service.objects.published().select_related("category", "department")
    found = ServiceFilter(request.GET or None, queryset=services)
    context = {
        "filter": found,
        # A bad filter value (a category that is gone) is an error on the form, not a 500.
        "services": list(found.qs) if found.is_bound and found.is_valid() else list(services),
        "searched": found.is_bound,
    }
    return render(request, "processes/index.html", context)


@require_GET
def service(request, slug: str):
    # Read only where the kept page must be drawn again; an unknown slug is then a 404.
    context = {
        "service": SimpleLazyObject(lambda: _card(slug)),
        "slug": slug,
        "generation": fragments.generation(CARDS_GENERATION),
        "today": timezone.localdate().isoformat(),
    }
    return render(request, "processes/service.html", context)


@require_GET
def service_print(request, slug: str):
    return render(request, "processes/service_print.html", {"service": _card(slug)})


@require_GET
def checklist(request, slug: str):
    return render(request, "processes/checklist.html", {"service": _card(slug)})


def _card(slug: str) -> Service:
    """A published card with every section: five queries however long each list is."""
    cards = Service.objects.published().select_related("category", "department")
    cards = cards.prefetch_related(
        Prefetch("steps", queryset=ServiceStep.objects.select_related("department")),
        "documents",
        "fees",
        "questions",
    )
    return get_object_or_404(cards, slug=slug)


# --- online requests ------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def apply(request, slug: str):
    """Apply online for a card that takes online requests: a file for each of its documents."""
    service = get_object_or_404(
        Service.objects.published().filter(accepts_online_requests=True), slug=slug
    )
    documents = service.documents.filter(upload_online=True)
    if request.method == "GET":
        return _render_apply(request, service, ServiceRequestForm(documents=documents))
    form = ServiceRequestForm(request.POST, request.FILES, documents=documents)
    if not form.is_valid():
        return _render_apply(request, service, form)
    if earlier := already_filed(ServiceRequest, form):
        return show_filed(request, earlier, "processes:request_filed")
    if form.errors:
        return _render_apply(request, service, form)
    if not filing_allowed(request, "service_request", form.cleaned_data["mobile"]):
        form.add_error(None, TOO_MANY_FILINGS)
        return _render_apply(request, service, form, status=429)
    data = form.cleaned_data
    try:
        filed = services.submit_service_request(
            service=service,
            citizen_name=data["citizen_name"],
            mobile=data["mobile"],
            national_code=data["national_code"],
            description=data["description"],
            documents=form.uploads(),
            card_documents=form.documents,
            submission_key=data["submission_key"],
        )
    except ValidationError as error:
        form.add_error(None, error)
        return _render_apply(request, service, form)
    return show_filed(request, filed, "processes:request_filed")


def _render_apply(request, service: Service, form, *, status: int = 200):
    context = {"service": service, "form": form, "lost_files": lost_files(request)}
    return render(request, "processes/apply.html", context, status=status)


@require_GET
@case_access_required
def request_filed(request, code: str):
    filed = get_object_or_404(
        ServiceRequest.objects.select_related("service", "department"), tracking_code=code
    )
    return render(request, "processes/request_filed.html", {"service_request": filed})


@require_GET
@case_access_required
def request_case(request, code: str):
    return _render_case(request, _get_request(code))


@require_POST
@case_access_required
def correct(request, code: str):
    """New files for the refused documents; the request goes back to review."""
    service_request = _get_request(code)
    form = CorrectionForm(request.POST, request.FILES, slots=_refused_slots(service_request))
    if form.is_valid():
        try:
            services.resubmit_documents(
                service_request, replacements=form.replacements(), note=form.cleaned_data["note"]
            )
        except IllegalTransition:
            messages.error(request, _("This is not possible in the request's current state."))
            return redirect("processes:request", code=code)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your new files were sent; the request is under review."))
            return redirect("processes:request", code=code)
    return _render_case(request, service_request, correction_form=form)


@require_GET
def request_file(request, code: str, pk: int):
    return attachment_download(request, ServiceRequest, code, pk)


def _get_request(code: str) -> ServiceRequest:
    found = ServiceRequest.objects.select_related("service", "department").filter(
        tracking_code=code
    )
    if (service_request := found.first()) is None:
        raise Http404
    return service_request


def _refused_slots(service_request: ServiceRequest) -> list[RequestDocument]:
    return list(service_request.documents.filter(review=DocumentReview.REFUSED))


def _render_case(request, service_request: ServiceRequest, *, correction_form=None):
    slots = list(
        service_request.documents.prefetch_related(
            Prefetch("files", queryset=ServiceRequestAttachment.objects.order_by("-created_at"))
        )
    )
    needs_correction = service_request.status == RequestStatus.NEEDS_CORRECTION
    if correction_form is None and needs_correction:
        correction_form = CorrectionForm(slots=[slot for slot in slots if slot.is_refused])
    context = {
        "service_request": service_request,
        "slots": slots,
        "open_inquiries": [i for i in service_request.inquiries.all() if i.is_open],
        "timeline": services.FLOW.public_timeline(service_request),
        "correction_form": correction_form,
        "lost_files": lost_files(request),
    }
    return render(request, "processes/request.html", context)
