"""The citizen's service guides: the cards by category with a search, one card with every
section, its print layout for the counter (article 6), and its "what to bring" checklist."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from processes.filters import ServiceFilter
from processes.models import Service, ServiceStep


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
    return render(request, "processes/service.html", {"service": _card(slug)})


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
