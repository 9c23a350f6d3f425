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

import uuid

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.utils import make_template_fragment_key
from django.db.models import Model
from django.db.models.signals import post_delete, post_save

TIMEOUT = 3600
LOCAL = "local"


def local_cache():
    return caches[LOCAL]


def forget(name: str) -> None:
    """Drop the cached fragment `name` in every language: the tag varies on the language code
    (`{% get_current_language as language %}{% cache timeout name language %}`)."""
    cache.delete_many([make_template_fragment_key(name, [code]) for code, _ in settings.LANGUAGES])


def generation(name: str) -> str:
    """The current generation of what `name` covers (e.g. "meetings": the hosts, sessions and
    requests the meetings page shows), to key its fragments by: one read of the shared cache
    instead of the queries. A lost value (evicted, cache flushed) starts a new generation,
    never an old one."""
    key = f"generation:{name}"
    return cache.get_or_set(key, lambda: uuid.uuid4().hex, timeout=None)


def new_generation(name: str) -> None:
    """What `name` covers changed: every process's fragments keyed by the old generation are
    left behind at once."""
    cache.set(f"generation:{name}", uuid.uuid4().hex, timeout=None)


def renew_generation_on_change(name: str, *models: type[Model]) -> None:
    """A new generation of `name` whenever a row of one of `models` is saved or deleted (for
    an app's ready()). A queryset's update() sends no signal: such a change shows within
    the fragments' timeout."""

    def renew(sender, **kwargs) -> None:
        new_generation(name)

    for model in models:
        for signal in (post_save, post_delete):
            signal.connect(
                renew,
                sender=model,
                weak=False,
                dispatch_uid=f"generation:{name}:{model._meta.label}:{signal is post_save}",
            )
