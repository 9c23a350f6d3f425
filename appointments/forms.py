"""The citizen's forms: requesting a meeting and cancelling it. They only validate; the views
hand the cleaned data to appointments.services. Typed text goes through desk.text, so
Persian and Arabic digits and letters are accepted."""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundWidget
from django.utils.functional import cached_property, lazy
from django.utils.translation import gettext_lazy as _

from appointments.models import Host, MeetingSession
from appointments.services import MAX_CANCEL_REASON
from desk.cases.forms import TOO_LONG, CitizenFacingForm, CitizenForm, submission_key_field
from desk.jalali import format_jalali_long
from desk.text import normalize_text, require_text

LEAVE_TO_OFFICE = "office"


def session_label(session: MeetingSession) -> str:
    """«دوشنبه ۲ آذر ۱۴۰۵، ۰۹:۰۰ تا ۱۲:۰۰ — شهردار»"""
    return f"{format_jalali_long(session.date)}، {session.hours} — {session.host.title}"


lazy_session_label = lazy(session_label, str)


def choice_value(host: Host, session: MeetingSession | None) -> str:
    """What one radio posts: the host and the session (or the office's choice) together."""
    return f"{host.pk}-{session.pk if session else LEAVE_TO_OFFICE}"


class FirstRadioSelect(forms.RadioSelect):
    """Radios whose field is labelled by (and linked to, from the error summary) its first
    radio, so that `#id_meeting_0` takes the reader straight to the choice."""

    def id_for_label(self, id_, index=None):
        return super().id_for_label(id_, "0" if index is None else index)


@dataclass
class Option:
    radio: BoundWidget  # one radio of the field
    session: MeetingSession | None  # None: "leave the time to the office"


@dataclass
class HostGroup:
    host: Host
    options: list[Option]

    @property
    def place(self) -> str | None:
        """The place of all the host's sessions when they share one: said once, not on
        every radio (a phone's page stays short)."""
        places = {option.session.place for option in self.options if option.session}
        return places.pop() if len(places) == 1 else None


class MeetingRequestForm(CitizenForm):
    """One choice says whom the citizen meets and when: a session of one host, or that
    host with the time left to the office. A host and a session that do not belong
    together cannot be chosen, and `cleaned_data` carries both for the service."""

    field_order = ["meeting", "subject", "description"]
    mobile_help = _("The tracking code and every decision are sent to this number by SMS.")

    meeting = forms.ChoiceField(
        label=_("Whom would you like to meet, and when?"),
        widget=FirstRadioSelect,
        error_messages={
            "required": _("Please choose whom you would like to meet, and a session."),
            "invalid_choice": _(
                "That session is no longer open for requests (it may have filled up). "
                "Please choose again."
            ),
        },
    )
    subject = forms.CharField(
        label=_("Subject of the meeting"), max_length=150, error_messages={"max_length": TOO_LONG}
    )
    description = forms.CharField(
        label=_("Description (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": TOO_LONG},
    )
    # A one-time key: a double click or back-and-resubmit files one request, not two.
    submission_key = submission_key_field()

    def __init__(self, *args, sessions: Callable[[], list[MeetingSession]] = list, **kwargs):
        super().__init__(*args, **kwargs)
        self._sessions = sessions
        # `sessions` is called, and the hosts read, only when the choice is first needed
        # (checking a post, or drawing a blank form the page's fragment cache lacks).
        self.fields["meeting"].choices = self._meeting_choices

    @cached_property
    def offered(self) -> dict[str, tuple[Host, MeetingSession | None]]:
        """Each radio's value → its host and session: the host's sessions first, then the
        host with the time left to the office."""
        sessions = self._sessions()
        offered = {}
        for host in Host.objects.filter(is_active=True):
            for session in sessions:
                if session.host_id == host.pk:
                    offered[choice_value(host, session)] = (host, session)
            offered[choice_value(host, None)] = (host, None)
        return offered

    def _meeting_choices(self) -> list[tuple[str, str]]:
        # Lazy labels: the page writes each session itself (_meeting_choice.html); a label is
        # formatted only where one is shown (an error naming the choice, another template).
        return [
            (value, lazy_session_label(session) if session else _("Leave the time to the office"))
            for value, (host, session) in self.offered.items()
        ]

    @property
    def has_sessions(self) -> bool:
        return any(session for _host, session in self.offered.values())

    def host_groups(self) -> list[HostGroup]:
        """The radios grouped by host, for the template: one fieldset each."""
        groups: dict[int, HostGroup] = {}
        for radio in self["meeting"]:
            host, session = self.offered[radio.data["value"]]
            groups.setdefault(host.pk, HostGroup(host, [])).options.append(Option(radio, session))
        return list(groups.values())

    def clean(self):
        cleaned = super().clean()
        if chosen := cleaned.pop("meeting", None):
            cleaned["host"], cleaned["session"] = self.offered[chosen]
        return cleaned

    def add_error(self, field, error):
        # The service names `host` or `session`; on this form they are the one choice.
        if field in {"host", "session"}:
            field = "meeting"
        elif field is None and isinstance(error, ValidationError) and hasattr(error, "error_dict"):
            error = ValidationError(
                {
                    "meeting" if name in {"host", "session"} else name: errors
                    for name, errors in error.error_dict.items()
                }
            )
        super().add_error(field, error)

    def clean_subject(self) -> str:
        return require_text(self.cleaned_data["subject"])

    def clean_description(self) -> str:
        return normalize_text(self.cleaned_data["description"])


class CancelForm(CitizenFacingForm):
    reason = forms.CharField(
        label=_("Why are you cancelling? (a few words)"),
        max_length=MAX_CANCEL_REASON,
        error_messages={"max_length": TOO_LONG},
    )

    def clean_reason(self) -> str:
        return require_text(self.cleaned_data["reason"])
