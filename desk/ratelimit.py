"""Fixed-window rate limits kept in the shared cache, so they hold across server processes.

Each allowed hit claims one numbered slot with `cache.add`, which is atomic on every backend
we use (Redis SET NX, the database cache's unique key, the local-memory lock): two processes
can never claim the same slot, so no more than `limit` hits pass in a window, however many
processes serve the requests. (`cache.incr` is a read-then-write on the database cache and
would let concurrent hits slip through.)
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache


def _window_key(scope: str, key: str, period: int) -> str:
    window = int(time.time()) // period
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    return f"rl:{scope}:{digest}:{window}"


def hit(scope: str, key: str, *, limit: int, period: int) -> bool:
    """Count one hit for `key`; True when it is within `limit` hits per `period` seconds."""
    base = _window_key(scope, key, period)
    if cache.get(f"{base}:{limit - 1}") is not None:
        return False  # the window is full: one read, not `limit` failed claims
    # Where to start probing: only a hint (it may lag behind under concurrency, which costs
    # a few extra probes); the limit itself rests on the atomic `add` of each slot.
    start = min(cache.get(f"{base}:next", 0), limit - 1)
    for slot in range(start, limit):
        if cache.add(f"{base}:{slot}", 1, timeout=period + 5):
            cache.set(f"{base}:next", slot + 1, timeout=period + 5)
            return True
    return False


def client_address(request) -> str:
    if settings.USE_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            # The proxy appends the address it saw last; earlier entries are client-supplied.
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")
