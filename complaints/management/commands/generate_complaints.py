"""Synthetic complaints for benchmarks: `manage.py generate_complaints --count 10000`.

Bulk-inserted (no SMS, no signals), spread over the last two years, each with the timeline its
status implies (about 3.4 events a complaint), every code registered in desk.TrackingCode like
a real one. Not demo data: the subjects repeat, and the mobiles are made up.
"""

import random
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from complaints.models import Complaint, ComplaintCategory, ComplaintEvent, Outcome, Status
from desk import codes
from desk.models import TrackingCode

SUBJECTS = ["چاله در خیابان", "چراغ خاموش کوچه", "پسماند جمع نشده", "درخت خشک", "سد معبر"]
# status → the actions of its timeline after "submit"
PATHS = {
    Status.RECEIVED: [],
    Status.IN_REVIEW: ["start_review"],
    Status.REFERRED: ["start_review", "refer"],
    Status.ANSWERED: ["start_review", "answer"],
    Status.CLOSED: ["start_review", "answer", "close"],
    Status.OUT_OF_JURISDICTION: ["out_of_jurisdiction"],
}
WEIGHTS = [10, 10, 10, 15, 50, 5]
BATCH = 1000


class Command(BaseCommand):
    help = "Bulk-insert synthetic complaints with their timelines (for benchmarks)."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=10_000)
        parser.add_argument("--seed", type=int, default=1405)

    def handle(self, *args, count: int, seed: int, **options):
        categories = list(ComplaintCategory.objects.select_related("department"))
        if not categories:
            raise CommandError("No complaint category: run seed_demo first.")
        rng = random.Random(seed)
        made = 0
        while made < count:
            size = min(BATCH, count - made)
            with transaction.atomic():
                self._batch(rng, categories, size)
            made += size
        self.stdout.write(f"{made} complaints with their timelines added.")

    def _batch(self, rng: random.Random, categories, size: int) -> None:
        now = timezone.now()
        complaints, paths = [], []
        for _ in range(size):
            status = rng.choices(list(PATHS), WEIGHTS)[0]
            category = rng.choice(categories)
            filed = now - timedelta(minutes=rng.randrange(2 * 365 * 24 * 60))
            complaints.append(
                Complaint(
                    tracking_code=codes.make_code("1", codes.random_body()),
                    kind="complaint",
                    category=category,
                    department=category.department,
                    subject=rng.choice(SUBJECTS),
                    description="متن آزمایشی برای سنجش کارایی.",
                    citizen_name="شهروند آزمایشی",
                    mobile=f"0912{rng.randrange(10**7):07d}",
                    status=status,
                    due_date=(filed + timedelta(days=14)).date(),
                    answer="پاسخ آزمایشی." if status in (Status.ANSWERED, Status.CLOSED) else "",
                    outcome=rng.choice(Outcome.values) if status == Status.CLOSED else "",
                    created_at=filed,
                )
            )
            paths.append(PATHS[status])
        TrackingCode.objects.bulk_create(
            [TrackingCode(code=c.tracking_code, kind="complaint") for c in complaints]
        )
        Complaint.objects.bulk_create(complaints)
        saved = Complaint.objects.in_bulk(
            [c.tracking_code for c in complaints], field_name="tracking_code"
        )
        events = []
        for complaint, path in zip(complaints, paths, strict=True):
            stored = saved[complaint.tracking_code]
            at = stored.created_at
            for action in ["submit", *path]:
                events.append(
                    ComplaintEvent(complaint=stored, action=action, is_public=True, created_at=at)
                )
                at += timedelta(hours=rng.randrange(1, 72))
        ComplaintEvent.objects.bulk_create(events)
