"""Fill the Holiday table from the `holidays` package's Iran calendar.

Run it once a year (and after upgrading `holidays`, whose future Islamic dates are estimates).
It only ever changes rows it imported itself and the staff left alone: a holiday the staff
added, edited or deactivated is theirs.
"""

from collections import Counter
from datetime import date

import holidays
import jdatetime
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from desk.jalali import jalali_year_bounds, local_date
from desk.models import Holiday
from desk.workdays import forget_holidays


def official_holidays(jalali_year: int) -> dict[date, str]:
    """The Iranian official holidays of a Jalali year with their Persian names.

    A Jalali year spans two Gregorian years, so both are read and cut to the Jalali year.
    """
    first, last = jalali_year_bounds(jalali_year)
    calendar = holidays.Iran(years=range(first.year, last.year + 1), language="fa_IR")
    return {
        day: "، ".join(calendar.get_list(day)) for day in sorted(calendar) if first <= day <= last
    }


class Command(BaseCommand):
    help = (
        "Load the official holidays of the current and the next Jalali year, "
        "keeping every holiday the staff added, edited or deactivated."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--years",
            nargs="+",
            type=int,
            metavar="JALALI_YEAR",
            help="Jalali years to load, e.g. 1405 1406.",
        )

    def handle(self, *args, years: list[int] | None = None, **options):
        if not years:
            this_year = jdatetime.date.fromgregorian(date=local_date(timezone.now())).year
            years = [this_year, this_year + 1]
        years = sorted(set(years))
        totals: Counter[str] = Counter()
        with transaction.atomic():
            for year in years:
                totals.update(self.sync_year(year))
        # Bulk inserts and updates send no signals: forget the holidays by hand.
        forget_holidays()
        self.stdout.write(
            _("Holidays for %(years)s: %(added)d added, %(renamed)d renamed, %(removed)d removed.")
            % {"years": ", ".join(map(str, years)), **totals}
        )

    def sync_year(self, year: int) -> dict[str, int]:
        """Add the year's new holidays; rename and remove only untouched imported rows."""
        wanted = official_holidays(year)
        first, last = jalali_year_bounds(year)
        existing = {row.date: row for row in Holiday.objects.filter(date__range=(first, last))}
        # Imported rows the staff never touched follow the package, so that an estimated
        # Islamic date the package later corrects moves instead of leaving two holidays.
        ours = {
            day: row
            for day, row in existing.items()
            if row.source == Holiday.Source.IMPORTED and row.is_active
        }
        new = [
            Holiday(date=day, title=title, source=Holiday.Source.IMPORTED)
            for day, title in wanted.items()
            if day not in existing
        ]
        Holiday.objects.bulk_create(new)
        renamed = [row for day, row in ours.items() if day in wanted and row.title != wanted[day]]
        for row in renamed:
            row.title = wanted[row.date]
        Holiday.objects.bulk_update(renamed, ["title"])
        stale = [row.pk for day, row in ours.items() if day not in wanted]
        Holiday.objects.filter(pk__in=stale).delete()
        return {"added": len(new), "renamed": len(renamed), "removed": len(stale)}
