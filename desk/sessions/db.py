"""SESSION_ENGINE = "desk.sessions.db": Django's database sessions (see the package).

A returning visitor's every page reads its session, and a first look-up or filing writes
one: each is a single statement written once here, not a model saved or a queryset compiled
by the ORM per request (measured: a sixth of a case page's CPU, a seventh of a look-up's).
The statements are those Django's store runs, with the same outcomes: a key already taken
refuses a new session (CreateError), a session deleted meanwhile refuses an update
(UpdateError).
"""

from contextlib import nullcontext

from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import CreateError, UpdateError
from django.db import IntegrityError, connections, router, transaction
from django.utils import timezone

from desk.sessions import NewKeyWithoutLookup


class SessionStore(NewKeyWithoutLookup, db.SessionStore):
    def load(self) -> dict:
        connection = connections[router.db_for_read(self.model)]
        table, key, data, expiry = self._names(connection)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {data} FROM {table} WHERE {key} = %s AND {expiry} > %s",
                [self.session_key, connection.ops.adapt_datetimefield_value(timezone.now())],
            )
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return {}
        return self.decode(row[0])

    def save(self, must_create: bool = False) -> None:
        if self.session_key is None:
            return self.create()
        using = router.db_for_write(self.model)
        connection = connections[using]
        table, key, data, expiry = self._names(connection)
        session_data = self.encode(self._get_session(no_load=must_create))
        expire_date = connection.ops.adapt_datetimefield_value(self.get_expiry_date())
        # Within a caller's transaction a refused insert must not spoil it: a savepoint then.
        savepoint = transaction.atomic(using=using) if connection.in_atomic_block else nullcontext()
        with savepoint, connection.cursor() as cursor:
            if must_create:
                try:
                    cursor.execute(
                        f"INSERT INTO {table} ({key}, {data}, {expiry}) VALUES (%s, %s, %s)",
                        [self.session_key, session_data, expire_date],
                    )
                except IntegrityError:
                    raise CreateError from None
            else:
                cursor.execute(
                    f"UPDATE {table} SET {data} = %s, {expiry} = %s WHERE {key} = %s",
                    [session_data, expire_date, self.session_key],
                )
                if cursor.rowcount != 1:
                    raise UpdateError

    def _names(self, connection) -> tuple[str, str, str, str]:
        quote, meta = connection.ops.quote_name, self.model._meta
        return (
            quote(meta.db_table),
            *(
                quote(meta.get_field(name).column)
                for name in ("session_key", "session_data", "expire_date")
            ),
        )
