"""Why an SMS was not sent, in Persian for the clerk who must act on it: the provider's
status (Kavenegar's documented codes) explained with what to do, else the stored text."""

import re

from django.utils.translation import gettext as _

from desk.text import local_digits

_STATUS = re.compile(r"^Kavenegar (\d{3}):\s*(.*)$", re.DOTALL)


def explain(last_error: str) -> str:
    """The stored error of a message (desk.models.SmsMessage.last_error), for a person."""
    if not last_error:
        return ""
    if last_error.startswith("Kavenegar unreachable"):
        return _("The SMS provider could not be reached (network or provider outage).")
    if last_error.startswith("The worker stopped while sending"):
        return _("The sending was cut short; it is not known whether the SMS left.")
    if match := _STATUS.match(last_error):
        status, said = int(match.group(1)), match.group(2).strip()
        reason = _reasons().get(status)
        if reason is None and status >= 500:
            reason = _("The SMS provider had an error of its own.")
        if reason:
            return f"{reason} ({_('provider code')} {local_digits(status)})"
        return f"{said or last_error} ({_('provider code')} {local_digits(status)})"
    return last_error


def _reasons() -> dict[int, str]:
    return {
        401: _("The SMS account is disabled: the administrator must check it."),
        403: _("The SMS provider refused the API key: the administrator must check it."),
        409: _("The SMS provider could not answer then; it is tried again."),
        411: _("The mobile number is not valid for the provider: correct it on the case."),
        412: _("The sender line is not valid: the administrator must check the settings."),
        413: _("The message was empty or too long."),
        418: _("The SMS account has no credit left: it must be topped up."),
        422: _("The message has characters the provider cannot send."),
        424: _("The provider's message template was not found: check the template names."),
        429: _("Too many messages at once; it is tried again."),
    }
