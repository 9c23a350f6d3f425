"""The back office's roles: one auth group each, named in Persian, with its permissions.

The groups are made by a data migration (desk/migrations/0007_roles.py) that calls
`apply_roles`; the tests read the same `ROLES`. To change a role, change it here and add a
migration running `apply_roles` again (`migrations.RunPython(apply_roles, noop)`): the groups
are found by name and their permissions set to exactly what is listed, so running it twice
changes nothing. A migration adding a model whose permissions a role lists, or any model
(the administrator has every permission), runs it too.

What a role may do is only half of the scope: unit staff see only the cases of the units
they are staff of (`Department.staff`, enforced by the case admins' `get_queryset`). A
member of the unit staff group tied to no unit yet sees no case; staff of no group and no
unit (the desk) see every unit's cases.

`desk` imports no app: the apps' models are named here by label only.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db.models import Q

Grant = tuple[str, str, str]  # (app label, model name, permission codename)

VIEW = ("view",)
HANDLE = ("view", "add", "change")
EDIT = ("view", "add", "change", "delete")


def on(model: str, *actions: str) -> tuple[Grant, ...]:
    """The permissions to take `actions` on `model` ("app_label.ModelName")."""
    app_label, model_name = model.lower().split(".")
    return tuple((app_label, model_name, f"{action}_{model_name}") for action in actions)


def custom(model: str, codename: str) -> tuple[Grant, ...]:
    """A permission the model declares in its Meta.permissions."""
    app_label, model_name = model.lower().split(".")
    return ((app_label, model_name, codename),)


@dataclass(frozen=True)
class Role:
    key: str
    name: str  # the group's name, what staff and administrators read
    grants: tuple[Grant, ...] = ()
    everything: bool = False  # every permission of every model

    @property
    def permissions(self) -> frozenset[str]:
        """As `user.has_perm` names them: "complaints.view_complaint"."""
        return frozenset(f"{app_label}.{codename}" for app_label, _model, codename in self.grants)


CASES = ("complaints.Complaint", "appointments.MeetingRequest", "processes.ServiceRequest")
REPLY_TEMPLATES = (
    "complaints.ReplyTemplate",
    "appointments.ReplyTemplate",
    "processes.ReplyTemplate",
)
SERVICE_CARDS = (
    "processes.ServiceCategory",
    "processes.Service",
    "processes.ServiceStep",
    "processes.RequiredDocument",
    "processes.ServiceFee",
    "processes.ServiceQuestion",
)


def _all(*groups: Iterable[Grant]) -> tuple[Grant, ...]:
    return tuple(grant for group in groups for grant in group)


DESK_CLERK = Role(
    key="desk_clerk",
    name="متصدی میز خدمت",
    grants=_all(
        # Registers walk-ins and sees and routes every case (tied to no unit).
        *(on(case, *HANDLE) for case in CASES),
        *(on(template, *VIEW) for template in REPLY_TEMPLATES),
        on("complaints.ComplaintCategory", *VIEW),
        on("desk.Department", *VIEW),
        # The SMS log; "change" is what lets one queue a failed message again.
        on("desk.SmsMessage", "view", "change"),
        on("contacts.Contact", *VIEW),
        # What a walk-in citizen asks about: free places in the sessions, the service cards.
        on("appointments.Host", *VIEW),
        on("appointments.MeetingSession", *VIEW),
        on("processes.ServiceCategory", *VIEW),
        on("processes.Service", *VIEW),
    ),
)

UNIT_STAFF = Role(
    key="unit_staff",
    name="کارشناس واحد",
    grants=_all(
        # Their units' complaints and service requests, and the meeting requests the mayor's
        # office sent on to their units, only: the user is also made staff of the units
        # (Department.staff).
        *(on(case, "view", "change") for case in CASES),
        *(on(template, *VIEW) for template in REPLY_TEMPLATES),
    ),
)

MAYORS_OFFICE = Role(
    key="mayors_office",
    name="دفتر شهردار",
    grants=_all(
        on("appointments.MeetingRequest", *HANDLE),
        on("appointments.Host", *HANDLE),
        on("appointments.MeetingSession", *HANDLE),
        on("appointments.BookingWindow", *HANDLE),
        on("appointments.ReplyTemplate", *EDIT),
    ),
)

CONTENT_EDITOR = Role(
    key="content_editor",
    name="ویراستار محتوا",
    grants=_all(
        *(on(model, *EDIT) for model in SERVICE_CARDS),
        on("contacts.Contact", *EDIT),
        # The ready texts of complaints and service requests (the mayor's office keeps the
        # meetings' own).
        on("complaints.ReplyTemplate", *EDIT),
        on("processes.ReplyTemplate", *EDIT),
        on("surveys.Survey", *EDIT),
        on("surveys.Question", *EDIT),
    ),
)

MANAGER = Role(
    key="manager",
    name="مدیر",
    grants=_all(
        # The quarterly report; read-only everywhere else.
        custom("desk.SiteProfile", "view_reports"),
        *(on(case, *VIEW) for case in CASES),
        *(on(model, *VIEW) for model in SERVICE_CARDS),
        on("contacts.Contact", *VIEW),
        on("surveys.Survey", *VIEW),
        on("surveys.Question", *VIEW),
        on("surveys.Invitation", *VIEW),
    ),
)

ADMINISTRATOR = Role(key="administrator", name="مدیر سامانه", everything=True)

ROLES: tuple[Role, ...] = (
    DESK_CLERK,
    UNIT_STAFF,
    MAYORS_OFFICE,
    CONTENT_EDITOR,
    MANAGER,
    ADMINISTRATOR,
)
ROLES_BY_KEY = {role.key: role for role in ROLES}


# --- the migrations' side ----------------------------------------------------------------------


def apply_roles(apps: Any, schema_editor: Any) -> None:
    """RunPython forward: every role's group, with exactly its permissions. Idempotent.

    The permissions are created first, as `migrate` would after the last migration: on a
    fresh database the post-migrate signal has not run yet, so none exist. A role's
    permission on a model that does not exist yet at this point of the history is left out
    (the migration adding the model runs this again); one on a model that exists but has no
    such permission is a mistake in ROLES and fails the migration."""
    using = schema_editor.connection.alias
    for app_config in global_apps.get_app_configs():
        # The real app config (the historical one has no models module, and
        # create_permissions skips those); `apps` gives it the historical models.
        create_permissions(app_config, verbosity=0, using=using, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role in ROLES:
        group, _created = Group.objects.using(using).get_or_create(name=role.name)
        if role.everything:
            permissions = list(Permission.objects.using(using).all())
        else:
            permissions = _permissions(role, apps, Permission, using)
        group.permissions.set(permissions)


def remove_roles(apps: Any, schema_editor: Any) -> None:
    """RunPython backward: the groups go (their members lose the role)."""
    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(
        name__in=[role.name for role in ROLES]
    ).delete()


def _permissions(role: Role, apps: Any, Permission: Any, using: str) -> list:
    wanted = set()
    for app_label, model_name, codename in role.grants:
        try:
            apps.get_model(app_label, model_name)
        except LookupError:
            continue
        wanted.add((app_label, model_name, codename))
    if not wanted:
        return []
    query = Q()
    for app_label, model_name, codename in wanted:
        query |= Q(
            content_type__app_label=app_label,
            content_type__model=model_name,
            codename=codename,
        )
    found = list(Permission.objects.using(using).filter(query).select_related("content_type"))
    missing = wanted - {(p.content_type.app_label, p.content_type.model, p.codename) for p in found}
    if missing:
        raise LookupError(f"Role {role.key!r} names permissions that do not exist: {missing}")
    return found
