"""The citizen's forms: requesting a meeting and cancelling it. They only validate; the views
hand the cleaned data to appointments.services. Typed text goes through desk.text, so
Persian and Arabic digits and letters are accepted."""

from django import forms
from django.utils.translation import gettext_lazy as _

from appointments.models import Host, MeetingSession
from appointments.services import MAX_CANCEL_REASON
from desk.cases.forms import TOO_LONG, CitizenFacingForm, CitizenForm, submission_key_field
from desk.jalali import format_jalali_long
from desk.text import normalize_text, require_text, to_persian_digits

LEAVE_TO_OFFICE = ""


def session_label(session: MeetingSession) -> str:
    """«دوشنبه ۲ آذر ۱۴۰۵، ۰۹:۰۰ تا ۱۲:۰۰ — شهردار»"""
    hours = to_persian_digits(f"{session.start_time:%H:%M} – {session.end_time:%H:%M}")
    return f"{format_jalali_long(session.date)}، {hours} — {session.host.title}"


class MeetingRequestForm(CitizenForm):
    field_order = ["host", "session", "subject", "description"]
    mobile_help = _("The tracking code and every decision are sent to this number by SMS.")

    host = forms.ModelChoiceField(
        label=_("Whom would you like to meet?"),
        queryset=Host.objects.filter(is_active=True),
        empty_label=None,
    )
    session = forms.ChoiceField(
        label=_("Session"),
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Choose a session with free places, or leave the choice to the office."),
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

    def __init__(self, *args, sessions: list[MeetingSession] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.sessions = {str(session.pk): session for session in sessions}
        self.fields["session"].choices = [(LEAVE_TO_OFFICE, _("Leave it to the office"))] + [
            (key, session_label(session)) for key, session in self.sessions.items()
        ]
        self.fields["session"].initial = LEAVE_TO_OFFICE

    def clean_session(self) -> MeetingSession | None:
        return self.sessions.get(self.cleaned_data["session"])

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
