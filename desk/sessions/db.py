"""SESSION_ENGINE = "desk.sessions.db": Django's database sessions (see the package)."""

from django.contrib.sessions.backends import db

from desk.sessions import NewKeyWithoutLookup


class SessionStore(NewKeyWithoutLookup, db.SessionStore):
    pass
