"""`python -m benchmarks.report`: the quarterly report on the full synthetic load (PostgreSQL).

    .venv/bin/python -m benchmarks.report                 # make or reuse mk_report_load
    .venv/bin/python -m benchmarks.report --runs 7

Not a test. The load (1,000,000 complaints, 200,000 meeting requests, 200,000 service
requests, 500,000 survey answers over two years, with their timelines) is made once by
benchmarks.report_load and reused. For the last finished quarter of the load it prints, each
time the median of `--runs` runs after one to warm the caches:

- the whole report as /reports/ builds it (desk.reports.build_report: every registered part,
  the quarter and the one before), with its query count, and the page itself as a manager
  gets it, /reports/ and /reports/excel/ (through Django's test client: the middleware, the
  template or the workbook);
- for one quarter, part by part, the ORM part (its `build`) beside the same figures by
  hand-written SQL (benchmarks/report_sql.py: every part, complaints, meetings, service
  requests, satisfaction and both compliance parts), with their query counts, and the sum of
  the parts on each side with its ratio. The two run turn about, so that the machine's noise
  falls on both alike. Before timing a part, the script checks that its SQL gives every
  figure, every table row (with the units' and services' names), the months and the
  listings the ORM gives, and stops at the first part that differs, saying where;
- the query count of the whole report once more on the smallest quarter whose report has cases
  in both its quarters, to show that it does not grow with the data. Both counts are taken
  after a warm-up build: the first build of a process also reads the holidays, which
  desk.workdays then keeps in memory.

The hand-written SQL is the fastest plain SQL found for the figures, run through the same
connection (jit off, UTC), its working days counted in Python by desk.workdays as the ORM's
are. The alternatives were tried with EXPLAIN ANALYZE and timed on this load (one quarter:
162,000 complaints, 32,000 meeting and 31,000 service requests, 81,000 rated responses):
- complaints: one GROUP BY unit × subject area of FILTER counts, the names joined to its
  hundred groups after (grouped by the names too: a third slower; the ORM's Rollup now reads
  the names apart too); grouping
  by kind, channel, status and outcome as well makes PostgreSQL expect more groups than rows
  and sort them on disk (five times slower); a GROUP BY per month (UNION ALL): no gain; a
  second query for the kinds, channels and outcomes, or GROUPING SETS: half as slow again;
- meetings and service requests: a count per group of their few statuses, flags and months,
  added up in Python, instead of a FILTER count per figure (meetings: half the time; the
  ORM's meetings part does the same through Rollup's tallies; for the service requests the
  ORM gained nothing by it);
- satisfaction: the ORM's one GROUP BY, the units' names joined to the groups after (joined
  before: three times slower, sorted on disk); grouping by the rating too, or the label as
  min(): no gain;
- the dates of the pairs taken at the zone's fixed offset (`AT TIME ZONE interval '03:30'`),
  which gives Tehran's dates for any time since 2022, when Iran dropped daylight saving time
  (benchmarks/report_sql.py checks that the zone keeps one offset from the quarter to a year
  from now, else it uses the name). It halves the cost of the complaints' pairs (34 ms, 67
  with the zone's name; date_bin 49, date_trunc in the zone 89, width_bucket over the Tehran
  midnights 40, the working days counted in SQL from an array of ranks 36). The SQL with the
  zone's name is timed too and shown beside it. The ORM parts take the same shortcut
  (desk.reports.LocalDate, under the same check, desk.reports.steady_offset).

Targets (issue 15): the report in ≤ 1 s, the ORM parts (their sum) within 1.5× of the
hand-written SQL, and a query count that does not grow with the data.
"""

import argparse
import math
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.report_load import ensure_report_database, load_span  # noqa: E402


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database-url", help="default: REPORT_DATABASE_URL or mk_report_load")
    return parser.parse_args()


def timed(func: Callable[[], Any], runs: int) -> tuple[float, Any]:
    """The median seconds of `runs` calls (after one to warm the caches) and the last result."""
    return timed_in_turn([func], runs)[0]


def timed_in_turn(funcs: list[Callable[[], Any]], runs: int) -> list[tuple[float, Any]]:
    """`timed` for several functions called in turn, run after run, so that a noisy moment of
    the machine falls on all of them alike."""
    results = [func() for func in funcs]
    samples: list[list[float]] = [[] for _ in funcs]
    for _ in range(runs):
        for index, func in enumerate(funcs):
            began = time.perf_counter()
            results[index] = func()
            samples[index].append(time.perf_counter() - began)
    return [
        (statistics.median(times), result) for times, result in zip(samples, results, strict=True)
    ]


def query_count(func: Callable[[], Any]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        func()
    return len(captured)


def disagreements(orm: Any, sql: Any) -> list[str]:
    """Where the hand-written SQL's Figures differ from the ORM part's PartResult: every
    figure, every table row and column (and the row's name where the SQL reads it), the
    "by_month" chart and the listings."""
    found: list[str] = []

    def differ(where: str, ours: Any, theirs: Any) -> None:
        if not _same(ours, theirs):
            found.append(f"{where}: ORM {ours!r}, SQL {theirs!r}")

    figures = {figure.key: figure.value for figure in orm.figures}
    if figures.keys() != sql.figures.keys():
        found.append(f"figures: ORM {sorted(figures)}, SQL {sorted(sql.figures)}")
    for key in figures.keys() & sql.figures.keys():
        differ(key, figures[key], sql.figures[key])
    tables = {table.key: table for table in orm.tables}
    if tables.keys() != sql.tables.keys():
        found.append(f"tables: ORM {sorted(tables)}, SQL {sorted(sql.tables)}")
    for key in tables.keys() & sql.tables.keys():
        rows, theirs = {row.key: row for row in tables[key].rows}, sql.tables[key]
        if len(rows) != len(tables[key].rows) or rows.keys() != theirs.keys():
            found.append(f"{key} rows: ORM {[r.key for r in tables[key].rows]}, SQL {list(theirs)}")
        for row_key in rows.keys() & theirs.keys():
            row, values = rows[row_key], theirs[row_key]
            if set(row.values) - set(values):
                found.append(
                    f"{key}[{row_key}]: no SQL for {sorted(set(row.values) - set(values))}"
                )
            for column, value in values.items():
                ours = str(row.label) if column == "label" else row.values.get(column, "(none)")
                differ(f"{key}[{row_key}].{column}", ours, value)
    charts = {chart.key: chart for chart in orm.charts}
    for key, series in sql.charts.items():
        differ(f"chart {key}", charts[key].series[0][1] if key in charts else None, series)
    listings = {listing.key: listing.items for listing in orm.lists}
    for key, items in sql.lists.items():
        ours = listings.get(key, [])
        differ(f"list {key}", len(ours) if isinstance(items, int) else list(ours), items)
    return found


def _same(ours: Any, theirs: Any) -> bool:
    if isinstance(ours, list) and isinstance(theirs, list):
        return len(ours) == len(theirs) and all(map(_same, ours, theirs))
    if isinstance(ours, int | float) and isinstance(theirs, int | float):
        return math.isclose(ours, theirs, rel_tol=1e-9)
    return ours == theirs


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

    from benchmarks import report_sql
    from desk import registry
    from desk.reports import Period, build_report

    first, end = load_span(url)
    period = Period.last_finished(end)
    print(
        f"Database {url.rsplit('/', 1)[1]}; quarter {period.year} Q{period.quarter} "
        f"({period.first_day} to {period.last_day}); median of {args.runs} runs"
    )
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

    # The query counts, both after a warm-up build (the first one of the process also reads
    # the holidays, kept in memory after): this quarter's report, and the smallest quarter's
    # whose report still has cases in both its quarters (the load's first quarter is partial).
    small = period
    while small.previous().first_day > first:
        small = small.previous()
    build_report(period)
    reports, queries = {}, {}
    for quarter in (period, small):
        with CaptureQueriesContext(connection) as captured:
            reports[quarter] = build_report(quarter)
        queries[quarter] = len(captured)

    seconds, _report = timed(lambda: build_report(period), args.runs)
    print(
        f"\nWhole report ({period.year} Q{period.quarter} and the quarter before): "
        f"{seconds * 1000:.0f} ms, {queries[period]} queries   target ≤ 1000 ms"
    )

    html, workbook = _pages(period, args.runs)
    print(
        f"The page as a manager gets it (build, render, response): HTML {html * 1000:.0f} ms, "
        f"Excel {workbook * 1000:.0f} ms"
    )

    fixed_zone = report_sql.date_zone(period)
    named_zone = report_sql.date_zone(period, by_name=True)
    params = report_sql.parameters(period, fixed_zone)
    named_params = report_sql.parameters(period, named_zone)
    both = fixed_zone != named_zone
    print(
        f"\nOne quarter, part by part: the ORM part, the same figures by hand-written SQL "
        f"(dates at {_zone_label(fixed_zone)}"
        + (f"; and with the zone's name, {named_zone}" if both else "")
        + ")"
    )
    header = f"  {'part':<22} {'ORM':>14} {'SQL':>14} {'ORM/SQL':>8}"
    print(header + (f" {'SQL, zone by name':>18}" if both else ""))
    sums = {"orm": 0.0, "sql": 0.0, "named": 0.0, "orm_queries": 0, "sql_queries": 0}
    for part in registry.report_parts():
        sql = report_sql.PARTS.get(part.key)
        if sql is None:
            raise SystemExit(f"No hand-written SQL for the report part {part.key!r}.")
        funcs = [
            lambda part=part: part.build(period),
            lambda sql=sql: sql(params),
            lambda sql=sql: sql(named_params),
        ]
        for label, result in (("", sql(params)), (" (zone by name)", sql(named_params))):
            found = disagreements(part.build(period), result)
            if found:
                raise AssertionError(
                    f"The hand-written SQL{label} disagrees with the ORM on {part.key}:\n  "
                    + "\n  ".join(found)
                )
        timings = [median for median, _ in timed_in_turn(funcs if both else funcs[:2], args.runs)]
        orm_seconds, sql_seconds, named_seconds = timings[0], timings[1], timings[-1]
        orm_queries = query_count(funcs[0])
        sql_queries = query_count(funcs[1])
        sums["orm"] += orm_seconds
        sums["sql"] += sql_seconds
        sums["named"] += named_seconds
        sums["orm_queries"] += orm_queries
        sums["sql_queries"] += sql_queries
        print(
            _line(part.key, orm_seconds, orm_queries, sql_seconds, sql_queries)
            + (f" {named_seconds * 1000:>15.1f} ms" if both else "")
        )
    print(
        _line("all parts", sums["orm"], sums["orm_queries"], sums["sql"], sums["sql_queries"])
        + (f" {sums['named'] * 1000:>15.1f} ms" if both else "")
        + "   target ≤ 1.5×"
    )
    if both:
        print(
            f"  (against the SQL with the zone's name: ORM/SQL {sums['orm'] / sums['named']:.2f}×)"
        )
    print(
        "  The SQL's figures agree with the ORM's: every figure, table row and name, month "
        "and listing of every part."
    )

    print(
        f"\nQueries of the whole report, after a warm-up build: "
        f"{_report_label(period, reports[period])}: {queries[period]}; "
        f"{_report_label(small, reports[small])}: {queries[small]}"
        + (" (the same)" if queries[period] == queries[small] else " (NOT the same)")
    )


def _pages(period: Any, runs: int) -> tuple[float, float]:
    """The median seconds of /reports/ and /reports/excel/ for the quarter, asked by a
    member of the manager role through Django's test client (every middleware, the
    template or the workbook; no network)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client
    from django.test.utils import override_settings

    from desk.roles import MANAGER

    manager, _ = get_user_model().objects.get_or_create(
        username="bench-manager", defaults={"is_staff": True}
    )
    manager.groups.add(Group.objects.get(name=MANAGER.name))
    client = Client()
    client.force_login(manager)
    query = f"?year={period.year}&quarter={period.quarter}"

    def get(url: str) -> None:
        response = client.get(url + query)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")

    with override_settings(ALLOWED_HOSTS=["*"], SECURE_SSL_REDIRECT=False):
        (html, _), (workbook, _) = timed_in_turn(
            [lambda: get("/reports/"), lambda: get("/reports/excel/")], runs
        )
    return html, workbook


def _line(label: str, orm: float, orm_queries: int, sql: float, sql_queries: int) -> str:
    return (
        f"  {label:<22} {orm * 1000:>6.1f} ms {orm_queries:>2} q "
        f"{sql * 1000:>6.1f} ms {sql_queries:>2} q {orm / sql:>7.2f}×"
    )


def _zone_label(zone: Any) -> str:
    if isinstance(zone, str):
        return zone
    sign, minutes = "+" if zone.total_seconds() >= 0 else "-", abs(int(zone.total_seconds())) // 60
    return f"the zone's fixed offset {sign}{minutes // 60:02d}:{minutes % 60:02d}"


def _report_label(quarter: Any, report: Any) -> str:
    """«1405 Q2 (161,947 + 137,460 complaints)»: the quarter and the complaints its report
    reads."""
    received = report.figure("complaints", "received")
    if received is None:
        return f"{quarter.year} Q{quarter.quarter}"
    return (
        f"{quarter.year} Q{quarter.quarter} "
        f"({received.value:,} + {received.previous or 0:,} complaints)"
    )


if __name__ == "__main__":
    main()
