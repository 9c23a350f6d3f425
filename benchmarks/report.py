"""`python -m benchmarks.report`: the quarterly report on the full synthetic load (PostgreSQL).

    .venv/bin/python -m benchmarks.report                 # make or reuse mk_report_load
    .venv/bin/python -m benchmarks.report --runs 7

Not a test. The load (1,000,000 complaints, 200,000 meeting requests, 200,000 service
requests, 500,000 survey answers over two years, with their timelines) is made once by
benchmarks.report_load and reused. For the last finished quarter of the load it times, run
after run:

- the whole report as /reports/ builds it (desk.reports.build_report: every part, the quarter
  and the one before), with its query count;
- each part alone, and for the complaints, the same figures by a hand-written SQL aggregate
  (the fastest SQL we know for them, run through the same connection), and the ratio;
- the query count once more on a quarter with a tenth of the cases, to show it does not grow.

Targets (issue 15): the report in ≤ 1 s, the complaints within 1.5× of the hand-written SQL.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.report_load import ensure_report_database, load_span  # noqa: E402

# The hand-written equivalent of complaints/reports.py for one quarter: one pass for the
# totals, one per breakdown, one for the date pairs of the time to answer (their working
# days are counted in Python by the same function, as the ORM path does).
COMPLAINTS_TOTALS = """
SELECT count(*) AS received,
       count(c.answered_at) AS answered,
       count(*) FILTER (WHERE c.answered_at IS NOT NULL AND c.answered_in_time) AS on_time,
       count(*) FILTER (WHERE (NOT coalesce(c.answered_at < %(end)s, false)
                               AND NOT coalesce(c.closed_at < %(end)s, false))
                              OR (c.reopened_at > c.answered_at AND c.reopened_at < %(end)s)) AS open_at_end,
       count(*) FILTER (WHERE c.status = 'closed') AS closed,
       count(*) FILTER (WHERE c.status = 'closed' AND c.outcome = 'resolved') AS resolved,
       count(*) FILTER (WHERE c.status = 'closed' AND c.outcome = 'not_resolved') AS not_resolved,
       count(*) FILTER (WHERE c.status = 'closed' AND c.outcome = 'no_action') AS no_action,
       count(*) FILTER (WHERE c.status = 'out_of_jurisdiction') AS out_of_jurisdiction,
       count(*) FILTER (WHERE c.was_referred) AS referred,
       count(c.reopened_at) AS reopened,
       count(*) FILTER (WHERE c.answered_at IS NOT NULL OR c.closed_at IS NOT NULL) AS finished,
       count(*) FILTER (WHERE c.kind = 'complaint') AS kind_complaint,
       count(*) FILTER (WHERE c.kind = 'criticism') AS kind_criticism,
       count(*) FILTER (WHERE c.kind = 'suggestion') AS kind_suggestion,
       count(*) FILTER (WHERE c.kind = 'appreciation') AS kind_appreciation,
       count(*) FILTER (WHERE c.channel = 'web') AS channel_web,
       count(*) FILTER (WHERE c.channel = 'walk_in') AS channel_walk_in,
       count(*) FILTER (WHERE c.channel = 'phone') AS channel_phone,
       count(*) FILTER (WHERE c.channel = 'api') AS channel_api,
       count(*) FILTER (WHERE c.created_at >= %(m0)s AND c.created_at < %(m1)s) AS month_0,
       count(*) FILTER (WHERE c.created_at >= %(m1)s AND c.created_at < %(m2)s) AS month_1,
       count(*) FILTER (WHERE c.created_at >= %(m2)s AND c.created_at < %(end)s) AS month_2
FROM complaints_complaint c
WHERE c.created_at >= %(start)s AND c.created_at < %(end)s
"""
COMPLAINTS_BREAKDOWN = """
SELECT c.{key}, g.{label},
       count(*), count(c.answered_at),
       count(*) FILTER (WHERE c.answered_at IS NOT NULL AND c.answered_in_time),
       count(*) FILTER (WHERE (NOT coalesce(c.answered_at < %(end)s, false)
                               AND NOT coalesce(c.closed_at < %(end)s, false))
                              OR (c.reopened_at > c.answered_at AND c.reopened_at < %(end)s))
FROM complaints_complaint c JOIN {table} g ON g.id = c.{key}
WHERE c.created_at >= %(start)s AND c.created_at < %(end)s
GROUP BY c.{key}, g.{label} ORDER BY g.{label}
"""
COMPLAINTS_PAIRS = """
SELECT (c.created_at AT TIME ZONE 'Asia/Tehran')::date,
       (c.answered_at AT TIME ZONE 'Asia/Tehran')::date, count(*)
FROM complaints_complaint c
WHERE c.created_at >= %(start)s AND c.created_at < %(end)s AND c.answered_at IS NOT NULL
GROUP BY 1, 2
"""


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database-url", help="default: REPORT_DATABASE_URL or mk_report_load")
    return parser.parse_args()


def timed(func, runs: int) -> tuple[float, object]:
    """The median seconds of `runs` calls (after one to warm the caches) and the last result."""
    result = func()
    samples = []
    for _ in range(runs):
        began = time.perf_counter()
        result = func()
        samples.append(time.perf_counter() - began)
    return statistics.median(samples), result


def main() -> None:
    args = parse_args()
    url = ensure_report_database(args.database_url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from complaints import reports as complaint_reports
    from desk import registry
    from desk.reports import Period, build_report
    from desk.workdays import working_days_between

    _first, end = load_span(url)
    period = Period.last_finished(end)
    print(f"Database {url.rsplit('/', 1)[1]}; quarter {period.year} Q{period.quarter}")
    # What autovacuum does on a server some minutes after a bulk load: the statistics, and
    # the visibility map that lets the report read its covering indexes alone.
    with connection.cursor() as cursor:
        for table in (
            "complaints_complaint",
            "appointments_meetingrequest",
            "processes_servicerequest",
            "surveys_response",
            "surveys_answer",
        ):
            cursor.execute(f"VACUUM (ANALYZE) {table}")
    counts = {}
    with connection.cursor() as cursor:
        for table in (
            "complaints_complaint",
            "complaints_complaintevent",
            "appointments_meetingrequest",
            "processes_servicerequest",
            "surveys_answer",
        ):
            cursor.execute(f"SELECT count(*) FROM {table}")
            counts[table] = cursor.fetchone()[0]
    print("Rows: " + ", ".join(f"{table} {n:,}" for table, n in counts.items()))

    with CaptureQueriesContext(connection) as captured:
        build_report(period)
    queries = len(captured)
    seconds, _report = timed(lambda: build_report(period), args.runs)
    print(
        f"\nWhole report (this quarter and the one before): {seconds * 1000:7.0f} ms, "
        f"{queries} queries   target ≤ 1000 ms"
    )
    for part in registry.report_parts():
        part_seconds, _ = timed(lambda part=part: part.build(period), args.runs)
        print(f"  part {part.key:<22} {part_seconds * 1000:7.0f} ms per quarter")

    months = period.months()
    params = {
        "start": period.start,
        "end": period.end,
        "m0": months[0][1],
        "m1": months[1][1],
        "m2": months[2][1],
    }

    def hand_written():
        with connection.cursor() as cursor:
            cursor.execute(COMPLAINTS_TOTALS, params)
            totals = cursor.fetchone()
            for key, table, label in (
                ("department_id", "desk_department", "name"),
                ("category_id", "complaints_complaintcategory", "title"),
            ):
                cursor.execute(
                    COMPLAINTS_BREAKDOWN.format(key=key, table=table, label=label), params
                )
                cursor.fetchall()
            cursor.execute(COMPLAINTS_PAIRS, params)
            histogram = {}
            for first, last, n in cursor.fetchall():
                days = working_days_between(first, last)
                histogram[days] = histogram.get(days, 0) + n
        return totals

    orm_seconds, orm = timed(lambda: complaint_reports.build(period), args.runs)
    sql_seconds, totals = timed(hand_written, args.runs)
    received = next(f.value for f in orm.figures if f.key == "received")
    assert received == totals[0], (received, totals[0])
    print(
        f"\nComplaints, one quarter: ORM {orm_seconds * 1000:.0f} ms, hand-written SQL "
        f"{sql_seconds * 1000:.0f} ms: {orm_seconds / sql_seconds:.2f}×   target ≤ 1.5×"
    )

    quiet = Period.last_finished(end).previous().previous().previous()
    with CaptureQueriesContext(connection) as captured:
        build_report(quiet)
    print(f"Queries for {quiet.year} Q{quiet.quarter}: {len(captured)} (this quarter: {queries})")


if __name__ == "__main__":
    main()
