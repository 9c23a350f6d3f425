"""The shared case machinery: what complaints, meeting requests and service requests share.

A case has a tracking code, a citizen (name, mobile, optional national code), a channel, a
status that only service functions move, a timeline of events and private attachments. Each
app subclasses the abstract models here and declares its transitions;
`desk.cases.services.apply_transition` is the one place a status changes and its event is
written.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

from django.conf import settings
from django.db import connections, models, router
from django.dispatch import Signal
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from desk import services as desk_services
from desk.jalali import format_jalali_datetime
from desk.text import local_digits, mask_mobile

# Sent inside the transaction that finishes a case (closed, answered for good, held…), with
# `case` and `outcome`; surveys listen to invite the citizen.
case_finished = Signal()


class Channel(models.TextChoices):
    WEB = "web", _("website")
    WALK_IN = "walk_in", _("in person at the desk")
    PHONE = "phone", _("phone")
    API = "api", _("API")


@dataclass(frozen=True)
class ReportGroup:
    """What a finished case is counted under in results (surveys, the quarterly report): the
    unit that handled it and the service it was about, as a stable key and a label."""

    unit_id: int | None = None
    service_key: str = ""
    service_label: str = ""


class ReplyTemplate(models.Model):
    """A ready text staff pick, edit and send in a case's step form. Each case app declares
    its own (its `use` choices are the actions of its step forms that take a text; it may add
    a field narrowing where the template is offered, e.g. a complaint's category) and
    `offered_for` says which apply to a case."""

    title = models.CharField(_("title"), max_length=120)
    # The action of the step form it fills; subclasses give the choices.
    use = models.CharField(_("used for"), max_length=30)
    text = models.TextField(_("text"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        abstract = True
        ordering = ["use", "title"]
        verbose_name = _("reply template")
        verbose_name_plural = _("reply templates")

    def __str__(self) -> str:
        return self.title

    @classmethod
    def offered_for(cls, case: Any) -> models.QuerySet:
        return cls._default_manager.filter(is_active=True)


class UnitScopedQuerySet(models.QuerySet):
    """Cases that belong to a unit (`unit_field`), seen in the back office by that unit's
    staff only."""

    unit_field: ClassVar[str] = "department"

    def for_staff(self, user: Any) -> "UnitScopedQuerySet":
        """What a staff member may see: everything for superusers and staff not tied to a
        unit (the desk), only their units' cases for unit staff."""
        units = staff_unit_scope(user)
        return self if units is None else self.filter(**{f"{self.unit_field}__in": units})


def staff_unit_scope(user: Any) -> list[int] | None:
    """The units whose records a staff member may see: None for all of them (superusers,
    and staff not tied to a unit: the desk), else their units' ids. A member of the unit
    staff role tied to no unit yet gets none (not all)."""
    if user.is_superuser:
        return None
    unit_ids = staff_unit_ids(user)
    if unit_ids:
        return unit_ids
    return [] if in_unit_staff_role(user) else None


def in_unit_staff_role(user: Any) -> bool:
    """Whether the user is in the unit staff group (desk/roles.py), read once per request."""
    if not hasattr(user, "_desk_unit_staff"):
        from desk.roles import UNIT_STAFF

        user._desk_unit_staff = user.groups.filter(name=UNIT_STAFF.name).exists()
    return user._desk_unit_staff


def staff_unit_ids(user: Any) -> list[int]:
    """The units a staff member is tied to, read once per request (the user object lives
    for one request): the home page asks it of every scoped count."""
    if not hasattr(user, "_desk_unit_ids"):
        user._desk_unit_ids = list(user.desk_units.values_list("pk", flat=True))
    return user._desk_unit_ids


class CitizenCase(models.Model):
    """Fields and helpers of every case a citizen files and follows with a code."""

    tracking_prefix: ClassVar[str] = ""
    tracking_kind: ClassVar[str] = ""
    # The name SMS templates know the case by ("complaint", "meeting"…), beside "case".
    sms_name: ClassVar[str] = "case"

    tracking_code = models.CharField(_("tracking code"), max_length=12, unique=True, editable=False)
    citizen_name = models.CharField(_("full name"), max_length=120)
    mobile = models.CharField(_("mobile number"), max_length=11, db_index=True)
    national_code = models.CharField(_("national code"), max_length=10, blank=True)
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.WEB
    )
    created_at = models.DateTimeField(_("filed at"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # The form's one-time key: a double click or back-and-resubmit finds the first case.
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        # How staff read it (titles, lists, the admin's messages): in the page's digits.
        return local_digits(self.tracking_code)

    @property
    def masked_mobile(self) -> str:
        """09121234567 → 0912***4567: enough to recognise one's own number, not to learn one."""
        return mask_mobile(self.mobile)

    # A citizen's every case page and look-up reads one case by its code: written as
    # SQL once here rather than compiled by the ORM on each request (measured: the compiled
    # get() took a sixth of a case page's CPU, a raw read half as much, a bare cursor a tenth).

    @classmethod
    def by_code(cls, code: str) -> "CitizenCase | None":
        """The case with this tracking code (the whole row, as a model instance), or None."""
        table, column = cls._quoted("tracking_code")
        found = cls._default_manager.raw(f"SELECT * FROM {table} WHERE {column} = %s", [code])
        return next(iter(found), None)

    @classmethod
    def filed_with(cls, code: str, mobile: str) -> bool:
        """Whether a case has this code and was filed with this mobile: all a look-up asks."""
        table, code_column = cls._quoted("tracking_code")
        _table, mobile_column = cls._quoted("mobile")
        sql = f"SELECT 1 FROM {table} WHERE {code_column} = %s AND {mobile_column} = %s"
        with connections[router.db_for_read(cls)].cursor() as cursor:
            cursor.execute(sql, [code, mobile])
            return cursor.fetchone() is not None

    @classmethod
    def _quoted(cls, field_name: str) -> tuple[str, str]:
        quote = connections[router.db_for_read(cls)].ops.quote_name
        return quote(cls._meta.db_table), quote(cls._meta.get_field(field_name).column)

    def receipt_facts(self) -> list[tuple[Any, Any]]:
        """What the printed receipt says of this case besides its code: (label, value)."""
        return []

    def receipt_next_step(self) -> Any:
        """What happens next, in a sentence, for the printed receipt."""
        return ""

    def report_group(self) -> ReportGroup:
        """The unit and service this case counts under; an app names its own service."""
        return ReportGroup(unit_id=getattr(self, "department_id", None))

    def assign_tracking_code(self) -> None:
        if not self.tracking_code:
            self.tracking_code = desk_services.issue_tracking_code(
                prefix=self.tracking_prefix, kind=self.tracking_kind
            )


class CaseEvent(models.Model):
    """One line of a case's timeline. Subclasses add `case = ForeignKey(…, related_name="events")`."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    by_citizen = models.BooleanField(_("by the citizen"), default=False)
    action = models.CharField(_("action"), max_length=40)
    from_status = models.CharField(_("from status"), max_length=30, blank=True)
    to_status = models.CharField(_("to status"), max_length=30, blank=True)
    note = models.TextField(_("note"), blank=True)
    is_public = models.BooleanField(_("visible to the citizen"), default=False)
    created_at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return format_jalali_datetime(self.created_at)


def private_upload_path(instance: Any, filename: str) -> str:
    # The checked upload already has a random name; group by app and month for housekeeping.
    return f"{instance._meta.app_label}/{timezone.now():%Y/%m}/{filename}"


class CaseAttachment(models.Model):
    """A checked private file. Subclasses add `case = ForeignKey(…, related_name="attachments")`."""

    file = models.FileField(_("file"), upload_to=private_upload_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=120)
    content_type = models.CharField(_("type"), max_length=40)
    size = models.PositiveIntegerField(_("size in bytes"))
    by_citizen = models.BooleanField(_("from the citizen"), default=True)
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return format_jalali_datetime(self.created_at)

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class IllegalTransition(Exception):
    """A state change that the case's current status does not allow."""

    def __init__(self, case: Any, action: str):
        self.case, self.action = case, action
        status = case.get_status_display() if hasattr(case, "get_status_display") else case.status
        super().__init__(
            _("“%(action)s” is not possible while the case is “%(status)s”.")
            % {"action": action, "status": status}
        )


@dataclass(frozen=True)
class Transition:
    """An allowed move: from any of `sources` to `target` (None: the status stays), with
    what it is called on the citizen's timeline (`title`; empty for events the citizen never
    sees) and in the back office (`staff_label`), and the SMS that tells the citizen of it
    (`sms_kind`, a template under templates/sms/; empty for none)."""

    action: str
    sources: frozenset[str]
    target: str | None = None
    title: Any = ""
    staff_label: Any = ""
    sms_kind: str = ""

    @classmethod
    def of(
        cls,
        action: str,
        sources: Iterable[str],
        target: str | None = None,
        *,
        title: Any = "",
        staff_label: Any = "",
        sms_kind: str = "",
    ) -> "Transition":
        return cls(action, frozenset(sources), target, title, staff_label, sms_kind)

    def allowed_from(self, status: str) -> bool:
        return status in self.sources


class Flow(dict):
    """A case app's transitions by action, to name the events of its timeline."""

    def __init__(self, *transitions: Transition):
        super().__init__((transition.action, transition) for transition in transitions)

    def titles(self, events: Iterable[Any]) -> list[tuple[Any, Any]]:
        """The citizen's timeline: (title, event) for each of `events`."""
        return [
            (self[event.action].title if event.action in self else "", event) for event in events
        ]

    def public_timeline(self, case: Any) -> SimpleLazyObject:
        """`titles` of the case's public events, read only when first used: a case page
        keeps its body rendered (desk/fragments.py) and then reads no event at all."""
        return SimpleLazyObject(lambda: self.titles(case.events.filter(is_public=True)))
