"""Synthetic load for the quarterly report's benchmark: `manage.py generate_load`.

    manage.py migrate && manage.py seed_demo && manage.py generate_load            # full size
    manage.py generate_load --scale 0.01 --seed 7 --end 1405/09/11 --only complaints,surveys

Runs every app's registered load generator (desk.registry.LoadGenerator) in order. At scale 1:
1,000,000 complaints, 200,000 meeting requests, 200,000 service requests and 500,000 survey
responses, over the Tehran dates of the two years before --end (default: today; nothing is
dated today or later), each case with the timeline its services would have written.

It needs the demo's reference data (`seed_demo`: units, categories, hosts, service cards,
staff) and says so when it is missing; it loads the official holidays of every Jalali year of
the span itself (`load_holidays`), as a live desk would have them. It refuses a database that
is not clearly a throw-away one (see `check_database`), so that a million made-up cases never
land among real ones. No SMS rows and no uploaded files are written.

The second half of this module is the kit the apps' generators share (`desk` imports no app;
the apps import this): the working calendar on Unix times, made-up citizens, unique tracking
codes, and a writer that streams rows in batches (COPY on PostgreSQL, executemany elsewhere).
"""

import bisect
import functools
import hashlib
import io
import itertools
import math
import queue
import random
import re
import threading
import time as clock
import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone, translation

from desk import codes, registry, workdays
from desk.jalali import parse_jalali_date, to_jalali
from desk.models import Department, TrackingCode

# A database whose name holds one of these is made to be filled and thrown away.
THROWAWAY_MARKERS = ("load", "bench", "test")
# The demo issues a few dozen tracking codes; more means real cases or an earlier load.
MOST_CODES_BEFORE_A_LOAD = 1_000


class Command(BaseCommand):
    help = "Fill a throw-away database with the quarterly report's synthetic load."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="1.0: the benchmark's size")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--years", type=float, default=2.0, help="length of the span")
        parser.add_argument(
            "--end",
            help="first day after the span, 1405/09/11 or 2026-12-02 (default: today in Tehran)",
        )
        parser.add_argument(
            "--only",
            action="append",
            help="generators to run, by name (complaints,surveys); repeatable",
        )
        parser.add_argument(
            "--allow-any-database",
            action="store_true",
            help="write even where check_database refuses (the data is then mixed for good)",
        )

    def handle(self, *args, scale, seed, years, end, only, allow_any_database, **options):
        if scale <= 0 or years <= 0:
            raise CommandError("--scale and --years must be above zero.")
        generators = chosen_generators(only)
        end_day = parse_day(end) if end else timezone.localdate()
        start_day = end_day - timedelta(days=round(years * 365.2425))
        if not allow_any_database:
            check_database()
        if not Department.objects.exists():
            raise CommandError(
                "There is no unit: the load needs the demo's reference data. "
                "Run `manage.py seed_demo` first."
            )
        self.load_holidays(start_day, end_day)
        self.stdout.write(
            f"Load at scale {scale:g}, seed {seed}, from {start_day} to {end_day} (excluded), "
            f"on {connection.vendor} ({connection.settings_dict['NAME']})."
        )
        began = clock.perf_counter()
        # The timelines' notes are written in the site's language, as the services write them.
        with translation.override(settings.LANGUAGE_CODE):
            for generator in generators:
                started = clock.perf_counter()
                try:
                    counts = generator.func(scale, start_day, end_day, seed) or {}
                finally:
                    restore_indexes()  # left set aside when a generator failed
                seconds = clock.perf_counter() - started
                made = ", ".join(f"{number:,} {label}" for label, number in counts.items())
                self.stdout.write(f"{generator.name:<14} {made} in {seconds:.1f} s")
                self.stdout.flush()
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            started = clock.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
            self.stdout.write(f"VACUUM ANALYZE in {clock.perf_counter() - started:.1f} s")
        self.stdout.write(f"Load ready in {clock.perf_counter() - began:.1f} s.")

    def load_holidays(self, start_day: date, end_day: date) -> None:
        """The official holidays of every Jalali year of the span (and of the next, where
        deadlines fall): the working days of every deadline depend on them."""
        first, last = to_jalali(start_day).year, to_jalali(end_day).year + 1
        years = [str(year) for year in range(first, last + 1)]
        call_command("load_holidays", "--years", *years, stdout=io.StringIO())
        self.stdout.write(f"Official holidays of the Jalali years {first} to {last} loaded.")


def chosen_generators(only: list[str] | None) -> list[registry.LoadGenerator]:
    generators = registry.load_generators()
    if not only:
        return generators
    names = {name.strip() for option in only for name in option.split(",") if name.strip()}
    known = {generator.name for generator in generators}
    if unknown := names - known:
        raise CommandError(
            f"No load generator named {', '.join(sorted(unknown))}; "
            f"there are {', '.join(sorted(known))}."
        )
    return [generator for generator in generators if generator.name in names]


def parse_day(text: str) -> date:
    """A Gregorian ISO date, or a Jalali one (a year before 1700)."""
    try:
        if int(text.replace("/", "-").split("-")[0]) < 1700:
            return parse_jalali_date(text)
        return date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"--end: {text!r} is not a date (1405/09/11 or 2026-12-02).") from error


def check_database() -> None:
    """Refuse, in plain words, a database that may hold real cases: its name must say it is
    a throw-away one (THROWAWAY_MARKERS), and it may hold no more tracking codes than the
    demo issues (more means real cases, or a load already there that this would double)."""
    name = str(connection.settings_dict["NAME"])
    if not any(marker in name.lower() for marker in THROWAWAY_MARKERS):
        raise CommandError(
            f"Refusing to write synthetic cases into the database {name!r}: its name does not "
            f"say it is a throw-away database (it holds none of {', '.join(THROWAWAY_MARKERS)}), "
            "and every report read from it would count a million made-up cases as real ones. "
            "Create one for the load (e.g. `createdb mk_report_load`, then migrate and "
            "seed_demo), or pass --allow-any-database if this one may be filled for good."
        )
    issued = TrackingCode.objects.count()
    if issued > MOST_CODES_BEFORE_A_LOAD:
        raise CommandError(
            f"Refusing to add synthetic cases to {name!r}: it already holds {issued:,} tracking "
            f"codes, more than the demo data's (at most {MOST_CODES_BEFORE_A_LOAD:,}), so it "
            "holds real cases or an earlier load, which this would double. Start from a fresh "
            "database (migrate, seed_demo), or pass --allow-any-database to add to what is there."
        )


# --- the kit the apps' load generators share ------------------------------------------------


def scaled(full_size: int, scale: float) -> int:
    return round(full_size * scale)


def app_random(seed: int, name: str) -> random.Random:
    """Each generator's own random stream: the same seed gives the same rows, and one app's
    draws never shift another's."""
    return random.Random(f"{seed}:{name}")


def aware(at: float | None) -> datetime | None:
    """A Unix time as an aware UTC datetime (the generators carry moments as Unix times)."""
    return None if at is None else datetime.fromtimestamp(at, tz=UTC)


class Beyond(Exception):
    """A step that would happen after the span's end: the case stays as it was before it."""


class Weighted:
    """A weighted choice drawn with one random number (random.choices adds the weights up
    on every call: a tenth of a million complaints' time)."""

    def __init__(self, items: Sequence[Any], weights: Sequence[float]):
        self.items = list(items)
        self.bounds = list(itertools.accumulate(weights))
        self.total = self.bounds[-1]

    def pick(self, rng: random.Random) -> Any:
        return self.items[bisect.bisect_right(self.bounds, rng.random() * self.total)]


# Office hours of the demo's desk (its site profile): Saturday to Wednesday 7:30 to 14:30,
# Thursday 7:30 to 12:30. Staff act then; citizens file on the web at any hour.
OPENS = 7.5 * 3600
CLOSES = 14.5 * 3600
CLOSES_THURSDAY = 12.5 * 3600
THURSDAY = 3
# How citizens' web filings spread over the hours of a day (Tehran time), 0 h to 23 h.
CITIZEN_HOURS = Weighted(
    range(24),
    (0.6, 0.3, 0.2, 0.15, 0.15, 0.3, 0.8, 1.8, 3.2, 4.2, 4.6, 4.4,
     3.8, 3.2, 2.8, 2.6, 2.6, 2.8, 3.2, 3.6, 3.8, 3.4, 2.4, 1.3),
)  # fmt: skip


class Span:
    """The Tehran dates [start, end) of a load and its working calendar, on date ordinals and
    Unix times (a million cases ask it millions of times), counted as desk.workdays counts:
    its weekend, its active holidays. Deadlines and meetings fall after the end, so the
    calendar runs on for a year past it."""

    def __init__(self, start: date, end: date):
        if end <= start:
            raise ValueError("A load's span ends after it starts.")
        self.start, self.end = start.toordinal(), end.toordinal()
        self.first = self.start - 14
        self.last = self.end + 400
        tz = timezone.get_default_timezone()
        weekend, closed = workdays.weekend_days(), workdays.active_holidays()
        self.midnights, self.opens, self.closes, self.through = [], [], [], []
        self.working, count = [], 0
        for day in range(self.first, self.last + 2):
            calendar_day = date.fromordinal(day)
            midnight = datetime.combine(calendar_day, time.min, tzinfo=tz).timestamp()
            is_working = calendar_day.weekday() not in weekend and calendar_day not in closed
            thursday = calendar_day.weekday() == THURSDAY
            self.midnights.append(midnight)
            self.opens.append(midnight + OPENS)
            # 0 on a closed day: "closes" doubles as "is a working day".
            self.closes.append((midnight + (CLOSES_THURSDAY if thursday else CLOSES)) * is_working)
            if is_working:
                self.working.append(day)
                count += 1
            # The working days from `first` up to and including this one.
            self.through.append(count)
        self.start_at, self.end_at = self.midnight(self.start), self.midnight(self.end)

    @property
    def days(self) -> range:
        return range(self.start, self.end)

    def midnight(self, day: int) -> float:
        return self.midnights[day - self.first]

    def day_of(self, at: float) -> int:
        """The Tehran date (ordinal) of a Unix time."""
        return self.first + bisect.bisect_right(self.midnights, at) - 1

    def date(self, day: int) -> date:
        return date.fromordinal(day)

    def is_working(self, day: int) -> bool:
        return self.closes[day - self.first] > 0

    def add_working_days(self, day: int, count: int) -> int:
        """desk.workdays.add_working_days on ordinals."""
        if count <= 0:
            return day
        return self.working[self.through[day - self.first] + count - 1]

    def working_days_between(self, first: int, last: int) -> int:
        """desk.workdays.working_days_between on ordinals."""
        return self.through[last - self.first] - self.through[first - self.first]

    def staff_time(self, rng: random.Random, after: float, working_days: int = 0) -> float:
        """When a clerk acts: in office hours, `working_days` working days after the day of
        `after` (0: later that working day, or on the next one), never before `after`;
        Beyond past the span's end."""
        day = self.day_of(after)
        if day >= self.end:
            raise Beyond
        if working_days:
            day = self.working[self.through[day - self.first] + min(working_days, 250) - 1]
        while True:
            index = day - self.first
            closes = self.closes[index]
            if closes:
                earliest = max(self.opens[index], after + 60)
                if earliest < closes - 60:
                    at = earliest + (closes - 60 - earliest) * rng.random()
                    if at >= self.end_at:
                        raise Beyond
                    return at
            day = self.working[self.through[index]]  # the next working day
            if day > self.end:
                raise Beyond

    def citizen_time(self, rng: random.Random, after: float, mean_hours: float) -> float:
        """When a citizen acts: some hours after `after`, at night rather less."""
        at = after + 60 + rng.expovariate(1 / (mean_hours * 3600))
        hour = (at - self.midnight(self.day_of(at))) / 3600
        if hour < 6.5 and rng.random() < 0.8:
            at += (7 - hour) * 3600 + rng.uniform(0, 3 * 3600)
        return self.check(at)

    def check(self, at: float) -> float:
        """`at`, or Beyond when it is at or after the span's end."""
        if at >= self.end_at:
            raise Beyond
        return at

    def filing_time(self, rng: random.Random, day: int, at_the_desk: bool) -> float:
        """A filing on `day`: in office hours at the desk (walk-in, phone), else at any hour."""
        index = day - self.first
        if at_the_desk:
            opens, closes = self.opens[index], self.closes[index] or self.opens[index] + 3600
            return rng.triangular(opens, closes - 60, opens + 2 * 3600)
        return self.midnights[index] + (CITIZEN_HOURS.pick(rng) + rng.random()) * 3600

    def arrivals(self, rng: random.Random, total: int, closed_day_share: float) -> list[int]:
        """How many filings each day of the span gets, `total` in all: more in summer, a
        slow growth over the span, a few busy days (a storm, a news story), and on a weekend
        day or holiday `closed_day_share` of a working day's (the web alone)."""
        weights = []
        length = self.end - self.start
        for day in self.days:
            year_day = date.fromordinal(day).timetuple().tm_yday
            season = 1 + 0.18 * math.cos(2 * math.pi * (year_day - 200) / 365)
            trend = 0.9 + 0.2 * (day - self.start) / length
            busy = 2.5 if rng.random() < 0.01 else 1.0
            open_day = 1.0 if self.is_working(day) else closed_day_share
            weights.append(season * trend * busy * open_day * rng.lognormvariate(0, 0.15))
        return apportion(total, weights)


def apportion(total: int, weights: Sequence[float]) -> list[int]:
    """`total` split in proportion to `weights`, in whole numbers that add up exactly
    (largest remainders)."""
    whole = sum(weights)
    shares = [total * weight / whole for weight in weights]
    counts = [int(share) for share in shares]
    left = total - sum(counts)
    by_remainder = sorted(range(len(shares)), key=lambda i: counts[i] - shares[i])
    for index in by_remainder[:left]:
        counts[index] += 1
    return counts


def working_days_drawn(rng: random.Random, median: float, spread: float = 0.7) -> int:
    """A delay in whole working days, log-normal around `median`: most cases are quick, a
    few take many times as long."""
    return int(rng.lognormvariate(math.log(max(median, 0.05)), spread))


def popularity(rng: random.Random, items: Sequence[Any], skew: float = 0.8) -> Weighted:
    """A few of `items` chosen often, most rarely (Zipf-like, in shuffled order)."""
    weights = [1 / (rank + 1) ** skew for rank in range(len(items))]
    rng.shuffle(weights)
    return Weighted(items, weights)


class Timelines:
    """What every case generator does as the services' apply_transition does: the new status,
    its event (a tuple its writer turns into a row), the case saved (`updated_at`). Needs
    `span`, `rng` and `staff` (staff_members()) on the generator; a case has `status`,
    `events` and `updated_at`."""

    def step(
        self,
        case: Any,
        action: str,
        at: float,
        *,
        target: str | None = None,
        actor: Any = "staff",
        by_citizen: bool = False,
        note: str = "",
        public: bool = True,
        source: str | None = None,
    ) -> float:
        at = self.span.check(at)
        previous = case.status if source is None else source
        if target is not None:
            case.status = target
        if actor == "staff":
            actor = self.clerk()
        case.events.append((at, actor, by_citizen, action, previous, case.status, note, public))
        case.updated_at = at
        return at

    def clerk(self) -> int | None:
        return self.rng.choice(self.staff)


def staff_members() -> list[int | None]:
    """The staff accounts the timelines' steps are taken by (the demo has its clerk)."""
    from django.contrib.auth import get_user_model

    found = get_user_model().objects.filter(is_staff=True, is_active=True).order_by("pk")
    return list(found.values_list("pk", flat=True)) or [None]


def submission_key(code: str) -> uuid.UUID:
    """The one-time form key a case was filed with, drawn from its (unique) tracking code:
    the same for the same code, and never one an earlier load used."""
    return uuid.UUID(bytes=hashlib.blake2b(code.encode(), digest_size=16).digest(), version=4)


# --- made-up citizens ---------------------------------------------------------------------------

FIRST_NAMES = (
    "مریم", "علی", "فاطمه", "محمد", "زهرا", "حسین", "سارا", "رضا", "نرگس", "امیر", "لیلا",
    "مهدی", "معصومه", "حسن", "الهام", "جواد", "سمیه", "عباس", "نسرین", "مجید", "فریبا",
    "سعید", "اکرم", "یوسف", "طاهره", "کریم", "شیرین", "ابراهیم", "هاجر", "احمد", "منیژه",
    "عبدالله", "خدیجه", "صالح", "آمنه", "جاسم", "بتول", "ناصر", "رقیه", "غلامرضا",
)  # fmt: skip
LAST_NAMES = (
    "احمدی", "رضایی", "حسینی", "کریمی", "محمدی", "موسوی", "جعفری", "قاسمی", "صادقی",
    "عباسی", "نوری", "یزدانی", "کاظمی", "مرادی", "اکبری", "رستمی", "نوروزی", "زارعی",
    "انصاری", "بندری", "قشمی", "دریانورد", "صیادی", "خلیجی", "جاسمی", "سلیمانی", "فلاحی",
    "بهرامی", "حیدری", "شریفی", "امیری", "ملاحی", "کمالی", "هاشمی", "ناخدا", "طاهری",
)  # fmt: skip
# Operators' prefixes, the common ones more often.
MOBILE_PREFIXES = Weighted(
    ("0912", "0913", "0917", "0915", "0935", "0936", "0937", "0939",
     "0901", "0902", "0990", "0919", "0933", "0938", "0921", "0930"),
    (16, 8, 12, 5, 10, 8, 6, 6, 5, 4, 3, 4, 3, 3, 2, 2),
)  # fmt: skip


class Citizens:
    """Names, mobiles and national codes as citizens give them; some come back with another
    case, with the same name and mobile."""

    RETURNING = 0.12
    REMEMBERED = 5_000

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.recent: list[tuple[str, str, str]] = []

    def person(self, *, national_code_share: float) -> tuple[str, str, str]:
        """(full name, mobile, national code or "")."""
        rng = self.rng
        if self.recent and rng.random() < self.RETURNING:
            name, mobile, national = self.recent[int(rng.random() * len(self.recent))]
            if not national and rng.random() < national_code_share:
                national = self.national_code()
            return name, mobile, national
        first = FIRST_NAMES[int(rng.random() * len(FIRST_NAMES))]
        last = LAST_NAMES[int(rng.random() * len(LAST_NAMES))]
        national = self.national_code() if rng.random() < national_code_share else ""
        person = (f"{first} {last}", self.mobile(), national)
        if len(self.recent) < self.REMEMBERED:
            self.recent.append(person)
        else:
            self.recent[int(rng.random() * self.REMEMBERED)] = person
        return person

    def mobile(self) -> str:
        return f"{MOBILE_PREFIXES.pick(self.rng)}{int(self.rng.random() * 10**7):07d}"

    def national_code(self) -> str:
        """A valid national code (desk.text.national_code_checks)."""
        while True:
            body = f"{int(self.rng.random() * 10**9):09d}"
            if len(set(body)) > 1:
                break
        total = sum(int(body[i]) * (10 - i) for i in range(9)) % 11
        return body + str(total if total < 2 else 11 - total)


# --- tracking codes -----------------------------------------------------------------------------


class TrackingCodes:
    """Unique, valid tracking codes of one kind, as desk.codes makes them (kind digit, ten
    digits, Damm check digit), without a set of every code issued: the bodies are an affine
    permutation of 0…10¹⁰−1, scrambled and never repeating; codes already issued (the demo's,
    an earlier load's) are skipped."""

    SPACE = 10**codes.BODY_LENGTH

    def __init__(self, rng: random.Random, prefix: str):
        self.prefix = prefix
        self.step = rng.randrange(10**9, self.SPACE)
        while math.gcd(self.step, self.SPACE) != 1:
            self.step += 1
        self.offset = rng.randrange(self.SPACE)
        self.index = 0
        self.taken = set(
            TrackingCode.objects.filter(code__startswith=prefix).values_list("code", flat=True)
        )

    def next(self) -> str:
        while True:
            body = (self.step * self.index + self.offset) % self.SPACE
            self.index += 1
            code = codes.make_code(self.prefix, f"{body:0{codes.BODY_LENGTH}d}")
            if code not in self.taken:
                return code


# --- writing rows ------------------------------------------------------------------------------


class Rows:
    """The rows of one table on their way to the database. Every concrete field is given, in
    `fields` order (attnames: `complaint_id`), moments as Unix times, ids included: they are
    handed out here, after the table's largest, so that children can point at rows not yet
    written."""

    def __init__(
        self, writer: "LoadWriter", model: type[models.Model], fields: Sequence[str], label: str
    ):
        by_attname = {field.attname: field for field in model._meta.concrete_fields}
        if missing := set(by_attname) - set(fields):
            raise ValueError(f"{model.__name__}: the load gives no {', '.join(sorted(missing))}")
        if unknown := set(fields) - set(by_attname):
            raise ValueError(f"{model.__name__} has no {', '.join(sorted(unknown))}")
        self.writer, self.model, self.label = writer, model, label
        self.fields = [by_attname[name] for name in fields]
        quote = connection.ops.quote_name
        self.sql = (
            f"{quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in self.fields)})"
        )
        self.pending: list[tuple] = []
        self.written = 0
        top = model._default_manager.aggregate(top=models.Max("pk"))["top"]
        self.next_id = (top or 0) + 1

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id - 1

    def add(self, *values: Any) -> None:
        self.pending.append(values)
        writer = self.writer
        writer.buffered += 1
        if writer.buffered >= writer.batch:
            writer.flush()


class LoadWriter:
    """Rows of several tables written together every `batch` rows, in one transaction each,
    the tables in the order they were declared (parents first): bounded memory for any size.

    On PostgreSQL the rows are turned into COPY text here and sent by a thread of their own,
    so that the server stores one batch while Python makes the next (the two halves of the
    work on the two cores); the tables' secondary indexes are set aside meanwhile and built
    again at the end (set_indexes_aside), and the server is not asked to check each row's
    foreign keys (the generators point only at rows they wrote or read, and the SQLite tests
    check them) when the role may say so. Elsewhere (SQLite: tests, small loads) executemany
    in this thread, each value through its field's own conversion."""

    def __init__(self, batch: int = 50_000):
        self.batch = batch
        self.tables: list[Rows] = []
        self.buffered = 0
        # Not inside a transaction (a test's): the sender's own connection would wait for
        # the locks this one holds until the transaction ends, which it never would.
        copies = connection.vendor == "postgresql" and not connection.in_atomic_block
        self.sender: CopySender | None = CopySender() if copies else None
        self.indexes_set_aside = False

    def table(self, model: type[models.Model], fields: Sequence[str], label: str) -> Rows:
        rows = Rows(self, model, fields, label)
        self.tables.append(rows)
        return rows

    def flush(self) -> None:
        if self.sender is not None:
            if not self.indexes_set_aside:
                set_indexes_aside([rows.model for rows in self.tables])
                self.indexes_set_aside = True
            self.sender.send([(rows.sql, _copy_text(rows)) for rows in self.tables if rows.pending])
        else:
            with transaction.atomic(), connection.cursor() as cursor:
                for rows in self.tables:
                    if rows.pending:
                        _insert(cursor, rows)
        for rows in self.tables:
            rows.written += len(rows.pending)
            rows.pending = []
        self.buffered = 0

    def close(self) -> dict[str, int]:
        """Write what is left, wait until it is stored, move the tables' id sequences past the
        ids given, and return the rows written per table."""
        self.flush()
        if self.sender is not None:
            self.sender.close()
            restore_indexes()
            analyze([rows.model for rows in self.tables])
        statements = connection.ops.sequence_reset_sql(no_style(), [t.model for t in self.tables])
        if statements:
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)
        counts: dict[str, int] = {}
        for rows in self.tables:
            counts[rows.label] = counts.get(rows.label, 0) + rows.written
        return counts


class CopySender:
    """A thread, with its own connection, that COPYs batches as they come (two at most
    waiting: memory stays bounded), each in one transaction."""

    def __init__(self):
        self.batches: queue.Queue = queue.Queue(maxsize=2)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self.run, name="generate_load COPY", daemon=True)
        self.thread.start()

    def send(self, batch: list[tuple[str, bytes]]) -> None:
        self.raise_error()
        self.batches.put(batch)

    def close(self) -> None:
        self.batches.put(None)
        self.thread.join()
        self.raise_error()

    def raise_error(self) -> None:
        if self.error is not None:
            raise CommandError(f"Writing the load failed: {self.error}") from self.error

    def run(self) -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SET synchronous_commit TO off")
                cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
                if cursor.fetchone()[0]:
                    cursor.execute("SET session_replication_role TO replica")
            while (batch := self.batches.get()) is not None:
                with transaction.atomic(), connection.cursor() as cursor:
                    for table, text in batch:
                        with cursor.cursor.copy(f"COPY {table} FROM STDIN") as copy:
                            copy.write(text)
        except BaseException as error:  # handed to the generator's thread
            self.error = error
            while self.batches.get() is not None:  # let the generator go on to its end
                pass
        finally:
            connection.close()


# Indexes set aside by set_indexes_aside, to be built again: (name, its CREATE INDEX).
_set_aside: list[tuple[str, str]] = []


def set_indexes_aside(models_: Sequence[type[models.Model]]) -> None:
    """Drop the secondary indexes of the tables a load fills (not a primary key, not a
    unique index: uniqueness is still checked row by row), remembering each one's exact
    definition: inserting a million rows into a dozen indexes costs several times what
    building them once from the finished table does. restore_indexes builds them again,
    also when a generator fails (Command.handle)."""
    tables = [model._meta.db_table for model in models_]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT index_class.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i"
            " JOIN pg_class index_class ON index_class.oid = i.indexrelid"
            " JOIN pg_class table_class ON table_class.oid = i.indrelid"
            " WHERE table_class.relname = ANY(%s) AND pg_table_is_visible(table_class.oid)"
            " AND NOT i.indisprimary AND NOT i.indisunique",
            [tables],
        )
        for name, definition in cursor.fetchall():
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
            _set_aside.append((name, definition))


def analyze(models_: Sequence[type[models.Model]]) -> None:
    """Fresh planner statistics for tables just filled (PostgreSQL): a later generator's
    queries over them are planned for a million rows, not for the few there were (a nested
    loop planned for one row and run for a million takes hours)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in dict.fromkeys(models_):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def restore_indexes() -> None:
    """Build again every index set_indexes_aside dropped."""
    if not _set_aside:
        return
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem TO '256MB'")
        while _set_aside:
            _name, definition = _set_aside[-1]
            cursor.execute(definition)
            _set_aside.pop()


NULL = "\\N"
SPECIAL = re.compile(r"[\\\t\n\r]")
UNIX_EPOCH = date(1970, 1, 1).toordinal()


def _copy_text(rows: Rows) -> bytes:
    """The pending rows as COPY's text format: tab-separated, \\N for NULL."""
    convert = [_copy_converter(field) for field in rows.fields]
    lines = [
        "\t".join([c(v) for c, v in zip(convert, values, strict=True)]) for values in rows.pending
    ]
    lines.append("")
    return "\n".join(lines).encode()


def _copy_converter(field: models.Field):
    """How one column's values are written; a column that is never NULL skips the test
    (this runs for every value of millions of rows)."""
    kind = field.get_internal_type()
    if kind == "DateTimeField":
        convert = _timestamp
    elif kind == "BooleanField":
        convert = {True: "t", False: "f"}.__getitem__
    elif kind in ("CharField", "TextField", "SlugField"):
        convert = _escaped
    else:
        convert = str  # numbers, dates, times, UUIDs
    if not field.null:
        return convert
    return lambda value: NULL if value is None else convert(value)


def _escaped(text: str) -> str:
    text = str(text)  # a choice's enum member: its value
    if SPECIAL.search(text) is None:  # most texts: a search is cheap, translating Persian is not
        return text
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


@functools.cache
def _utc_day(days: int) -> str:
    return date.fromordinal(UNIX_EPOCH + days).isoformat()


def _timestamp(at: float) -> str:
    """A Unix time as PostgreSQL reads a UTC timestamp (a quarter of what datetime takes)."""
    micro = round(at * 1_000_000)
    seconds, micro = divmod(micro, 1_000_000)
    days, seconds = divmod(seconds, 86400)
    hours, seconds = divmod(seconds, 3600)
    minutes, seconds = divmod(seconds, 60)
    return f"{_utc_day(days)} {hours:02d}:{minutes:02d}:{seconds:02d}.{micro:06d}+00"


def _insert(cursor, rows: Rows) -> None:
    marks = ", ".join(["%s"] * len(rows.fields))
    moments = [f.get_internal_type() == "DateTimeField" for f in rows.fields]
    prepared = [
        [
            field.get_db_prep_save(aware(value) if moment else value, connection)
            for field, moment, value in zip(rows.fields, moments, values, strict=True)
        ]
        for values in rows.pending
    ]
    cursor.executemany(f"INSERT INTO {rows.sql} VALUES ({marks})", prepared)
