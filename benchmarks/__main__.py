"""`make bench`: the portal's public pages side by side with a bare Django project, under load.

    .venv/bin/python -m benchmarks                      # SQLite (the embedded default)
    DATABASE_URL=postgres://…/mk_bench .venv/bin/python -m benchmarks   # PostgreSQL
    .venv/bin/python -m benchmarks --rounds 3 --seconds 5 --connections 16 --complaints 10000

Not a test: numbers to compare on one machine. It builds a throw-away database (a temporary
SQLite file, or the PostgreSQL database DATABASE_URL names, which must contain "bench" and is
dropped and re-created), loads the demo data and N synthetic complaints with their timelines,
and starts two gunicorn servers with 2 sync workers each and DEBUG=False: the portal, and the
bare project in benchmarks/bare (a view that returns a string, and a 5.5 KB template page
looping over 50 items: the framework's ceiling on this machine).

Then, round after round (the targets interleave, because the machine is noisy), each target
gets `--seconds` of load from `--connections` concurrent clients: wrk when it is installed
(the URL-encoded POSTs' bodies, each with a fresh form key, written into a wrk script; a
multipart POST with files written once, as a template the script puts a fresh form key and
mobile into per request), else a Python client, whose own CPU on this 2-core machine
inflates the servers' by up to half. It prints requests per second, p50 and p99 latency, the
servers' CPU time per request (read from /proc for the gunicorn workers: the load generator's
own CPU is not counted) and the ratio of the bare template page's CPU per request to each
target's: 1 is as cheap as the bare page, 0.5 twice as dear. The queries of one request of
each page are counted in process with Django's test client.
"""

import argparse
import http.client
import itertools
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.load import (  # noqa: E402 (the servers and the database, as the load test makes them)
    free_port,
    rate_limit_variables,
    recreate_database,
    start_gunicorn,
    stop,
)

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
MOBILE = "09121234567"


# --- the targets --------------------------------------------------------------------------------


@dataclass
class Target:
    name: str
    server: str  # "portal" or "bare"
    path: str
    method: str = "GET"
    expect: int = 200
    # For POSTs: a function (client state) → form fields, called per request.
    form: object = None
    # Run once per client connection before the load: cookies and form tokens.
    prepare: object = None


@dataclass
class ClientState:
    cookies: dict[str, str] = field(default_factory=dict)
    csrf: str = ""
    category: str = ""
    # A service request form's upload fields (document_<pk>), in the page's order.
    documents: list[str] = field(default_factory=list)

    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    wrong_status: int = 0
    cpu_seconds: float = 0.0
    elapsed: float = 0.0

    @property
    def requests(self) -> int:
        return len(self.latencies)


# --- HTTP -------------------------------------------------------------------------------------


# Each POST comes from its own address, as citizens do: the portal is served as behind its
# proxy (USE_X_FORWARDED_FOR), and a rate-limit key holds the few hits a real address makes,
# not every hit of the run (the limits are raised, but a key's count grows with its rows).
_posts = itertools.count()


def citizen_address(number: int) -> str:
    return f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}"


@dataclass(frozen=True)
class Upload:
    """A file in a form: sent as multipart/form-data."""

    filename: str
    content_type: str
    content: bytes


def encode_multipart(fields: dict, boundary: str) -> bytes:
    """A multipart/form-data body of `fields` (strings, or Upload for a file)."""
    parts = []
    for name, value in fields.items():
        if isinstance(value, Upload):
            head = (
                f'Content-Disposition: form-data; name="{name}"; filename="{value.filename}"\r\n'
                f"Content-Type: {value.content_type}\r\n\r\n"
            ).encode()
            content = value.content
        else:
            head = f'Content-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            content = str(value).encode()
        parts.append(b"--" + boundary.encode() + b"\r\n" + head + content + b"\r\n")
    body = b"".join(parts) + b"--" + boundary.encode() + b"--\r\n"
    assert body.count(boundary.encode()) == len(fields) + 1, "the boundary occurs in a value"
    return body


def is_multipart(fields: dict) -> bool:
    return any(isinstance(value, Upload) for value in fields.values())


def request(port: int, method: str, path: str, state: ClientState, body: dict | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Host": "127.0.0.1", "Accept-Encoding": "gzip"}
    if state.cookies:
        headers["Cookie"] = state.cookie_header()
    payload = None
    if body is not None and is_multipart(body):
        boundary = "----mk-bench-" + uuid.uuid4().hex
        payload = encode_multipart(body, boundary)
        headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
    elif body is not None:
        payload = urlencode(body)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    if body is not None:
        headers["Referer"] = f"http://127.0.0.1:{port}{path}"
        headers["X-Forwarded-For"] = citizen_address(next(_posts))
    connection.request(method, path, body=payload, headers=headers)
    response = connection.getresponse()
    content = response.read()
    for header, value in response.getheaders():
        if header.lower() == "set-cookie":
            name, _, rest = value.partition("=")
            state.cookies[name.strip()] = rest.split(";", 1)[0]
    connection.close()
    return response.status, content, response


def read_form(port: int, path: str, state: ClientState) -> None:
    """GET a form page without gzip, keeping its cookies, CSRF token, first category and
    upload fields (a service request's documents)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path, headers={"Host": "127.0.0.1"})
    response = connection.getresponse()
    page = response.read().decode()
    for header, value in response.getheaders():
        if header.lower() == "set-cookie":
            name, _, rest = value.partition("=")
            state.cookies[name.strip()] = rest.split(";", 1)[0]
    state.csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    if found := re.search(r'<option value="(\d+)"', page):
        state.category = found.group(1)
    state.documents = list(dict.fromkeys(re.findall(r'name="(document_\d+)"', page)))
    connection.close()


# --- servers --------------------------------------------------------------------------------


def workers_cpu(master: int) -> float:
    """CPU seconds (user + system) of gunicorn's master and its worker processes."""
    total = 0.0
    pids = [master]
    children = Path(f"/proc/{master}/task/{master}/children")
    if children.exists():
        pids += [int(pid) for pid in children.read_text().split()]
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    return total


# --- load ---------------------------------------------------------------------------------------


def run_python_load(target: Target, port: int, seconds: float, connections: int) -> Result:
    result, lock = Result(), threading.Lock()
    deadline = time.monotonic() + seconds

    def client() -> None:
        state = ClientState()
        if target.prepare:
            target.prepare(port, state)
        latencies, errors, wrong = [], 0, 0
        while time.monotonic() < deadline:
            body = target.form(state) if target.form else None
            start = time.perf_counter()
            try:
                status, _content, _response = request(port, target.method, target.path, state, body)
            except OSError:
                errors += 1
                continue
            latencies.append(time.perf_counter() - start)
            wrong += status != target.expect
        with lock:
            result.latencies += latencies
            result.errors += errors
            result.wrong_status += wrong

    threads = [threading.Thread(target=client) for _ in range(connections)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.elapsed = time.monotonic() - started
    return result


WRK_LATENCY = re.compile(r"^\s+(50|99)(?:\.000)?%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)


def run_wrk(target: Target, port: int, seconds: float, connections: int) -> Result:
    """wrk: it reports counts and percentiles, not every latency. A target with a `prepare`
    step (cookies, a form's token) runs it once, and every connection sends its cookies; a
    POST's bodies, each with its own form key, are written into a Lua script beforehand."""
    state = ClientState()
    if target.prepare:
        target.prepare(port, state)
    command = [
        "wrk", f"-c{connections}", f"-d{int(seconds)}s", "--latency",
        "-H", "Accept-Encoding: gzip",
    ]  # fmt: skip
    if state.cookies:
        command += ["-H", f"Cookie: {state.cookie_header()}"]
    with tempfile.TemporaryDirectory(prefix="mk-wrk-") as scripts:
        if target.method == "POST":
            # One thread: its script's counter walks the bodies, so no form key repeats.
            script = Path(scripts, "post.lua")
            if is_multipart(target.form(state)):
                script.write_bytes(multipart_post_script(target, port, state))
            else:
                script.write_text(post_script(target, port, state, count=int(seconds * 1000)))
            command += ["-t1", "-s", str(script)]
        else:
            command += [f"-t{min(2, connections)}"]
        command.append(f"http://127.0.0.1:{port}{target.path}")
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    scale = {"us": 1e-6, "ms": 1e-3, "s": 1.0}
    percentiles = {p: float(v) * scale[u] for p, v, u in WRK_LATENCY.findall(output)}
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    # Rebuilt as a sample with the same median and 99th percentile, for one report for both.
    median, p99 = percentiles["50"], percentiles["99"]
    sample = [median] * (requests - requests // 100) + [p99] * (requests // 100)
    return Result(
        latencies=sample,
        wrong_status=int(bad.group(1)) if bad else 0,
        errors=sum(map(int, errors.groups())) if errors else 0,
        elapsed=seconds,
    )


def post_script(target: Target, port: int, state: ClientState, count: int) -> str:
    """A wrk script that posts `count` different bodies of `target.form`, one per request.
    URL-encoded bodies hold no quote or backslash: safe inside a Lua string."""
    bodies = ",\n".join(f'"{urlencode(target.form(state))}"' for _ in range(count))
    return f"""
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Referer"] = "http://127.0.0.1:{port}{target.path}"
local bodies = {{
{bodies}
}}
local sent = 0
local headers = {{}}
for name, value in pairs(wrk.headers) do headers[name] = value end
request = function()
  sent = sent + 1
  headers["X-Forwarded-For"] = string.format(
    "10.%d.%d.%d", math.floor(sent / 65536) % 256, math.floor(sent / 256) % 256, sent % 256)
  return wrk.format(nil, nil, headers, bodies[(sent - 1) % #bodies + 1])
end
"""


# The per-request values of a multipart body, as wrk's script fills them in: a form key of its
# own (`prefix` new per script, so no round repeats another's keys) and a mobile of its own
# (the filing's rate limits count per mobile, as per address).
MULTIPART_VALUES = {
    "submission_key": 'string.format("%s-0000-4000-8000-%012d", prefix, sent)',
    "mobile": 'string.format("0935%07d", (mobile_base + sent) % 10000000)',
}


def lua_long_string(text: str) -> str:
    """`text` as a Lua long-bracket string. Lua reads every line break inside one (a CRLF too)
    as a line feed, and skips a line break right after the opening bracket: the caller writes
    its CRLFs as line feeds and turns them back; here the first line break is the skipped one."""
    level = 0
    while f"]{'=' * level}]" in text:
        level += 1
    return f"[{'=' * level}[\n{text}]{'=' * level}]"


def multipart_post_script(target: Target, port: int, state: ClientState) -> bytes:
    """A wrk script for a multipart POST: one body template (tens of KB with its files; one
    body per request, as for the URL-encoded POSTs, would be hundreds of MB) with a fresh
    form key and mobile put in per request."""
    fields = target.form(state)
    marks = {name: f"@@mk-bench-{name}@@" for name in MULTIPART_VALUES if name in fields}
    fields.update({name: mark for name, mark in marks.items()})
    boundary = "----mk-bench-" + uuid.uuid4().hex
    body = encode_multipart(fields, boundary).decode()
    # Every line break is a CRLF: written as a line feed in the script, made a CRLF again there.
    assert "\r" not in body.replace("\r\n", "") and "\n" not in body.replace("\r\n", "")
    pieces = re.split("(" + "|".join(map(re.escape, marks.values())) + ")", body)
    names = {mark: name for name, mark in marks.items()}
    literals, values = pieces[0::2], [MULTIPART_VALUES[names[mark]] for mark in pieces[1::2]]
    assert len(values) == len(marks), "a placeholder occurs more than once"
    literal_lines = ",\n".join(
        f"  {{{lua_long_string(text.replace(chr(13) + chr(10), chr(10)))}, {len(text.encode())}}}"
        for text in literals
    )
    value_lines = "\n".join(f"  parts[{2 * i + 2}] = {value}" for i, value in enumerate(values))
    script = f"""
wrk.method = "POST"
wrk.headers["Content-Type"] = "multipart/form-data; boundary={boundary}"
wrk.headers["Referer"] = "http://127.0.0.1:{port}{target.path}"
local prefix = "{random.getrandbits(32):08x}"
local mobile_base = {random.randrange(10**7)}
local literals = {{
{literal_lines}
}}
local parts = {{}}
for i, literal in ipairs(literals) do
  local text = literal[1]:gsub("\\n", "\\r\\n")
  assert(#text == literal[2], "the body template lost bytes")
  parts[2 * i - 1] = text
end
local sent = 0
local headers = {{}}
for name, value in pairs(wrk.headers) do headers[name] = value end
request = function()
  sent = sent + 1
{value_lines}
  headers["X-Forwarded-For"] = string.format(
    "10.%d.%d.%d", math.floor(sent / 65536) % 256, math.floor(sent / 256) % 256, sent % 256)
  return wrk.format(nil, nil, headers, table.concat(parts))
end
"""
    return script.encode()


def measure(target: Target, ports: dict, masters: dict, args) -> Result:
    port, master = ports[target.server], masters[target.server]
    use_wrk = args.wrk
    before = workers_cpu(master)
    if use_wrk:
        result = run_wrk(target, port, args.seconds, args.connections)
    else:
        result = run_python_load(target, port, args.seconds, args.connections)
    time.sleep(0.2)  # let the last responses' CPU land in /proc
    result.cpu_seconds = workers_cpu(master) - before
    return result


# --- the portal's data --------------------------------------------------------------------------


def prepare_database(args) -> tuple[str, dict]:
    database_url = os.environ.get("DATABASE_URL", "")
    workdir = Path(tempfile.mkdtemp(prefix="mk-bench-"))
    if database_url.startswith("postgres"):
        recreate_database(database_url, marker="bench")
    else:
        database_url = f"sqlite:///{workdir}/bench.sqlite3"
    env = {
        **os.environ,
        "DEBUG": "False",
        "SECRET_KEY": "bench-" + uuid.uuid4().hex,
        "ALLOWED_HOSTS": "127.0.0.1,testserver",
        "SECURE_SSL_REDIRECT": "False",
        "SECURE_COOKIES": "False",
        "SECURE_HSTS_SECONDS": "0",
        "USE_X_FORWARDED_FOR": "True",
        "DATABASE_URL": database_url,
        "SMS_BACKEND": "console",
        "PRIVATE_MEDIA_ROOT": str(workdir / "private"),
        "LOG_LEVEL": "WARNING",
        **dict.fromkeys(rate_limit_variables(), str(10**9)),
    }
    manage = [sys.executable, "manage.py"]
    for command in (
        ["collectstatic", "--noinput", "-v0"],
        ["migrate", "--noinput", "-v0"],
        ["createcachetable"],
        ["seed_demo", "-v0"],
        ["generate_complaints", "--count", str(args.complaints)],
    ):
        subprocess.run(manage + command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    return str(workdir), env


def sample_case(env: dict) -> tuple[str, int]:
    """A closed synthetic complaint (the longest public timeline) and its event count."""
    script = (
        "from complaints.models import Complaint;"
        "c = Complaint.objects.filter(status='closed', mobile__startswith='0912').last();"
        "print(c.tracking_code, c.mobile, c.events.count())"
    )
    output = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v0", "-c", script],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    ).stdout.strip().splitlines()[-1].split()  # fmt: skip
    return output[0], output[1], int(output[2])


def count_queries(env: dict, paths: list[tuple[str, str, dict | None]]) -> dict[str, int]:
    """Queries of one request of each page, in process (after one warm-up request)."""
    script = f"""
import json
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
client, counts = Client(enforce_csrf_checks=False), {{}}
for name, path, data in {paths!r}:
    send = (lambda: client.post(path, data)) if data else (lambda: client.get(path))
    send()
    with CaptureQueriesContext(connection) as captured:
        send()
    counts[name] = len(captured)
print(json.dumps(counts))
"""
    output = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v0", "-c", script],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    import json

    return json.loads(output.strip().splitlines()[-1])


# --- the run ----------------------------------------------------------------------------------

SERVICE = "no-violation-certificate"  # a demo card (processes/demo.py): three PDF documents
NATIONAL_CODE = "0013542419"  # a valid check digit


def sample_pdf(size: int = 30_000) -> bytes:
    """A one-page PDF of about `size` bytes, all ASCII with CRLF line ends, as a scanned
    letter's text layer might be: a page of filler text, its cross-reference table, %%EOF."""
    crlf = "\r\n"
    words = "Certificate of no building violation, stage report of the supervising engineer"
    lines = ["BT /F1 9 Tf 36 806 Td 11 TL"]
    line = 0
    while sum(len(text) + 2 for text in lines) < size - 900:
        line += 1
        lines.append(f"({line:04d} {words}, page 1 of 1, Qeshm municipality) '")
    lines.append("ET")
    stream = crlf.join(lines)
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        " /Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(stream)} >>{crlf}stream{crlf}{stream}{crlf}endstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = f"%PDF-1.4{crlf}", []
    for number, text in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj{crlf}{text}{crlf}endobj{crlf}"
    xref = len(out)
    out += f"xref{crlf}0 {len(objects) + 1}{crlf}0000000000 65535 f{crlf}"
    out += "".join(f"{offset:010d} 00000 n{crlf}" for offset in offsets)
    out += f"trailer{crlf}<< /Size {len(objects) + 1} /Root 1 0 R >>{crlf}"
    out += f"startxref{crlf}{xref}{crlf}%%EOF{crlf}"
    return out.encode("ascii")


def targets(code: str, mobile: str) -> list[Target]:
    def open_case(port: int, state: ClientState) -> None:
        read_form(port, "/track/", state)
        body = {"csrfmiddlewaretoken": state.csrf, "code": code, "mobile": mobile}
        request(port, "POST", "/track/", state, body)

    def complaint_form(state: ClientState) -> dict:
        return {
            "csrfmiddlewaretoken": state.csrf,
            "kind": "complaint",
            "category": state.category,
            "subject": "چاله در خیابان",
            "description": "چاله‌ای عمیق جلوی پلاک ۱۲ که هر شب خطر می‌سازد.",
            "citizen_name": "مریم احمدی",
            "mobile": f"0935{uuid.uuid4().int % 10**7:07d}",
            "national_code": "",
            "submission_key": str(uuid.uuid4()),
        }

    scan = sample_pdf()

    def service_request_form(state: ClientState) -> dict:
        return {
            "csrfmiddlewaretoken": state.csrf,
            "citizen_name": "مریم احمدی",
            "mobile": f"0935{uuid.uuid4().int % 10**7:07d}",
            "national_code": NATIONAL_CODE,
            "description": "ساختمان نیمه‌کاره در بلوار ساحلی، پلاک ۴۲.",
            "submission_key": str(uuid.uuid4()),
            **{
                name: Upload(f"scan-{number}.pdf", "application/pdf", scan)
                for number, name in enumerate(state.documents, start=1)
            },
        }

    def track_form(state: ClientState) -> dict:
        return {"csrfmiddlewaretoken": state.csrf, "code": code, "mobile": mobile}

    return [
        Target("bare view (string)", "bare", "/view/"),
        Target("bare template page", "bare", "/page/"),
        Target("home /", "portal", "/"),
        Target("complaint form", "portal", "/complaints/new/"),
        Target("complaint case page", "portal", f"/complaints/{code}/", prepare=open_case),
        Target("meetings /appointments/", "portal", "/appointments/"),
        Target("contacts", "portal", "/contacts/"),
        Target("service card page", "portal", f"/processes/{SERVICE}/"),
        Target(
            "tracking look-up (POST)",
            "portal",
            "/track/",
            method="POST",
            expect=302,
            form=track_form,
            prepare=lambda port, state: read_form(port, "/track/", state),
        ),
        Target(
            "filing a complaint (POST)",
            "portal",
            "/complaints/new/",
            method="POST",
            expect=302,
            form=complaint_form,
            prepare=lambda port, state: read_form(port, "/complaints/new/", state),
        ),
        Target(
            "filing a service request (POST)",
            "portal",
            f"/processes/{SERVICE}/apply/",
            method="POST",
            expect=302,
            form=service_request_form,
            prepare=lambda port, state: read_form(port, f"/processes/{SERVICE}/apply/", state),
        ),
    ]


def report(all_targets: list[Target], results: dict[str, list[Result]], queries: dict) -> None:
    def cpu_per_request(rounds: list[Result]) -> float:
        served = sum(r.requests for r in rounds)
        return sum(r.cpu_seconds for r in rounds) / served if served else float("nan")

    baseline = cpu_per_request(results["bare template page"])
    baseline_rounds = results["bare template page"]
    print()
    header = f"{'target':<32} {'req/s':>7} {'p50 ms':>7} {'p99 ms (per round)':>22} "
    print(
        header + f"{'CPU ms/req':>10} {'ratio':>6} {'ratio (per round)':>20} "
        f"{'queries':>7} {'errors':>6}"
    )
    for target in all_targets:
        rounds = results[target.name]
        latencies = sorted(latency for r in rounds for latency in r.latencies)
        per_round_p99 = "-".join(
            f"{sorted(r.latencies)[int(len(r.latencies) * 0.99) - 1] * 1000:.0f}"
            for r in rounds
            if r.latencies
        )
        rate = statistics.median(r.requests / r.elapsed for r in rounds)
        cpu = cpu_per_request(rounds)
        bad = sum(r.errors + r.wrong_status for r in rounds)
        # Against the bare page of the same round: the machine's load drifts between rounds.
        per_round_ratio = "-".join(
            f"{cpu_per_request([bare]) / cpu_per_request([r]):.2f}"
            for bare, r in zip(baseline_rounds, rounds, strict=True)
        )
        print(
            f"{target.name:<32} {rate:7.0f} {statistics.median(latencies) * 1000:7.1f} "
            f"{per_round_p99:>22} {cpu * 1000:10.2f} {baseline / cpu:6.2f} "
            f"{per_round_ratio:>20} {queries.get(target.name, '-'):>7} {bad:>6}"
        )


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--complaints", type=int, default=10_000)
    parser.add_argument("--only", help="a substring of the target names to run (and the baseline)")
    parser.add_argument("--no-wrk", dest="wrk", action="store_false", help="the Python client only")
    args = parser.parse_args()
    args.wrk = args.wrk and shutil.which("wrk") is not None
    return args


def main() -> None:
    args = parse_args()
    print(f"Preparing the data ({args.complaints} synthetic complaints)…", flush=True)
    workdir, env = prepare_database(args)
    code, mobile, events = sample_case(env)
    all_targets = targets(code, mobile)
    if args.only:
        all_targets = [t for t in all_targets if args.only in t.name or t.server == "bare"]
    queries = count_queries(
        env,
        [
            (t.name, t.path, None)
            for t in all_targets
            if t.server == "portal" and t.method == "GET" and t.prepare is None
        ],
    )
    ports = {"portal": free_port(), "bare": free_port()}
    bare_env = {**env, "DJANGO_SETTINGS_MODULE": "benchmarks.bare.settings"}
    servers = {
        "portal": start_gunicorn(env, ports["portal"], 2, Path(workdir, "portal.log")),
        "bare": start_gunicorn(
            bare_env, ports["bare"], 2, Path(workdir, "bare.log"),
            app="django.core.wsgi:get_wsgi_application()", probe="/view/",
        ),
    }  # fmt: skip
    masters = {name: server.pid for name, server in servers.items()}
    results: dict[str, list[Result]] = {t.name: [] for t in all_targets}
    generator = "wrk" if args.wrk else "Python client"
    print(
        f"{args.rounds} rounds × {len(all_targets)} targets × {args.seconds:g} s, "
        f"{args.connections} connections ({generator}); case page: {events} events",
        flush=True,
    )
    try:
        for round_number in range(1, args.rounds + 1):
            for target in all_targets:
                results[target.name].append(measure(target, ports, masters, args))
            print(f"round {round_number} done", flush=True)
    finally:
        for server in servers.values():
            stop(server)
    report(all_targets, results, queries)
    db = env["DATABASE_URL"].split(":", 1)[0]
    print(f"\ndatabase: {db}; gunicorn 2 sync workers each; logs in {workdir}")


if __name__ == "__main__":
    main()
