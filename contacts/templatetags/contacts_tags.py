from django import template
from django.utils.translation import get_language_bidi

from desk.text import to_persian_digits

register = template.Library()


@register.filter
def local_digits(value):
    """Persian digits on the Persian pages, ASCII digits on the English ones."""
    if value is None:
        return ""
    return to_persian_digits(value) if get_language_bidi() else str(value)
