"""SESSION_ENGINE = "desk.sessions.db": Django's database sessions (see the package)."""

from django.contrib.sessions.backends import db
from django.utils import timezone

from desk.sessions import NewKeyWithoutLookup


class SessionStore(NewKeyWithoutLookup, db.SessionStore):
    def load(self) -> dict:
        # Read on every page of a returning visitor: its data alone, not a model instance.
        data = self.model.objects.filter(
            session_key=self.session_key, expire_date__gt=timezone.now()
        ).values_list("session_data", flat=True)[:1]
        if not data:
            self._session_key = None
            return {}
        return self.decode(data[0])
