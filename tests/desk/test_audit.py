"""The audit record of the reference tables: who changed which row, when, and each field's old
and new value, in Persian in the back office; cases keep their own timeline instead."""

import pytest
from auditlog.models import LogEntry

from desk.models import Department

pytestmark = pytest.mark.django_db

AUDIT = "/admin/auditlog/logentry/"


@pytest.fixture
def admin_user(django_user_model):
    return django_user_model.objects.create_superuser(
        "chief", password="x", first_name="زهرا", last_name="کریمی"
    )


def test_a_units_edit_in_the_back_office_is_recorded_with_who_and_what(client, admin_user):
    unit = Department.objects.create(name="واحد درآمد", slug="revenue")
    client.force_login(admin_user)

    client.post(
        f"/admin/desk/department/{unit.pk}/change/",
        {
            "name": "واحد درآمد و عوارض",
            "slug": "revenue",
            "description": "",
            "is_active": "on",
            "location": "طبقه ۲",
            "working_hours": "",
        },
    )

    entry = LogEntry.objects.get_for_object(unit).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor == admin_user
    assert entry.changes_dict["name"] == ["واحد درآمد", "واحد درآمد و عوارض"]
    page = client.get(AUDIT).text
    assert "زهرا کریمی" in page and "واحد درآمد و عوارض" in page
    detail = client.get(f"{AUDIT}{entry.pk}/change/").text
    assert "واحد درآمد ← واحد درآمد و عوارض" in detail
    assert "طبقه ۲" in detail


def test_the_audit_record_cannot_be_edited_or_deleted(client, admin_user):
    unit = Department.objects.create(name="واحد درآمد", slug="revenue")
    entry = LogEntry.objects.get_for_object(unit).get()
    client.force_login(admin_user)

    assert client.post(f"{AUDIT}{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert LogEntry.objects.filter(pk=entry.pk).exists()
    assert client.get(f"{AUDIT}add/").status_code == 403


def test_staff_without_the_permission_cannot_read_it(client, django_user_model):
    clerk = django_user_model.objects.create_user("clerk", password="x", is_staff=True)
    client.force_login(clerk)
    assert client.get(AUDIT).status_code == 403
