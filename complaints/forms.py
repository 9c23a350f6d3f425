"""The citizen's forms: filing a complaint, adding information, objecting to an answer.

Everything typed goes through desk.text, so Persian and Arabic digits and letters are
accepted; every file goes through desk.uploads.check_upload, which judges it by content.
The forms only validate: the views hand the cleaned data to complaints.services.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from complaints.models import ComplaintCategory, Kind
from complaints.services import MAX_ATTACHMENTS
from desk.cases.forms import (
    TOO_LONG,
    CitizenFacingForm,
    CitizenForm,
    files_field,
    submission_key_field,
)
from desk.text import normalize_text, require_text

MAX_DESCRIPTION = 5000
MAX_NOTE = 2000


class ComplaintForm(CitizenForm):
    field_order = ["kind", "category", "subject", "description", "place"]
    mobile_help = _("The tracking code and every answer are sent to this number by SMS.")

    kind = forms.ChoiceField(
        label=_("What would you like to send?"),
        choices=Kind.choices,
        initial=Kind.COMPLAINT,
        widget=forms.RadioSelect,
    )
    category = forms.ModelChoiceField(
        label=_("Subject area"),
        queryset=ComplaintCategory.objects.filter(is_active=True),
        empty_label=_("Choose…"),
    )
    subject = forms.CharField(
        label=_("Subject"),
        max_length=150,
        error_messages={"max_length": TOO_LONG},
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"max_length": TOO_LONG},
        help_text=_("What happened, when, and what you expect the municipality to do."),
    )
    place = forms.CharField(
        label=_("Address or place (optional)"),
        max_length=250,
        required=False,
        error_messages={"max_length": TOO_LONG},
    )
    files = files_field(MAX_ATTACHMENTS)
    # A one-time key: a double click or back-and-resubmit files one complaint, not two.
    submission_key = submission_key_field()

    def clean_subject(self) -> str:
        return require_text(self.cleaned_data["subject"])

    def clean_description(self) -> str:
        return require_text(self.cleaned_data["description"])

    def clean_place(self) -> str:
        return normalize_text(self.cleaned_data["place"])


class CitizenInfoForm(CitizenFacingForm):
    """More information from the citizen while the case is open."""

    text = forms.CharField(
        label=_("Your additional information"),
        max_length=MAX_NOTE,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": TOO_LONG},
    )

    def __init__(self, *args, room: int = MAX_ATTACHMENTS, **kwargs):
        super().__init__(*args, **kwargs)
        if room > 0:
            self.fields["files"] = files_field(room)

    def clean_text(self) -> str:
        return normalize_text(self.cleaned_data["text"])

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("text") and not cleaned.get("files"):
            raise ValidationError(_("Write something or attach a file."), code="empty")
        return cleaned


class ReopenForm(CitizenFacingForm):
    """The citizen's objection to the answer."""

    reason = forms.CharField(
        label=_("Why does the answer not settle your request?"),
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": TOO_LONG},
    )

    def clean_reason(self) -> str:
        return require_text(self.cleaned_data["reason"])
