"""Personas and helpers for the meetings tests. Unless a test travels elsewhere, the clock
stands at Monday 2 Azar 1405 (23 November 2026), 09:00 in Tehran."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import Permission

from appointments import services
from appointments.models import Host, MeetingSession

TEHRAN = ZoneInfo("Asia/Tehran")
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=TEHRAN)  # Monday 2 Azar 1405
TOMORROW = date(2026, 11, 24)  # Tuesday
NEXT_WEEK = date(2026, 11, 30)  # Monday


@pytest.fixture(autouse=True)
def _frozen_clock(request):
    if request.node.get_closest_marker("real_clock"):
        yield
        return
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def mayor(db):
    return Host.objects.create(name="علی رستمی", title="شهردار")


@pytest.fixture
def deputy(db):
    return Host.objects.create(name="سارا نوروزی", title="معاون خدمات شهری", order=1)


@pytest.fixture
def make_session(mayor):
    def make(day: date = NEXT_WEEK, *, host=None, capacity: int = 5, **fields) -> MeetingSession:
        values = {
            "host": host or mayor,
            "date": day,
            "start_time": time(9, 0),
            "end_time": time(12, 0),
            "place": "دفتر شهردار، طبقه دوم",
            "capacity": capacity,
            # Times 09:00, 09:30, 10:00 … one per place.
            "slot_minutes": 30,
        }
        values.update(fields)
        return MeetingSession.objects.create(**values)

    return make


@pytest.fixture
def session(make_session):
    return make_session()


@pytest.fixture
def request_meeting(mayor):
    """File a request as a citizen on the web; keyword arguments override the defaults."""

    def file(**overrides):
        fields = {
            "host": mayor,
            "subject": "مشکل پروانه ساختمانی",
            "citizen_name": "مریم احمدی",
            "mobile": "09121234567",
        }
        fields.update(overrides)
        return services.request_meeting(**fields)

    return file


# --- back-office personas -----------------------------------------------------------------------

OFFICE_PERMISSIONS = [
    "view_meetingrequest",
    "add_meetingrequest",
    "change_meetingrequest",
    "view_meetingsession",
    "add_meetingsession",
    "change_meetingsession",
    "view_host",
]


@pytest.fixture
def office_clerk(django_user_model):
    """The mayor's office: staff with the appointments permissions."""
    user = django_user_model.objects.create_user(
        "office", password="x", is_staff=True, first_name="زهرا", last_name="کریمی"
    )
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="appointments", codename__in=OFFICE_PERMISSIONS
        )
    )
    return user


@pytest.fixture
def office_client(client, office_clerk):
    client.force_login(office_clerk)
    return client


def form_data(**overrides) -> dict:
    """A filled-in request form as the citizen posts it; `meeting` is left for the test."""
    data = {
        "meeting": "",
        "subject": "مشکل پروانه",
        "citizen_name": "مریم احمدی",
        "mobile": "۰۹۱۲۱۲۳۴۵۶۷",
        "national_code": "",
    }
    data.update(overrides)
    return data
