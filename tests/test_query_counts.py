"""Every public page and citizen POST costs a fixed number of statements, however much data
the desk holds (issue 11): measured with a little data and with a lot, and equal to the
numbers written here. Transaction control (BEGIN, COMMIT, savepoints) is not counted."""

import io
import uuid
from datetime import time, timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from appointments.models import Host, MeetingSession
from complaints.models import Complaint, ComplaintCategory
from contacts.models import Contact
from desk import fragments
from desk.models import SiteProfile
from desk.workdays import is_working_day

pytestmark = pytest.mark.django_db

TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")


def statements(send) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = send()
    assert response.status_code in (200, 302), response.content.decode()[:300]
    return sum(not q["sql"].startswith(TRANSACTION_CONTROL) for q in captured)


def on_redis() -> bool:
    return settings.CACHES["default"]["BACKEND"].endswith("RedisCache")


def rate_limit_statements() -> int:
    """Redis keeps the limits (and the sessions) off the database; there a check is one
    statement whatever its keys (on PostgreSQL sent with its advisory locks, in one go)."""
    return 0 if on_redis() else 1


def session_statements(*, new: bool = False) -> int:
    """Reading and writing the tracking session, when sessions live in the database; a new
    one is written at once, with no look-up of its key (desk.sessions)."""
    if on_redis():
        return 0
    return 1 if new else 2


def fill_desk(streets, size: int) -> None:
    SiteProfile.objects.get_or_create(
        municipality_name="شهرداری قشم",
        defaults={
            "officer_first_name": "مریم",
            "officer_last_name": "احمدی",
            "officer_role": "مسئول میز خدمت",
            "urgent_phone": "07635242011",
        },
    )
    ComplaintCategory.objects.create(title="آسفالت", department=streets)
    call_command("generate_complaints", count=size, stdout=io.StringIO())
    host = Host.objects.create(name="علی رستمی", title="شهردار")
    day = timezone.localdate() + timedelta(days=1)
    for _ in range(size // 10 + 1):
        while not is_working_day(day):
            day += timedelta(days=1)
        MeetingSession.objects.create(
            host=host, date=day, start_time=time(9), end_time=time(12), place="دفتر شهردار"
        )
        day += timedelta(days=1)
    for number in range(size // 10 + 1):
        Contact.objects.create(unit=streets, role=f"کارشناس {number}", phone="07635242011")


# A returning visitor's page: the site profile, the kept fragments and the generations they
# are keyed by are in the process's memory by then (desk/fragments.py).
PAGES = {
    "home": "/",
    "tracking form": "/track/",
    "complaint form": "/complaints/new/",
    "meetings": "/appointments/",
    "contacts": "/contacts/",
}
KEPT_BY_GENERATION = ["complaint form", "meetings", "contacts"]


@pytest.mark.parametrize("size", [10, 200])
@pytest.mark.parametrize("page", list(PAGES))
def test_a_public_page_reads_nothing_whatever_the_desk_holds(
    client, streets, page, size, time_machine
):
    fill_desk(streets, size)
    time_machine.move_to(timezone.now(), tick=False)  # within a second of the last visit
    client.get(PAGES[page])  # the session and the caches as a returning visitor has them

    assert statements(lambda: client.get(PAGES[page])) == 0


@pytest.mark.parametrize("page", KEPT_BY_GENERATION)
def test_a_kept_page_reads_its_generation_once_a_second(client, streets, page, time_machine):
    fill_desk(streets, 10)
    time_machine.move_to(timezone.now(), tick=False)
    client.get(PAGES[page])
    time_machine.shift(fragments.GENERATION_SECONDS + 0.5)

    # One look at the shared cache, a statement when that is the database.
    assert statements(lambda: client.get(PAGES[page])) == (0 if on_redis() else 1)


@pytest.mark.parametrize("size", [10, 200])
def test_filing_a_complaint_costs_the_same_whatever_the_desk_holds(client, streets, size):
    fill_desk(streets, size)
    category = ComplaintCategory.objects.get()

    def file():
        return client.post(
            "/complaints/new/",
            {
                "kind": "complaint",
                "category": category.pk,
                "subject": "چاله",
                "description": "چاله‌ای عمیق",
                "citizen_name": "مریم احمدی",
                "mobile": "09121234567",
                "submission_key": str(uuid.uuid4()),
            },
        )

    file()  # the session, and the holidays in the process's memory, as a busy server has them

    # The category, the view's earlier-submission look-up, the code, the complaint, its
    # event, its SMS (whose sending task is queued once the transaction commits, which a
    # test's never does). The unit goes by id: filing reads nothing else of it.
    expected = 6 + rate_limit_statements() + session_statements()
    assert statements(file) == expected


@pytest.mark.parametrize("size", [10, 200])
def test_a_tracking_look_up_costs_the_same_whatever_the_desk_holds(client, streets, size):
    fill_desk(streets, size)
    complaint = Complaint.objects.last()

    def look_up():
        return client.post("/track/", {"code": complaint.tracking_code, "mobile": complaint.mobile})

    # The case; on the database also the refund (one statement for the code's and the
    # mobile's hits) of a look-up that proved its citizen.
    refunds = 0 if on_redis() else 1
    expected = 1 + rate_limit_statements() + refunds + session_statements(new=True)
    assert statements(look_up) == expected
