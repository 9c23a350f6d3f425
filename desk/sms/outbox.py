"""The SMS outbox: queue a message in the caller's transaction, send it from a background task.

Life of a row: QUEUED → (a task claims it) SENDING → SENT, or back to QUEUED with a later
`next_attempt_at` after a transient failure, or FAILED after a permanent one or once transient
failures have gone on for `SMS_RETRY_HOURS`. Every transition is a conditional UPDATE, so two
workers (or one task enqueued twice) never send the same message twice.
"""

import logging
import re
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.template import Context, engines
from django.utils import timezone, translation
from django_tasks import task

from desk.models import SmsMessage
from desk.redaction import mask_receiver, redact_secrets
from desk.sms.backends import TOKEN_NAMES, OutgoingSms, SendError, SendResult, get_backend
from desk.text import normalize_mobile

logger = logging.getLogger(__name__)

Status = SmsMessage.Status

RETRY_BASE_DELAY = timedelta(minutes=1)
# Retries are bounded by time (settings.SMS_RETRY_HOURS), not by a count: an outage of hours,
# such as the provider's daily maintenance, is ridden out at two attempts an hour.
RETRY_MAX_DELAY = timedelta(minutes=30)
# A queued row whose next attempt is this much overdue has lost its task (a worker crashed,
# the task table was pruned); the re-queue job gives it a new one.
REQUEUE_GRACE = timedelta(minutes=10)
# A row still SENDING this long after its claim belongs to a worker that died mid-send.
STALLED_AFTER = timedelta(minutes=15)

_KIND = re.compile(r"^[a-z0-9_]+$")


def render_sms(kind: str, context: dict[str, Any]) -> str:
    """The text of an SMS of `kind`, from `templates/sms/<kind>.txt`, in Persian."""
    if not _KIND.match(kind):
        raise ValueError(f"SMS kind must be lower-case letters, digits and _: {kind!r}")
    template = engines["django"].get_template(f"sms/{kind}.txt").template
    # SMS are plain text: HTML escaping would turn a citizen's "&" into "&amp;". The
    # language is fixed because a worker or a staff member's admin may run in English.
    with translation.override(settings.LANGUAGE_CODE):
        return template.render(Context(context, autoescape=False)).strip()


def queue_sms(
    *, receiver: str, kind: str, context: dict[str, Any], tracking_code: str = ""
) -> SmsMessage:
    """Put an SMS in the outbox; it is sent by a background task once the caller's
    transaction commits, and never if it rolls back.

    Call it inside the transaction of the state change the SMS announces. The text comes
    from `templates/sms/<kind>.txt`, rendered with `context` plus `tracking_code`. For kinds
    sent through Kavenegar's approved templates, `context["tokens"]` holds the template
    tokens: a dict with keys among token, token2, token3, token10, token20.
    """
    tokens = _clean_tokens(context.get("tokens") or {})
    message = SmsMessage.objects.create(
        receiver=normalize_mobile(receiver),
        kind=kind,
        tracking_code=tracking_code,
        text=render_sms(kind, {**context, "tracking_code": tracking_code}),
        tokens=tokens,
        next_attempt_at=timezone.now(),
    )
    _enqueue_after_commit(message.pk)
    return message


def _clean_tokens(tokens: dict[str, Any]) -> dict[str, str]:
    unknown = set(tokens) - set(TOKEN_NAMES)
    if unknown:
        raise ValueError(f"Unknown SMS template tokens {sorted(unknown)}; use {TOKEN_NAMES}")
    return {name: str(value) for name, value in tokens.items()}


def _enqueue_after_commit(message_id: int, run_after: datetime | None = None) -> None:
    # The task only ever gets the primary key: the row is the truth, re-read when it runs.
    def enqueue() -> None:
        task = send_sms.using(run_after=run_after) if run_after else send_sms
        task.enqueue(message_id)

    transaction.on_commit(enqueue)


@task()
def send_sms(message_id: int) -> str:
    """Send one SMS from the outbox: the task the worker runs. It takes the primary key,
    never the row: the row is re-read and claimed when the task runs, whatever happened
    since it was enqueued."""
    return deliver(message_id)


def deliver(message_id: int) -> str:
    """Send one queued message (the body of the `send_sms` task). Returns the row's status.

    The claim is a conditional UPDATE: only the run that moves the row from QUEUED to
    SENDING sends it, so a task run twice, or a re-queued task racing the original, sends
    once. A row not yet due (a duplicate task arriving before the back-off ends) is left
    alone for the task scheduled at its `next_attempt_at`.
    """
    now = timezone.now()
    claimed = SmsMessage.objects.filter(
        pk=message_id, status=Status.QUEUED, next_attempt_at__lte=now
    ).update(status=Status.SENDING, attempts=F("attempts") + 1, last_attempt_at=now)
    if claimed != 1:
        return "skipped"
    message = SmsMessage.objects.get(pk=message_id)
    try:
        result = get_backend().send(_outgoing(message))
    except SendError as error:
        return _record_failure(message, error)
    except Exception as error:
        # Not an error the backend understood: most likely a bug, which retrying will not
        # fix and which may have struck after the provider took the message. Staff can
        # retry it from the admin once the cause is known.
        logger.exception("SMS %s: unexpected error while sending", message_id)
        return _record_failure(message, SendError(repr(error), permanent=True))
    return _record_success(message, result)


def _outgoing(message: SmsMessage) -> OutgoingSms:
    return OutgoingSms(
        receiver=message.receiver, kind=message.kind, text=message.text, tokens=message.tokens
    )


def _record_success(message: SmsMessage, result: SendResult) -> str:
    SmsMessage.objects.filter(pk=message.pk, status=Status.SENDING).update(
        status=Status.SENT,
        sent_at=timezone.now(),
        provider_message_id=result.message_id,
        provider_status=result.status_text[:120],
        last_error="",
    )
    return Status.SENT


def _record_failure(message: SmsMessage, error: SendError) -> str:
    # Redacted here too, whatever the backend did: the text is shown in the admin and logged.
    error_text = redact_secrets(str(error))
    if error.permanent or timezone.now() >= retry_deadline(message):
        # ERROR, so that the site admins get it by e-mail (settings.LOGGING).
        logger.error(
            "SMS %s to %s failed after %s attempt(s), %s: %s",
            message.pk,
            mask_receiver(message.receiver),
            message.attempts,
            "not retried" if error.permanent else "no retries left",
            error_text,
        )
        _update_sending(message, status=Status.FAILED, last_error=error_text)
        return Status.FAILED
    next_attempt_at = timezone.now() + retry_delay(message.attempts)
    _update_sending(
        message, status=Status.QUEUED, last_error=error_text, next_attempt_at=next_attempt_at
    )
    if send_sms.get_backend().supports_defer:
        _enqueue_after_commit(message.pk, run_after=next_attempt_at)
    # Without deferral (the immediate backend) the re-queue job picks the row up once due.
    return Status.QUEUED


def _update_sending(message: SmsMessage, **fields: Any) -> None:
    SmsMessage.objects.filter(pk=message.pk, status=Status.SENDING).update(**fields)


def retry_delay(attempts: int) -> timedelta:
    """Exponential back-off after `attempts` failed attempts: 1, 2, 4… minutes, at most
    half an hour, so a message goes out soon after the provider comes back."""
    # The exponent is capped too: a 2 ** 50 timedelta would overflow.
    return min(RETRY_BASE_DELAY * 2 ** min(max(attempts - 1, 0), 16), RETRY_MAX_DELAY)


def retry_deadline(message: SmsMessage) -> datetime:
    """After this, a transient failure is final: `SMS_RETRY_HOURS` after the message was
    queued (or queued again by staff)."""
    return message.queued_at + timedelta(hours=settings.SMS_RETRY_HOURS)


def requeue_due_messages(*, grace: timedelta = REQUEUE_GRACE) -> int:
    """Give a new task to every queued message whose next attempt is overdue by `grace`
    (its task was lost), and mark failed the messages stuck in SENDING by a worker that
    died. Returns how many messages were re-queued. Run it periodically."""
    _fail_stalled_messages()
    now = timezone.now()
    due = list(
        SmsMessage.objects.filter(
            status=Status.QUEUED, next_attempt_at__lte=now - grace
        ).values_list("pk", flat=True)
    )
    with transaction.atomic():
        # Moving next_attempt_at keeps the next run of this job from enqueuing the same
        # rows again while their new tasks wait for a busy worker.
        SmsMessage.objects.filter(pk__in=due, status=Status.QUEUED).update(next_attempt_at=now)
        for message_id in due:
            _enqueue_after_commit(message_id)
    return len(due)


def _fail_stalled_messages() -> int:
    # Not retried automatically: the provider may have taken the message before the
    # worker died, and sending it twice is worse than letting staff decide.
    stalled = SmsMessage.objects.filter(
        status=Status.SENDING, last_attempt_at__lte=timezone.now() - STALLED_AFTER
    )
    count = stalled.update(
        status=Status.FAILED, last_error="The worker stopped while sending; not retried."
    )
    if count:
        logger.error("%s SMS failed: the worker stopped while sending them", count)
    return count


def retry_message(message_id: int, *, receiver: str = "") -> bool:
    """Queue a failed message again with a fresh retry window and attempt count (the
    admin's "retry now"), to `receiver` when given (the case's corrected number). Returns
    False when the message is not failed."""
    now = timezone.now()
    changes = {"receiver": normalize_mobile(receiver)} if receiver else {}
    with transaction.atomic():
        updated = SmsMessage.objects.filter(pk=message_id, status=Status.FAILED).update(
            status=Status.QUEUED, attempts=0, queued_at=now, next_attempt_at=now, **changes
        )
        if updated:
            _enqueue_after_commit(message_id)
    return bool(updated)
