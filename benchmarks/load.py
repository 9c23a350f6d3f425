"""A bounded load test on the loopback: many citizens at once against gunicorn on PostgreSQL.

    .venv/bin/python benchmarks/load.py                        # 200 clients for 60 s
    .venv/bin/python benchmarks/load.py --clients 20 --duration 10

Not a test and not part of CI (see docs/load-test.md). Unless --url points it at a running
portal, it drops and re-creates a throw-away database (mk_load), migrates it, loads the demo
data, and starts `gunicorn config.wsgi` on a free port with production settings (DEBUG=False)
and rate limits too high to matter. Then every client, with its own cookies, loops until the
time is up over what citizens do: the home page, the phone directory, the meetings page, a
complaint filed through its form (some sent twice, one after the other or at the same moment,
as a double click does), tracking look-ups (a few right, most wrong).

At the end it checks the database: every acknowledged complaint (the redirect to
/complaints/<code>/filed/) is stored exactly once under its form's submission key, with the
tracking code the citizen was shown, and has one acknowledgement SMS. It exits non-zero on any
5xx, unanswered request, lost or duplicated complaint, or code mismatch.

Run as a script (`python benchmarks/load.py`), not `python -m benchmarks.load`: the benchmarks
package sets up Django with its own settings when imported, and this tool needs none.
"""

import argparse
import asyncio
import os
import random
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from desk.codes import make_code  # noqa: E402 (after the path: a script, not a package)

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/mk_load"
FILED = re.compile(r"/complaints/([0-9]{12})/filed/$")
CASE = re.compile(r"/complaints/([0-9]{12})/$")
# Words and numbers citizens look up in the phone directory.
DIRECTORY_QUERIES = ["", "درآمد", "آتش‌نشانی", "فضای سبز", "شهردار", "۱۲۵", "0763", "عوارض"]
SUBJECTS = ["چاله در خیابان", "چراغ خاموش کوچه", "پسماند جمع نشده", "درخت خشک", "سد معبر"]


# --- what happened ------------------------------------------------------------------------------


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    errors: Counter = field(default_factory=Counter)
    error_samples: list[str] = field(default_factory=list)
    server_errors: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    # submission key → the tracking code the citizen was shown (the redirect's code)
    acknowledged: dict[str, str] = field(default_factory=dict)
    posted_keys: set[str] = field(default_factory=set)
    conflicts: list[str] = field(default_factory=list)
    filed: list[tuple[str, str]] = field(default_factory=list)  # (code, mobile)

    def record(self, endpoint: str, response: httpx.Response, seconds: float) -> None:
        self.latencies[endpoint].append(seconds)
        self.statuses[endpoint][response.status_code] += 1
        if response.status_code >= 500:
            self.server_errors.append(
                f"{endpoint}: {response.status_code} {response.request.method} "
                f"{response.request.url} {response.text[:200]!r}"
            )

    def error(self, endpoint: str, error: Exception, url: str) -> None:
        self.errors[endpoint] += 1
        if len(self.error_samples) < 10:
            self.error_samples.append(f"{endpoint}: {type(error).__name__} {error} ({url})")

    def expect(self, condition: bool, message: str) -> None:
        if not condition:
            self.unexpected.append(message)

    def acknowledge(self, key: str, code: str) -> None:
        earlier = self.acknowledged.setdefault(key, code)
        if earlier != code:
            self.conflicts.append(f"submission key {key}: shown {earlier}, then {code}")


async def send(stats: Stats, client: httpx.AsyncClient, endpoint: str, method: str, url: str, **kw):
    """One request, timed and counted; None when it got no answer at all."""
    start = time.perf_counter()
    try:
        response = await client.request(method, url, **kw)
    except httpx.HTTPError as error:
        stats.error(endpoint, error, url)
        return None
    stats.record(endpoint, response, time.perf_counter() - start)
    return response


# --- what citizens do ---------------------------------------------------------------------------


def hidden(page: str, name: str) -> str | None:
    match = re.search(rf'name="{name}"[^>]*value="([^"]*)"', page) or re.search(
        rf'value="([^"]*)"[^>]*name="{name}"', page
    )
    return match[1] if match else None


def categories(page: str) -> list[str]:
    select = re.search(r'<select name="category".*?</select>', page, re.S)
    return re.findall(r'<option value="([0-9]+)"', select[0]) if select else []


def random_mobile(rng: random.Random) -> str:
    return "091" + "".join(rng.choice("0123456789") for _ in range(8))


class Citizen:
    """One browser: its own cookies, its own filed complaints."""

    def __init__(self, client: httpx.AsyncClient, stats: Stats, rng: random.Random):
        self.client, self.stats, self.rng = client, stats, rng
        self.mine: list[tuple[str, str]] = []

    async def get(self, endpoint: str, url: str, **kw):
        return await send(self.stats, self.client, endpoint, "GET", url, **kw)

    async def home(self) -> None:
        response = await self.get("home", "/")
        self.stats.expect(response is None or response.status_code == 200, "home not 200")

    async def directory(self) -> None:
        params = {"q": self.rng.choice(DIRECTORY_QUERIES)}
        await self.get("contacts search", "/contacts/", params=params)

    async def meetings(self) -> None:
        await self.get("meetings page", "/appointments/")

    async def file_complaint(self, twice: str = "") -> None:
        """GET the form, POST it (twice when `twice` is "after" or "together"), then load
        the page the redirect leads to."""
        form_page = await self.get("complaint form GET", "/complaints/new/")
        if form_page is None or form_page.status_code != 200:
            return
        key, token = (
            hidden(form_page.text, "submission_key"),
            hidden(form_page.text, "csrfmiddlewaretoken"),
        )
        choices = categories(form_page.text)
        if not (key and token and choices):
            self.stats.unexpected.append("the complaint form has no key, token or category")
            return
        mobile = random_mobile(self.rng)
        data = {
            "csrfmiddlewaretoken": token,
            "kind": self.rng.choice(["complaint", "criticism", "suggestion", "appreciation"]),
            "category": self.rng.choice(choices),
            "subject": self.rng.choice(SUBJECTS),
            "description": "شرح درخواست شهروند برای آزمون بار، با جزئیات محل و زمان.",
            "place": "خیابان امام، پلاک ۱۲",
            "citizen_name": "شهروند آزمون بار",
            "mobile": mobile,
            "national_code": "",
            "submission_key": key,
        }
        # A browser with no file chosen still sends the empty file field, as multipart.
        files = {"files": ("", b"", "application/octet-stream")}
        headers = {"Referer": str(self.client.base_url.join("/complaints/new/"))}
        endpoint = "complaint POST" if not twice else f"complaint POST (sent twice, {twice})"

        def post():
            return send(
                self.stats,
                self.client,
                endpoint,
                "POST",
                "/complaints/new/",
                data=data,
                files=files,
                headers=headers,
            )

        self.stats.posted_keys.add(key)
        if twice == "together":
            responses = await asyncio.gather(post(), post())
        elif twice == "after":
            responses = [await post(), await post()]
        else:
            responses = [await post()]
        codes = []
        for response in responses:
            if response is None:
                continue
            match = FILED.search(response.headers.get("location", ""))
            self.stats.expect(
                response.status_code == 302 and match is not None,
                f"{endpoint}: {response.status_code} instead of the redirect to the filed page",
            )
            if match:
                self.stats.acknowledge(key, match[1])
                codes.append(match[1])
        if codes:
            self.mine.append((codes[0], mobile))
            self.stats.filed.append((codes[0], mobile))
            page = await self.get("complaint filed page", f"/complaints/{codes[0]}/filed/")
            self.stats.expect(page is None or page.status_code == 200, "filed page not 200")

    async def track(self) -> None:
        page = await self.get("track GET", "/track/")
        if page is None or page.status_code != 200:
            return
        token = hidden(page.text, "csrfmiddlewaretoken")
        known = self.mine or self.stats.filed
        right = bool(known) and self.rng.random() < 0.2
        if right:
            code, mobile = self.rng.choice(known)
        else:
            body = "".join(self.rng.choice("0123456789") for _ in range(10))
            code, mobile = make_code(self.rng.choice("12"), body), random_mobile(self.rng)
            if self.rng.random() < 0.3:  # mistyped: the check digit refuses it
                code = code[:-1] + str((int(code[-1]) + 1) % 10)
        endpoint = "track POST (right)" if right else "track POST (wrong)"
        response = await send(
            self.stats,
            self.client,
            endpoint,
            "POST",
            "/track/",
            data={"csrfmiddlewaretoken": token, "code": code, "mobile": mobile},
            headers={"Referer": str(self.client.base_url.join("/track/"))},
        )
        if response is None:
            return
        if right:
            opened = CASE.search(response.headers.get("location", ""))
            self.stats.expect(opened is not None, f"track (right): {response.status_code}")
            if opened:
                await self.get("complaint case page", f"/complaints/{code}/")
        else:
            self.stats.expect(response.status_code == 200, f"track (wrong): {response.status_code}")


# What a citizen does next, and how often.
ACTIONS = [
    ("home", 20),
    ("directory", 15),
    ("meetings", 10),
    ("file", 17),
    ("file twice, after", 4),
    ("file twice, together", 4),
    ("track", 30),
]


async def citizen_loop(base_url: str, stats: Stats, deadline: float, seed: int, args) -> None:
    rng = random.Random(seed)
    timeout = httpx.Timeout(args.timeout)
    limits = httpx.Limits(max_connections=4, max_keepalive_connections=2)
    async with httpx.AsyncClient(base_url=base_url, timeout=timeout, limits=limits) as client:
        citizen = Citizen(client, stats, rng)
        actions = {
            "home": citizen.home,
            "directory": citizen.directory,
            "meetings": citizen.meetings,
            "file": citizen.file_complaint,
            "file twice, after": lambda: citizen.file_complaint("after"),
            "file twice, together": lambda: citizen.file_complaint("together"),
            "track": citizen.track,
        }
        names, weights = zip(*ACTIONS, strict=True)
        await asyncio.sleep(rng.random())  # not all 200 at the same millisecond
        while time.monotonic() < deadline:
            await actions[rng.choices(names, weights)[0]]()
            if args.think:
                await asyncio.sleep(rng.expovariate(1 / args.think))


async def run_clients(base_url: str, args) -> tuple[Stats, float]:
    stats = Stats()
    start = time.monotonic()
    deadline = start + args.duration
    await asyncio.gather(
        *(citizen_loop(base_url, stats, deadline, args.seed + n, args) for n in range(args.clients))
    )
    return stats, time.monotonic() - start


# --- the server ---------------------------------------------------------------------------------


def rate_limit_variables() -> list[str]:
    """Every *_RATE_LIMIT* environment variable config/settings.py reads, whatever it is
    called today: all of them are raised, so that the load measures the portal, not a 429."""
    settings = (ROOT / "config" / "settings.py").read_text()
    return sorted(set(re.findall(r'"([A-Z_]*RATE_LIMIT[A-Z_]*)"', settings)))


def server_environment(args, database_url: str, media: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DEBUG": "False",
        "SECRET_KEY": "load-test-" + uuid.uuid4().hex,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "False",
        "SECURE_COOKIES": "False",
        "SECURE_HSTS_SECONDS": "0",
        "DATABASE_URL": database_url,
        "REDIS_URL": args.redis_url,
        "SMS_BACKEND": "console",
        "PRIVATE_MEDIA_ROOT": str(media),
        # Static files are nginx's or WhiteNoise's work, not measured here: no manifest needed.
        "PLAIN_STATIC_STORAGE": "True",
        "LOG_LEVEL": "WARNING",
        **dict.fromkeys(rate_limit_variables(), str(10**9)),
    }


def recreate_database(database_url: str, marker: str = "load") -> None:
    name = urlsplit(database_url).path.lstrip("/")
    if marker not in name:
        sys.exit(
            f"Refusing to drop {name!r}: the throw-away database's name must contain {marker!r}."
        )
    admin = urlunsplit(urlsplit(database_url)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def drop_database(database_url: str) -> None:
    name = urlsplit(database_url).path.lstrip("/")
    admin = urlunsplit(urlsplit(database_url)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def prepare_database(env: dict[str, str]) -> None:
    manage = [sys.executable, "manage.py"]
    for command in (["migrate", "--noinput", "-v0"], ["createcachetable"], ["seed_demo", "-v0"]):
        subprocess.run(manage + command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(
    env: dict[str, str],
    port: int,
    workers: int,
    log: Path,
    app: str = "config.wsgi",
    probe: str = "/",
) -> subprocess.Popen:
    command = [
        sys.executable, "-m", "gunicorn", app,
        "--workers", str(workers),
        "--bind", f"127.0.0.1:{port}",
        "--backlog", "2048",
        "--timeout", "120",
    ]  # fmt: skip
    with log.open("wb") as output:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=output)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn {app} stopped at start (exit {server.returncode}); see {log}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}{probe}", timeout=5).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    stop(server)
    sys.exit(f"gunicorn {app} did not answer within 60 s; see {log}")


def stop(server: subprocess.Popen) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


# --- the checks ---------------------------------------------------------------------------------


@dataclass
class Storage:
    lost: list[str]
    duplicated: list[str]
    mismatched: list[str]
    unacknowledged: int
    sms_not_once: list[str]


def check_storage(database_url: str, stats: Stats) -> Storage:
    """Every acknowledged key stored once with the code shown; one acknowledgement SMS each."""
    with psycopg.connect(database_url) as connection:
        rows = connection.execute(
            "SELECT submission_key::text, tracking_code FROM complaints_complaint"
            " WHERE submission_key = ANY(%s::uuid[])",
            [sorted(stats.posted_keys)],
        ).fetchall()
        stored = defaultdict(list)
        for key, code in rows:
            stored[key].append(code)
        codes = [code for key in stats.acknowledged for code in stored.get(key, [])]
        sms = dict(
            connection.execute(
                "SELECT tracking_code, count(*) FROM desk_smsmessage"
                " WHERE kind = 'complaint_received' AND tracking_code = ANY(%s) GROUP BY 1",
                [codes],
            ).fetchall()
        )
    lost = [key for key in stats.acknowledged if not stored.get(key)]
    duplicated = [f"{key}: {stored[key]}" for key in stats.acknowledged if len(stored[key]) > 1]
    mismatched = [
        f"{key}: shown {code}, stored {stored[key]}"
        for key, code in stats.acknowledged.items()
        if stored.get(key) and code not in stored[key]
    ]
    return Storage(
        lost=lost,
        duplicated=duplicated,
        mismatched=mismatched,
        unacknowledged=len(set(stored) - set(stats.acknowledged)),
        sms_not_once=[f"{code}: {sms.get(code, 0)}" for code in codes if sms.get(code, 0) != 1],
    )


# --- the report ---------------------------------------------------------------------------------


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def milliseconds(samples: list[float]) -> str:
    if not samples:
        return f"{'-':>8} {'-':>8} {'-':>8}"
    p50, p95, p99 = (percentile(samples, f) * 1000 for f in (0.5, 0.95, 0.99))
    return f"{p50:8.0f} {p95:8.0f} {p99:8.0f}"


def report(stats: Stats, storage: Storage, elapsed: float, args) -> bool:
    """Print the summary; True when nothing went wrong."""
    every = [sample for samples in stats.latencies.values() for sample in samples]
    total = len(every) + sum(stats.errors.values())
    print(f"\n{args.clients} clients for {args.duration} s ({elapsed:.1f} s with the last answers)")
    print(f"requests: {total}, {len(every) / elapsed:.1f} answered per second\n")
    print(f"{'endpoint':<38} {'count':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}  statuses")
    for endpoint in sorted(stats.latencies):
        samples = stats.latencies[endpoint]
        codes = " ".join(f"{code}×{n}" for code, n in sorted(stats.statuses[endpoint].items()))
        print(f"{endpoint:<38} {len(samples):>6} {milliseconds(samples)}  {codes}")
    print(f"{'all':<38} {len(every):>6} {milliseconds(every)}")
    server_errors = len(stats.server_errors)
    print(f"\nerrors without an answer: {sum(stats.errors.values())}  {dict(stats.errors)}")
    print(f"5xx responses: {server_errors}")
    print(f"unexpected answers: {len(stats.unexpected)}")
    print(
        f"complaints acknowledged: {len(stats.acknowledged)} (keys posted: {len(stats.posted_keys)})"
        f", stored once with the code shown: "
        f"{len(stats.acknowledged) - len(storage.lost) - len(storage.duplicated) - len(storage.mismatched)}"
    )
    print(
        f"lost: {len(storage.lost)}, duplicated: {len(storage.duplicated)}, "
        f"code mismatches: {len(storage.mismatched) + len(stats.conflicts)}, "
        f"stored but never acknowledged: {storage.unacknowledged}, "
        f"acknowledgement SMS not exactly one: {len(storage.sms_not_once)}"
    )
    problems = {
        "no answer": stats.error_samples,
        "5xx": stats.server_errors,
        "unexpected": stats.unexpected,
        "lost": storage.lost,
        "duplicated": storage.duplicated,
        "mismatched": storage.mismatched + stats.conflicts,
        "SMS": storage.sms_not_once,
    }
    for name, items in problems.items():
        for item in items[:5]:
            print(f"  {name}: {item}")
    failed = (
        sum(stats.errors.values())
        or server_errors
        or stats.unexpected
        or storage.lost
        or storage.duplicated
        or storage.mismatched
        or stats.conflicts
        or storage.sms_not_once
    )
    return not failed


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=200, help="concurrent citizens (200)")
    parser.add_argument("--duration", type=float, default=60, help="seconds of load (60)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (4)")
    parser.add_argument("--think", type=float, default=0, help="mean pause between actions (0 s)")
    parser.add_argument("--timeout", type=float, default=60, help="seconds a request may take (60)")
    parser.add_argument("--seed", type=int, default=1405)
    parser.add_argument(
        "--database-url",
        default=DEFAULT_DATABASE_URL,
        help="throw-away PostgreSQL database, dropped and re-created (name must contain 'load')",
    )
    parser.add_argument(
        "--redis-url", default="", help="cache and sessions in Redis (default: the database)"
    )
    parser.add_argument(
        "--url", help="a portal already running on DATABASE_URL (no set-up, nothing dropped)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database and the server log")
    return parser.parse_args()


def cpu_seconds(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    args = parse_args()
    server, workdir = None, Path(tempfile.mkdtemp(prefix="mk-load-"))
    log = workdir / "gunicorn.log"
    if args.url:
        base_url = args.url.rstrip("/")
    else:
        print(f"Preparing {args.database_url} (dropped and re-created)…", flush=True)
        recreate_database(args.database_url)
        env = server_environment(args, args.database_url, workdir / "private")
        prepare_database(env)
        port = free_port()
        server = start_gunicorn(env, port, args.workers, log)
        base_url = f"http://127.0.0.1:{port}"
        print(f"gunicorn ({args.workers} workers) on {base_url}, log {log}", flush=True)
    own_cpu, server_cpu = cpu_seconds(resource.RUSAGE_SELF), cpu_seconds(resource.RUSAGE_CHILDREN)
    try:
        print(f"{args.clients} clients for {args.duration} s…", flush=True)
        stats, elapsed = asyncio.run(run_clients(base_url, args))
    finally:
        if server is not None:
            stop(server)
    own_cpu = cpu_seconds(resource.RUSAGE_SELF) - own_cpu
    server_cpu = cpu_seconds(resource.RUSAGE_CHILDREN) - server_cpu
    storage = check_storage(args.database_url, stats)
    passed = report(stats, storage, elapsed, args)
    # The generator shares the machine with the server: its CPU is not the portal's.
    print(f"CPU seconds: load generator {own_cpu:.0f}", end="")
    print(f", gunicorn {server_cpu:.0f} (PostgreSQL not counted)" if server else "")
    if server is not None:
        tracebacks = log.read_text(errors="replace").count("Traceback")
        if args.keep or not passed or tracebacks:
            print(f"tracebacks in the server log: {tracebacks} ({log}, kept)")
            print(f"database kept: {args.database_url}")
        else:
            print("tracebacks in the server log: 0 (database and log removed)")
            drop_database(args.database_url)
            shutil.rmtree(workdir)
    sys.exit(0 if passed else 1)


if __name__ == "__main__":
    main()
