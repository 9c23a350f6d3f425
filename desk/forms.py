from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from desk import codes
from desk.cases.forms import CitizenFacingForm
from desk.text import normalize_mobile

CODE_ERRORS = {
    "format": _("A tracking code has 12 digits. Please check the code in your SMS."),
    "check_digit": _(
        "This tracking code is mistyped: one of its digits is wrong or two are swapped. "
        "Please check it against your SMS."
    ),
}


class TrackForm(CitizenFacingForm):
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
