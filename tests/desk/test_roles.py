"""The back office's roles (desk/roles.py), made by desk/migrations/0007_roles.py (and run
again by later migrations), and what each may do with each kind of case: a matrix of role × case model × action, on a case of
the unit staff member's own unit and of another unit.

The test database is built by running every migration in one go, as on a fresh server, so
the groups found here are the migration's. Unit staff are in «کارشناس واحد» and staff of
the urban-services unit (`Department.staff`); another unit's case does not exist for them
(404) wherever they reach for it, while a case model their role has no permission on is
refused (403). A meeting request belongs to the unit the mayor's office referred it to: its
staff see it and write its outcome; the office and the desk see them all."""

from dataclasses import dataclass
from itertools import count

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.test import Client
from django.urls import reverse

from appointments.models import Host, MeetingRequest
from appointments.services import request_meeting
from complaints.models import ComplaintCategory, Kind
from complaints.services import submit_complaint
from desk.cases.models import Channel
from desk.models import Department, SiteProfile
from desk.roles import (
    ADMINISTRATOR,
    CONTENT_EDITOR,
    DESK_CLERK,
    MANAGER,
    MAYORS_OFFICE,
    ROLES,
    ROLES_BY_KEY,
    UNIT_STAFF,
    apply_roles,
    remove_roles,
)
from desk.uploads import check_upload
from processes.models import AcceptedTypes, RequiredDocument, Service, ServiceCategory
from processes.services import submit_service_request

pytestmark = pytest.mark.django_db

NATIONAL_CODE = "0013542419"
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def group_permissions(role) -> set[str]:
    group = Group.objects.get(name=role.name)
    return {
        f"{app_label}.{codename}"
        for app_label, codename in group.permissions.values_list(
            "content_type__app_label", "codename"
        )
    }


# --- the groups ----------------------------------------------------------------------------------


def test_every_role_is_a_group_named_in_persian_after_migrating():
    names = set(Group.objects.values_list("name", flat=True))
    assert {
        "متصدی میز خدمت",
        "کارشناس واحد",
        "دفتر شهردار",
        "ویراستار محتوا",
        "مدیر",
        "مدیر سامانه",
    } <= names
    assert len({role.name for role in ROLES}) == len(ROLES)


@pytest.mark.parametrize("role", [role for role in ROLES if not role.everything], ids=str)
def test_each_group_has_exactly_its_roles_permissions(role):
    assert group_permissions(role) == role.permissions


def test_the_desk_clerk_registers_routes_and_resends_but_deletes_nothing():
    held = group_permissions(DESK_CLERK)
    for model in ("complaints.%s_complaint", "appointments.%s_meetingrequest"):
        assert {model % action for action in ("view", "add", "change")} <= held
    assert {"processes.add_servicerequest", "processes.change_servicerequest"} <= held
    assert {
        "complaints.view_replytemplate",
        "desk.view_department",
        "contacts.view_contact",
    } <= held
    assert {"desk.view_smsmessage", "desk.change_smsmessage"} <= held
    assert not any(name.split(".")[1].startswith("delete_") for name in held)
    assert "complaints.change_replytemplate" not in held


def test_unit_staff_handle_their_cases_and_read_the_reply_templates_only():
    assert group_permissions(UNIT_STAFF) == {
        "complaints.view_complaint",
        "complaints.change_complaint",
        "appointments.view_meetingrequest",
        "appointments.change_meetingrequest",
        "processes.view_servicerequest",
        "processes.change_servicerequest",
        "complaints.view_replytemplate",
        "appointments.view_replytemplate",
        "processes.view_replytemplate",
    }


def test_the_mayors_office_holds_the_meetings_and_nothing_else():
    held = group_permissions(MAYORS_OFFICE)
    assert {
        "appointments.add_meetingrequest",
        "appointments.change_host",
        "appointments.add_meetingsession",
        "appointments.change_bookingwindow",
    } <= held
    assert {name.split(".")[0] for name in held} == {"appointments"}


def test_the_content_editor_edits_cards_contacts_and_surveys_but_no_case():
    held = group_permissions(CONTENT_EDITOR)
    assert {
        "processes.delete_service",
        "processes.add_requireddocument",
        "processes.change_servicecategory",
        "contacts.delete_contact",
        "surveys.change_survey",
        "surveys.add_question",
    } <= held
    assert not held & {
        "complaints.view_complaint",
        "appointments.view_meetingrequest",
        "processes.view_servicerequest",
    }


def test_the_manager_reads_the_report_and_changes_nothing():
    held = group_permissions(MANAGER)
    assert {
        "desk.view_reports",
        "complaints.view_complaint",
        "appointments.view_meetingrequest",
        "processes.view_servicerequest",
        "processes.view_service",
        "contacts.view_contact",
        "surveys.view_survey",
        "surveys.view_invitation",
    } <= held
    assert all(name.split(".")[1].startswith("view_") for name in held)


def test_the_administrator_has_every_permission_there_is():
    """Fails when a model was added without a migration running `apply_roles` again."""
    group = Group.objects.get(name=ADMINISTRATOR.name)
    assert group.permissions.count() == Permission.objects.count()


def test_the_report_permission_is_the_managers_and_the_administrators(django_user_model):
    manager, editor, admin = (
        django_user_model.objects.create(username=role.key, is_staff=True)
        for role in (MANAGER, CONTENT_EDITOR, ADMINISTRATOR)
    )
    for user, role in ((manager, MANAGER), (editor, CONTENT_EDITOR), (admin, ADMINISTRATOR)):
        user.groups.add(Group.objects.get(name=role.name))
    assert manager.has_perm("desk.view_reports") and admin.has_perm("desk.view_reports")
    assert not editor.has_perm("desk.view_reports")
    assert Permission.objects.get(codename="view_reports").content_type.model_class() is (
        SiteProfile
    )


class Editor:
    def __init__(self):
        self.connection = connection


def test_running_the_roles_again_changes_nothing_and_backward_removes_the_groups():
    apps = MigrationLoader(connection).project_state(("desk", "0009_roles_reply_templates")).apps
    before = {role.key: group_permissions(role) for role in ROLES}
    ids = dict(Group.objects.values_list("name", "pk"))

    apply_roles(apps, Editor())
    assert {role.key: group_permissions(role) for role in ROLES} == before
    assert dict(Group.objects.values_list("name", "pk")) == ids

    # Someone widened a group by hand: running the roles again sets it back.
    Group.objects.get(name=UNIT_STAFF.name).permissions.add(
        Permission.objects.get(codename="view_host")
    )
    apply_roles(apps, Editor())
    assert group_permissions(UNIT_STAFF) == before[UNIT_STAFF.key]

    remove_roles(apps, Editor())
    assert not Group.objects.filter(name__in=[role.name for role in ROLES]).exists()
    apply_roles(apps, Editor())
    assert {role.key: group_permissions(role) for role in ROLES} == before


# --- the matrix: role × case model × action × own or another unit's case -------------------------

LOGIN, NONE, VIEW, ACT = "login", "none", "view", "act"

# What each role may do with each kind of case, written out rather than read from ROLES:
# the matrix proves the groups and the admins together give exactly this.
ACCESS = {
    "anonymous": {"complaint": LOGIN, "meeting": LOGIN, "service_request": LOGIN},
    "no_role": {"complaint": NONE, "meeting": NONE, "service_request": NONE},
    DESK_CLERK.key: {"complaint": ACT, "meeting": ACT, "service_request": ACT},
    UNIT_STAFF.key: {"complaint": ACT, "meeting": ACT, "service_request": ACT},
    MAYORS_OFFICE.key: {"complaint": NONE, "meeting": ACT, "service_request": NONE},
    CONTENT_EDITOR.key: {"complaint": NONE, "meeting": NONE, "service_request": NONE},
    MANAGER.key: {"complaint": VIEW, "meeting": VIEW, "service_request": VIEW},
    ADMINISTRATOR.key: {"complaint": ACT, "meeting": ACT, "service_request": ACT},
}
# Roles whose members are staff of a unit and see only its cases, and the case models
# scoped by unit (a meeting request by the unit it was referred to).
SCOPED_ROLES = {UNIT_STAFF.key}
SCOPED_MODELS = {"complaint", "meeting", "service_request"}
ADMIN_NAMES = {
    "complaint": "complaints_complaint",
    "meeting": "appointments_meetingrequest",
    "service_request": "processes_servicerequest",
}
ACTIONS = ["list", "view", "history", "change_post", "transition", "attachment", "receipt"]


@dataclass
class World:
    """Two units, each with a complaint category and a service card, and a host."""

    own_unit: Department
    other_unit: Department
    categories: dict
    cards: dict
    host: Host

    def __post_init__(self):
        self._mobiles = count(1000000)

    def mobile(self) -> str:
        return f"0912{next(self._mobiles)}"

    def case(self, model: str, scope: str):
        unit = self.own_unit if scope == "own" else self.other_unit
        citizen = {"citizen_name": "مریم احمدی", "mobile": self.mobile()}
        if model == "complaint":
            return submit_complaint(
                kind=Kind.COMPLAINT,
                category=self.categories[unit.pk],
                subject="چاله",
                description="چاله‌ای عمیق در خیابان.",
                attachments=[pdf("عکس.pdf")],
                **citizen,
            )
        if model == "service_request":
            card = self.cards[unit.pk]
            return submit_service_request(
                service=card,
                national_code=NATIONAL_CODE,
                documents={card.documents.get().pk: pdf("سند.pdf")},
                channel=Channel.WALK_IN,
                **citizen,
            )
        meeting = request_meeting(host=self.host, subject="پروانه", **citizen)
        # A meeting request belongs to the unit the office referred it to.
        MeetingRequest.objects.filter(pk=meeting.pk).update(referred_to_department=unit)
        return meeting


def pdf(name: str):
    return check_upload(SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf"))


@pytest.fixture
def world(streets):
    green = Department.objects.create(name="سازمان فضای سبز", slug="green-space")
    SiteProfile.objects.create(
        municipality_name="شهرداری قشم",
        officer_first_name="غریب",
        officer_last_name="حسین پناهی",
        officer_role="میز خدمت",
        urgent_phone="07635242011",
    )
    category = ServiceCategory.objects.create(title="شهرسازی", slug="building")
    categories, cards = {}, {}
    for unit in (streets, green):
        categories[unit.pk] = ComplaintCategory.objects.create(title=unit.slug, department=unit)
        cards[unit.pk] = card = Service.objects.create(
            title=f"گواهی {unit.name}",
            slug=f"card-{unit.slug}",
            summary="گواهی",
            category=category,
            department=unit,
            duration_days=5,
            published=True,
            accepts_online_requests=True,
        )
        RequiredDocument.objects.create(
            service=card,
            order=1,
            name="سند مالکیت",
            mandatory=True,
            accepted_types=AcceptedTypes.PDF_OR_IMAGE,
        )
    host = Host.objects.create(name="علی رستمی", title="شهردار")
    return World(streets, green, categories, cards, host)


@pytest.fixture(scope="module")
def shared_client():
    """One test client for the module: a new one loads the middleware again (WhiteNoise
    reads every static file), the better part of each request's time."""
    return Client()


@pytest.fixture
def browser(shared_client):
    shared_client.cookies.clear()
    return shared_client


def sign_in(client, django_user_model, role: str, world: World) -> None:
    if role == "anonymous":
        return
    user = django_user_model.objects.create(username=f"u-{role}", is_staff=True)
    if role in ROLES_BY_KEY:
        user.groups.add(Group.objects.get(name=ROLES_BY_KEY[role].name))
    if role in SCOPED_ROLES:
        world.own_unit.staff.add(user)
    client.force_login(user)


def expected_access(role: str, model: str, scope: str) -> str:
    access = ACCESS[role][model]
    scoped = role in SCOPED_ROLES and model in SCOPED_MODELS
    return "hidden" if access in (VIEW, ACT) and scoped and scope == "other" else access


MATRIX = [
    pytest.param(role, model, action, scope, id=f"{role}-{model}-{action}-{scope}")
    for role in ACCESS
    for model in ADMIN_NAMES
    for action in ACTIONS
    for scope in ("own", "other")
    # Meeting requests have no files.
    if not (model == "meeting" and action == "attachment")
]


@pytest.mark.parametrize(("role", "model", "action", "scope"), MATRIX)
def test_role_model_action_matrix(browser, django_user_model, world, role, model, action, scope):
    client = browser
    case = world.case(model, scope)
    if action == "list":
        # The list holds a case of the other scope too: one is listed, not the other.
        other_case = world.case(model, "other" if scope == "own" else "own")
    sign_in(client, django_user_model, role, world)
    name = f"admin:{ADMIN_NAMES[model]}"
    change_url = reverse(f"{name}_change", args=[case.pk])
    events = case.events.count()

    if action == "list":
        response = client.get(reverse(f"{name}_changelist"))
    elif action == "view":
        response = client.get(change_url)
    elif action == "history":
        response = client.get(reverse(f"{name}_history", args=[case.pk]))
    elif action == "change_post":
        response = client.post(change_url, {"citizen_name": "نام دیگر", "_save": "1"})
    elif action == "transition":
        response = client.post(
            reverse(f"{name}_transition", args=[case.pk, "internal_note"]),
            {"internal_note-note": "یادداشت داخلی"},
        )
    elif action == "attachment":
        attachment = case.attachments.get()
        response = client.get(reverse(f"{name}_attachment", args=[case.pk, attachment.pk]))
    else:
        response = client.get(reverse(f"{name}_receipt", args=[case.pk]))

    access = expected_access(role, model, scope)
    if access == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    elif access == NONE:
        assert response.status_code == 403
    elif access == "hidden":
        if action == "list":
            assert response.status_code == 200
            page = response.content.decode()
            assert change_url not in page
            assert reverse(f"{name}_change", args=[other_case.pk]) in page
        else:
            assert response.status_code == 404
    elif action == "list":
        assert response.status_code == 200
        assert change_url in response.content.decode()
    elif action == "view":
        assert response.status_code == 200
        # The step forms are on the page for those who may act, and only for them.
        assert ('name="internal_note-note"' in response.content.decode()) is (access == ACT)
    elif action == "change_post":
        # A case changes only through its steps: the main form refuses everyone.
        assert response.status_code == 403
    elif action == "transition":
        if access == ACT:
            assert response.status_code == 302
            assert response["Location"] == change_url
            events += 1
        else:
            assert response.status_code == 403
    elif action == "attachment":
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
    else:  # history, receipt
        assert response.status_code == 200

    case.refresh_from_db()
    assert case.events.count() == events
    assert case.citizen_name == "مریم احمدی"


@pytest.mark.parametrize(
    ("role", "model"),
    [(role, model) for role in ACCESS if role != "anonymous" for model in ADMIN_NAMES],
)
def test_who_registers_a_walk_in_case(browser, django_user_model, world, role, model):
    """The add page (walk-in or phone registration) for those who register cases: the desk
    for every kind, the mayor's office for meetings, the administrator; not unit staff."""
    sign_in(browser, django_user_model, role, world)
    response = browser.get(reverse(f"admin:{ADMIN_NAMES[model]}_add"))
    registers = role in (DESK_CLERK.key, ADMINISTRATOR.key) or (
        role == MAYORS_OFFICE.key and model == "meeting"
    )
    assert response.status_code == (200 if registers else 403)


@pytest.mark.parametrize("model", sorted(SCOPED_MODELS - {"meeting"}))  # meetings have no files
def test_another_units_file_is_not_reached_through_ones_own_case(
    client, django_user_model, world, model
):
    """The attachment URL with one's own case and another unit's attachment: 404."""
    own, other = world.case(model, "own"), world.case(model, "other")
    sign_in(client, django_user_model, UNIT_STAFF.key, world)
    name = f"admin:{ADMIN_NAMES[model]}_attachment"

    assert client.get(reverse(name, args=[own.pk, own.attachments.get().pk])).status_code == 200
    assert client.get(reverse(name, args=[own.pk, other.attachments.get().pk])).status_code == 404


def test_unit_staff_tied_to_no_unit_see_no_case(client, django_user_model, world):
    """A member of «کارشناس واحد» not yet made staff of a unit sees no case at all (not
    every unit's, as staff tied to no unit at the desk do)."""
    other = world.case("complaint", "other")
    user = django_user_model.objects.create(username="unit-without-unit", is_staff=True)
    user.groups.add(Group.objects.get(name=UNIT_STAFF.name))
    client.force_login(user)

    change_url = reverse("admin:complaints_complaint_change", args=[other.pk])
    assert client.get(change_url).status_code == 404
    listed = client.get(reverse("admin:complaints_complaint_changelist")).text
    assert other.tracking_code.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")) not in listed
