import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from desk import ratelimit
from desk.models import RateLimitHit

ROOT = Path(__file__).resolve().parents[2]

CHILD = """
import os, sys, time
import django
django.setup()
from desk import ratelimit
from desk.models import RateLimitHit
scope, limit, hits, start_at = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
time.sleep(max(0.0, start_at - time.time()))
print(sum(bool(ratelimit.hit(scope, "203.0.113.7", limit=limit, period=600)) for _ in range(hits)))
"""


@pytest.mark.django_db
def test_it_allows_up_to_the_limit_then_refuses():
    scope = f"t-{uuid.uuid4().hex}"
    results = [bool(ratelimit.hit(scope, "198.51.100.1", limit=5, period=60)) for _ in range(8)]
    assert results == [True] * 5 + [False] * 3


@pytest.mark.django_db
def test_the_window_slides_so_no_burst_fits_across_a_boundary():
    """Fixed windows let a client spend one window's allowance at its end and the next
    one's at the start of the next: twice the limit in a moment. Here any `period` seconds
    hold at most `limit` hits, wherever they start."""
    scope, key = f"t-{uuid.uuid4().hex}", "198.51.100.1"
    start = 600.0 * 2_833_334  # where a fixed 600-second window would begin
    with time_machine.travel(start + 595, tick=False):
        assert all(ratelimit.hit(scope, key, limit=10, period=600) for _ in range(10))
    with time_machine.travel(start + 605, tick=False):  # 10 s later, "a new window"
        assert not ratelimit.hit(scope, key, limit=10, period=600)
    with time_machine.travel(start + 1196, tick=False):  # the first hits are 601 s old
        assert ratelimit.hit(scope, key, limit=10, period=600)


@pytest.mark.django_db
def test_hits_free_up_one_by_one_as_they_age():
    scope, key = f"t-{uuid.uuid4().hex}", "198.51.100.1"
    start = 1_700_000_000.0
    for second in range(3):
        with time_machine.travel(start + second * 100, tick=False):
            assert ratelimit.hit(scope, key, limit=3, period=600)
    with time_machine.travel(start + 650, tick=False):  # only the first hit has aged out
        assert ratelimit.hit(scope, key, limit=3, period=600)
        assert not ratelimit.hit(scope, key, limit=3, period=600)


@pytest.mark.django_db
def test_a_refunded_hit_does_not_count():
    scope = f"t-{uuid.uuid4().hex}"
    claims = [ratelimit.hit(scope, "09121234567", limit=2, period=60) for _ in range(2)]
    assert not ratelimit.hit(scope, "09121234567", limit=2, period=60)
    claims[0].refund()
    assert ratelimit.hit(scope, "09121234567", limit=2, period=60)
    assert not ratelimit.hit(scope, "09121234567", limit=2, period=60)


@pytest.mark.django_db
def test_each_key_has_its_own_allowance():
    scope = f"t-{uuid.uuid4().hex}"
    for _ in range(3):
        ratelimit.hit(scope, "198.51.100.1", limit=3, period=60)
    assert ratelimit.hit(scope, "198.51.100.2", limit=3, period=60)
    assert not ratelimit.hit(scope, "198.51.100.1", limit=3, period=60)


@pytest.mark.django_db
def test_a_check_of_several_keys_is_all_or_nothing(settings):
    """Refused because the mobile is spent, the look-up does not use up the address too."""
    settings.RATE_LIMITS = {"t": {"address": (3, 60), "mobile": (1, 60)}}
    assert ratelimit.allow("t", address="198.51.100.1", mobile="09121234567")
    for _ in range(5):
        assert ratelimit.allow("t", address="198.51.100.1", mobile="09121234567") is None
    assert ratelimit.allow("t", address="198.51.100.1", mobile="09351234567")
    assert ratelimit.allow("t", address="198.51.100.1", mobile="09361234567")
    assert ratelimit.allow("t", address="198.51.100.1", mobile="09371234567") is None


@pytest.fixture
def on_the_database(settings):
    """The database store, whatever the configured cache."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.RATE_LIMITS = {"t": {"address": (3, 60), "code": (3, 60), "mobile": (3, 60)}}


@pytest.mark.django_db
def test_a_database_check_is_one_statement_whatever_its_keys(on_the_database):
    keys = {"address": "198.51.100.1", "code": "123456789012", "mobile": "09121234567"}
    with CaptureQueriesContext(connection) as captured:
        assert len(ratelimit.allow("t", **keys)) == 3
    # On PostgreSQL the statement goes with its advisory locks, in the same round trip.
    assert len(captured) == 1, [q["sql"] for q in captured]


@pytest.mark.django_db
def test_with_server_side_binding_the_locks_and_the_insert_go_apart(on_the_database, monkeypatch):
    """One query may then hold one statement only: two, in a transaction of their own."""
    if connection.vendor != "postgresql":
        pytest.skip("advisory locks are PostgreSQL's")
    monkeypatch.setitem(connection.settings_dict["OPTIONS"], "server_side_binding", True)
    with CaptureQueriesContext(connection) as captured:
        assert ratelimit.allow("t", address="198.51.100.1", mobile="09121234567")
    assert [q["sql"].split()[0] for q in captured if "SAVEPOINT" not in q["sql"]] == [
        "SELECT",
        "INSERT",
    ]


@pytest.mark.django_db(transaction=True)
def test_a_database_check_and_a_refund_need_no_transaction_of_their_own(on_the_database):
    """Outside any transaction (a view's), the check is its own transaction: no BEGIN, no
    COMMIT, no savepoint around it; nor around a refund."""
    with CaptureQueriesContext(connection) as captured:
        claims = ratelimit.allow("t", address="198.51.100.1", mobile="09121234567")
        claims[1].refund()
    assert len(captured) == 2, [q["sql"] for q in captured]
    assert RateLimitHit.objects.count() == 1


@pytest.mark.django_db
def test_several_hits_are_given_back_in_one_statement(on_the_database):
    claims = ratelimit.allow("t", address="198.51.100.1", mobile="09121234567", code="1234")
    with CaptureQueriesContext(connection) as captured:
        ratelimit.refund(*claims[1:])
    assert len(captured) == 1
    assert RateLimitHit.objects.count() == 1


@pytest.mark.django_db
def test_a_refused_database_check_writes_nothing(on_the_database):
    for _ in range(3):
        assert ratelimit.allow("t", address="198.51.100.1", mobile="09121234567")
    hits = RateLimitHit.objects.count()
    assert ratelimit.allow("t", address="198.51.100.2", mobile="09121234567") is None
    assert RateLimitHit.objects.count() == hits


@pytest.mark.django_db
def test_each_claim_is_the_hit_of_its_own_key(on_the_database):
    """The database returns the new rows in no promised order: each claim must still
    refund its own key's hit."""
    claims = ratelimit.allow("t", address="198.51.100.1", code="123456789012", mobile="0912")
    for claim in claims:
        assert RateLimitHit.objects.get(pk=int(claim.hit_id)).name == claim.key
    assert [claim.key.split(":")[1] for claim in claims] == ["t-address", "t-code", "t-mobile"]


@pytest.mark.django_db
def test_old_hits_are_pruned_and_recent_ones_kept(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    start = 1_700_000_000.0
    with time_machine.travel(start, tick=False):
        ratelimit.hit("t", "old", limit=5, period=60)
        ratelimit.hit("t", "recent", limit=5, period=600)
    assert ratelimit.prune(now=start + 120) == 1
    assert RateLimitHit.objects.count() == 1


CHILD_OF_SEVERAL_KEYS = """
import sys, time
import django
django.setup()
from django.conf import settings
from desk import ratelimit
scope, mobile, hits, start_at = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
settings.RATE_LIMITS = {scope: {"address": (10, 600), "mobile": (5, 600)}}
time.sleep(max(0.0, start_at - time.time()))
print(sum(bool(ratelimit.allow(scope, address="203.0.113.7", mobile=mobile)) for _ in range(hits)))
"""


def database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    user = db["USER"] or "postgres"
    return f"postgres://{user}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def child_environment(store: str) -> dict[str, str]:
    return {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "True",
        "DATABASE_URL": database_url(),
        "REDIS_URL": settings.REDIS_URL if store == "configured" else "",
    }


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("store", ["database", "configured"])
def test_the_limit_holds_across_server_processes(store):
    """Four processes hit the same client's allowance at the same moment, through the
    database (SQLite's write lock, PostgreSQL's advisory lock) and through the configured
    store (Redis when REDIS_URL is set): exactly `limit` pass."""
    scope, limit, hits = f"t-{uuid.uuid4().hex}", 10, 12
    start_at = time.time() + 3
    children = [
        subprocess.Popen(
            [sys.executable, "-c", CHILD, scope, str(limit), str(hits), str(start_at)],
            cwd=ROOT,
            env=child_environment(store),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    outputs = [child.communicate(timeout=60) for child in children]
    assert [child.returncode for child in children] == [0] * 4, outputs
    allowed = [int(out) for out, _err in outputs]
    assert sum(allowed) == limit


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("store", ["database", "configured"])
def test_a_check_of_several_keys_stays_all_or_nothing_across_server_processes(store):
    """Four processes, one address (10 allowed) and a mobile each (5 allowed each), all at
    once: the address lets exactly 10 through, and no refused check kept a mobile's hit."""
    scope, hits = f"t-{uuid.uuid4().hex}", 12
    start_at = time.time() + 3
    mobiles = [f"0912000000{number}" for number in range(4)]
    children = [
        subprocess.Popen(
            [sys.executable, "-c", CHILD_OF_SEVERAL_KEYS, scope, mobile, str(hits), str(start_at)],
            cwd=ROOT,
            env=child_environment(store),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for mobile in mobiles
    ]
    outputs = [child.communicate(timeout=60) for child in children]
    assert [child.returncode for child in children] == [0] * 4, outputs
    allowed = [int(out) for out, _err in outputs]
    assert sum(allowed) == 10 and max(allowed) <= 5, allowed
    if store == "database" or not settings.REDIS_URL:
        # Ten hits of the address and ten of the mobiles: none left by a refused check.
        assert RateLimitHit.objects.count() == 20
