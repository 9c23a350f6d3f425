"""The mayor's office forms: registering a walk-in or phone request, and one form per
decision; each calls its service function."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from appointments import services
from appointments.forms import session_label
from appointments.models import Host, MeetingRequest, MeetingSession
from desk.admin import JalaliDateField
from desk.cases.admin import StepForm, WalkInAddForm, textarea
from desk.models import Department


class MeetingSessionForm(forms.ModelForm):
    date = JalaliDateField(label=_("date"), help_text=_("Jalali, e.g. 1405/09/10."))

    class Meta:
        model = MeetingSession
        fields = ["host", "date", "start_time", "end_time", "place", "capacity", "is_published"]


def _session_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("session"),
        queryset=MeetingSession.objects.upcoming().select_related("host"),
    )


class MeetingRequestAddForm(WalkInAddForm):
    """A request a clerk registers for a citizen at the desk or on the phone; filed only
    through `services.request_meeting`, like one from the web (staff may book a session
    outside the booking window)."""

    host = forms.ModelChoiceField(
        label=_("host asked for"), queryset=Host.objects.filter(is_active=True)
    )
    session = forms.ModelChoiceField(
        label=_("session"),
        required=False,
        queryset=MeetingSession.objects.none(),
        help_text=_("Optional: a session of the same host; empty leaves it to the office."),
    )

    model = MeetingRequest
    model_fields = ["subject", "description"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # "Upcoming" as of this request, not as of the day the server process started.
        self.fields["session"].queryset = MeetingSession.objects.upcoming().select_related("host")
        # The same words as on the citizen's form: Jalali date, Persian digits, the host.
        self.fields["session"].label_from_instance = session_label

    def submit(self, *, actor: Any) -> MeetingRequest:
        return services.request_meeting(**self.cleaned_data, actor=actor)


class _PlaceForm(StepForm):
    meeting_time = forms.TimeField(
        label=_("meeting time"),
        required=False,
        help_text=_("HH:MM within the session; empty: its start."),
        widget=forms.TimeInput(attrs={"dir": "ltr", "size": 6}),
    )
    note = forms.CharField(label=_("note (optional)"), required=False, widget=textarea(2))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = _session_field()
        field.queryset = field.queryset.filter(host=self.case.host_id)
        field.initial = self.case.session_id
        self.fields = {"session": field, **self.fields}


class ApproveForm(_PlaceForm):
    transition = services.APPROVE
    title = _("Approve into a session")
    done_message = _("The meeting was approved; the citizen is told by SMS.")

    def perform(self) -> MeetingRequest:
        data = self.cleaned_data
        return services.approve_meeting(
            self.case,
            session=data["session"],
            meeting_time=data["meeting_time"],
            actor=self.user,
            note=data["note"],
        )


class RescheduleForm(_PlaceForm):
    transition = services.RESCHEDULE
    title = _("Reschedule")
    done_message = _("The meeting was moved; the citizen is told by SMS.")

    def perform(self) -> MeetingRequest:
        data = self.cleaned_data
        return services.reschedule_meeting(
            self.case,
            session=data["session"],
            meeting_time=data["meeting_time"],
            actor=self.user,
            note=data["note"],
        )


class ReferForm(StepForm):
    transition = services.REFER
    title = _("Refer to a deputy or a unit")
    done_message = _("The request was referred; the citizen is told by SMS.")

    host = forms.ModelChoiceField(
        label=_("deputy"), required=False, queryset=Host.objects.filter(is_active=True)
    )
    department = forms.ModelChoiceField(
        label=_("unit"), required=False, queryset=Department.objects.active()
    )
    note = forms.CharField(label=_("referral note"), required=False, widget=textarea())

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("host")) == bool(cleaned.get("department")):
            raise ValidationError(_("Choose either a deputy or a unit."))
        return cleaned

    def perform(self) -> MeetingRequest:
        data = self.cleaned_data
        return services.refer_meeting(
            self.case,
            host=data["host"],
            department=data["department"],
            actor=self.user,
            note=data["note"],
        )


class DeclineForm(StepForm):
    transition = services.DECLINE
    title = _("Decline")
    done_message = _("The request was declined; the citizen is told the reason by SMS.")

    reason = forms.CharField(
        label=_("reason"), widget=textarea(), help_text=_("The citizen reads this.")
    )

    def perform(self) -> MeetingRequest:
        return services.decline_meeting(
            self.case, actor=self.user, reason=self.cleaned_data["reason"]
        )


class HeldForm(StepForm):
    transition = services.MARK_HELD
    title = _("Mark as held")
    done_message = _("The meeting was recorded as held.")

    note = forms.CharField(label=_("note (optional)"), required=False, widget=textarea(2))

    def perform(self) -> MeetingRequest:
        return services.mark_held(self.case, actor=self.user, note=self.cleaned_data["note"])


class NoShowForm(StepForm):
    transition = services.MARK_NO_SHOW
    title = _("The citizen did not come")
    done_message = _("The meeting was recorded as missed.")

    note = forms.CharField(label=_("note (optional)"), required=False, widget=textarea(2))

    def perform(self) -> MeetingRequest:
        return services.mark_no_show(self.case, actor=self.user, note=self.cleaned_data["note"])


class OutcomeForm(StepForm):
    transition = services.WRITE_OUTCOME
    title = _("Write the outcome")
    done_message = _("The outcome was recorded and sent to the citizen.")

    outcome = forms.CharField(
        label=_("outcome"), widget=textarea(5), help_text=_("The citizen reads this.")
    )

    def perform(self) -> MeetingRequest:
        return services.write_outcome(
            self.case, actor=self.user, outcome=self.cleaned_data["outcome"]
        )


class InternalNoteForm(StepForm):
    transition = services.INTERNAL_NOTE
    title = _("Internal note")
    done_message = _("The note was added to the timeline.")

    note = forms.CharField(label=_("note"), widget=textarea(), help_text=_("Seen by staff only."))

    def perform(self) -> MeetingRequest:
        return services.add_internal_note(
            self.case, actor=self.user, note=self.cleaned_data["note"]
        )


STEP_FORMS = {
    form.action(): form
    for form in [
        ApproveForm,
        RescheduleForm,
        ReferForm,
        DeclineForm,
        HeldForm,
        NoShowForm,
        OutcomeForm,
        InternalNoteForm,
    ]
}
