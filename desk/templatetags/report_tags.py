"""The report's numbers in templates, through desk.reports.format_value / format_change."""

from django import template

from desk.reports import COUNT, format_change, format_value

register = template.Library()


@register.filter
def report_value(value, measure=COUNT):
    return format_value(value, measure)


@register.filter
def report_change(change, measure=COUNT):
    return format_change(change, measure)


@register.filter
def value_of(values: dict, key: str):
    return values.get(key)
