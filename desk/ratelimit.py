"""Sliding-window rate limits shared by every server process: at most `limit` hits of a key
(a client address, a mobile number, a tracking code) in any `period` seconds, wherever the
window starts. Fixed windows would let one client make twice the limit in a moment, spending
one window's allowance at its end and the next one's at its start.

Each allowed hit is remembered until it is `period` seconds old, and a hit is allowed while
fewer than `limit` are remembered. The check and the remembering are one atomic step:
- on Redis (when it is the cache), one Lua script on a sorted set per key: one round trip
  for all the keys of a check;
- otherwise on the database, one INSERT … SELECT for all the keys of a check, which writes
  a row per key or none. On SQLite a writing statement takes the write lock before it reads,
  so the statement alone is atomic: no BEGIN and COMMIT around it. On PostgreSQL, whose
  READ COMMITTED lets two statements count the same rows, the insert follows advisory
  locks on the keys in the same round trip and the same implicit transaction, so two
  processes never both take the last place.
A check of several keys is all or nothing: refused, it counts against none of them.
Keys are hashed with the secret key: mobile numbers have no business in a table or a dump.
"""

import hashlib
import time
import uuid
from dataclasses import dataclass
from functools import cache as memoize

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction

from desk.models import RateLimitHit


@dataclass(frozen=True)
class Claim:
    """An allowed hit. Truthy, so `if ratelimit.hit(…)` reads naturally."""

    key: str
    hit_id: str

    def refund(self) -> None:
        """Give the hit back: for hits that should not count (a look-up that proved the
        citizen right counts against the address, not against their own mobile)."""
        refund(self)


def refund(*claims: Claim) -> None:
    """Give these hits back, in one statement (or one round trip)."""
    if claims:
        _store().refund(claims)


def hit(scope: str, key: str, *, limit: int, period: int) -> Claim | None:
    """Count one hit for `key`: a Claim when it is within `limit` hits in the last `period`
    seconds, else None (and nothing is counted)."""
    claims = _store().claim([(_hashed(scope, key), limit, period)], time.time())
    return claims[0] if claims else None


def allow(scope: str, **keys: str) -> list[Claim] | None:
    """One hit on each of `keys` (address=…, mobile=…, code=…) under the limits that
    `settings.RATE_LIMITS[scope]` sets for that kind of key: the claims, in the order of the
    keys, or None when one of them is spent (and then none is counted)."""
    wanted = [
        (_hashed(f"{scope}-{kind}", key), *settings.RATE_LIMITS[scope][kind])
        for kind, key in keys.items()
    ]
    return _store().claim(wanted, time.time())


def prune(now: float | None = None) -> int:
    """Forget the database's hits older than their period; a periodic job. Returns how many."""
    deleted, _ = RateLimitHit.objects.filter(until__lt=now or time.time()).delete()
    return deleted


def client_address(request) -> str:
    if settings.USE_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            # The proxy appends the address it saw last; earlier entries are client-supplied.
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def _hashed(scope: str, key: str) -> str:
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{key}".encode()).hexdigest()[:40]
    return f"rl:{scope[:30]}:{digest}"


Wanted = list[tuple[str, int, int]]  # (hashed key, limit, period) per key of one check


class DatabaseStore:
    def claim(self, wanted: Wanted, now: float) -> list[Claim] | None:
        sql, params = _conditional_insert(wanted, now)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                locks = sorted({_lock_number(key) for key, _limit, _period in wanted})
                _execute_after_locks(cursor, sql, params, locks)
            else:
                cursor.execute(sql, params)
            # All or none: a row for one key is a row for every key. RETURNING gives them
            # in no promised order, so they are matched to the keys by name.
            ids = {name: hit_id for hit_id, name in cursor.fetchall()}
        if not ids:
            return None
        return [Claim(key, str(ids[key])) for key, _limit, _period in wanted]

    def refund(self, claims: tuple[Claim, ...]) -> None:
        # A bare statement: the ORM's delete would wrap it in a transaction of its own.
        ids = [int(claim.hit_id) for claim in claims]
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM desk_ratelimithit WHERE id IN ({', '.join(['%s'] * len(ids))})", ids
            )


def _conditional_insert(wanted: Wanted, now: float) -> tuple[str, list]:
    """One statement that inserts a hit for every key when every key has room, else none.
    Each count stops at its key's limit, so a generous limit costs no more than it must."""
    rows = " UNION ALL ".join(["SELECT %s AS name, %s AS until"] * len(wanted))
    room = " AND ".join(
        [
            "(SELECT COUNT(*) FROM (SELECT 1 FROM desk_ratelimithit"
            " WHERE name = %s AND until > %s LIMIT %s) AS counted) < %s"
        ]
        * len(wanted)
    )
    sql = (
        f"INSERT INTO desk_ratelimithit (name, until) SELECT name, until FROM ({rows}) AS wanted"
        f" WHERE {room} RETURNING id, name"
    )
    params = [value for key, _limit, period in wanted for value in (key, now + period)]
    params += [value for key, limit, _period in wanted for value in (key, now, limit, limit)]
    return sql, params


def _execute_after_locks(cursor, sql: str, params: list, locks: list[int]) -> None:
    """The insert after an advisory lock on each key (in one order, so two checks never wait
    for each other), held until the transaction ends: whoever waited counts, in its own
    statement and so its own snapshot, the hit the holder added. Sent as one round trip of
    two statements, which PostgreSQL runs as one implicit transaction outside an atomic
    block; with server-side binding (one statement per query) as two inside one."""
    lock = "SELECT " + ", ".join(["pg_advisory_xact_lock(%s)"] * len(locks))
    if connection.settings_dict["OPTIONS"].get("server_side_binding"):
        with transaction.atomic():
            cursor.execute(lock, locks)
            cursor.execute(sql, params)
        return
    cursor.execute(f"{lock}; {sql}", [*locks, *params])
    cursor.nextset()


def _lock_number(key: str) -> int:
    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big", signed=True)


class RedisStore:
    # KEYS: the sorted sets; ARGV: now, then limit and period (seconds) per key, then the
    # member that names this hit. All or nothing: nothing is added unless every key has room.
    SCRIPT = """
    local now = tonumber(ARGV[1])
    local member = ARGV[#ARGV]
    for i, key in ipairs(KEYS) do
      local limit, period = tonumber(ARGV[2 * i]), tonumber(ARGV[2 * i + 1])
      redis.call('ZREMRANGEBYSCORE', key, '-inf', now - period)
      if redis.call('ZCARD', key) >= limit then return 0 end
    end
    for i, key in ipairs(KEYS) do
      redis.call('ZADD', key, now, member)
      redis.call('PEXPIRE', key, math.ceil(tonumber(ARGV[2 * i + 1]) * 1000))
    end
    return 1
    """

    def __init__(self):
        self.client = cache._cache.get_client(write=True)
        self.script = self.client.register_script(self.SCRIPT)

    def claim(self, wanted: Wanted, now: float) -> list[Claim] | None:
        keys = [cache.make_key(key) for key, _limit, _period in wanted]
        member = f"{now:.6f}:{uuid.uuid4().hex[:12]}"
        limits = [value for _key, limit, period in wanted for value in (limit, period)]
        if not self.script(keys=keys, args=[now, *limits, member]):
            return None
        return [Claim(key, member) for key in keys]

    def refund(self, claims: tuple[Claim, ...]) -> None:
        pipeline = self.client.pipeline(transaction=False)
        for claim in claims:
            pipeline.zrem(claim.key, claim.hit_id)
        pipeline.execute()


@memoize
def _store_for(backend: str) -> DatabaseStore | RedisStore:
    return RedisStore() if backend.endswith("RedisCache") else DatabaseStore()


def _store() -> DatabaseStore | RedisStore:
    # Chosen by the configured cache, so tests that change CACHES get the matching store.
    return _store_for(settings.CACHES["default"]["BACKEND"])
