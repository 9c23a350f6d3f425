from django import template

from desk.jalali import format_jalali_date, format_jalali_datetime, format_jalali_long
from desk.text import digits_only, file_size, to_persian_digits

register = template.Library()


@register.filter
def fa_digits(value):
    """Show a number or text with Persian digits."""
    if value is None:
        return ""
    return to_persian_digits(value)


@register.filter(name="file_size")
def file_size_filter(value):
    """«۳٫۱ کیلوبایت»"""
    return "" if value is None else file_size(int(value))


@register.filter
def jalali(value):
    """«۱۴۰۵/۰۹/۰۲»"""
    return format_jalali_date(value)


@register.filter
def jalali_long(value):
    """«دوشنبه ۲ آذر ۱۴۰۵»"""
    return format_jalali_long(value)


@register.filter
def jalali_datetime(value):
    """«۱۴۰۵/۰۹/۰۲ ساعت ۱۴:۳۰»"""
    return format_jalali_datetime(value)


@register.filter
def tel_uri(value):
    """A `tel:` URI for a phone number typed with any digits and separators."""
    raw = str(value or "").strip()
    return f"tel:{'+' if raw.startswith('+') else ''}{digits_only(raw)}"
