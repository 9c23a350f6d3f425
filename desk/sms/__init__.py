"""The SMS notifier: what case apps call to tell a citizen something by SMS.

    from desk import sms

    with transaction.atomic():
        complaint.answer(...)
        sms.queue_sms(receiver=complaint.mobile, kind="complaint_answered",
                      context={"complaint": complaint}, tracking_code=complaint.code)

The text is `templates/sms/<kind>.txt`. Nothing is sent in the request: the row is written
in the caller's transaction and a background task sends it after the commit.
"""

from desk.sms.backends import OutgoingSms, SendError, SendResult, get_backend
from desk.sms.outbox import (
    queue_sms,
    render_sms,
    requeue_due_messages,
    retry_message,
)

__all__ = [
    "OutgoingSms",
    "SendError",
    "SendResult",
    "get_backend",
    "queue_sms",
    "render_sms",
    "requeue_due_messages",
    "retry_message",
]
