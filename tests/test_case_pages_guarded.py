"""Every page of one case, in every case app, is behind the tracking session: a browser that
has not proved the code with its mobile is sent to /track/ and changes nothing, whatever the
method. Found by walking the URL patterns, so a new case page is covered the day it is added."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from appointments.models import Host, MeetingRequest
from appointments.services import request_meeting
from complaints.models import Complaint, ComplaintCategory
from complaints.services import submit_complaint
from processes.models import Service, ServiceCategory, ServiceRequest
from processes.services import submit_service_request

pytestmark = pytest.mark.django_db


def case_patterns(resolver: URLResolver | None = None, prefix: str = ""):
    """(namespace:name, its other arguments) of every URL pattern that takes a tracking code."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            namespace = pattern.namespace or ""
            yield from case_patterns(pattern, f"{prefix}{namespace}:" if namespace else prefix)
        elif isinstance(pattern, URLPattern) and "code" in pattern.pattern.converters:
            others = tuple(sorted(set(pattern.pattern.converters) - {"code"}))
            yield f"{prefix}{pattern.name}", others


CASE_PAGES = sorted(case_patterns())


@pytest.fixture
def cases(streets):
    category = ComplaintCategory.objects.create(title="آسفالت", department=streets)
    citizen = {"citizen_name": "مریم احمدی", "mobile": "09121234567"}
    complaint = submit_complaint(
        kind="complaint", category=category, subject="چاله", description="چاله بزرگ", **citizen
    )
    meeting = request_meeting(
        host=Host.objects.create(name="علی", title="شهردار"), subject="پروانه", **citizen
    )
    card = Service.objects.create(
        title="گواهی عدم خلاف",
        slug="no-violation",
        summary="گواهی",
        category=ServiceCategory.objects.create(title="شهرسازی", slug="building"),
        department=streets,
        duration_days=5,
        published=True,
        accepts_online_requests=True,
    )
    service_request = submit_service_request(service=card, national_code="0013542419", **citizen)
    return {"complaints": complaint, "appointments": meeting, "processes": service_request}


def test_the_walk_finds_the_pages_of_every_case_app():
    names = {name for name, _others in CASE_PAGES}
    assert {
        "complaints:case",
        "complaints:add_info",
        "appointments:cancel",
        "processes:request",
        "processes:correct",
    } <= names


@pytest.mark.parametrize(("name", "others"), CASE_PAGES)
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_case_page_sends_a_stranger_to_track_and_changes_nothing(
    client, cases, name, others, method
):
    case = cases[name.split(":")[0]]
    url = reverse(name, kwargs={"code": case.tracking_code, **dict.fromkeys(others, 1)})
    events_before = case.events.count()

    response = getattr(client, method)(url, {"reason": "x", "text": "x"})

    assert response.status_code in (302, 404, 405)
    if response.status_code == 302:
        assert response["Location"] == f"/track/?code={case.tracking_code}"
    assert case.events.count() == events_before
    assert case.tracking_code not in response.content.decode()
    assert Complaint.objects.count() == MeetingRequest.objects.count() == 1
    assert ServiceRequest.objects.count() == 1


@pytest.mark.parametrize(
    ("app", "filed_page"),
    [
        ("complaints", "complaints:filed"),
        ("appointments", "appointments:filed"),
        ("processes", "processes:request_filed"),
    ],
)
def test_every_kind_of_case_ends_on_the_same_confirmation_card(
    client, cases, open_case, app, filed_page
):
    """desk/_filed_code.html: the code large in Persian digits, copy and print buttons, and
    the masked number the SMS went to — the same for every kind of case."""
    case = cases[app]
    open_case(client, case.tracking_code)

    page = client.get(reverse(filed_page, kwargs={"code": case.tracking_code})).content.decode()

    persian = case.tracking_code.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    grouped = f"{persian[:4]} {persian[4:8]} {persian[8:]}"
    assert f'id="tracking-code">{grouped}</span>' in page
    assert f'data-copy-code="{case.tracking_code}"' in page
    assert "data-print" in page and "desk/copy.js" in page
    assert '<span dir="ltr">۰۹۱۲***۴۵۶۷</span>' in page
    assert "09121234567" not in page
