from django import template

from desk.text import to_persian_digits

register = template.Library()


@register.filter
def fa_digits(value):
    """Show a number or text with Persian digits."""
    if value is None:
        return ""
    return to_persian_digits(value)
