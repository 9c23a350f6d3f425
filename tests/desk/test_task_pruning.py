"""Old results of finished background tasks are deleted; waiting and running tasks never are."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from desk.registry import periodic_jobs
from desk.sms.outbox import send_sms
from desk.tasks import prune_task_results

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def database_tasks(settings):
    settings.TASKS = DATABASE_TASKS
    settings.TASK_RESULTS_KEEP_DAYS = 14


def a_task_result(status: str, days_ago: float) -> DBTaskResult:
    """A send_sms run enqueued, and finished if `status` says so, `days_ago` days ago."""
    when = timezone.now() - timedelta(days=days_ago)
    result = send_sms.enqueue(1)
    finished_at = when if status in ("SUCCESSFUL", "FAILED") else None
    DBTaskResult.objects.filter(pk=result.id).update(
        status=status, enqueued_at=when, finished_at=finished_at
    )
    return DBTaskResult.objects.get(pk=result.id)


def remaining() -> set[tuple[str, int]]:
    return {
        (result.status, (timezone.now() - result.enqueued_at).days)
        for result in DBTaskResult.objects.all()
    }


def test_it_deletes_finished_results_older_than_the_setting():
    a_task_result("SUCCESSFUL", days_ago=15)
    a_task_result("FAILED", days_ago=30)
    a_task_result("SUCCESSFUL", days_ago=13)
    a_task_result("FAILED", days_ago=1)

    assert prune_task_results() == 2

    assert remaining() == {("SUCCESSFUL", 13), ("FAILED", 1)}


def test_it_never_deletes_tasks_waiting_or_running_however_old():
    # A retry scheduled long ago and a worker still busy: the SMS would be lost.
    a_task_result("READY", days_ago=40)
    a_task_result("RUNNING", days_ago=40)

    assert prune_task_results() == 0

    assert remaining() == {("READY", 40), ("RUNNING", 40)}


def test_the_setting_decides_how_long_results_are_kept(settings):
    settings.TASK_RESULTS_KEEP_DAYS = 3
    a_task_result("SUCCESSFUL", days_ago=4)

    assert prune_task_results() == 1


def test_run_periodic_prunes_every_hour():
    a_task_result("SUCCESSFUL", days_ago=20)
    a_task_result("SUCCESSFUL", days_ago=2)
    job = next(job for job in periodic_jobs() if job.name == "task_results_prune")

    assert job.func() == 1

    assert remaining() == {("SUCCESSFUL", 2)}
    assert job.every <= timedelta(hours=1).total_seconds()
