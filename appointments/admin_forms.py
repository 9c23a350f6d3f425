"""The mayor's office forms: registering a walk-in or phone request, and one form per
decision; each calls its service function."""

from datetime import time
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from appointments import services
from appointments.forms import session_label
from appointments.models import HOLDS_PLACE, Host, MeetingRequest, MeetingSession, clock
from desk.admin import JalaliDateField
from desk.cases.admin import CorrectDetailsForm, StepForm, WalkInAddForm, textarea
from desk.cases.admin import InternalNoteForm as DeskInternalNoteForm
from desk.models import Department


class MeetingSessionForm(forms.ModelForm):
    date = JalaliDateField(label=_("date"), help_text=_("Jalali, e.g. 1405/09/10."))

    class Meta:
        model = MeetingSession
        fields = [
            "host",
            "date",
            "start_time",
            "end_time",
            "place",
            "capacity",
            "slot_minutes",
            "is_published",
        ]


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


def _slot_value(session: MeetingSession, moment: time) -> str:
    return f"{session.pk}@{moment:%H:%M}"


def free_slots(case: MeetingRequest) -> list[tuple[MeetingSession, list[time]]]:
    """The upcoming sessions of the case's host (and its own session) with a place for it,
    each with its free times: three queries, however many sessions."""
    sessions = list(
        MeetingSession.objects.upcoming()
        .filter(host=case.host_id)
        .with_taken()
        .select_related("host")
        .order_by("date", "start_time", "pk")
    )
    if case.session_id and case.session_id not in {session.pk for session in sessions}:
        sessions.insert(0, MeetingSession.objects.with_taken().get(pk=case.session_id))
    held: dict[int, set[time]] = {}
    for session_id, moment in (
        MeetingRequest.objects.filter(
            session__in=sessions, status__in=HOLDS_PLACE, meeting_time__isnull=False
        )
        .exclude(pk=case.pk)
        .values_list("session_id", "meeting_time")
    ):
        held.setdefault(session_id, set()).add(moment)
    offered = []
    for session in sessions:
        # The case's own session: the place it holds is its own.
        has_place = session.pk == case.session_id or session.free_places > 0
        free = [t for t in session.times() if t not in held.get(session.pk, set())]
        if has_place and free:
            offered.append((session, free))
    return offered


class _PlaceForm(StepForm):
    """The session and the time in one choice, so that they always belong together: the
    free times of each upcoming session of the host, grouped by session."""

    slot = forms.ChoiceField(
        label=_("session and time"),
        help_text=_("The free times of the host's upcoming sessions."),
        # A time given (or a session filled) since the page was shown.
        error_messages={
            "invalid_choice": _("That time is no longer free; please choose one of the free times.")
        },
    )
    note = forms.CharField(label=_("note (optional)"), required=False, widget=textarea(2))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.slots: dict[str, tuple[MeetingSession, time]] = {}
        choices = []
        for session, times in free_slots(self.case):
            options = [(_slot_value(session, t), clock(t)) for t in times]
            self.slots.update({_slot_value(session, t): (session, t) for t in times})
            choices.append((session_label(session), options))
        self.fields["slot"].choices = choices
        self.fields["slot"].initial = self.initial_slot()

    def initial_slot(self) -> str | None:
        """The first free time of the case's session, else of the first session offered."""
        for value, (session, _time) in self.slots.items():
            if session.pk == self.case.session_id:
                return value
        return next(iter(self.slots), None)

    def clean_slot(self) -> tuple[MeetingSession, time]:
        return self.slots[self.cleaned_data["slot"]]


class ApproveForm(_PlaceForm):
    transition = services.APPROVE
    title = _("Approve into a session")
    text_field = "note"
    done_message = _("The meeting was approved; the citizen is told by SMS.")

    def perform(self) -> MeetingRequest:
        data = self.cleaned_data
        session, meeting_time = data["slot"]
        return services.approve_meeting(
            self.case,
            session=session,
            meeting_time=meeting_time,
            actor=self.user,
            note=data["note"],
        )


class RescheduleForm(_PlaceForm):
    transition = services.RESCHEDULE
    title = _("Reschedule")
    done_message = _("The meeting was moved; the citizen is told by SMS.")

    def initial_slot(self) -> str | None:
        # Where the meeting is now: moving it is a deliberate choice, never a default.
        if self.case.session_id and self.case.meeting_time:
            current = f"{self.case.session_id}@{self.case.meeting_time:%H:%M}"
            if current in self.slots:
                return current
        return super().initial_slot()

    def perform(self) -> MeetingRequest:
        data = self.cleaned_data
        session, meeting_time = data["slot"]
        return services.reschedule_meeting(
            self.case,
            session=session,
            meeting_time=meeting_time,
            actor=self.user,
            note=data["note"],
        )


class ReferForm(StepForm):
    transition = services.REFER
    title = _("Refer to a deputy or a unit")
    text_field = "note"
    done_message = _("The request was referred; the citizen is told by SMS.")

    host = forms.ModelChoiceField(
        label=_("deputy"), required=False, queryset=Host.objects.filter(is_active=True)
    )
    department = forms.ModelChoiceField(
        label=_("unit"), required=False, queryset=Department.objects.active()
    )
    note = forms.CharField(label=_("referral note"), required=False, widget=textarea())
    note_is_public = forms.BooleanField(
        label=_("show the note to the citizen"),
        required=False,
        help_text=_("Unticked, the note is for the unit only; the citizen sees where it went."),
    )

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
            note_is_public=data["note_is_public"],
        )


class DeclineForm(StepForm):
    transition = services.DECLINE
    title = _("Decline")
    text_field = "reason"
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
    text_field = "outcome"
    done_message = _("The outcome was recorded and sent to the citizen.")

    outcome = forms.CharField(
        label=_("outcome"), widget=textarea(5), help_text=_("The citizen reads this.")
    )

    def perform(self) -> MeetingRequest:
        return services.write_outcome(
            self.case, actor=self.user, outcome=self.cleaned_data["outcome"]
        )


class InternalNoteForm(DeskInternalNoteForm):
    transition = services.INTERNAL_NOTE


class CorrectForm(CorrectDetailsForm):
    transition = services.CORRECT

    def perform(self) -> MeetingRequest:
        return services.correct_meeting(self.case, actor=self.user, changes=self.changes())


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
        CorrectForm,
    ]
}
