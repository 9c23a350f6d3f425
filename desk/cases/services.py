"""What every case app's services do the same way: file a case, lock it, move it, tell the
citizen by SMS, keep its attachments, write an internal note, hand back the case a form
already filed, send a tracking code again. An app's `services.py` calls these and keeps
only its own rules; every function here runs inside the caller's transaction."""

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from desk import ratelimit, sms
from desk.cases.models import CitizenCase, IllegalTransition, Transition
from desk.text import (
    local_digits,
    normalize_mobile,
    normalize_national_code,
    normalize_text,
    require_text,
)
from desk.uploads import CheckedUpload

SUBMISSION_KEY_REUSED = gettext_lazy(
    "This form was already used for another request. Please open the form again and fill it in."
)


def clean_citizen_fields(*, citizen_name: str, mobile: str, national_code: str = "") -> dict:
    """The citizen's details in their stored form (raises ValidationError on bad input)."""
    return {
        "citizen_name": normalize_text(citizen_name),
        "mobile": normalize_mobile(mobile),
        "national_code": normalize_national_code(national_code) if national_code else "",
    }


def earlier_submission(model: type[CitizenCase], submission_key: Any, *, mobile: str, channel: str):
    """The case already filed with this one-time form key, or None. A key filed for another
    mobile number or through another channel is refused: it was copied from someone else's
    form, and handing back their case would tell its code to someone who proved nothing."""
    if not submission_key:
        return None
    # Asked of every filing, found for almost none: the key's few columns first, the whole
    # case only when there is one to hand back.
    found = (
        model.objects.filter(submission_key=submission_key)
        .values_list("pk", "mobile", "channel")
        .first()
    )
    if found is None:
        return None
    pk, *filed_by = found
    if tuple(filed_by) != (mobile, channel):
        raise ValidationError(SUBMISSION_KEY_REUSED, code="submission_key")
    return model.objects.get(pk=pk)


def begin_filing(
    model: type[CitizenCase],
    *,
    citizen_name: str,
    mobile: str,
    national_code: str,
    submission_key: Any,
    channel: str,
) -> tuple[dict, CitizenCase | None]:
    """What every filing starts with: the citizen's fields in their stored form, and the case
    this very form already filed (a double click, back and submit again), or None."""
    citizen = clean_citizen_fields(
        citizen_name=citizen_name, mobile=mobile, national_code=national_code
    )
    earlier = earlier_submission(model, submission_key, mobile=citizen["mobile"], channel=channel)
    return citizen, earlier


def file_case(
    case: CitizenCase,
    *,
    transition: Transition,
    actor: Any = None,
    attachments: Sequence[CheckedUpload] = (),
    on_conflict: Callable[[CitizenCase], Exception | None] | None = None,
) -> CitizenCase:
    """Save a new case the app has built and checked: its tracking code, the save, the
    attachments, the first public event and the transition's "received" SMS. A post of a form
    already filed (a double click that lost the race, or a repeat the app did not look for)
    gets the case filed with it, or the refusal of a key copied to another mobile; any other
    clash of a unique constraint is turned into the app's refusal by `on_conflict` (or
    raised as it is)."""
    try:
        # The code in the case's savepoint: a repeat that meets the first case's key
        # leaves no code issued for nothing.
        with transaction.atomic():
            case.assign_tracking_code()
            case.save()
    except IntegrityError:
        model = type(case)
        if earlier := earlier_submission(
            model, case.submission_key, mobile=case.mobile, channel=case.channel
        ):
            return earlier
        if on_conflict is not None and (refusal := on_conflict(case)) is not None:
            raise refusal from None
        raise
    save_attachments(case, attachments, by_citizen=actor is None)
    case.events.create(
        actor=_staff(actor), action=transition.action, to_status=case.status, is_public=True
    )
    notify(case, transition.sms_kind)
    return case


def locked(case: CitizenCase, *related: str) -> CitizenCase:
    """The case re-read under a lock on its own row (not on the `related` rows it joins),
    so two clerks cannot move it at once."""
    queryset = type(case).objects.select_for_update(of=("self",))
    if related:
        queryset = queryset.select_related(*related)
    return queryset.get(pk=case.pk)


def apply_transition(
    case: Any,
    transition: Transition,
    *,
    actor: Any = None,
    by_citizen: bool = False,
    note: str = "",
    is_public: bool = True,
    update_fields: Iterable[str] = (),
    sms_context: dict[str, Any] | None = None,
) -> Any:
    """Move `case` along `transition`, write its event and queue the transition's SMS (with
    `sms_context` for its template); the caller holds the transaction (and has locked the
    row). Raises IllegalTransition."""
    if not transition.allowed_from(case.status):
        raise IllegalTransition(case, transition.action)
    from_status = case.status
    if transition.target is not None:
        case.status = transition.target
    case.save(update_fields=["status", "updated_at", *update_fields])
    event = case.events.create(
        actor=_staff(actor),
        by_citizen=by_citizen,
        action=transition.action,
        from_status=from_status,
        to_status=case.status,
        note=normalize_text(note),
        is_public=is_public,
    )
    if transition.sms_kind:
        notify(case, transition.sms_kind, **(sms_context or {}))
    return event


def apply_with_staff_note(
    case: Any,
    transition: Transition,
    *,
    actor: Any,
    public_text: str,
    note: str,
    note_is_public: bool,
    note_transition: Transition,
    **kwargs: Any,
) -> Any:
    """A move (a referral) whose public line says what happened, and whose staff note is
    for the unit: an internal event of its own unless staff chose to show it to the citizen,
    then part of the public line."""
    note = normalize_text(note)
    shown = public_text + (f"\n{note}" if note and note_is_public else "")
    event = apply_transition(case, transition, actor=actor, note=shown, **kwargs)
    if note and not note_is_public:
        apply_transition(case, note_transition, actor=actor, note=note, is_public=False)
    return event


def add_internal_note(case: CitizenCase, *, transition: Transition, actor: Any, note: str):
    """A note only staff see, on the case's timeline."""
    case = locked(case)
    note = require_text(note, _("The note is empty."))
    apply_transition(case, transition, actor=actor, note=note, is_public=False)
    return case


CITIZEN_FIELDS = ("citizen_name", "mobile", "national_code")


def correct_details(
    case: CitizenCase, *, transition: Transition, actor: Any, changes: dict[str, Any]
) -> CitizenCase:
    """Staff fix what was mistyped at filing (the citizen's name, mobile or national code, a
    field of the app's own): the case's own fields change, and an internal event records each
    old and new value, so the timeline keeps what the citizen first gave. Later SMS go to the
    corrected mobile. Raises ValidationError when nothing changed."""
    case = locked(case)
    citizen = {name: changes[name] for name in CITIZEN_FIELDS if name in changes}
    if citizen:
        changes = {
            **changes,
            **{
                name: value
                for name, value in clean_citizen_fields(
                    citizen_name=citizen.get("citizen_name", case.citizen_name),
                    mobile=citizen.get("mobile", case.mobile),
                    national_code=citizen.get("national_code", case.national_code),
                ).items()
                if name in citizen
            },
        }
    lines, changed = [], []
    for name, new in changes.items():
        old = getattr(case, name)
        if old == new:
            continue
        label = type(case)._meta.get_field(name).verbose_name
        lines.append(f"{label}: {_shown(old)} ← {_shown(new)}")
        setattr(case, name, new)
        changed.append(name)
    if not changed:
        raise ValidationError(_("Nothing was changed."), code="unchanged")
    apply_transition(
        case,
        transition,
        actor=actor,
        note=_("Corrected:") + "\n" + "\n".join(lines),
        is_public=False,
        update_fields=changed,
    )
    return case


def _shown(value: Any) -> str:
    return local_digits(value) if value not in (None, "") else "—"


def notify(case: CitizenCase, kind: str, **context: Any) -> None:
    """Queue the SMS `kind` to the case's mobile, in the caller's transaction. Its template
    sees the case as `case` and under the app's own name (`complaint`, `meeting`…)."""
    sms.queue_sms(
        receiver=case.mobile,
        kind=kind,
        context={"case": case, case.sms_name: case, **context},
        tracking_code=case.tracking_code,
    )


def save_attachments(
    case: CitizenCase, files: Sequence[CheckedUpload], *, by_citizen: bool
) -> None:
    for checked in files:
        case.attachments.create(
            file=checked.content,
            original_name=checked.original_name,
            content_type=checked.content_type,
            size=checked.size,
            by_citizen=by_citizen,
        )


def resend_tracking_code(case: CitizenCase, *, sms_kind: str) -> bool:
    """Send a case's tracking code again, by SMS, to the mobile it was filed with: how the
    portal answers someone who typed only a mobile that already has an open case (they learn
    nothing; the owner gets the code). At most `settings.CODE_RESENDS_PER_DAY` a day per case,
    so nobody can flood a phone with it. Returns False when the limit held it back."""
    if not ratelimit.hit(
        "code-resend", case.tracking_code, limit=settings.CODE_RESENDS_PER_DAY, period=86400
    ):
        return False
    with transaction.atomic():
        notify(case, sms_kind)
    return True


def _staff(actor: Any) -> Any:
    # An anonymous user (a citizen on the web) is recorded as no staff member.
    return actor if actor is not None and actor.is_authenticated else None
