"""Sliding-window rate limits kept in the shared cache, so they hold across server processes.

A key (a client address, a mobile number, a tracking code) has `limit` numbered slots. Each
allowed hit claims a free slot with `cache.add` for exactly `period` seconds, so the slots
taken at any moment are the hits of the last `period` seconds: a true sliding window, with
no window boundary to burst across (fixed windows let one client make twice the limit in a
moment, straddling the boundary). `cache.add` is atomic on every backend we use (Redis SET NX,
the database cache's unique key, the local-memory lock): two processes never claim the same
slot, so no more than `limit` hits pass in any `period`, however many processes serve them.

Slots are claimed in turn, so the next one in turn is the oldest: it is free exactly when a
new hit is allowed. A hint remembers whose turn it is; it may lag behind under concurrency,
which costs one look at all the slots, never a wrong answer.
"""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

# How many slot names one look at all the slots reads at a time.
_SCAN_BATCH = 500


@dataclass(frozen=True)
class Claim:
    """An allowed hit. Truthy, so `if ratelimit.hit(…)` reads naturally."""

    slot: str

    def refund(self) -> None:
        """Give the slot back: for hits that should not count (a look-up that proved the
        citizen right counts against the address, not against their own mobile)."""
        cache.delete(self.slot)


def hit(scope: str, key: str, *, limit: int, period: int) -> Claim | None:
    """Count one hit for `key`: a Claim when it is within `limit` hits in the last `period`
    seconds, else None (and nothing is counted)."""
    base = _base(scope, key)
    turn = cache.get(f"{base}:next", 0) % limit
    if claim := _claim(base, turn, limit, period):
        return claim
    # That slot is taken: either the window is full, or the hint lags behind (another
    # process took it a moment ago), and the next free slot is just after it.
    for first in range(turn + 1, turn + 1 + limit, _SCAN_BATCH):
        last = min(first + _SCAN_BATCH, turn + 1 + limit)
        names = {f"{base}:{slot % limit}": slot % limit for slot in range(first, last)}
        taken = cache.get_many(list(names))
        for name, slot in names.items():
            if name not in taken and (claim := _claim(base, slot, limit, period)):
                return claim
    return None


def allow(scope: str, **keys: str) -> list[Claim] | None:
    """One hit on each of `keys` (address=…, mobile=…, code=…) under the limits that
    `settings.RATE_LIMITS[scope]` sets for that kind of key: the claims, or None as soon as
    one is spent (the rest are not counted)."""
    claims = []
    for kind, key in keys.items():
        limit, period = settings.RATE_LIMITS[scope][kind]
        claim = hit(f"{scope}-{kind}", key, limit=limit, period=period)
        if claim is None:
            return None
        claims.append(claim)
    return claims


def _claim(base: str, slot: int, limit: int, period: int) -> Claim | None:
    name = f"{base}:{slot}"
    if not cache.add(name, 1, timeout=period):
        return None
    cache.set(f"{base}:next", (slot + 1) % limit, timeout=period)
    return Claim(name)


def _base(scope: str, key: str) -> str:
    # Hashed: keys are mobile numbers and codes, which have no business in a cache dump.
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{key}".encode()).hexdigest()[:32]
    return f"rl:{scope}:{digest}"


def client_address(request) -> str:
    if settings.USE_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            # The proxy appends the address it saw last; earlier entries are client-supplied.
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")
