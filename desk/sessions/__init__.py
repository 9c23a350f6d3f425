"""Django's session stores (database, cache) without the look-up before a new session, and
the database store reading a session's data alone (not a model instance) on every page of a
returning visitor.

Django draws a new key and asks the store whether it is taken before creating the session,
and then creates it with `must_create`, which refuses a key already taken (CreateError) and
draws again. The look-up is a statement or a round trip on every first filing and tracking
look-up, for a clash of 32 random characters (190 bits) that never comes; the refusal
alone keeps two sessions apart.
"""

from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.utils.crypto import get_random_string


class NewKeyWithoutLookup:
    def _get_new_session_key(self) -> str:
        return get_random_string(32, VALID_KEY_CHARS)
