"""The citizen's forms for a service request: applying online with one upload per document
the card asks, and sending new files for the documents staff refused. They only validate;
the views hand the cleaned data to processes.services."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from desk.cases.forms import (
    TOO_LONG,
    CheckedFileField,
    CitizenFacingForm,
    CitizenForm,
    submission_key_field,
)
from desk.text import LocalNumber, normalize_text
from desk.uploads import MAX_UPLOAD_BYTES, CheckedUpload
from processes.models import ACCEPTED_CONTENT_TYPES, AcceptedTypes
from processes.services import document_field, slot_field

MAX_DESCRIPTION = 2000

TYPE_HELP = {
    AcceptedTypes.PDF_OR_IMAGE: _("A JPEG or PNG photo or a PDF, at most {mb} MB."),
    AcceptedTypes.PDF: _("A PDF, at most {mb} MB."),
    AcceptedTypes.IMAGE: _("A JPEG or PNG photo, at most {mb} MB."),
}


def document_upload_field(*, name: str, description: str, accepted_types: str, required: bool):
    """The upload of one document, labelled with its name, saying what it takes."""
    limits = format_lazy(TYPE_HELP[accepted_types], mb=LocalNumber(MAX_UPLOAD_BYTES // 2**20))
    return CheckedFileField(
        label=name if required else format_lazy(_("{name} (optional)"), name=name),
        required=required,
        accept=ACCEPTED_CONTENT_TYPES[accepted_types],
        help_text=format_lazy("{} {}", description, limits) if description else limits,
    )


class ServiceRequestForm(CitizenForm):
    """Applying online: the citizen's details (the national code required), a note, and a
    file for each document the card has uploaded online."""

    mobile_help = _("The tracking code and every step of the request are sent to this number.")

    description = forms.CharField(
        label=_("Anything to add (optional)"),
        max_length=MAX_DESCRIPTION,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": TOO_LONG},
        help_text=_("E.g. the address of the property or the shop the request is about."),
    )
    submission_key = submission_key_field()

    def __init__(self, *args, documents, **kwargs):
        super().__init__(*args, **kwargs)
        national_code = self.fields["national_code"]
        national_code.required = True
        national_code.label = _("National code")
        self.documents = list(documents)
        for document in self.documents:
            self.fields[document_field(document.pk)] = document_upload_field(
                name=document.name,
                description=document.description,
                accepted_types=document.accepted_types,
                required=document.mandatory,
            )

    def clean_description(self) -> str:
        return normalize_text(self.cleaned_data["description"])

    def document_fields(self) -> list:
        return [self[document_field(document.pk)] for document in self.documents]

    def uploads(self) -> dict[int, CheckedUpload]:
        """The checked files, by the card's document id."""
        return {
            document.pk: upload
            for document in self.documents
            if (upload := self.cleaned_data.get(document_field(document.pk)))
        }


class CorrectionForm(CitizenFacingForm):
    """New files for the documents staff refused: one upload for each, all required."""

    note = forms.CharField(
        label=_("A note for the reviewer (optional)"),
        max_length=MAX_DESCRIPTION,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": TOO_LONG},
    )

    def __init__(self, *args, slots, **kwargs):
        super().__init__(*args, **kwargs)
        self.slots = list(slots)
        for slot in self.slots:
            self.fields[slot_field(slot.pk)] = document_upload_field(
                name=slot.name, description="", accepted_types=slot.accepted_types, required=True
            )
        self.order_fields([slot_field(slot.pk) for slot in self.slots])

    def clean_note(self) -> str:
        return normalize_text(self.cleaned_data["note"])

    def slot_fields(self) -> list:
        return [self[slot_field(slot.pk)] for slot in self.slots]

    def replacements(self) -> dict[int, CheckedUpload]:
        return {
            slot.pk: upload
            for slot in self.slots
            if (upload := self.cleaned_data.get(slot_field(slot.pk)))
        }
