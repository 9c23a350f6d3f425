"""Every state change of a complaint: one function per use case, each one transaction, one
event and, where the citizen should hear of it, one SMS. The web, the admin and the API all
call these; nothing else sets a complaint's status."""

import uuid
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from complaints.models import (
    Complaint,
    ComplaintCategory,
    Outcome,
    Status,
)
from desk.cases.models import Channel, Flow, Transition, case_finished
from desk.cases.services import add_internal_note as add_note
from desk.cases.services import (
    apply_transition,
    apply_with_staff_note,
    clean_citizen_fields,
    correct_details,
    file_case,
    locked,
    save_attachments,
)
from desk.models import Department
from desk.text import LocalNumber, local_digits, normalize_text, require_text
from desk.uploads import CheckedUpload
from desk.workdays import add_working_days

MAX_ATTACHMENTS = 3
REOPEN_DAYS = 14

ANY_OPEN = {Status.RECEIVED, Status.IN_REVIEW, Status.REFERRED, Status.REOPENED}
SUBMIT = Transition.of(
    "submit",
    {Status.RECEIVED},
    title=_lazy("Your request was received"),
    staff_label=_lazy("filed"),
    sms_kind="complaint_received",
)
START_REVIEW = Transition.of(
    "start_review",
    {Status.RECEIVED, Status.REOPENED},
    Status.IN_REVIEW,
    title=_lazy("Review started"),
    staff_label=_lazy("review started"),
)
REFER = Transition.of(
    "refer",
    ANY_OPEN,
    Status.REFERRED,
    title=_lazy("Referred to a unit"),
    staff_label=_lazy("referred"),
    sms_kind="complaint_referred",
)
ANSWER = Transition.of(
    "answer",
    {Status.IN_REVIEW, Status.REFERRED, Status.REOPENED},
    Status.ANSWERED,
    title=_lazy("Answered"),
    staff_label=_lazy("answered"),
    sms_kind="complaint_answered",
)
CLOSE = Transition.of(
    "close",
    ANY_OPEN | {Status.ANSWERED},
    Status.CLOSED,
    title=_lazy("Closed"),
    staff_label=_lazy("closed"),
    sms_kind="complaint_closed",
)
OUT_OF_JURISDICTION = Transition.of(
    "out_of_jurisdiction",
    {Status.RECEIVED, Status.IN_REVIEW},
    Status.OUT_OF_JURISDICTION,
    title=_lazy("Not within the municipality's duties"),
    staff_label=_lazy("not our jurisdiction"),
    sms_kind="complaint_out_of_jurisdiction",
)
DUPLICATE = Transition.of(
    "duplicate",
    {Status.RECEIVED, Status.IN_REVIEW},
    Status.DUPLICATE,
    title=_lazy("Marked as a duplicate"),
    staff_label=_lazy("marked as duplicate"),
    sms_kind="complaint_duplicate",
)
REOPEN = Transition.of(
    "reopen",
    {Status.ANSWERED, Status.CLOSED},
    Status.REOPENED,
    title=_lazy("You objected to the answer"),
    staff_label=_lazy("reopened by the citizen"),
)
CITIZEN_INFO = Transition.of(
    "citizen_info",
    ANY_OPEN | {Status.ANSWERED},
    title=_lazy("You added information"),
    staff_label=_lazy("more information from the citizen"),
)
# Staff fix what was mistyped at filing: an internal event with the old and new values.
CORRECT = Transition.of("correct", set(Status.values), staff_label=_lazy("details corrected"))
INTERNAL_NOTE = Transition.of(
    "internal_note", set(Status.values), staff_label=_lazy("internal note")
)
FLOW = Flow(
    SUBMIT,
    START_REVIEW,
    REFER,
    ANSWER,
    CLOSE,
    OUT_OF_JURISDICTION,
    DUPLICATE,
    REOPEN,
    CITIZEN_INFO,
    INTERNAL_NOTE,
    CORRECT,
)


@transaction.atomic
def submit_complaint(
    *,
    kind: str,
    category: ComplaintCategory,
    subject: str,
    description: str,
    citizen_name: str,
    mobile: str,
    national_code: str = "",
    place: str = "",
    channel: str = Channel.WEB,
    attachments: Sequence[CheckedUpload] = (),
    submission_key: uuid.UUID | None = None,
    actor: Any = None,
) -> Complaint:
    """File a complaint, criticism, suggestion or appreciation; it goes to the category's
    unit with the category's deadline. With a `submission_key` already used, the complaint
    filed with it is returned instead of a second one."""
    # No look-up of the form's key first: nothing below refuses a repeat (a meeting
    # request's open-request rule would), so file_case meets the key at the insert and hands
    # back the first complaint; the web view looked already, before the rate limit.
    citizen = clean_citizen_fields(
        citizen_name=citizen_name, mobile=mobile, national_code=national_code
    )
    if len(attachments) > MAX_ATTACHMENTS:
        raise ValidationError(
            _("At most %(count)s files can be attached.") % {"count": LocalNumber(MAX_ATTACHMENTS)}
        )
    now = timezone.now()
    complaint = Complaint(
        kind=kind,
        category=category,
        subject=require_text(subject, _("Please write a subject.")),
        description=require_text(description, _("Please describe your request.")),
        place=normalize_text(place),
        channel=channel,
        # By id: filing needs no more of the unit than that.
        department_id=category.department_id,
        due_date=add_working_days(now, category.answer_days),
        submission_key=submission_key,
        created_at=now,
        **citizen,
    )
    return file_case(
        complaint,
        transition=SUBMIT,
        actor=actor,
        attachments=attachments,
    )


@transaction.atomic
def start_review(complaint: Complaint, *, actor: Any, note: str = "") -> Complaint:
    complaint = locked(complaint)
    apply_transition(complaint, START_REVIEW, actor=actor, note=note, is_public=True)
    return complaint


@transaction.atomic
def refer_complaint(
    complaint: Complaint,
    *,
    department: Department,
    actor: Any,
    note: str = "",
    note_is_public: bool = False,
) -> Complaint:
    """Hand the complaint to a unit; the citizen hears which one. The note is for the unit,
    unless staff choose to show it to the citizen."""
    complaint = locked(complaint)
    complaint.department = department
    complaint.was_referred = True
    apply_with_staff_note(
        complaint,
        REFER,
        actor=actor,
        public_text=_("Referred to %(unit)s.") % {"unit": department.name},
        note=note,
        note_is_public=note_is_public,
        note_transition=INTERNAL_NOTE,
        update_fields=["department", "was_referred"],
        sms_context={"department": department},
    )
    return complaint


@transaction.atomic
def answer_complaint(complaint: Complaint, *, actor: Any, answer: str) -> Complaint:
    """Give the public answer; the citizen may object (reopen) within REOPEN_DAYS."""
    complaint = locked(complaint)
    complaint.answer = require_text(answer, _("Please write the answer."))
    complaint.answered_at = timezone.now()
    # Judged now, against the deadline this answer was owed by: an objection later sets a
    # new deadline, and the quarterly report must not judge this answer by that one.
    complaint.answered_in_time = timezone.localdate() <= complaint.due_date
    apply_transition(
        complaint,
        ANSWER,
        actor=actor,
        note=complaint.answer,
        update_fields=["answer", "answered_at", "answered_in_time"],
    )
    return complaint


@transaction.atomic
def close_complaint(complaint: Complaint, *, actor: Any, outcome: str, note: str = "") -> Complaint:
    """Close with an outcome, so that the report never counts "closed" as "fixed"."""
    complaint = locked(complaint)
    if outcome not in Outcome.values:
        raise ValidationError(_("Choose the outcome of the case."))
    complaint.outcome = outcome
    complaint.closed_at = timezone.now()
    # The outcome is written into the closing event, so the timeline keeps what each closing
    # decided even after the citizen objects and the case is closed again.
    text = _("Outcome: %(outcome)s.") % {"outcome": Outcome(outcome).label}
    note = normalize_text(note)
    apply_transition(
        complaint,
        CLOSE,
        actor=actor,
        note=text + (f"\n{note}" if note else ""),
        update_fields=["outcome", "closed_at"],
    )
    case_finished.send(sender=Complaint, case=complaint, outcome=outcome)
    return complaint


@transaction.atomic
def mark_out_of_jurisdiction(complaint: Complaint, *, actor: Any, guidance: str) -> Complaint:
    """Not the municipality's matter; the note tells the citizen where to go instead."""
    complaint = locked(complaint)
    guidance = require_text(guidance, _("Tell the citizen where to go with this request."))
    complaint.closed_at = timezone.now()
    apply_transition(
        complaint,
        OUT_OF_JURISDICTION,
        actor=actor,
        note=guidance,
        update_fields=["closed_at"],
        sms_context={"guidance": guidance},
    )
    case_finished.send(sender=Complaint, case=complaint, outcome=Status.OUT_OF_JURISDICTION)
    return complaint


@transaction.atomic
def mark_duplicate(
    complaint: Complaint, *, original: Complaint, actor: Any, note: str = ""
) -> Complaint:
    """Link to the case that already deals with it. The citizen is told its code only when
    they filed it themselves (same mobile): a code and a mobile open a case at /track/."""
    complaint = locked(complaint)
    if original.pk == complaint.pk or original.duplicate_of_id == complaint.pk:
        raise ValidationError(_("A case cannot be a duplicate of itself."))
    complaint.duplicate_of = original
    complaint.closed_at = timezone.now()
    if code := complaint.original_code_for_citizen:
        text = _("Duplicate of the request with tracking code %(code)s.") % {
            "code": local_digits(code)
        }
    else:
        text = _("Dealt with together with an earlier request on the same matter.")
    note = normalize_text(note)
    apply_transition(
        complaint,
        DUPLICATE,
        actor=actor,
        note=text + (f"\n{note}" if note else ""),
        update_fields=["duplicate_of", "closed_at"],
        sms_context={"original_code": code},
    )
    return complaint


def reopen_deadline(complaint: Complaint):
    """Until when the citizen may object to the answer (None before an answer)."""
    if complaint.answered_at is None:
        return None
    return complaint.answered_at + timedelta(days=REOPEN_DAYS)


def can_reopen(complaint: Complaint, now=None) -> bool:
    deadline = reopen_deadline(complaint)
    return (
        REOPEN.allowed_from(complaint.status)
        and deadline is not None
        and (now or timezone.now()) <= deadline
    )


@transaction.atomic
def reopen_complaint(complaint: Complaint, *, reason: str) -> Complaint:
    """The citizen objects to the answer within REOPEN_DAYS days; a new deadline runs."""
    complaint = locked(complaint)
    reason = require_text(reason, _("Please write why the answer did not settle your request."))
    if REOPEN.allowed_from(complaint.status) and not can_reopen(complaint):
        raise ValidationError(
            _("An answer can be objected to within %(days)s days.")
            % {"days": LocalNumber(REOPEN_DAYS)}
        )
    complaint.outcome = ""
    complaint.closed_at = None
    complaint.reopened_at = timezone.now()
    complaint.due_date = add_working_days(timezone.now(), complaint.category.answer_days)
    apply_transition(
        complaint,
        REOPEN,
        by_citizen=True,
        note=reason,
        update_fields=["outcome", "closed_at", "reopened_at", "due_date"],
    )
    return complaint


@transaction.atomic
def add_citizen_info(
    complaint: Complaint, *, text: str, attachments: Sequence[CheckedUpload] = ()
) -> Complaint:
    """More information from the citizen while the case is open."""
    complaint = locked(complaint)
    text = normalize_text(text)
    if not text and not attachments:
        raise ValidationError(_("Write something or attach a file."))
    room = MAX_ATTACHMENTS - complaint.attachments.count()
    if len(attachments) > room:
        raise ValidationError(
            _("At most %(count)s files can be attached to a request.")
            % {"count": LocalNumber(MAX_ATTACHMENTS)}
        )
    apply_transition(complaint, CITIZEN_INFO, by_citizen=True, note=text)
    save_attachments(complaint, attachments, by_citizen=True)
    return complaint


@transaction.atomic
def add_internal_note(complaint: Complaint, *, actor: Any, note: str) -> Complaint:
    return add_note(complaint, transition=INTERNAL_NOTE, actor=actor, note=note)


@transaction.atomic
def correct_complaint(complaint: Complaint, *, actor: Any, changes: dict[str, Any]) -> Complaint:
    """Fix the citizen's details (and the app's own fields) mistyped at filing."""
    return correct_details(complaint, transition=CORRECT, actor=actor, changes=changes)
