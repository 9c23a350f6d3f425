from django import template
from django.conf import settings
from django.core.cache.utils import make_template_fragment_key
from django.utils import translation

from desk import fragments
from desk.jalali import format_jalali_date, format_jalali_datetime, format_jalali_long
from desk.text import (
    digits_only,
    file_size,
    local_decimal,
    local_digits,
    local_grouped,
    local_percent,
    to_persian_digits,
)

register = template.Library()


@register.filter
def fa_digits(value):
    """Show a number or text with Persian digits."""
    if value is None:
        return ""
    return to_persian_digits(value)


@register.filter
def grouped(value):
    """An amount with grouped thousands in the page's digits: «۱٬۵۰۰٬۰۰۰»."""
    return "" if value is None else local_grouped(value)


@register.filter
def percent(value):
    """A share from 0 to 1 as «۷۳٪»; "—" for none."""
    return local_percent(value)


@register.filter
def decimal(value, places=2):
    """«۳٫۸۴»; "—" for none."""
    return "—" if value is None else local_decimal(float(value), int(places))


@register.filter
def minutes(value):
    """A duration (timedelta) in whole minutes, in the reader's digits: «۱۵»."""
    return local_digits(int(value.total_seconds() // 60)) if value else ""


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


class UnboundFormFragmentNode(template.Node):
    """`{% unbound_form_fragment form name [vary_on …] %}…{% endunbound_form_fragment %}`: the
    fields of a form nobody has filled in yet are the same for every visitor of a page, so
    they are rendered once per language (and per `vary_on`: the choices the form offers) and
    kept in the process's memory like the layout (desk/fragments.py). A filled-in form (its
    errors, what was typed) or one with initial values is always rendered anew. The CSRF
    token and the one-time submission key must stay outside the fragment."""

    def __init__(self, nodelist, form, name: str, vary_on: list):
        self.nodelist, self.form, self.name, self.vary_on = nodelist, form, name, vary_on

    def render(self, context) -> str:
        form = self.form.resolve(context)
        if form.is_bound or any(form.initial.values()):
            return self.nodelist.render(context)
        vary_on = [translation.get_language(), *(value.resolve(context) for value in self.vary_on)]
        key = make_template_fragment_key(self.name, vary_on)
        cache = fragments.local_cache()
        html = cache.get(key)
        if html is None:
            html = self.nodelist.render(context)
            cache.set(key, html, settings.LOCAL_CACHE_SECONDS)
        return html


@register.tag
def unbound_form_fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 3:
        raise template.TemplateSyntaxError(f"{bits[0]} takes a form and a fragment name.")
    nodelist = parser.parse(("endunbound_form_fragment",))
    parser.delete_first_token()
    form, name, *vary_on = bits[1:]
    return UnboundFormFragmentNode(
        nodelist, parser.compile_filter(form), name, [parser.compile_filter(v) for v in vary_on]
    )
