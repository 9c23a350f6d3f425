"""The contacts' part of the quarterly report (desk/reports), in its "compliance" section with
the service cards: the active units a citizen cannot reach, having no public number in the
directory (article 6). Two queries; as the directory is now, since it keeps no history."""

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from contacts.models import Contact
from desk.models import Department
from desk.reports import Figure, Listing, PartResult, Period
from desk.text import persian_sort_key

SECTION_TITLE = _("Published information: service cards and contacts")


def build(period: Period) -> PartResult:
    units = Department.objects.active().annotate(
        reachable=Exists(Contact.objects.filter(unit=OuterRef("pk"), is_public=True))
    )
    totals = units.aggregate(unreachable=Count("pk", filter=Q(reachable=False)))
    figures = [
        Figure(
            "units_without_public_contact",
            _("units with no public contact"),
            totals["unreachable"],
            note=_(
                "active units with no public number in the directory, as it is now "
                "(the directory keeps no history)"
            ),
        ),
    ]
    listing = Listing(
        "units_without_public_contact",
        _("Units with no public contact"),
        sorted(units.filter(reachable=False).values_list("name", flat=True), key=persian_sort_key),
        empty=_("Every active unit has a public number in the directory."),
    )
    return PartResult(figures=figures, lists=[listing])
