"""What the back office shows of a model's field or a list's column goes through the portal's
display helpers, as every page a citizen reads does: Jalali dates and times, Persian digits
(in numbers, and in codes and phone numbers stored as digits), «بله/خیر» for a yes/no.

Django's admin formats those values in two functions (`display_for_field`,
`display_for_value`) that its list and read-only field code import by name; `install()`
wraps them where they are used, once, at start-up (desk/apps.py). A value shown in English
(another language chosen) keeps Django's own formatting but for the dates, which are Jalali
in both."""

import datetime
import decimal
import re

from django.contrib.admin import helpers, utils
from django.contrib.admin.templatetags import admin_list
from django.core.validators import EMPTY_VALUES
from django.db import models
from django.templatetags.static import static
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext

from desk.jalali import format_jalali_date, format_jalali_datetime
from desk.text import LocalNumber, local_digits

_django_display_for_field = utils.display_for_field
_django_display_for_value = utils.display_for_value
_django_result_headers = admin_list.result_headers
_NUMBER_FIELDS = (models.IntegerField, models.FloatField, models.DecimalField)
# A value made of digits and a phone number's separators: a code, a mobile, «076-3524-2000».
_DIGITS = re.compile(r"^\+?[0-9][0-9\s\-/()]*$")


def display_for_field(value, field, empty_value_display, avoid_link=False):
    if getattr(field, "flatchoices", None) or isinstance(field, models.BooleanField):
        return _django_display_for_field(value, field, empty_value_display, avoid_link)
    if value in field.empty_values:
        return empty_value_display
    if isinstance(field, models.DateTimeField):
        return format_jalali_datetime(timezone.localtime(value))
    if isinstance(field, models.DateField):
        return format_jalali_date(value)
    if isinstance(field, models.TimeField):
        return local_digits(value.strftime("%H:%M"))
    if isinstance(field, _NUMBER_FIELDS):
        return local_digits(_django_display_for_field(value, field, empty_value_display))
    if isinstance(field, models.CharField) and _DIGITS.match(value):
        return local_digits(value)  # a tracking code, a phone number
    return _django_display_for_field(value, field, empty_value_display, avoid_link)


def display_for_value(value, empty_value_display, boolean=False):
    if boolean or value in EMPTY_VALUES:
        return _django_display_for_value(value, empty_value_display, boolean)
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, datetime.datetime):
        return format_jalali_datetime(
            timezone.localtime(value) if timezone.is_aware(value) else value
        )
    if isinstance(value, datetime.date):
        return format_jalali_date(value)
    if isinstance(value, datetime.time):
        return local_digits(value.strftime("%H:%M"))
    if isinstance(value, (int, decimal.Decimal, float)):
        return local_digits(_django_display_for_value(value, empty_value_display))
    if isinstance(value, str) and _DIGITS.match(value):
        return local_digits(value)
    return _django_display_for_value(value, empty_value_display, boolean)


def boolean_icon(field_val):
    """Django's yes/no icon, its text alternative in the reader's language."""
    icon = {True: "yes", False: "no", None: "unknown"}[field_val]
    said = {True: gettext("yes"), False: gettext("no"), None: gettext("unknown")}[field_val]
    return format_html('<img src="{}" alt="{}">', static(f"admin/img/icon-{icon}.svg"), said)


def result_headers(cl):
    """A list's column headers, a sorted column's priority (1, 2…) in the reader's digits."""
    for header in _django_result_headers(cl):
        if header.get("sort_priority"):
            header["sort_priority"] = LocalNumber(header["sort_priority"])
        yield header


def install() -> None:
    for module in (utils, admin_list, helpers):
        if hasattr(module, "display_for_field"):
            module.display_for_field = display_for_field
        if hasattr(module, "display_for_value"):
            module.display_for_value = display_for_value
    admin_list._boolean_icon = boolean_icon
    admin_list.result_headers = result_headers
