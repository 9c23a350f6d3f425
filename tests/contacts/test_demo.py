"""The demo directory of `seed_demo`: every demo unit placed and staffed, safe to run again."""

import pytest
from django.core.management import call_command

from contacts.demo import CONTACTS, PLACES, seed_demo_contacts
from contacts.models import Contact
from desk.management.commands.seed_demo import DEMO_DEPARTMENTS
from desk.models import Department

pytestmark = pytest.mark.django_db


def test_every_demo_unit_gets_a_place_hours_and_public_contacts(db):
    message = seed_demo_contacts()

    assert str(sum(map(len, CONTACTS.values()))) in message
    assert set(CONTACTS) == set(PLACES) == {slug for slug, _, _ in DEMO_DEPARTMENTS}
    for unit in Department.objects.all():
        assert unit.location and unit.working_hours
        assert unit.contacts.filter(is_public=True).exists()
    assert Contact.objects.filter(is_public=False).exists()
    assert Contact.objects.filter(role__startswith="مدیر").exists()
    assert Contact.objects.exclude(extension="").exists()


def test_running_it_again_adds_nothing_and_keeps_what_staff_edited(db):
    seed_demo_contacts()
    unit = Department.objects.get(slug="revenue")
    unit.location = "ساختمان جدید"
    unit.save()
    before = list(Contact.objects.values())

    message = seed_demo_contacts()

    assert "already" in message
    assert list(Contact.objects.values()) == before
    assert Department.objects.get(slug="revenue").location == "ساختمان جدید"


def test_seed_demo_runs_it(db):
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)

    assert Contact.objects.count() == sum(map(len, CONTACTS.values()))
