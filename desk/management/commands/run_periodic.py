import logging
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from desk.registry import PeriodicJob, periodic_jobs

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Run the periodic jobs the apps registered (SMS re-queue, reminders…), in a loop, "
        "or once with --once for cron."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run every job once and exit")
        parser.add_argument("--tick", type=float, default=5.0, help="seconds between checks")

    def handle(self, *args, once: bool, tick: float, **options):
        last_run: dict[str, float] = {}
        while True:
            for job in periodic_jobs():
                if once or time.monotonic() - last_run.get(job.name, -job.every) >= job.every:
                    self._run(job)
                    last_run[job.name] = time.monotonic()
            if once:
                return
            time.sleep(tick)

    def _run(self, job: PeriodicJob) -> None:
        close_old_connections()
        try:
            result = job.func()
        except Exception:
            # One failing job must not stop the others; it is tried again next time.
            logger.exception("Periodic job %s failed", job.name)
        else:
            if result:
                self.stdout.write(f"{job.name}: {result}")
