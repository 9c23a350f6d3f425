"""Keeping secrets and citizens' numbers out of what we store and log.

Kavenegar takes the API key in the request path (`https://api.kavenegar.com/v1/<key>/sms/
send.json`), and `requests` repeats the path in its error texts ("Max retries exceeded with
url: /v1/<key>/sms/send.json"). Every error text the SMS outbox stores or logs goes through
`redact_secrets`, and `RedactSecretsFilter` does the same for every log record, tracebacks
included, on the way out.

Imported by the logging configuration before the apps are loaded: no models here.
"""

import contextlib
import logging
import re
from urllib.parse import quote

from django.conf import settings

REDACTED = "[redacted]"

# The segment between the API version and the action of a Kavenegar path, whatever the key:
# one rotated out of the settings is still a key.
_KAVENEGAR_PATH_KEY = re.compile(r"(?P<version>/v\d+/)[^/\s'\"]+(?=/\w+/\w+\.json)")


def redact_secrets(text: str, *secrets: str) -> str:
    """`text` with the configured Kavenegar API key, any other `secrets`, and the key
    segment of any Kavenegar API path replaced by "[redacted]"."""
    for secret in (settings.KAVENEGAR_API_KEY, *secrets):
        if secret:
            text = text.replace(secret, REDACTED).replace(quote(secret, safe=""), REDACTED)
    return _KAVENEGAR_PATH_KEY.sub(rf"\g<version>{REDACTED}", text)


def mask_receiver(mobile: str) -> str:
    """A mobile number as logs show it: enough to tell numbers apart, not to call one."""
    return f"{mobile[:4]}*****{mobile[-2:]}" if len(mobile) > 6 else "*" * len(mobile)


class RedactSecretsFilter(logging.Filter):
    """Redacts secrets from a log record's message, arguments, traceback and stack before a
    handler writes or mails it. Put it on every handler: a handler's filters also see the
    records that propagate from other loggers, a logger's filters do not."""

    def filter(self, record: logging.LogRecord) -> bool:
        for redact in (self._redact_message, self._redact_traceback):
            # A record whose arguments do not fit its message raises here: logging reports
            # that itself when it formats the record, and a filter must never break the caller.
            with contextlib.suppress(Exception):
                redact(record)
        return True

    def _redact_message(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        clean = redact_secrets(message)
        if clean != message:
            record.msg, record.args = clean, ()

    def _redact_traceback(self, record: logging.LogRecord) -> None:
        if record.exc_info or record.exc_text:
            text = record.exc_text or logging.Formatter().formatException(record.exc_info)
            record.exc_text = redact_secrets(text)
            if record.exc_text != text:
                # Handlers that read the frames themselves (the admins' e-mail) would find
                # the key again in the exception or its local variables.
                record.exc_info = None
        if record.stack_info:
            record.stack_info = redact_secrets(record.stack_info)
