"""Phone numbers as the directory keeps them: ASCII digits with the grouping staff typed.

Staff type numbers with Persian, Arabic or ASCII digits and with spaces, dashes or brackets;
Excel drops the leading zero of a number typed into a plain cell. One normaliser turns all of
these into one stored form, and a validator refuses what is not a number at all.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from desk.text import digits_only, to_ascii_digits

# Short service numbers (125 fire, 137 city services) up to international numbers.
MIN_DIGITS, MAX_DIGITS = 3, 15
_NOT_A_PHONE = re.compile(r"[^0-9\s\-+()./]")
# Several numbers in one field: commas (Persian or Latin), semicolons or new lines.
_NUMBER_SEPARATORS = re.compile(r"[,،;؛\n]+")


def normalize_phone(value: object) -> str:
    """A phone number with ASCII digits and single spaces; an Excel number gets back the
    leading zero it lost (7635242011 → 07635242011)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        value = str(value)
        if len(value) == 10:
            value = "0" + value
    return " ".join(to_ascii_digits(str(value or "")).split())


def validate_phone(value: str) -> None:
    phone = normalize_phone(value)
    if _NOT_A_PHONE.search(phone) or not MIN_DIGITS <= len(digits_only(phone)) <= MAX_DIGITS:
        raise ValidationError(
            _("“%(value)s” is not a phone number. Write it with digits, e.g. 076-3524-2011."),
            code="invalid",
            params={"value": value},
        )


def split_numbers(value: str) -> list[str]:
    """The numbers of a field that may hold several, each normalised."""
    return [normalize_phone(part) for part in _NUMBER_SEPARATORS.split(value or "") if part.strip()]


def normalize_numbers(value: str) -> str:
    return ", ".join(split_numbers(value))


def validate_numbers(value: str) -> None:
    for number in split_numbers(value):
        validate_phone(number)


def validate_extension(value: str) -> None:
    if not re.fullmatch(r"[0-9]{1,6}", normalize_phone(value)):
        raise ValidationError(
            _("An extension is one to six digits, e.g. 214."),
            code="invalid",
        )


def search_digits(query: str) -> str:
    """The digits to look for when a citizen searches by number: +98 76… and 0098 76…
    become 076…, as numbers are stored."""
    digits = digits_only(query)
    for prefix in ("0098", "98"):
        if digits.startswith(prefix) and len(digits) >= len(prefix) + 10:
            return "0" + digits[len(prefix) :]
    return digits
