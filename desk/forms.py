import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from desk import codes
from desk.text import normalize_mobile, normalize_national_code, normalize_text

CODE_ERRORS = {
    "format": _("A tracking code has 12 digits. Please check the code in your SMS."),
    "check_digit": _(
        "This tracking code is mistyped: one of its digits is wrong or two are swapped. "
        "Please check it against your SMS."
    ),
}


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "dir": "ltr"}),
    )
    mobile = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        help_text=_("The mobile number you gave when you filed the request."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel", "dir": "ltr"}),
    )

    def clean_code(self) -> str:
        try:
            return codes.parse_code(self.cleaned_data["code"])
        except codes.CodeError as error:
            raise ValidationError(CODE_ERRORS[error.reason], code=error.reason) from None

    def clean_mobile(self) -> str:
        return normalize_mobile(self.cleaned_data["mobile"])


TOO_LONG = _("This text can be at most %(limit_value)d characters long; it has %(show_value)d.")


def required_text(value: str) -> str:
    """Normalised text that must not be empty once normalised (direction marks or
    Arabic-only spacing can leave nothing)."""
    value = normalize_text(value)
    if not value:
        raise ValidationError(forms.Field.default_error_messages["required"], code="required")
    return value


def submission_key_field(*, required: bool = False) -> forms.UUIDField:
    """A hidden one-time key, new on every blank form and posted back with it: the service
    returns the case already filed with it, so a double click or back-and-resubmit files one
    case, not two."""
    return forms.UUIDField(required=required, widget=forms.HiddenInput, initial=uuid.uuid4)


class CitizenForm(forms.Form):
    """The citizen's name, mobile and national code, asked the same way by every case form.

    Subclasses put their own fields first with `field_order` and may set `mobile_help`.
    """

    mobile_help = _("The tracking code is sent to this number by SMS.")

    citizen_name = forms.CharField(
        label=_("Full name"),
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"max_length": TOO_LONG},
    )
    mobile = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mobile"].help_text = self.mobile_help

    def clean_citizen_name(self) -> str:
        return required_text(self.cleaned_data["citizen_name"])

    def clean_mobile(self) -> str:
        return normalize_mobile(self.cleaned_data["mobile"])

    def clean_national_code(self) -> str:
        code = self.cleaned_data["national_code"]
        return normalize_national_code(code) if code else ""
