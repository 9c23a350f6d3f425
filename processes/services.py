"""Every state change of a service request: one function per use case, each one transaction,
one event and, where the citizen should hear of it, one SMS. The web and the back office call
these; nothing else sets a request's status or a document's verdict.

The life of a request: submitted → under review → (needs correction → under review)… → in
progress → ready (a next-visit or delivery date staff confirm) → completed; or rejected with a
reason from any open state before it is ready.
"""

import uuid
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from desk.cases.models import Channel, Flow, IllegalTransition, Transition, case_finished
from desk.cases.services import add_internal_note as add_note
from desk.cases.services import (
    apply_transition,
    clean_citizen_fields,
    correct_details,
    file_case,
    locked,
)
from desk.jalali import format_jalali_long
from desk.text import normalize_text, require_text
from desk.uploads import CheckedUpload
from desk.workdays import add_working_days, is_working_day
from processes.models import (
    ACCEPTED_CONTENT_TYPES,
    DocumentReview,
    Inquiry,
    RequestDocument,
    RequestStatus,
    RequiredDocument,
    Service,
    ServiceRequest,
)

Status = RequestStatus
BEFORE_READY = {Status.SUBMITTED, Status.UNDER_REVIEW, Status.NEEDS_CORRECTION, Status.IN_PROGRESS}

SUBMIT = Transition.of(
    "submit",
    {Status.SUBMITTED},
    title=_lazy("Your request was received"),
    staff_label=_lazy("filed"),
    sms_kind="service_request_received",
)
START_REVIEW = Transition.of(
    "start_review",
    {Status.SUBMITTED},
    Status.UNDER_REVIEW,
    title=_lazy("Your documents are being reviewed"),
    staff_label=_lazy("review started"),
)
ASK_CORRECTION = Transition.of(
    "ask_correction",
    {Status.SUBMITTED, Status.UNDER_REVIEW},
    Status.NEEDS_CORRECTION,
    title=_lazy("Some documents need to be sent again"),
    staff_label=_lazy("correction asked"),
    sms_kind="service_request_correction",
)
ACCEPT = Transition.of(
    "accept",
    {Status.SUBMITTED, Status.UNDER_REVIEW},
    Status.IN_PROGRESS,
    title=_lazy("Your documents were accepted and the work has started"),
    staff_label=_lazy("documents accepted"),
    sms_kind="service_request_accepted",
)
RESUBMIT = Transition.of(
    "resubmit",
    {Status.NEEDS_CORRECTION},
    Status.UNDER_REVIEW,
    title=_lazy("You sent corrected documents"),
    staff_label=_lazy("corrected documents from the citizen"),
)
MARK_READY = Transition.of(
    "ready",
    {Status.IN_PROGRESS, Status.READY},
    Status.READY,
    title=_lazy("Ready: the date to come was set"),
    staff_label=_lazy("ready; date set"),
    sms_kind="service_request_ready",
)
COMPLETE = Transition.of(
    "complete",
    {Status.READY},
    Status.COMPLETED,
    title=_lazy("Completed"),
    staff_label=_lazy("completed"),
    sms_kind="service_request_completed",
)
REJECT = Transition.of(
    "reject",
    BEFORE_READY,
    Status.REJECTED,
    title=_lazy("Your request was rejected"),
    staff_label=_lazy("rejected"),
    sms_kind="service_request_rejected",
)
INQUIRY_SENT = Transition.of(
    "inquiry_sent",
    BEFORE_READY,
    title=_lazy("An inquiry was sent to another agency"),
    staff_label=_lazy("inquiry sent"),
)
# An answer may come after the request ended; it is still recorded, to close the inquiry.
INQUIRY_ANSWERED = Transition.of(
    "inquiry_answered",
    set(Status.values),
    title=_lazy("The other agency answered the inquiry"),
    staff_label=_lazy("inquiry answered"),
)
# Staff fix what was mistyped at filing: an internal event with the old and new values.
CORRECT = Transition.of("correct", set(Status.values), staff_label=_lazy("details corrected"))
INTERNAL_NOTE = Transition.of(
    "internal_note", set(Status.values), staff_label=_lazy("internal note")
)
FLOW = Flow(
    SUBMIT,
    START_REVIEW,
    ASK_CORRECTION,
    ACCEPT,
    RESUBMIT,
    MARK_READY,
    COMPLETE,
    REJECT,
    INQUIRY_SENT,
    INQUIRY_ANSWERED,
    INTERNAL_NOTE,
    CORRECT,
)


def document_field(document_id: int) -> str:
    """The form field (and error key) of the upload for the card's document `document_id`."""
    return f"document_{document_id}"


def slot_field(slot_id: int) -> str:
    """The form field (and error key) of a replacement for the request's slot `slot_id`."""
    return f"slot_{slot_id}"


@transaction.atomic
def submit_service_request(
    *,
    service: Service,
    citizen_name: str,
    mobile: str,
    national_code: str,
    description: str = "",
    documents: Mapping[int, CheckedUpload] | None = None,
    card_documents: Sequence[RequiredDocument] | None = None,
    channel: str = Channel.WEB,
    submission_key: uuid.UUID | None = None,
    actor: Any = None,
) -> ServiceRequest:
    """File a request for `service` with a file for each document the card has uploaded
    online (`documents`, by the card's document id; `card_documents`, those documents, when
    the caller has read them already). On the web every mandatory one is
    required; a clerk registering a request at the counter sees the originals instead. The
    expected date is the card's duration in working days from now (article 2-ج)."""
    documents = documents or {}
    if not normalize_text(national_code):
        raise ValidationError(
            {"national_code": _("A service request needs the national code of the applicant.")}
        )
    # No look-up of the form's key first (the web view looked already): file_case meets a
    # repeated key at the insert and hands back the request filed with it.
    citizen = clean_citizen_fields(
        citizen_name=citizen_name, mobile=mobile, national_code=national_code
    )
    if channel == Channel.WEB and not (service.published and service.accepts_online_requests):
        raise ValidationError(_("This service does not take online requests."))
    if card_documents is None:
        card_documents = service.documents.filter(upload_online=True)
    card_documents = list(card_documents)
    _check_documents(card_documents, documents, required=channel == Channel.WEB)
    now = timezone.now()
    request = ServiceRequest(
        service=service,
        department_id=service.department_id,
        description=normalize_text(description),
        channel=channel,
        expected_date=add_working_days(now, service.duration_days),
        submission_key=submission_key,
        created_at=now,
        **citizen,
    )
    filed = file_case(request, transition=SUBMIT, actor=actor)
    if filed.pk != request.pk:
        return filed  # the same form, filed a moment ago by a double click
    for card_document in card_documents:
        slot = request.documents.create(
            required_document=card_document,
            name=card_document.name,
            mandatory=card_document.mandatory,
            accepted_types=card_document.accepted_types,
            order=card_document.order,
        )
        if upload := documents.get(card_document.pk):
            _save_version(slot, upload, by_citizen=actor is None)
    return request


def _check_documents(card_documents, documents: Mapping[int, CheckedUpload], *, required: bool):
    errors = {}
    for card_document in card_documents:
        upload = documents.get(card_document.pk)
        field = document_field(card_document.pk)
        if upload is None:
            if required and card_document.mandatory:
                errors[field] = _("“%(name)s” is required.") % {"name": card_document.name}
        elif upload.content_type not in ACCEPTED_CONTENT_TYPES[card_document.accepted_types]:
            errors[field] = _("This file is not of a type accepted for “%(name)s”.") % {
                "name": card_document.name
            }
    if errors:
        raise ValidationError(errors)


def _save_version(slot: RequestDocument, upload: CheckedUpload, *, by_citizen: bool) -> None:
    slot.request.attachments.create(
        document=slot,
        file=upload.content,
        original_name=upload.original_name,
        content_type=upload.content_type,
        size=upload.size,
        by_citizen=by_citizen,
    )


@transaction.atomic
def start_review(request: ServiceRequest, *, actor: Any) -> ServiceRequest:
    request = locked(request)
    apply_transition(request, START_REVIEW, actor=actor)
    return request


@transaction.atomic
def review_documents(
    request: ServiceRequest, *, verdicts: Mapping[int, tuple[str, str]], actor: Any
) -> ServiceRequest:
    """Staff's verdict on each document (by slot id: ("accepted" or "refused", reason)). Any
    refused one sends the request back to the citizen with the reasons, by SMS; all accepted
    (every slot with a file, and every mandatory one) starts the work."""
    request = locked(request)
    if not ACCEPT.allowed_from(request.status):
        raise IllegalTransition(request, ACCEPT.action)
    slots = list(request.documents.annotate(file_count=Count("files")))
    now = timezone.now()
    for slot in slots:
        if slot.pk not in verdicts:
            continue
        verdict, reason = verdicts[slot.pk]
        if verdict == DocumentReview.REFUSED:
            slot.refusal_reason = require_text(
                reason, _("Say why “%(name)s” is refused.") % {"name": slot.name}
            )
        elif verdict == DocumentReview.ACCEPTED:
            slot.refusal_reason = ""
        else:
            raise ValidationError(_("Accept or refuse “%(name)s”.") % {"name": slot.name})
        slot.review, slot.reviewed_at = verdict, now
        slot.save(update_fields=["review", "refusal_reason", "reviewed_at"])
    refused = [slot for slot in slots if slot.is_refused]
    if refused:
        note = "\n".join(f"{slot.name}: {slot.refusal_reason}" for slot in refused)
        request.correction_asked = True
        apply_transition(
            request,
            ASK_CORRECTION,
            actor=actor,
            note=note,
            sms_context={"refused": refused},
            update_fields=["correction_asked"],
        )
        return request
    # An optional document the citizen did not send needs no verdict.
    needed = [slot for slot in slots if slot.mandatory or slot.file_count]
    if undecided := [slot.name for slot in needed if slot.review != DocumentReview.ACCEPTED]:
        raise ValidationError(
            _("Accept or refuse every document first: %(names)s.") % {"names": "، ".join(undecided)}
        )
    apply_transition(request, ACCEPT, actor=actor)
    return request


@transaction.atomic
def resubmit_documents(
    request: ServiceRequest, *, replacements: Mapping[int, CheckedUpload], note: str = ""
) -> ServiceRequest:
    """The citizen's new files for the refused documents (by slot id; every refused one is
    needed). The request goes back to review; the refused files stay in its record, and the
    card's duration runs again from the now complete request."""
    request = locked(request, "service")
    refused = list(request.documents.filter(review=DocumentReview.REFUSED))
    if not RESUBMIT.allowed_from(request.status):
        raise IllegalTransition(request, RESUBMIT.action)
    errors = {}
    for slot in refused:
        upload = replacements.get(slot.pk)
        if upload is None:
            errors[slot_field(slot.pk)] = _("Send a new file for “%(name)s”.") % {"name": slot.name}
        elif upload.content_type not in slot.content_types:
            errors[slot_field(slot.pk)] = _(
                "This file is not of a type accepted for “%(name)s”."
            ) % {"name": slot.name}
    if errors:
        raise ValidationError(errors)
    for slot in refused:
        _save_version(slot, replacements[slot.pk], by_citizen=True)
        slot.review, slot.reviewed_at = DocumentReview.PENDING, None
        slot.save(update_fields=["review", "reviewed_at"])
    request.expected_date = add_working_days(timezone.now(), request.service.duration_days)
    sent = "، ".join(slot.name for slot in refused)
    text = _("New files: %(names)s.") % {"names": sent}
    note = normalize_text(note)
    apply_transition(
        request,
        RESUBMIT,
        by_citizen=True,
        note=text + (f"\n{note}" if note else ""),
        update_fields=["expected_date"],
    )
    return request


@transaction.atomic
def mark_ready(
    request: ServiceRequest, *, ready_date: date, actor: Any, note: str = ""
) -> ServiceRequest:
    """The result is ready, or the next visit is due: the citizen is told the (working) day
    to come, by SMS in Jalali. Set again, it moves the date and tells the citizen again."""
    request = locked(request)
    if not MARK_READY.allowed_from(request.status):
        raise IllegalTransition(request, MARK_READY.action)
    if ready_date < timezone.localdate():
        raise ValidationError(_("The date cannot be in the past."))
    if not is_working_day(ready_date):
        raise ValidationError(
            _("%(date)s is not a working day.") % {"date": format_jalali_long(ready_date)}
        )
    request.ready_date = ready_date
    text = _("Date to come: %(date)s.") % {"date": format_jalali_long(ready_date)}
    note = normalize_text(note)
    apply_transition(
        request,
        MARK_READY,
        actor=actor,
        note=text + (f"\n{note}" if note else ""),
        update_fields=["ready_date"],
    )
    return request


@transaction.atomic
def complete_request(request: ServiceRequest, *, actor: Any, note: str = "") -> ServiceRequest:
    """Delivered: the case ends."""
    request = locked(request)
    request.finished_at = timezone.now()
    apply_transition(request, COMPLETE, actor=actor, note=note, update_fields=["finished_at"])
    case_finished.send(sender=ServiceRequest, case=request, outcome=Status.COMPLETED)
    return request


@transaction.atomic
def reject_request(request: ServiceRequest, *, actor: Any, reason: str) -> ServiceRequest:
    """Refused for good, with the reason the citizen reads on the case page and by SMS."""
    request = locked(request)
    reason = require_text(reason, _("Write the reason the request is rejected."))
    request.finished_at = timezone.now()
    apply_transition(
        request,
        REJECT,
        actor=actor,
        note=reason,
        update_fields=["finished_at"],
        sms_context={"reason": reason},
    )
    case_finished.send(sender=ServiceRequest, case=request, outcome=Status.REJECTED)
    return request


@transaction.atomic
def record_inquiry(
    request: ServiceRequest, *, agency: str, subject: str, sent_on: date, actor: Any
) -> Inquiry:
    """An inquiry sent to another agency (استعلام); the request shows it until answered."""
    request = locked(request)
    agency = require_text(agency, _("Name the agency."))
    subject = require_text(subject, _("Write the subject of the inquiry."))
    if sent_on > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."))
    apply_transition(request, INQUIRY_SENT, actor=actor, note=agency)
    return request.inquiries.create(agency=agency, subject=subject, sent_on=sent_on)


@transaction.atomic
def record_inquiry_answer(
    inquiry: Inquiry, *, answered_on: date, result: str, actor: Any
) -> Inquiry:
    request = locked(inquiry.request)
    inquiry = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
    if not inquiry.is_open:
        raise ValidationError(_("This inquiry was already answered."))
    if answered_on < inquiry.sent_on or answered_on > timezone.localdate():
        raise ValidationError(_("The answer's date must be between the sending date and today."))
    inquiry.answered_on = answered_on
    inquiry.result = require_text(result, _("Write what the agency answered."))
    inquiry.save(update_fields=["answered_on", "result"])
    apply_transition(request, INQUIRY_ANSWERED, actor=actor, note=inquiry.agency)
    return inquiry


@transaction.atomic
def add_internal_note(request: ServiceRequest, *, actor: Any, note: str) -> ServiceRequest:
    return add_note(request, transition=INTERNAL_NOTE, actor=actor, note=note)


@transaction.atomic
def correct_request(
    request: ServiceRequest, *, actor: Any, changes: dict[str, Any]
) -> ServiceRequest:
    """Fix the citizen's details (and the app's own fields) mistyped at filing."""
    if "national_code" in changes and not normalize_text(changes["national_code"] or ""):
        raise ValidationError(
            {"national_code": _("A service request needs the national code of the applicant.")}
        )
    return correct_details(request, transition=CORRECT, actor=actor, changes=changes)
