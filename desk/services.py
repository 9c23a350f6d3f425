"""Use cases of the desk core. Case apps call these from their own services."""

from django.db import IntegrityError, transaction

from desk import codes
from desk.models import TrackingCode

MAX_CODE_ATTEMPTS = 20


class CodeSpaceExhausted(RuntimeError):
    pass


def issue_tracking_code(*, prefix: str, kind: str) -> str:
    """Reserve a new, never-issued tracking code for a case of `kind`.

    A collision with a code issued earlier (or at this very moment by another process) hits
    the unique constraint; the savepoint rolls back just that insert and a new body is drawn.
    """
    for _attempt in range(MAX_CODE_ATTEMPTS):
        code = codes.make_code(prefix, codes.random_body())
        try:
            with transaction.atomic():
                TrackingCode.objects.create(code=code, kind=kind)
        except IntegrityError:
            continue
        return code
    raise CodeSpaceExhausted(f"No free tracking code after {MAX_CODE_ATTEMPTS} attempts")
