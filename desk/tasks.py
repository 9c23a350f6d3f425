"""Background tasks of the desk core, run by the task worker (`manage.py db_worker`)."""

from django_tasks import task


@task()
def send_sms(message_id: int) -> str:
    """Send one SMS from the outbox. Takes the primary key, never the row: the row is
    re-read and claimed when the task runs, whatever happened since it was enqueued."""
    # Imported here because desk.sms enqueues this task: a top-level import is circular.
    from desk.sms.outbox import deliver

    return deliver(message_id)
