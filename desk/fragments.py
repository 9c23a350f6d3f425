"""Rendered parts of public pages that change rarely (the phone directory…), kept in the shared
cache with Django's `{% cache %}` tag, keyed by language, and forgotten when what they show
changes: `forget(name)` from the app's post_save/post_delete receivers. A cached page part
costs one cache read instead of its queries and its rendering.

TIMEOUT bounds what no signal reports: a deploy that changed the template, a bulk update."""

from django.conf import settings
from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key

TIMEOUT = 3600


def forget(name: str) -> None:
    """Drop the cached fragment `name` in every language: the tag varies on the language code
    (`{% get_current_language as language %}{% cache timeout name language %}`)."""
    cache.delete_many([make_template_fragment_key(name, [code]) for code, _ in settings.LANGUAGES])
