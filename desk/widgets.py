"""Form widgets of the back office."""

from typing import Any

from django import forms

# An example in the digits staff read everywhere else; what they type may be in any digits.
JALALI_DATE_PLACEHOLDER = "۱۴۰۵/۰۱/۱۲"


class JalaliDateInput(forms.TextInput):
    """A Jalali date, typed (1405/01/12 in any digits) or picked from the calendar that
    static/desk/js/jalali-date-picker.js opens on every `data-jdp` input of the admin (loaded
    by templates/admin/base_site.html). Without JavaScript it is a plain text box."""

    def __init__(self, attrs: dict[str, Any] | None = None):
        super().__init__(
            {
                "data-jdp": True,
                # Year first, left to right, as the date is written in digits.
                "dir": "ltr",
                "inputmode": "numeric",
                # The browser's list of earlier entries would cover the calendar.
                "autocomplete": "off",
                "placeholder": JALALI_DATE_PLACEHOLDER,
                **(attrs or {}),
            }
        )
