"""SESSION_ENGINE = "desk.sessions.cache": Django's cache sessions (see the package)."""

from django.contrib.sessions.backends import cache

from desk.sessions import NewKeyWithoutLookup


class SessionStore(NewKeyWithoutLookup, cache.SessionStore):
    pass
