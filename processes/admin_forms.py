"""The forms of the service-requests back office: registering a request at the counter, and
one form per staff move. Each calls its service function in `perform`, so the admin views
only validate, call and report."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from desk.admin import JalaliDateField
from desk.cases import admin as desk_admin
from processes import services
from processes.models import DocumentReview, Service, ServiceRequest

_textarea = desk_admin.textarea
JALALI_HELP = _("Jalali, e.g. 1405/09/10.")


class ServiceRequestAddForm(desk_admin.WalkInAddForm):
    """A request a clerk registers for a citizen at the counter; the clerk sees the original
    documents there, so none is uploaded here. Filed through the same service as the web."""

    model = ServiceRequest
    model_fields = ["description"]

    service = forms.ModelChoiceField(
        label=_("service"), queryset=Service.objects.published().select_related("department")
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["national_code"].required = True

    def submit(self, *, actor: Any) -> ServiceRequest:
        data = self.cleaned_data
        return services.submit_service_request(
            service=data["service"],
            citizen_name=data["citizen_name"],
            mobile=data["mobile"],
            national_code=data["national_code"],
            description=data.get("description", ""),
            channel=data["channel"],
            submission_key=data["submission_key"],
            actor=actor,
        )


class StepForm(desk_admin.StepForm):
    @property
    def service_request(self) -> ServiceRequest:
        return self.case


class StartReviewForm(StepForm):
    transition = services.START_REVIEW
    title = _("Start the review")
    done_message = _("The review has started.")

    def perform(self) -> ServiceRequest:
        return services.start_review(self.service_request, actor=self.user)


VERDICTS = [
    (DocumentReview.ACCEPTED, _("accept")),
    (DocumentReview.REFUSED, _("refuse")),
]


class ReviewDocumentsForm(StepForm):
    """A verdict on each document, with a reason for each refusal: any refusal sends the
    request back to the citizen, all accepted starts the work."""

    transition = services.ACCEPT
    title = _("Review the documents")
    done_message = _("The verdicts were saved; the citizen is told by SMS.")

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.slots = list(self.case.documents.all())
        for slot in self.slots:
            initial = slot.review if slot.review != DocumentReview.PENDING else None
            self.fields[f"verdict_{slot.pk}"] = forms.ChoiceField(
                label=slot.name,
                choices=VERDICTS,
                widget=forms.RadioSelect,
                initial=initial,
                required=slot.mandatory,
            )
            self.fields[f"reason_{slot.pk}"] = forms.CharField(
                label=_("reason for refusing “%(name)s”") % {"name": slot.name},
                required=False,
                initial=slot.refusal_reason,
                widget=_textarea(2),
                help_text=_("The citizen reads it; say what to send instead."),
            )

    def clean(self):
        cleaned = super().clean()
        for slot in self.slots:
            if (
                cleaned.get(f"verdict_{slot.pk}") == DocumentReview.REFUSED
                and not (cleaned.get(f"reason_{slot.pk}") or "").strip()
            ):
                self.add_error(f"reason_{slot.pk}", _("Say why this document is refused."))
        return cleaned

    def perform(self) -> ServiceRequest:
        data = self.cleaned_data
        verdicts = {
            slot.pk: (data[f"verdict_{slot.pk}"], data[f"reason_{slot.pk}"])
            for slot in self.slots
            if data.get(f"verdict_{slot.pk}")
        }
        return services.review_documents(self.service_request, verdicts=verdicts, actor=self.user)


class MarkReadyForm(StepForm):
    transition = services.MARK_READY
    title = _("Ready: set the date to come")
    text_field = "note"
    done_message = _("The date was set; the citizen is told by SMS.")

    ready_date = JalaliDateField(
        label=_("next visit or delivery date"),
        help_text=_("A working day; Jalali, e.g. 1405/09/10."),
    )
    note = forms.CharField(label=_("note (optional)"), required=False, widget=_textarea(2))

    def perform(self) -> ServiceRequest:
        data = self.cleaned_data
        return services.mark_ready(
            self.service_request, ready_date=data["ready_date"], actor=self.user, note=data["note"]
        )


class CompleteForm(StepForm):
    transition = services.COMPLETE
    title = _("Delivered: complete the request")
    text_field = "note"
    done_message = _("The request was completed; the citizen is told by SMS.")

    note = forms.CharField(label=_("note (optional)"), required=False, widget=_textarea(2))

    def perform(self) -> ServiceRequest:
        return services.complete_request(
            self.service_request, actor=self.user, note=self.cleaned_data["note"]
        )


class RejectForm(StepForm):
    transition = services.REJECT
    title = _("Reject the request")
    text_field = "reason"
    done_message = _("The request was rejected; the citizen is told by SMS.")

    reason = forms.CharField(
        label=_("reason"),
        widget=_textarea(),
        help_text=_("The citizen reads this on the tracking page and by SMS."),
    )

    def perform(self) -> ServiceRequest:
        return services.reject_request(
            self.service_request, actor=self.user, reason=self.cleaned_data["reason"]
        )


class InquiryForm(StepForm):
    transition = services.INQUIRY_SENT
    title = _("Record an inquiry to another agency")
    done_message = _("The inquiry was recorded.")

    agency = forms.CharField(label=_("agency"), max_length=200)
    subject = forms.CharField(label=_("subject"), max_length=250)
    sent_on = JalaliDateField(label=_("sent on"), help_text=JALALI_HELP)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["sent_on"].initial = timezone.localdate()

    def perform(self):
        data = self.cleaned_data
        return services.record_inquiry(
            self.service_request,
            agency=data["agency"],
            subject=data["subject"],
            sent_on=data["sent_on"],
            actor=self.user,
        )


class InquiryAnswerForm(StepForm):
    transition = services.INQUIRY_ANSWERED
    title = _("Record an inquiry's answer")
    done_message = _("The answer was recorded.")

    inquiry = forms.ModelChoiceField(label=_("inquiry"), queryset=None)
    answered_on = JalaliDateField(label=_("answered on"), help_text=JALALI_HELP)
    result = forms.CharField(label=_("result"), widget=_textarea())

    @classmethod
    def allowed_for(cls, case: Any) -> bool:
        return super().allowed_for(case) and any(i.is_open for i in case.inquiries.all())

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["inquiry"].queryset = self.case.inquiries.filter(answered_on__isnull=True)
        self.fields["answered_on"].initial = timezone.localdate()

    def perform(self):
        data = self.cleaned_data
        return services.record_inquiry_answer(
            data["inquiry"], answered_on=data["answered_on"], result=data["result"], actor=self.user
        )


class InternalNoteForm(desk_admin.InternalNoteForm, StepForm):
    transition = services.INTERNAL_NOTE


class CorrectForm(desk_admin.CorrectDetailsForm, StepForm):
    transition = services.CORRECT

    def perform(self) -> ServiceRequest:
        return services.correct_request(self.case, actor=self.user, changes=self.changes())


STEP_FORMS: dict[str, type[StepForm]] = {
    form.action(): form
    for form in [
        StartReviewForm,
        ReviewDocumentsForm,
        MarkReadyForm,
        CompleteForm,
        RejectForm,
        InquiryForm,
        InquiryAnswerForm,
        InternalNoteForm,
        CorrectForm,
    ]
}
