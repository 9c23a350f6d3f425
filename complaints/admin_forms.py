"""The forms of the complaints back office: registering a walk-in or phone complaint, and one
form per transition. Each transition form knows its service function (`perform`), so the
admin views only validate, call and report."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from complaints import services
from complaints.models import Complaint, ComplaintCategory, Outcome
from desk import codes
from desk.cases import admin as desk_admin
from desk.forms import CODE_ERRORS
from desk.models import Department

_textarea = desk_admin.textarea


class ComplaintAddForm(desk_admin.WalkInAddForm):
    """A complaint a clerk registers for a citizen at the desk or on the phone; saved only
    through `services.submit_complaint`, like one filed on the web."""

    category = forms.ModelChoiceField(
        label=_("subject area"),
        queryset=ComplaintCategory.objects.filter(is_active=True).select_related("department"),
    )

    model = Complaint
    model_fields = ["kind", "subject", "description", "place"]

    def submit(self, *, actor: Any) -> Complaint:
        return services.submit_complaint(**self.cleaned_data, actor=actor)


class StepForm(desk_admin.StepForm):
    """A complaint's transition form; a reply template of its action may fill its
    `text_field`."""

    @property
    def complaint(self) -> Complaint:
        return self.case


class StartReviewForm(StepForm):
    transition = services.START_REVIEW
    title = _("Start the review")
    done_message = _("The review has started.")

    note = forms.CharField(label=_("note (optional)"), required=False, widget=_textarea(2))

    def perform(self) -> Complaint:
        return services.start_review(
            self.complaint, actor=self.user, note=self.cleaned_data["note"]
        )


class ReferForm(StepForm):
    transition = services.REFER
    title = _("Refer to a unit")
    done_message = _("The case was referred; the citizen is told by SMS.")
    text_field = "note"

    department = forms.ModelChoiceField(label=_("unit"), queryset=Department.objects.active())
    note = forms.CharField(label=_("referral note"), required=False, widget=_textarea())
    note_is_public = forms.BooleanField(
        label=_("show the note to the citizen"),
        required=False,
        help_text=_("Unticked, the note is for the unit only; the citizen sees where it went."),
    )

    def perform(self) -> Complaint:
        data = self.cleaned_data
        return services.refer_complaint(
            self.complaint,
            department=data["department"],
            actor=self.user,
            note=data["note"],
            note_is_public=data["note_is_public"],
        )


class AnswerForm(StepForm):
    transition = services.ANSWER
    title = _("Answer the citizen")
    done_message = _("The answer was sent to the citizen.")
    text_field = "answer"

    answer = forms.CharField(
        label=_("answer"),
        widget=_textarea(6),
        help_text=_("The citizen reads this on the tracking page and by SMS."),
    )

    def perform(self) -> Complaint:
        return services.answer_complaint(
            self.complaint, actor=self.user, answer=self.cleaned_data["answer"]
        )


class CloseForm(StepForm):
    transition = services.CLOSE
    title = _("Close the case")
    done_message = _("The case was closed; the citizen is told by SMS.")
    text_field = "note"

    outcome = forms.ChoiceField(label=_("outcome"), choices=Outcome.choices)
    note = forms.CharField(label=_("closing note"), required=False, widget=_textarea())

    def perform(self) -> Complaint:
        data = self.cleaned_data
        return services.close_complaint(
            self.complaint, actor=self.user, outcome=data["outcome"], note=data["note"]
        )


class OutOfJurisdictionForm(StepForm):
    transition = services.OUT_OF_JURISDICTION
    title = _("Not our jurisdiction")
    done_message = _("The case was marked as not our jurisdiction; the citizen is told by SMS.")
    text_field = "guidance"

    guidance = forms.CharField(
        label=_("guidance for the citizen"),
        widget=_textarea(),
        help_text=_("Where should the citizen go with this request?"),
    )

    def perform(self) -> Complaint:
        return services.mark_out_of_jurisdiction(
            self.complaint, actor=self.user, guidance=self.cleaned_data["guidance"]
        )


class DuplicateForm(StepForm):
    transition = services.DUPLICATE
    title = _("Duplicate of another case")
    done_message = _("The case was marked as a duplicate; the citizen is told by SMS.")

    original = forms.CharField(
        label=_("tracking code of the original case"),
        max_length=40,
        widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "numeric"}),
    )
    note = forms.CharField(label=_("note (optional)"), required=False, widget=_textarea(2))

    def clean_original(self) -> Complaint:
        try:
            code = codes.parse_code(self.cleaned_data["original"])
        except codes.CodeError as error:
            raise ValidationError(CODE_ERRORS[error.reason], code=error.reason) from None
        original = Complaint.objects.for_staff(self.user).filter(tracking_code=code).first()
        if original is None:
            raise ValidationError(_("There is no case with this tracking code."), code="missing")
        return original

    def perform(self) -> Complaint:
        data = self.cleaned_data
        return services.mark_duplicate(
            self.complaint, original=data["original"], actor=self.user, note=data["note"]
        )


class InternalNoteForm(desk_admin.InternalNoteForm, StepForm):
    transition = services.INTERNAL_NOTE


class CorrectForm(desk_admin.CorrectDetailsForm, StepForm):
    transition = services.CORRECT
    model_fields = ["category"]

    def perform(self) -> Complaint:
        return services.correct_complaint(self.case, actor=self.user, changes=self.changes())


STEP_FORMS: dict[str, type[StepForm]] = {
    form.action(): form
    for form in [
        StartReviewForm,
        ReferForm,
        AnswerForm,
        CloseForm,
        OutOfJurisdictionForm,
        DuplicateForm,
        InternalNoteForm,
        CorrectForm,
    ]
}
