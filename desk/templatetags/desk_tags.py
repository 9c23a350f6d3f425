from django import template

from desk.text import to_persian_digits

register = template.Library()


@register.filter
def fa_digits(value):
    """Show a number or text with Persian digits."""
    if value is None:
        return ""
    return to_persian_digits(value)


@register.filter
def tel_uri(value):
    """A `tel:` URI for a phone number typed with any digits (Persian ones too) and any
    separators: `int()` reads every Unicode decimal digit."""
    raw = str(value or "").strip()
    digits = "".join(str(int(char)) for char in raw if char.isdecimal())
    return f"tel:{'+' if raw.startswith('+') else ''}{digits}"
