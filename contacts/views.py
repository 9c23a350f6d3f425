"""The citizen's directory: every public contact grouped by unit, a search, a vCard each."""

from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.functional import SimpleLazyObject
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from contacts.models import DIRECTORY_GENERATION, Contact
from contacts.vcard import to_vcard
from desk import fragments
from desk.models import Department, SiteProfile
from desk.text import normalize_text, persian_sort_key

MAX_QUERY_LENGTH = 100


@require_GET
def directory(request):
    query = normalize_text(request.GET.get("q", ""))[:MAX_QUERY_LENGTH]
    context = {"query": query}
    if query:
        units = _units_listing(Contact.objects.public().matching(query))
        context.update(units=units, found=sum(len(unit.listed) for unit in units))
    else:
        # Not even built: the whole directory is kept rendered, read only when it is not.
        context["generation"] = fragments.generation(DIRECTORY_GENERATION)
        context["units"] = SimpleLazyObject(lambda: _units_listing(Contact.objects.public()))
    return render(request, "contacts/directory.html", context)


@require_GET
def vcard(request, pk: int):
    contact = get_object_or_404(Contact.objects.public().select_related("unit"), pk=pk)
    profile = SiteProfile.current()
    card = to_vcard(contact, organisation=profile.municipality_name if profile else "")
    response = HttpResponse(card, content_type="text/vcard; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{contact.name or contact.role}.vcf"
    )
    return response


def _units_listing(contacts):
    """The units that have one of `contacts`, each with those contacts in `listed`, in
    Persian alphabetical order (the database's is the code points'): two queries however
    many units and contacts."""
    units = Department.objects.filter(pk__in=contacts.values("unit")).prefetch_related(
        Prefetch("contacts", queryset=contacts.order_by("order", "pk"), to_attr="listed")
    )
    return sorted(units, key=lambda unit: persian_sort_key(unit.name))
