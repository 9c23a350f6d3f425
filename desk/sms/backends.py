"""Where an SMS actually goes, chosen by `settings.SMS_BACKEND` like Django's e-mail backends.

A backend sends one message and either returns what the provider said about it or raises
`SendError`, which says whether trying again could help. Backends know nothing of the outbox
table: the worker in `desk.sms.outbox` owns attempts, back-off and the log.
"""

import re
import sys
from dataclasses import dataclass, field
from typing import TextIO

import requests
from django.conf import settings
from django.utils.module_loading import import_string
from kavenegar import APIException, HTTPException, KavenegarAPI

from desk.redaction import REDACTED, redact_secrets

# Template tokens Kavenegar's verify/lookup accepts. Only token10 and token20 may hold spaces.
TOKEN_NAMES = ("token", "token2", "token3", "token10", "token20")
SPACED_TOKENS = frozenset({"token10", "token20"})


@dataclass(frozen=True)
class OutgoingSms:
    receiver: str
    kind: str
    text: str
    tokens: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SendResult:
    message_id: str = ""
    status_text: str = ""


class SendError(Exception):
    """The provider did not take the message. `permanent` errors (a wrong number, a message
    the provider refuses) fail at once; the others are retried with back-off."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


class BaseSmsBackend:
    def send(self, sms: OutgoingSms) -> SendResult:
        raise NotImplementedError


class ConsoleBackend(BaseSmsBackend):
    """Prints the message: the development default, so nothing leaves the laptop."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stdout

    def send(self, sms: OutgoingSms) -> SendResult:
        tokens = f" {sms.tokens}" if sms.tokens else ""
        self.stream.write(f"--- SMS to {sms.receiver} ({sms.kind}){tokens}\n{sms.text}\n---\n")
        self.stream.flush()
        return SendResult(status_text="console")


# What the locmem backend has sent, in order, for tests (like django.core.mail.outbox).
outbox: list[OutgoingSms] = []


class LocmemBackend(BaseSmsBackend):
    def send(self, sms: OutgoingSms) -> SendResult:
        outbox.append(sms)
        return SendResult(message_id=f"locmem-{len(outbox)}", status_text="locmem")


# Kavenegar return statuses worth retrying (with any 5xx). 409: the provider cannot answer
# now; 429: too many requests; 418: insufficient credit. Kavenegar charges only for the
# messages it accepts, so retrying once the credit is topped up loses nothing and costs
# nothing extra.
KAVENEGAR_TRANSIENT_STATUSES = frozenset({409, 418, 429})
KAVENEGAR_TIMEOUT_SECONDS = 15
_API_STATUS = re.compile(r"APIException\[(\d+)\]\s*(.*)", re.DOTALL)


class _TimedKavenegarAPI(KavenegarAPI):
    """The library posts without a timeout, so a provider that accepts the connection and
    never answers would hold the worker forever. Same request, same exceptions, a timeout."""

    def __repr__(self) -> str:
        # The library's own repr and str show the API key, and error reports print locals.
        return f"{type(self).__name__}(apikey='{REDACTED}')"

    __str__ = __repr__

    def _request(self, action, method, params=None):
        url = f"https://{self.host}/{self.version}/{self.apikey}/{action}/{method}.json"
        try:
            response = requests.post(
                url, headers=self.headers, data=params or {}, timeout=KAVENEGAR_TIMEOUT_SECONDS
            )
        except requests.exceptions.RequestException as e:
            raise HTTPException(e) from e
        try:
            body = response.json()
            status, message = body["return"]["status"], body["return"]["message"]
        except (ValueError, KeyError, TypeError) as e:
            # Not one of Kavenegar's replies: a proxy's error page, a cut connection. Its
            # HTTP status tells staff more than the JSON parser's complaint would.
            raise HTTPException(f"HTTP {response.status_code}, not a Kavenegar reply") from e
        if status != 200:
            raise APIException(f"APIException[{status}] {message}")
        return body["entries"]


class KavenegarBackend(BaseSmsBackend):
    """Kavenegar (kavenegar.com): plain `sms/send` from our sender line, or `verify/lookup`
    with an approved template for the kinds named in `settings.KAVENEGAR_TEMPLATES`
    (approved templates reach numbers that block advertising and go out faster)."""

    def __init__(
        self,
        api_key: str | None = None,
        sender: str | None = None,
        templates: dict[str, str] | None = None,
    ) -> None:
        self.api = _TimedKavenegarAPI(api_key or settings.KAVENEGAR_API_KEY)
        self.sender = sender if sender is not None else settings.KAVENEGAR_SENDER
        self.templates = templates if templates is not None else settings.KAVENEGAR_TEMPLATES

    def send(self, sms: OutgoingSms) -> SendResult:
        template = self.templates.get(sms.kind)
        try:
            if template:
                entries = self.api.verify_lookup(lookup_params(sms, template))
            else:
                entries = self.api.sms_send(self.send_params(sms))
        except APIException as e:
            raise api_error(e) from e
        except HTTPException as e:
            # requests' error texts repeat the URL, and the URL holds the API key.
            raise SendError(redact_secrets(f"Kavenegar unreachable: {e}", self.api.apikey)) from e
        entry = (entries or [{}])[0]
        return SendResult(
            message_id=str(entry.get("messageid", "")),
            status_text=str(entry.get("statustext", "")),
        )

    def send_params(self, sms: OutgoingSms) -> dict[str, str]:
        params = {"receptor": sms.receiver, "message": sms.text}
        if self.sender:  # without one, Kavenegar sends from the account's default line
            params["sender"] = self.sender
        return params


def lookup_params(sms: OutgoingSms, template: str) -> dict[str, str]:
    """verify/lookup parameters. Kavenegar refuses spaces in token, token2 and token3, so
    spaces there become zero-width non-joiners: Persian words stay readable and apart."""
    if not sms.tokens.get("token"):
        raise SendError(f"Template {template!r} needs at least the token 'token'", permanent=True)
    params = {"receptor": sms.receiver, "template": template}
    for name, value in sms.tokens.items():
        words = str(value).split()
        if words:
            params[name] = (" " if name in SPACED_TOKENS else "\u200c").join(words)
    return params


def api_error(error: APIException) -> SendError:
    """Turn the library's APIException into a SendError that knows if it is permanent."""
    text = error.args[0] if error.args else ""
    if isinstance(text, bytes):  # the library encodes its message to bytes
        text = text.decode("utf-8", errors="replace")
    match = _API_STATUS.search(str(text))
    if not match:
        return SendError(redact_secrets(f"Kavenegar: {text}"))
    status = int(match.group(1))
    transient = status >= 500 or status in KAVENEGAR_TRANSIENT_STATUSES
    return SendError(f"Kavenegar {status}: {match.group(2)}", permanent=not transient)


BACKENDS = {
    "console": ConsoleBackend,
    "locmem": LocmemBackend,
    "kavenegar": KavenegarBackend,
}


def get_backend(name: str | None = None) -> BaseSmsBackend:
    """The backend named by `settings.SMS_BACKEND`: a short name or a dotted class path."""
    name = name or settings.SMS_BACKEND
    backend_class = BACKENDS.get(name) or import_string(name)
    return backend_class()
