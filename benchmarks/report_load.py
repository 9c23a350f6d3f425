"""The quarterly report's benchmark database: the full synthetic load, made once and reused.

    from benchmarks.report_load import ensure_report_database, load_span
    url = ensure_report_database()      # postgres://…/mk_report_load, complete and migrated
    start, end = load_span(url)         # the Tehran dates [start, end) the load covers

Making it takes about a quarter of an hour (docs/benchmarks.md, "The quarterly report's
load"), so `make bench` must not do it every time. The database is complete when its
comment (COMMENT ON DATABASE) says so, written only after migrate, seed_demo and
generate_load all succeeded, with the load's version, scale, seed and span; a database
without that comment (never made, or cut short) or with another version, scale or seed is
dropped and made again. A complete one is migrated on reuse, so that indexes added since
(the report's own) are there.
"""

import os
import subprocess
import sys
import time
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.load import recreate_database  # noqa: E402 (after the path, as __main__ does)

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/mk_report_load"
# Raise when the generators change what they write: a database made by older ones is remade.
LOAD_VERSION = 3
MARKER = "generate_load complete"
TEHRAN = ZoneInfo("Asia/Tehran")  # settings.TIME_ZONE: the load's days are Tehran's


def ensure_report_database(
    database_url: str | None = None, *, scale: float = 1.0, seed: int = 1
) -> str:
    """The URL of a PostgreSQL database holding the report's full load (REPORT_DATABASE_URL,
    else mk_report_load on the local server): reused when complete, else (re)made."""
    url = database_url or os.environ.get("REPORT_DATABASE_URL", DEFAULT_DATABASE_URL)
    wanted = f"{MARKER} version={LOAD_VERSION} scale={scale:g} seed={seed}"
    if (_comment(url) or "").startswith(wanted + " "):
        _manage(url, "migrate", "--noinput", "-v0")
        return url
    print(f"Making the report's load in {_name(url)} (about a quarter of an hour)…", flush=True)
    began = time.monotonic()
    recreate_database(url, marker="load")
    _manage(url, "migrate", "--noinput", "-v0")
    _manage(url, "createcachetable")
    _manage(url, "seed_demo", "-v0")
    end = datetime.now(TEHRAN).date().isoformat()  # generate_load's own default, written down
    _manage(url, "generate_load", "--scale", f"{scale:g}", "--seed", str(seed), "--end", end)
    minutes = (time.monotonic() - began) / 60
    _set_comment(url, f"{wanted} end={end} years=2 minutes={minutes:.1f}")
    return url


def load_span(database_url: str) -> tuple[date, date]:
    """The first day and the first day after the load's span (Tehran dates), read from the
    database's comment."""
    facts = dict(
        part.split("=", 1) for part in (_comment(database_url) or "").split() if "=" in part
    )
    if "end" not in facts:
        raise ValueError(f"{_name(database_url)} holds no complete load.")
    end = date.fromisoformat(facts["end"])
    years = float(facts.get("years", 2))
    return date.fromordinal(end.toordinal() - round(years * 365.2425)), end


def _manage(url: str, *command: str) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SMS_BACKEND": "console",
        "LOG_LEVEL": "WARNING",
    }
    subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True)


def _name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def _admin(url: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path="/postgres"))


def _comment(url: str) -> str | None:
    with psycopg.connect(_admin(url), autocommit=True) as connection:
        found = connection.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [_name(url)],
        ).fetchone()
    return found[0] if found else None


def _set_comment(url: str, comment: str) -> None:
    with psycopg.connect(_admin(url), autocommit=True) as connection:
        statement = sql.SQL("COMMENT ON DATABASE {} IS {}")
        connection.execute(statement.format(sql.Identifier(_name(url)), sql.Literal(comment)))


if __name__ == "__main__":
    print(ensure_report_database())
