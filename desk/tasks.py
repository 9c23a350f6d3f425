"""Housekeeping of the task queue (the SMS task itself lives with the outbox it sends from,
`desk.sms.outbox.send_sms`)."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult


def prune_task_results() -> int:
    """Delete the results of task runs that finished (successfully or not) more than
    `TASK_RESULTS_KEEP_DAYS` days ago; tasks still waiting or running are kept. Returns how
    many were deleted. A periodic job: the database queue keeps a row for every run."""
    # django-tasks-db's own `prune_db_task_results` command does the same from cron, but
    # reports nothing back and refuses to run unless the configured backend is its own.
    cutoff = timezone.now() - timedelta(days=settings.TASK_RESULTS_KEEP_DAYS)
    deleted, _ = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    return deleted
