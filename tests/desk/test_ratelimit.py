import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from desk import ratelimit

ROOT = Path(__file__).resolve().parents[2]

CHILD = """
import os, sys, time
import django
django.setup()
from desk import ratelimit
scope, limit, hits, start_at = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
time.sleep(max(0.0, start_at - time.time()))
print(sum(ratelimit.hit(scope, "203.0.113.7", limit=limit, period=600) for _ in range(hits)))
"""


@pytest.mark.django_db
def test_it_allows_up_to_the_limit_then_refuses():
    scope = f"t-{uuid.uuid4().hex}"
    results = [ratelimit.hit(scope, "198.51.100.1", limit=5, period=60) for _ in range(8)]
    assert results == [True] * 5 + [False] * 3


@pytest.mark.django_db
def test_each_key_has_its_own_allowance():
    scope = f"t-{uuid.uuid4().hex}"
    for _ in range(3):
        ratelimit.hit(scope, "198.51.100.1", limit=3, period=60)
    assert ratelimit.hit(scope, "198.51.100.2", limit=3, period=60)
    assert not ratelimit.hit(scope, "198.51.100.1", limit=3, period=60)


def database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    user = db["USER"] or "postgres"
    return f"postgres://{user}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_the_limit_holds_across_server_processes():
    """Four processes hit the same client's allowance at the same moment through the shared
    cache (the database cache by default, Redis when REDIS_URL is set): exactly `limit` pass."""
    scope, limit, hits = f"t-{uuid.uuid4().hex}", 10, 12
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "True",
        "DATABASE_URL": database_url(),
        "REDIS_URL": settings.REDIS_URL,
    }
    start_at = time.time() + 3
    children = [
        subprocess.Popen(
            [sys.executable, "-c", CHILD, scope, str(limit), str(hits), str(start_at)],
            cwd=ROOT,
            env=env,
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
