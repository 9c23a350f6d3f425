"""The citizen's forms: requesting a meeting and cancelling it. They only validate; the views
hand the cleaned data to appointments.services. Typed text goes through desk.text, so
Persian and Arabic digits and letters are accepted."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from appointments.models import Host, MeetingSession
from appointments.services import MAX_CANCEL_REASON
from desk.jalali import format_jalali_long
from desk.text import normalize_mobile, normalize_national_code, normalize_text, to_persian_digits

TOO_LONG = _("This text can be at most %(limit_value)d characters long; it has %(show_value)d.")
LEAVE_TO_OFFICE = ""


def session_label(session: MeetingSession) -> str:
    """«دوشنبه ۲ آذر ۱۴۰۵، ۰۹:۰۰ تا ۱۲:۰۰ — شهردار»"""
    hours = to_persian_digits(f"{session.start_time:%H:%M} – {session.end_time:%H:%M}")
    return f"{format_jalali_long(session.date)}، {hours} — {session.host.title}"


class MeetingRequestForm(forms.Form):
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
    citizen_name = forms.CharField(
        label=_("Full name"),
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"max_length": TOO_LONG},
    )
    mobile = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        help_text=_("The tracking code and every decision are sent to this number by SMS."),
        widget=forms.TextInput(
            attrs={"inputmode": "tel", "autocomplete": "tel", "dir": "ltr", "placeholder": "09…"}
        ),
    )
    national_code = forms.CharField(
        label=_("National code (optional)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "dir": "ltr"}),
    )

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
        return _required_text(self.cleaned_data["subject"])

    def clean_description(self) -> str:
        return normalize_text(self.cleaned_data["description"])

    def clean_citizen_name(self) -> str:
        return _required_text(self.cleaned_data["citizen_name"])

    def clean_mobile(self) -> str:
        return normalize_mobile(self.cleaned_data["mobile"])

    def clean_national_code(self) -> str:
        code = self.cleaned_data["national_code"]
        return normalize_national_code(code) if code else ""

    def clean(self):
        cleaned = super().clean()
        session, host = cleaned.get("session"), cleaned.get("host")
        if session and host and session.host_id != host.pk:
            self.add_error("session", _("This session is with someone else; choose one of theirs."))
        return cleaned


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are you cancelling? (a few words)"),
        max_length=MAX_CANCEL_REASON,
        error_messages={"max_length": TOO_LONG},
    )

    def clean_reason(self) -> str:
        return _required_text(self.cleaned_data["reason"])


def _required_text(value: str) -> str:
    value = normalize_text(value)
    if not value:
        raise ValidationError(forms.Field.default_error_messages["required"], code="required")
    return value
