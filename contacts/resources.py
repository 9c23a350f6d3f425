"""The whole directory as one CSV or Excel sheet, for the back office's export and import.

A file comes back after being edited in Excel by people who never saw the admin, so the
import is strict: the columns must be the ones the export writes, every unit must exist,
every number must be a number, and one bad row refuses the whole file (one transaction,
rolled back on any error or invalid row). Rows that did not change are left untouched.
"""

from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from contacts.models import Contact
from contacts.phones import normalize_phone
from desk.models import Department
from desk.text import is_ascii_number, normalize_text, to_ascii_digits

COLUMNS = [
    "id",
    "unit",
    "role",
    "name",
    "phone",
    "extension",
    "other_numbers",
    "email",
    "is_public",
    "order",
]
REQUIRED_COLUMNS = ["unit", "role", "phone"]


class UnitWidget(widgets.ForeignKeyWidget):
    """A unit by its name, whatever the keyboard it was typed on."""

    def __init__(self):
        super().__init__(Department, field="name")
        self._units = None

    def clean(self, value, row=None, **kwargs):
        name = normalize_text(str(value or ""))
        if not name:
            raise ValueError(_("The unit is missing."))
        if self._units is None:  # one query for the whole file
            self._units = {normalize_text(unit.name): unit for unit in Department.objects.all()}
        if name not in self._units:
            raise ValueError(
                _("There is no unit named “%(name)s”. Add it under Units first.") % {"name": name}
            )
        return self._units[name]


class NumberWidget(widgets.CharWidget):
    """A phone number or extension; a number cell of Excel gets its leading zero back."""

    def clean(self, value, row=None, **kwargs):
        return normalize_phone(value)


class PublicWidget(widgets.Widget):
    """1/0 as the export writes it; yes/no in English or Persian as people type it."""

    TRUE = {"1", "true", "yes", "y", "بله", "آری", "عمومی"}
    FALSE = {"0", "false", "no", "n", "خیر", "نه", "داخلی"}

    def clean(self, value, row=None, **kwargs):
        text = normalize_text(to_ascii_digits(str(value if value is not None else ""))).lower()
        text = text.removesuffix(".0")  # Excel's number cells
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValueError(_("Write 1 for a public contact and 0 for an internal one."))

    def render(self, value, obj=None, **kwargs):
        return "1" if value else "0"


class OrderWidget(widgets.IntegerWidget):
    def clean(self, value, row=None, **kwargs):
        if value is None or str(value).strip() == "":
            return 0
        try:
            return super().clean(to_ascii_digits(str(value)), row, **kwargs)
        except ValueError:
            raise ValueError(_("The order must be a whole number.")) from None


class ContactResource(resources.ModelResource):
    unit = fields.Field(attribute="unit", column_name="unit", widget=UnitWidget())
    phone = fields.Field(attribute="phone", column_name="phone", widget=NumberWidget())
    extension = fields.Field(attribute="extension", column_name="extension", widget=NumberWidget())
    is_public = fields.Field(attribute="is_public", column_name="is_public", widget=PublicWidget())
    order = fields.Field(attribute="order", column_name="order", widget=OrderWidget())

    class Meta:
        model = Contact
        fields = COLUMNS
        import_order = COLUMNS
        export_order = COLUMNS
        import_id_fields = ["id"]
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True

    def import_data(self, dataset, **kwargs):
        # All or nothing, in the confirm step too: a row that turned invalid between the
        # preview and the confirmation rolls back the whole file, not just that row.
        kwargs["use_transactions"] = True
        kwargs["rollback_on_validation_errors"] = True
        return super().import_data(dataset, **kwargs)

    def before_import(self, dataset, **kwargs):
        dataset.headers = [str(header or "").strip().lower() for header in dataset.headers or []]
        _check_columns(dataset.headers)
        if "id" not in dataset.headers:
            dataset.append_col([""] * len(dataset), header="id")
        _check_ids(dataset)
        # Excel writes 12.0 for 12 in a number cell.
        ids = [_clean_id(value) for value in dataset["id"]]
        del dataset["id"]
        dataset.append_col(ids, header="id")


def _check_columns(headers: list[str]) -> None:
    unknown = [header for header in headers if header not in COLUMNS]
    missing = [column for column in REQUIRED_COLUMNS if column not in headers]
    if unknown or missing:
        raise ValueError(
            _(
                "The file's columns are not those of the directory. Unknown columns: "
                "%(unknown)s. Missing columns: %(missing)s. Expected columns: %(expected)s. "
                "Start from an exported file."
            )
            % {
                "unknown": ", ".join(unknown) or "—",
                "missing": ", ".join(missing) or "—",
                "expected": ", ".join(COLUMNS),
            }
        )


def _clean_id(value) -> str:
    text = to_ascii_digits(str(value if value is not None else "")).strip()
    return text.removesuffix(".0")


def _check_ids(dataset) -> None:
    """An id names a contact that exists: a made-up one would create a row with an id of its
    own choosing (and break PostgreSQL's sequence), a deleted one would quietly come back."""
    ids = {_clean_id(value) for value in dataset["id"]} - {""}
    bad = sorted(value for value in ids if not is_ascii_number(value))
    known = {
        str(pk) for pk in Contact.objects.filter(pk__in=ids - set(bad)).values_list("pk", flat=True)
    }
    unknown = sorted(ids - known - set(bad), key=int) + bad
    if unknown:
        raise ValueError(
            _(
                "No contact has the id %(ids)s. Leave the id empty for a new contact and "
                "keep the exported id for an existing one."
            )
            % {"ids": ", ".join(unknown)}
        )
