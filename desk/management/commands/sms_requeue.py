from datetime import timedelta

from django.core.management.base import BaseCommand

from desk.sms import requeue_due_messages
from desk.sms.outbox import REQUEUE_GRACE


class Command(BaseCommand):
    help = (
        "Give a new send task to every queued SMS whose next attempt is overdue (its task was "
        "lost), and mark failed the ones a dead worker left half-sent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--grace",
            type=int,
            default=int(REQUEUE_GRACE.total_seconds() // 60),
            help="minutes a queued SMS may be overdue before re-queuing (default: %(default)s)",
        )

    def handle(self, *args, grace: int, **options):
        count = requeue_due_messages(grace=timedelta(minutes=grace))
        self.stdout.write(f"{count} SMS re-queued.")
