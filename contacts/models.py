import re

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from contacts import phones
from desk.models import Department
from desk.text import normalize_text

# A query made only of digits and separators is a number, however it is grouped.
_NUMBER_QUERY = re.compile(r"^[0-9۰-۹٠-٩\s\-+()./]+$")


class ContactQuerySet(models.QuerySet):
    def public(self):
        """What citizens may see: public contacts of active units."""
        return self.filter(is_public=True, unit__is_active=True)

    def matching(self, query: str):
        """Contacts whose unit, role, name, e-mail or numbers match what a person typed,
        whatever the keyboard: Persian or Arabic letters and digits, dashes, spaces, +98."""
        query = normalize_text(query or "").lower()
        if not query:
            return self
        if _NUMBER_QUERY.match(query) and (digits := phones.search_digits(query)):
            return self.filter(search_digits__contains=digits)
        condition = Q()
        for word in query.split():
            if _NUMBER_QUERY.match(word):
                condition &= Q(search_digits__contains=phones.search_digits(word))
            else:
                condition &= Q(search_text__contains=word)
        return self.filter(condition)


class Contact(models.Model):
    """A line of the directory: a role in a unit, perhaps a person, and how to reach them."""

    unit = models.ForeignKey(
        Department,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="contacts",
    )
    role = models.CharField(
        _("role or title"),
        max_length=120,
        help_text=_("E.g. manager, deputy, office manager, expert, or a counter's name."),
    )
    name = models.CharField(_("person's name"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=30, validators=[phones.validate_phone])
    extension = models.CharField(
        _("extension"), max_length=6, blank=True, validators=[phones.validate_extension]
    )
    other_numbers = models.CharField(
        _("other numbers"),
        max_length=200,
        blank=True,
        validators=[phones.validate_numbers],
        help_text=_("Direct lines, mobile or fax, separated by commas."),
    )
    email = models.EmailField(_("e-mail"), blank=True)
    is_public = models.BooleanField(
        _("public"),
        default=True,
        help_text=_("Untick for an internal number: it stays in the back office only."),
    )
    order = models.PositiveIntegerField(
        _("order"), default=0, help_text=_("Smaller numbers come first within the unit.")
    )
    # Kept by save() (and by a unit's rename) so that a search is a plain LIKE on
    # text already in the canonical Persian spelling and digits, on every database.
    search_text = models.TextField(editable=False, blank=True)
    search_digits = models.TextField(editable=False, blank=True)

    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ["unit__name", "order", "pk"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return f"{self.role} — {self.name}" if self.name else self.role

    def save(self, *args, **kwargs):
        self.normalize()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text", "search_digits"}
        super().save(*args, **kwargs)

    def clean(self):
        self.normalize()

    def normalize(self) -> None:
        self.role = normalize_text(self.role)
        self.name = normalize_text(self.name)
        self.email = self.email.strip().lower()
        self.phone = phones.normalize_phone(self.phone)
        self.extension = phones.normalize_phone(self.extension)
        self.other_numbers = phones.normalize_numbers(self.other_numbers)
        self.search_text = self.build_search_text(self.unit.name if self.unit_id else "")
        self.search_digits = self.build_search_digits()

    def build_search_text(self, unit_name: str) -> str:
        words = [unit_name, self.role, self.name, self.email]
        return normalize_text(" ".join(word for word in words if word)).lower()

    def build_search_digits(self) -> str:
        # Space-separated, so that a partial number never matches across two numbers.
        numbers = [self.phone, self.extension, *phones.split_numbers(self.other_numbers)]
        return " ".join(phones.search_digits(number) for number in numbers if number)

    @property
    def other_number_list(self) -> list[str]:
        return phones.split_numbers(self.other_numbers)


def refresh_unit_search_text(sender, instance: Department, **kwargs) -> None:
    """A renamed unit: its contacts are found by the new name (connected in apps.py)."""
    contacts = list(instance.contacts.all())
    for contact in contacts:
        contact.search_text = contact.build_search_text(instance.name)
    Contact.objects.bulk_update(contacts, ["search_text"])


# The generation (desk.fragments) keying the whole directory's kept rendering: renewed when a
# contact or a unit changes (apps.py).
DIRECTORY_GENERATION = "contacts-directory"
