"""Rendered parts of public pages that change rarely, cached with Django's `{% cache %}` tag,
keyed by language, and forgotten when what they show changes (`forget(name)` from the app's
post_save/post_delete receivers):

- in the shared cache (the phone directory): one cache read instead of its queries and its
  rendering, fresh everywhere at once; TIMEOUT bounds what no signal reports (a deploy that
  changed the template, a bulk update);
- in each process's own memory, `using="local"` (the officer's card, the site profile):
  nothing to read at all, for what every page shows; the process that saved a change clears
  that memory at once, the others within `settings.LOCAL_CACHE_SECONDS`.
"""

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.utils import make_template_fragment_key

TIMEOUT = 3600
LOCAL = "local"


def local_cache():
    return caches[LOCAL]


def forget(name: str) -> None:
    """Drop the cached fragment `name` in every language: the tag varies on the language code
    (`{% get_current_language as language %}{% cache timeout name language %}`)."""
    cache.delete_many([make_template_fragment_key(name, [code]) for code, _ in settings.LANGUAGES])
