"""Background tasks of the desk core, run by the task worker (`manage.py db_worker`)."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult


@task()
def send_sms(message_id: int) -> str:
    """Send one SMS from the outbox. Takes the primary key, never the row: the row is
    re-read and claimed when the task runs, whatever happened since it was enqueued."""
    # Imported here because desk.sms enqueues this task: a top-level import is circular.
    from desk.sms.outbox import deliver

    return deliver(message_id)


def prune_task_results() -> int:
    """Delete the results of task runs that finished (successfully or not) more than
    `TASK_RESULTS_KEEP_DAYS` days ago; tasks still waiting or running are kept. Returns how
    many were deleted. A periodic job: the database queue keeps a row for every run."""
    # django-tasks-db's own `prune_db_task_results` command does the same from cron, but
    # reports nothing back and refuses to run unless the configured backend is its own.
    cutoff = timezone.now() - timedelta(days=settings.TASK_RESULTS_KEEP_DAYS)
    deleted, _ = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    return deleted
