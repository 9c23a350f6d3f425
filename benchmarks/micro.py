"""`python -m benchmarks.micro`: in-process timings of the desk's hot paths on a throw-away database.

Not a test: numbers to compare between changes on the same machine. Uses its own SQLite file
(or DATABASE_URL when set to a PostgreSQL database that may be wiped).
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "True")
os.environ.setdefault("SMS_BACKEND", "locmem")
os.environ["TASKS_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402


def timed(label: str, runs: int, func) -> None:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    p95 = samples[int(len(samples) * 0.95) - 1]
    print(
        f"{label:<45} n={runs:<5} median {statistics.median(samples):7.2f} ms   p95 {p95:7.2f} ms"
    )


def main() -> None:
    setup_test_environment()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("seed_demo", verbosity=0)
    from django.conf import settings

    # More than the runs below: the look-ups are timed, not refused.
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "track": {kind: (10_000, 600) for kind in ("address", "code", "mobile")},
    }
    from desk import codes, services

    client = Client()
    timed(
        "issue a tracking code", 500, lambda: services.issue_tracking_code(prefix="8", kind="bench")
    )
    timed("home page", 200, lambda: client.get("/"))
    good = codes.make_code("8", "1234567890")
    timed(
        "tracking look-up (valid code, not found)",
        200,
        lambda: client.post("/track/", {"code": good, "mobile": "09121234567"}),
    )
    timed(
        "tracking look-up (bad check digit)",
        200,
        lambda: client.post("/track/", {"code": good[:-1] + "0", "mobile": "09121234567"}),
    )
    _complaints(client)


def _complaints(client) -> None:
    from complaints import services
    from complaints.models import Complaint, ComplaintCategory

    category = ComplaintCategory.objects.first()

    def file() -> Complaint:
        return services.submit_complaint(
            kind="complaint",
            category=category,
            subject="چاله در خیابان",
            description="چاله‌ای عمیق جلوی پلاک ۱۲.",
            citizen_name="مریم احمدی",
            mobile="09121234567",
        )

    timed("file a complaint (service, with its SMS row)", 200, file)
    complaint = Complaint.objects.filter(status="closed").first() or file()
    client.post("/track/", {"code": complaint.tracking_code, "mobile": complaint.mobile})
    url = f"/complaints/{complaint.tracking_code}/"
    timed(f"complaint case page ({complaint.events.count()} events)", 200, lambda: client.get(url))


if __name__ == "__main__":
    main()
