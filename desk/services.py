"""Use cases of the desk core. Case apps call these from their own services."""

from collections.abc import Iterable
from typing import Any

from auditlog.models import LogEntry
from axes.models import AccessAttempt
from django.db import connection, transaction
from django.utils import timezone

from desk import codes
from desk.models import TrackingCode

MAX_CODE_ATTEMPTS = 20


class CodeSpaceExhausted(RuntimeError):
    pass


def issue_tracking_code(*, prefix: str, kind: str) -> str:
    """Reserve a new, never-issued tracking code for a case of `kind`.

    A collision with a code issued earlier (or at this very moment by another process) meets
    the unique constraint, which skips the insert (ON CONFLICT DO NOTHING: no savepoint to
    roll back, on SQLite and PostgreSQL alike); then a new body is drawn.
    """
    for _attempt in range(MAX_CODE_ATTEMPTS):
        code = codes.make_code(prefix, codes.random_body())
        if _inserted(code, kind):
            return code
    raise CodeSpaceExhausted(f"No free tracking code after {MAX_CODE_ATTEMPTS} attempts")


def _inserted(code: str, kind: str) -> bool:
    """Whether the code was free and is now issued: RETURNING gives a row only for an insert."""
    table = TrackingCode._meta.db_table
    issued_at = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (code, kind, issued_at) VALUES (%s, %s, %s)"
            " ON CONFLICT (code) DO NOTHING RETURNING id",
            [code, kind, issued_at],
        )
        return cursor.fetchone() is not None


def unlock_logins(attempts: Iterable[Any], *, actor: Any) -> int:
    """Lift the lock-outs of these failed-login records (django-axes' AccessAttempt): the
    account or address may log in again at once, not after the cool-off. Each lifted record
    goes to the audit log with who lifted it."""
    with transaction.atomic():
        lifted = list(attempts)
        for attempt in lifted:
            LogEntry.objects.log_create(
                attempt,
                force_log=True,
                action=LogEntry.Action.DELETE,
                actor=actor,
                changes={"failures_since_start": [str(attempt.failures_since_start), "0"]},
            )
        AccessAttempt.objects.filter(pk__in=[attempt.pk for attempt in lifted]).delete()
    return len(lifted)
