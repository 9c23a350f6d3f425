"""Every state change of a meeting request: one function per use case, each one transaction,
one event and, where the citizen should hear of it, one SMS. The web, the admin and the
periodic reminder call these; nothing else sets a request's status or takes a place."""

import uuid
from datetime import datetime, time, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from appointments.models import (
    HOLDS_PLACE,
    OPEN_STATUSES,
    BookingWindow,
    Host,
    MeetingRequest,
    MeetingSession,
    Status,
    clock,
)
from desk.cases.models import Channel, Flow, IllegalTransition, Transition, case_finished
from desk.cases.services import add_internal_note as add_note
from desk.cases.services import (
    apply_transition,
    apply_with_staff_note,
    begin_filing,
    correct_details,
    file_case,
    locked,
    resend_tracking_code,
)
from desk.models import Department
from desk.text import LocalNumber, local_digits, normalize_text, require_text

MAX_CANCEL_REASON = 250

OPEN = {Status.PENDING, Status.APPROVED}
REQUEST = Transition.of(
    "request",
    set(),
    title=_lazy("Your request was received"),
    staff_label=_lazy("requested"),
    sms_kind="appointment_received",
)
APPROVE = Transition.of(
    "approve",
    {Status.PENDING},
    Status.APPROVED,
    title=_lazy("Approved"),
    staff_label=_lazy("approved"),
    sms_kind="appointment_approved",
)
RESCHEDULE = Transition.of(
    "reschedule",
    {Status.APPROVED},
    Status.APPROVED,
    title=_lazy("The meeting was moved"),
    staff_label=_lazy("rescheduled"),
    sms_kind="appointment_rescheduled",
)
REFER = Transition.of(
    "refer",
    OPEN,
    Status.REFERRED,
    title=_lazy("Referred"),
    staff_label=_lazy("referred"),
    sms_kind="appointment_referred",
)
DECLINE = Transition.of(
    "decline",
    OPEN,
    Status.DECLINED,
    title=_lazy("Declined"),
    staff_label=_lazy("declined"),
    sms_kind="appointment_declined",
)
CANCEL = Transition.of(
    "cancel",
    OPEN,
    Status.CANCELLED,
    title=_lazy("You cancelled the request"),
    staff_label=_lazy("cancelled by the citizen"),
    sms_kind="appointment_cancelled",
)
MARK_HELD = Transition.of("held", {Status.APPROVED}, Status.HELD, staff_label=_lazy("held"))
MARK_NO_SHOW = Transition.of(
    "no_show", {Status.APPROVED}, Status.NO_SHOW, staff_label=_lazy("citizen did not come")
)
WRITE_OUTCOME = Transition.of(
    "outcome",
    {Status.HELD, Status.REFERRED},
    title=_lazy("Outcome of the meeting"),
    staff_label=_lazy("outcome written"),
    sms_kind="appointment_outcome",
)
# Staff fix what was mistyped at filing: an internal event with the old and new values.
CORRECT = Transition.of("correct", set(Status.values), staff_label=_lazy("details corrected"))
INTERNAL_NOTE = Transition.of(
    "internal_note", set(Status.values), staff_label=_lazy("internal note")
)
# Not a move: the day-before reminder, written on the timeline when it is sent.
REMINDER = Transition.of(
    "reminder",
    {Status.APPROVED},
    staff_label=_lazy("reminder sent"),
    sms_kind="appointment_reminder",
)
FLOW = Flow(
    REQUEST,
    APPROVE,
    RESCHEDULE,
    REFER,
    DECLINE,
    CANCEL,
    MARK_HELD,
    MARK_NO_SHOW,
    WRITE_OUTCOME,
    INTERNAL_NOTE,
    REMINDER,
)


class OpenRequestExists(ValidationError):
    """The mobile number already has an open request for this host. The message never
    names its code: whoever typed the mobile has not proved it is theirs
    (`remind_open_request` sends the code to the mobile instead)."""

    def __init__(self, earlier: MeetingRequest):
        self.earlier = earlier
        super().__init__(
            _("This mobile number already has an open request for this meeting."),
            code="open_request",
        )


def _take_place(
    session: MeetingSession, *, leaving: MeetingRequest | None = None
) -> MeetingSession:
    """Lock the session row and check that it has a free place. Every place-taking service
    calls this first inside its transaction, so concurrent takers queue on the lock and the
    last ones see the session full."""
    session = MeetingSession.objects.select_for_update().get(pk=session.pk)
    holders = session.requests.filter(status__in=HOLDS_PLACE)
    if leaving is not None:
        holders = holders.exclude(pk=leaving.pk)
    if holders.count() >= session.capacity:
        raise ValidationError(
            _("This session has no free place left; please choose another one."), code="full"
        )
    return session


def _choose_time(
    session: MeetingSession, meeting_time: time | None, *, meeting: MeetingRequest
) -> time:
    """The meeting's own time in `session` (locked by the caller): `meeting_time` if it is
    one of the session's times (`MeetingSession.times`) and nobody else holds it, or with no
    time given the first free one."""
    held = session.held_times(excluding=meeting)
    free = [moment for moment in session.times() if moment not in held]
    if meeting_time is None:
        if not free:
            raise ValidationError(
                _("Every time of this session is given; please choose another session."),
                code="no_free_time",
            )
        return free[0]
    if meeting_time not in session.times():
        raise ValidationError(
            _(
                "The meeting time must be one of the session's times: from %(start)s every "
                "%(minutes)s minutes, the last at %(last)s."
            )
            % {
                "start": clock(session.start_time),
                "minutes": LocalNumber(session.slot_minutes),
                "last": clock(session.times()[-1]) if session.times() else "—",
            },
            code="time",
        )
    if clash := held.get(meeting_time):
        message = _("At %(time)s this session already has %(name)s (tracking code %(code)s).") % {
            "time": clock(meeting_time),
            "name": clash.citizen_name,
            "code": local_digits(clash.tracking_code),
        }
        if free:
            message += " " + _("The next free time is %(time)s.") % {"time": clock(free[0])}
        raise ValidationError(message, code="time_taken")
    return meeting_time


@transaction.atomic
def request_meeting(
    *,
    host: Host,
    subject: str,
    citizen_name: str,
    mobile: str,
    description: str = "",
    national_code: str = "",
    session: MeetingSession | None = None,
    channel: str = Channel.WEB,
    submission_key: uuid.UUID | None = None,
    actor: Any = None,
    now: datetime | None = None,
) -> MeetingRequest:
    """File a request to meet `host`, in `session` (which then holds a place for it) or
    leaving the session to the office. Refused while the mobile number has an open request
    for the same host, and for a session that is full, unpublished or outside the window;
    staff (an `actor`) may book outside the window. With a `submission_key` already used,
    the request filed with it is returned instead of a second one (or a refusal)."""
    now = now or timezone.now()
    citizen, earlier = begin_filing(
        MeetingRequest,
        citizen_name=citizen_name,
        mobile=mobile,
        national_code=national_code,
        submission_key=submission_key,
        channel=channel,
    )
    if earlier:
        return earlier
    if refusal := _refusal_if_open(host, citizen["mobile"]):
        raise refusal
    if session is not None:
        session = _check_requested_session(session, host=host, by_staff=actor is not None, now=now)
    meeting = MeetingRequest(
        host=host,
        subject=require_text(subject, _("Please write the subject of the meeting.")),
        description=normalize_text(description),
        preferred_session=session,
        session=session,
        channel=channel,
        submission_key=submission_key,
        created_at=now,
        **citizen,
    )
    return file_case(
        meeting,
        transition=REQUEST,
        actor=actor,
        # The same mobile filed for the same host at this very moment in another request.
        on_conflict=lambda meeting: _refusal_if_open(host, meeting.mobile),
    )


def _refusal_if_open(host: Host, mobile: str) -> OpenRequestExists | None:
    earlier = MeetingRequest.objects.open().filter(host=host, mobile=mobile).first()
    return OpenRequestExists(earlier) if earlier else None


def _check_requested_session(
    session: MeetingSession, *, host: Host, by_staff: bool, now: datetime
) -> MeetingSession:
    """The session a request asks for, locked with a free place: one of the host's, and,
    for a citizen, published and inside the booking window (staff may book outside it)."""
    if session.host_id != host.pk:
        raise ValidationError(
            {"session": _("This session is with someone else; choose one of theirs.")}
        )
    if not by_staff and not (
        session.is_published and BookingWindow.current().is_open(session, now)
    ):
        raise ValidationError(
            _("This session is not open for requests; please choose another one."),
            code="closed",
        )
    return _take_place(session)


def remind_open_request(meeting: MeetingRequest) -> bool:
    """Send the open request's tracking code to its own mobile again (rate-limited)."""
    return resend_tracking_code(meeting, sms_kind="appointment_open_request")


@transaction.atomic
def approve_meeting(
    meeting: MeetingRequest,
    *,
    session: MeetingSession,
    meeting_time: time | None,
    actor: Any,
    note: str = "",
) -> MeetingRequest:
    """Give the citizen a place in `session` at `meeting_time`, one of the session's times
    that nobody else holds (default: the first free one)."""
    meeting = locked(meeting, "session", "host")
    if not APPROVE.allowed_from(meeting.status):
        raise IllegalTransition(meeting, APPROVE.action)
    _assign(meeting, session, meeting_time)
    meeting.decided_at = timezone.now()
    meeting.was_approved = True
    apply_transition(
        meeting,
        APPROVE,
        actor=actor,
        note=note,
        update_fields=["session", "meeting_time", "decided_at", "reminder_sent_at", "was_approved"],
    )
    return meeting


def _assign(meeting: MeetingRequest, session: MeetingSession, meeting_time: time | None) -> None:
    if session.host_id != meeting.host_id:
        raise ValidationError(_("This session is not with the person the citizen asked for."))
    # The session's lock also serialises the choice of times: two approvals into one
    # session never both see a time free.
    if session.pk == meeting.session_id:
        session = MeetingSession.objects.select_for_update().get(pk=session.pk)
    else:
        session = _take_place(session, leaving=meeting)
    meeting.meeting_time = _choose_time(session, meeting_time, meeting=meeting)
    meeting.session = session
    meeting.reminder_sent_at = None


@transaction.atomic
def reschedule_meeting(
    meeting: MeetingRequest,
    *,
    session: MeetingSession,
    meeting_time: time | None,
    actor: Any,
    note: str = "",
) -> MeetingRequest:
    """Move an approved meeting to another session or time (default: the first free one of
    `session`); the old place and time are freed."""
    meeting = locked(meeting, "session", "host")
    if not RESCHEDULE.allowed_from(meeting.status):
        raise IllegalTransition(meeting, RESCHEDULE.action)
    _assign(meeting, session, meeting_time)
    apply_transition(
        meeting,
        RESCHEDULE,
        actor=actor,
        note=note,
        update_fields=["session", "meeting_time", "reminder_sent_at"],
    )
    return meeting


@transaction.atomic
def refer_meeting(
    meeting: MeetingRequest,
    *,
    actor: Any,
    host: Host | None = None,
    department: Department | None = None,
    note: str = "",
    note_is_public: bool = False,
) -> MeetingRequest:
    """Send the citizen to a deputy or a unit instead; the place in the session is freed.
    The note is for them, unless staff choose to show it to the citizen."""
    if (host is None) == (department is None):
        raise ValidationError(_("Choose either a deputy or a unit."))
    meeting = locked(meeting, "session", "host")
    meeting.referred_to_host, meeting.referred_to_department = host, department
    target = str(host) if host else department.name
    meeting.decided_at = timezone.now()
    apply_with_staff_note(
        meeting,
        REFER,
        actor=actor,
        public_text=_("Referred to %(target)s.") % {"target": target},
        note=note,
        note_is_public=note_is_public,
        note_transition=INTERNAL_NOTE,
        update_fields=["referred_to_host", "referred_to_department", "decided_at"],
        sms_context={"target": target},
    )
    case_finished.send(sender=MeetingRequest, case=meeting, outcome=Status.REFERRED)
    return meeting


@transaction.atomic
def decline_meeting(meeting: MeetingRequest, *, actor: Any, reason: str) -> MeetingRequest:
    """Refuse the meeting with a reason the citizen reads; the place is freed."""
    meeting = locked(meeting, "session", "host")
    meeting.decline_reason = require_text(reason, _("Please write the reason of the decline."))
    meeting.decided_at = timezone.now()
    apply_transition(
        meeting,
        DECLINE,
        actor=actor,
        note=meeting.decline_reason,
        update_fields=["decline_reason", "decided_at"],
    )
    case_finished.send(sender=MeetingRequest, case=meeting, outcome=Status.DECLINED)
    return meeting


def can_cancel(meeting: MeetingRequest, now: datetime | None = None) -> bool:
    """The citizen may cancel an open request until its session starts."""
    if not CANCEL.allowed_from(meeting.status):
        return False
    return meeting.session is None or (now or timezone.now()) < meeting.session.starts_at


@transaction.atomic
def cancel_meeting(
    meeting: MeetingRequest, *, reason: str, now: datetime | None = None
) -> MeetingRequest:
    """The citizen withdraws; the place in the session is freed for someone else."""
    meeting = locked(meeting, "session", "host")
    if not CANCEL.allowed_from(meeting.status):
        raise IllegalTransition(meeting, CANCEL.action)
    if not can_cancel(meeting, now):
        raise ValidationError(_("The session has started; it can no longer be cancelled."))
    reason = require_text(reason, _("Please write a short reason."))
    if len(reason) > MAX_CANCEL_REASON:
        raise ValidationError(_("Please keep the reason short."))
    meeting.cancel_reason = reason
    apply_transition(meeting, CANCEL, by_citizen=True, note=reason, update_fields=["cancel_reason"])
    return meeting


def _after_start(meeting: MeetingRequest) -> None:
    if meeting.session is not None and timezone.now() < meeting.session.starts_at:
        raise ValidationError(_("This can be recorded only once the session has started."))


@transaction.atomic
def mark_held(meeting: MeetingRequest, *, actor: Any, note: str = "") -> MeetingRequest:
    meeting = locked(meeting, "session", "host")
    if MARK_HELD.allowed_from(meeting.status):
        _after_start(meeting)
    apply_transition(meeting, MARK_HELD, actor=actor, note=note, is_public=False)
    case_finished.send(sender=MeetingRequest, case=meeting, outcome=Status.HELD)
    return meeting


@transaction.atomic
def mark_no_show(meeting: MeetingRequest, *, actor: Any, note: str = "") -> MeetingRequest:
    meeting = locked(meeting, "session", "host")
    if MARK_NO_SHOW.allowed_from(meeting.status):
        _after_start(meeting)
    apply_transition(meeting, MARK_NO_SHOW, actor=actor, note=note, is_public=False)
    return meeting


@transaction.atomic
def write_outcome(meeting: MeetingRequest, *, actor: Any, outcome: str) -> MeetingRequest:
    """The result of the meeting (or of the referral), which the citizen reads and is sent."""
    meeting = locked(meeting, "session", "host")
    meeting.outcome = require_text(outcome, _("Please write the outcome."))
    apply_transition(
        meeting, WRITE_OUTCOME, actor=actor, note=meeting.outcome, update_fields=["outcome"]
    )
    return meeting


@transaction.atomic
def add_internal_note(meeting: MeetingRequest, *, actor: Any, note: str) -> MeetingRequest:
    return add_note(meeting, transition=INTERNAL_NOTE, actor=actor, note=note)


def send_reminders(now: datetime | None = None) -> int:
    """SMS every approved citizen whose meeting is tomorrow (Tehran date), once: each row is
    claimed with a conditional UPDATE, so a second run, or a second runner, sends nothing."""
    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + timedelta(days=1)
    due = MeetingRequest.objects.filter(
        status=Status.APPROVED, reminder_sent_at=None, session__date=tomorrow
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(due):
        with transaction.atomic():
            claimed = MeetingRequest.objects.filter(
                pk=pk, status=Status.APPROVED, reminder_sent_at=None
            ).update(reminder_sent_at=now)
            if claimed:
                meeting = MeetingRequest.objects.select_related("session", "host").get(pk=pk)
                apply_transition(meeting, REMINDER, is_public=False)
                sent += 1
    return sent


__all__ = [
    "OPEN_STATUSES",
    "IllegalTransition",
    "OpenRequestExists",
    "add_internal_note",
    "approve_meeting",
    "can_cancel",
    "cancel_meeting",
    "decline_meeting",
    "mark_held",
    "mark_no_show",
    "refer_meeting",
    "remind_open_request",
    "request_meeting",
    "reschedule_meeting",
    "send_reminders",
    "write_outcome",
]


@transaction.atomic
def correct_meeting(
    meeting: MeetingRequest, *, actor: Any, changes: dict[str, Any]
) -> MeetingRequest:
    """Fix the citizen's details (and the app's own fields) mistyped at filing."""
    return correct_details(meeting, transition=CORRECT, actor=actor, changes=changes)
