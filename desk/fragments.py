"""Rendered parts of public pages, kept in each process's own memory (the "local" cache, a
LocMemCache) with Django's `{% cache … using="local" %}` tag or `{% unbound_form_fragment %}`,
keyed by language and by what they show:

- the layout, the officer's card, the home page's cards: they change with the site profile
  only, and the process that saves it clears its memory at once, the others within
  `settings.LOCAL_CACHE_SECONDS`, the timeout of every kept fragment;
- a case page's body: by the case's `updated_at`, which every step changes;
- what several rows make (the meetings choice, the complaint form's categories, the phone
  directory): by a *generation* of `name`, a random value in the shared cache that a save or
  delete of one of those rows renews (`renew_generation_on_change`, from the app's ready()).
  Each process reads it at most once every GENERATION_SECONDS, so a change shows everywhere
  within a second, and a page reads nothing at all meanwhile.
"""

import uuid

from django.core.cache import cache, caches
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import post_delete, post_save

LOCAL = "local"
GENERATION_SECONDS = 1


def local_cache():
    return caches[LOCAL]


def generation(name: str) -> str:
    """The current generation of what `name` covers, to key its fragments by. A lost value
    (evicted, the cache flushed) starts a new generation, never an old one."""
    key = _generation_key(name)
    value = local_cache().get(key)
    if value is None:
        value = cache.get_or_set(key, lambda: uuid.uuid4().hex, timeout=None)
        local_cache().set(key, value, GENERATION_SECONDS)
    return value


def new_generation(name: str) -> None:
    """What `name` covers changed: every process leaves the fragments keyed by the old
    generation behind, this one at once, the others within GENERATION_SECONDS."""
    key, value = _generation_key(name), uuid.uuid4().hex
    cache.set(key, value, timeout=None)
    local_cache().set(key, value, GENERATION_SECONDS)


def renew_generation_on_change(name: str, *models: type[Model]) -> None:
    """A new generation of `name` whenever a row of one of `models` is saved or deleted (for
    an app's ready()). A queryset's update() sends no signal: such a change shows within
    settings.LOCAL_CACHE_SECONDS, when the fragments expire."""

    def renew(sender, **kwargs) -> None:
        new_generation(name)
        # Again once the change is committed: a page another process drew meanwhile, from
        # the rows as they were before, must not stand under the new generation.
        transaction.on_commit(lambda: new_generation(name), robust=True)

    for model in models:
        for signal in (post_save, post_delete):
            signal.connect(
                renew,
                sender=model,
                weak=False,
                dispatch_uid=f"generation:{name}:{model._meta.label}:{signal is post_save}",
            )


def _generation_key(name: str) -> str:
    return f"generation:{name}"


def forget_on_template_change(sender, file_path, **kwargs) -> None:
    """runserver saw a file change that it serves without restarting (a template): the
    pages kept from the old template go too, as Django's template loaders do (apps.py)."""
    if file_path.suffix != ".py":
        local_cache().clear()
