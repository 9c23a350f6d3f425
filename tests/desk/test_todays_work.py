"""The back office's home page: today's work of every kind, counted in the clerk's scope,
each count a link to the list filtered to exactly those rows, at a fixed number of queries
however much the desk holds (issue 14)."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from appointments.models import Status as MeetingStatus
from complaints.models import Status as ComplaintStatus
from desk import registry
from desk.text import to_persian_digits
from processes.models import RequestStatus, Service

from .every_kind import NOW, TODAY, Desk, grant_all

pytestmark = pytest.mark.django_db

INDEX = reverse("admin:index")


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def desk(streets):
    return Desk(streets)


@pytest.fixture
def clerk(django_user_model):
    return grant_all(django_user_model.objects.create_user("clerk", password="x", is_staff=True))


@pytest.fixture
def unit_clerk(django_user_model, streets):
    user = django_user_model.objects.create_user("unit", password="x", is_staff=True)
    streets.staff.add(user)
    return grant_all(user)


def fill(desk: Desk, actor, times: int = 1) -> None:
    """Rows for every count, `times` over, with as many rows that no count takes."""
    for _ in range(times):
        # Complaints: new, overdue, due this week — in both units — and some that are not.
        desk.complaint()
        desk.complaint()
        desk.complaint(unit="green")
        desk.complaint(status=ComplaintStatus.IN_REVIEW, due_date=TODAY - timedelta(days=3))
        desk.complaint(
            unit="green", status=ComplaintStatus.REFERRED, due_date=TODAY - timedelta(days=1)
        )
        desk.complaint(status=ComplaintStatus.CLOSED, due_date=TODAY - timedelta(days=3))
        desk.complaint(status=ComplaintStatus.REFERRED, due_date=TODAY + timedelta(days=6))
        desk.complaint(unit="green", status=ComplaintStatus.REOPENED, due_date=TODAY)
        desk.complaint(status=ComplaintStatus.REFERRED, due_date=TODAY + timedelta(days=7))
        desk.complaint(status=ComplaintStatus.ANSWERED, due_date=TODAY + timedelta(days=2))

        # Meetings: today's and tomorrow's approved ones, requests waiting too long.
        approved = MeetingStatus.APPROVED
        desk.meeting(status=approved, session=desk.today)
        desk.meeting(status=approved, session=desk.today)
        desk.meeting(status=MeetingStatus.HELD, session=desk.today)
        desk.meeting(status=approved, session=desk.tomorrow)
        desk.meeting(status=approved, session=desk.next_week)
        desk.meeting(created_at=NOW - timedelta(days=5))
        desk.meeting(created_at=NOW - timedelta(days=2))
        desk.meeting(status=MeetingStatus.DECLINED, created_at=NOW - timedelta(days=5))
        # Sent on to the urban-services unit: its clerk's only meeting, in no count.
        desk.meeting(status=MeetingStatus.REFERRED, referred_to_department=desk.streets)

        # Service requests: new, overdue, due this week, waiting on an inquiry.
        later = TODAY + timedelta(days=20)
        desk.service_request(expected_date=later)
        desk.service_request(unit="green", expected_date=later)
        desk.service_request(
            status=RequestStatus.UNDER_REVIEW, expected_date=TODAY - timedelta(days=1)
        )
        desk.service_request(
            unit="green", status=RequestStatus.IN_PROGRESS, expected_date=TODAY - timedelta(5)
        )
        desk.service_request(
            status=RequestStatus.NEEDS_CORRECTION, expected_date=TODAY - timedelta(days=5)
        )
        desk.service_request(
            status=RequestStatus.IN_PROGRESS, expected_date=TODAY + timedelta(days=2)
        )
        desk.service_request(status=RequestStatus.READY, expected_date=TODAY + timedelta(days=2))
        asked = desk.service_request(status=RequestStatus.UNDER_REVIEW, expected_date=later)
        desk.inquiry(asked, actor)
        finished = desk.service_request(status=RequestStatus.UNDER_REVIEW, expected_date=later)
        desk.inquiry(finished, actor)
        finished.__class__.objects.filter(pk=finished.pk).update(status=RequestStatus.COMPLETED)

        # Cards overdue for their review, and failed SMS.
        for last_reviewed in (None, TODAY - timedelta(days=400)):
            Service.objects.create(
                title="کارت",
                slug=f"card-{Service.objects.count()}",
                summary="خلاصه",
                category=desk.street_card.category,
                department=desk.streets,
                duration_days=5,
                last_reviewed=last_reviewed,
            )
        desk.failed_sms()
        desk.failed_sms()


def counts(user) -> dict[str, int]:
    return {work.key: work.number for work in registry.work_counts(user)}


DESK_CLERK_COUNTS = {
    "complaints.new": 3,
    "complaints.overdue": 2,
    "complaints.due_this_week": 2,
    "appointments.today": 2,
    "appointments.tomorrow": 1,
    "appointments.waiting_too_long": 1,
    "processes.new": 2,
    "processes.overdue": 2,
    "processes.due_this_week": 1,
    "processes.waiting_on_inquiry": 1,
    "processes.cards_due_for_review": 2,
    "desk.failed_sms": 2,
}

# The unit clerk sees the urban-services unit's complaints and requests only, and the
# meeting requests sent on to it (none of which is today's, tomorrow's or waiting); cards
# and SMS are not tied to a unit.
UNIT_CLERK_COUNTS = {
    **DESK_CLERK_COUNTS,
    "complaints.new": 2,
    "complaints.overdue": 1,
    "complaints.due_this_week": 1,
    "appointments.today": 0,
    "appointments.tomorrow": 0,
    "appointments.waiting_too_long": 0,
    "processes.new": 1,
    "processes.overdue": 1,
}


def test_the_desk_clerk_counts_every_unit(desk, clerk):
    fill(desk, clerk)

    assert counts(clerk) == DESK_CLERK_COUNTS


def test_the_unit_clerk_counts_only_the_unit(desk, clerk, unit_clerk):
    fill(desk, clerk)

    assert counts(unit_clerk) == UNIT_CLERK_COUNTS


@pytest.mark.parametrize("persona", ["clerk", "unit_clerk"])
def test_each_count_links_to_a_list_of_the_same_rows(desk, clerk, client, request, persona):
    fill(desk, clerk)
    user = request.getfixturevalue(persona)
    client.force_login(user)

    works = registry.work_counts(user)

    assert {work.key for work in works} == set(DESK_CLERK_COUNTS)
    for work in works:
        response = client.get(work.url)
        assert response.status_code == 200, work.key
        changelist = response.context["cl"]
        assert changelist.result_count == work.number, work.key
        # The filter really filtered: the list is not the whole table.
        assert changelist.result_count < changelist.full_result_count, work.key


def test_the_home_page_shows_the_counts_as_linked_cards(desk, clerk, client):
    fill(desk, clerk)
    client.force_login(clerk)

    page = client.get(INDEX).text

    assert 'id="todays-work-title"' in page
    for work in registry.work_counts(clerk):
        card = page.split(f'data-work="{work.key}"', 1)[1].split("</a>", 1)[0]
        assert f'<span class="work-number">{to_persian_digits(work.number)}</span>' in card
        assert f'<a href="{escape(work.url)}" class="work-count' in page, work.key
    assert "امروز" in page  # Persian labels
    assert "Today's work" not in page


def test_a_zero_is_shown_muted(desk, clerk, client):
    desk.complaint()
    client.force_login(clerk)

    page = client.get(INDEX).text

    assert 'class="work-count" data-work="complaints.new"' in page
    assert 'class="work-count is-zero" data-work="complaints.overdue"' in page
    assert '<span class="work-number">۰</span>' in page


def test_counts_need_the_models_view_permission(desk, clerk, outsider, client):
    fill(desk, clerk)
    client.force_login(outsider)

    assert registry.work_counts(outsider) == []
    assert "todays-work" not in client.get(INDEX).text


def test_only_the_kinds_one_may_view_are_counted(desk, clerk, django_user_model):
    from django.contrib.auth.models import Permission

    fill(desk, clerk)
    office = django_user_model.objects.create_user("office", password="x", is_staff=True)
    office.user_permissions.add(Permission.objects.get(codename="view_meetingrequest"))

    assert set(counts(office)) == {
        "appointments.today",
        "appointments.tomorrow",
        "appointments.waiting_too_long",
    }


def statements(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(INDEX)
    assert response.status_code == 200
    return sum(
        not q["sql"].startswith(("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"))
        for q in captured
    )


@pytest.mark.parametrize("persona", ["clerk", "unit_clerk"])
def test_the_home_page_costs_the_same_queries_however_many_rows(
    desk, clerk, client, request, persona
):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    fill(desk, clerk)
    client.get(INDEX)  # the session and the permissions settle
    few = statements(client)

    fill(desk, clerk, times=4)
    many = statements(client)

    assert counts(user)["processes.overdue"] > 1
    assert many == few
