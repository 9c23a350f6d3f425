"""The search box on every back-office page: any case of any kind by its tracking code or
the citizen's mobile, typed in any digits, with or without +98, spaces or dashes; never a
case the clerk may not see (issue 14)."""

import pytest
import time_machine
from django.urls import reverse

from desk.jalali import format_jalali_date
from desk.text import to_persian_digits

from .every_kind import NOW, Desk, grant_all

pytestmark = pytest.mark.django_db

FIND = reverse("admin:desk_find")
MOBILE = "09121234567"


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


def change_url(case) -> str:
    opts = case._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[case.pk])


def persian(text: str) -> str:
    return to_persian_digits(text)


def test_every_admin_page_has_the_search_box(client, clerk):
    client.force_login(clerk)

    for url in (reverse("admin:index"), reverse("admin:complaints_complaint_changelist")):
        page = client.get(url).text
        assert f'action="{FIND}"' in page
        assert 'name="q"' in page


def test_the_login_page_has_no_search_box(client):
    assert f'action="{FIND}"' not in client.get(reverse("admin:login")).text


@pytest.mark.parametrize("kind", ["complaint", "meeting", "service_request"])
def test_a_code_in_persian_digits_opens_its_case(desk, client, clerk, kind):
    case = getattr(desk, kind)()
    client.force_login(clerk)
    code = case.tracking_code
    typed = persian(f"{code[:4]} {code[4:8]}-{code[8:]}")

    response = client.get(FIND, {"q": typed})

    assert response.status_code == 302
    assert response["Location"] == change_url(case)
    assert client.get(response["Location"]).status_code == 200


def test_a_code_in_arabic_digits_opens_its_case(desk, client, clerk):
    case = desk.complaint()
    client.force_login(clerk)
    arabic = case.tracking_code.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))

    response = client.get(FIND, {"q": arabic})

    assert response["Location"] == change_url(case)


def test_a_unit_clerk_does_not_find_another_units_case(desk, client, unit_clerk):
    theirs = desk.complaint(unit="green")
    their_request = desk.service_request(unit="green")
    client.force_login(unit_clerk)

    for case in (theirs, their_request):
        response = client.get(FIND, {"q": case.tracking_code})
        assert response.status_code == 200
        assert 'id="nothing-found"' in response.text
        assert change_url(case) not in response.text


def test_a_unit_clerk_finds_the_units_own_case(desk, client, unit_clerk):
    ours = desk.complaint()
    client.force_login(unit_clerk)

    assert client.get(FIND, {"q": ours.tracking_code})["Location"] == change_url(ours)


def test_a_case_of_a_kind_one_may_not_view_is_not_found(desk, client, django_user_model):
    from django.contrib.auth.models import Permission

    meeting = desk.meeting()
    complaints_only = django_user_model.objects.create_user("c", password="x", is_staff=True)
    complaints_only.user_permissions.add(Permission.objects.get(codename="view_complaint"))
    client.force_login(complaints_only)

    response = client.get(FIND, {"q": meeting.tracking_code})

    assert response.status_code == 200
    assert 'id="nothing-found"' in response.text


def test_a_valid_code_no_case_has_finds_nothing(desk, client, clerk):
    from desk.codes import make_code

    client.force_login(clerk)

    response = client.get(FIND, {"q": make_code("1", "1234509876")})

    assert response.status_code == 200
    assert 'id="nothing-found"' in response.text


def test_a_mobile_as_plus_98_lists_its_cases_of_every_kind(desk, client, clerk):
    complaint = desk.complaint(mobile=MOBILE)
    meeting = desk.meeting(mobile=MOBILE)
    service_request = desk.service_request(mobile=MOBILE)
    other = desk.complaint()
    client.force_login(clerk)

    response = client.get(FIND, {"q": "+98 912 123 4567"})

    assert response.status_code == 200
    page = response.text
    for case in (complaint, meeting, service_request):
        assert change_url(case) in page
        assert persian(case.tracking_code) in page
        assert case.get_status_display() in page
    assert change_url(other) not in page
    assert format_jalali_date(complaint.created_at) in page
    assert "شکایت، انتقاد یا پیشنهاد" in page  # the kind, in Persian
    assert [found.code for found in response.context["found"]] == [
        complaint.tracking_code,
        meeting.tracking_code,
        service_request.tracking_code,
    ]


@pytest.mark.parametrize("typed", ["۰۹۱۲-۱۲۳-۴۵۶۷", "00989121234567", "٩١٢١٢٣٤٥٦٧"])
def test_a_mobile_in_any_spelling_finds_the_same_cases(desk, client, clerk, typed):
    complaint = desk.complaint(mobile=MOBILE)
    client.force_login(clerk)

    assert change_url(complaint) in client.get(FIND, {"q": typed}).text


def test_a_unit_clerk_searching_a_mobile_sees_only_the_units_cases(desk, client, unit_clerk):
    ours = desk.complaint(mobile=MOBILE)
    theirs = desk.complaint(unit="green", mobile=MOBILE)
    their_request = desk.service_request(unit="green", mobile=MOBILE)
    client.force_login(unit_clerk)

    page = client.get(FIND, {"q": MOBILE}).text

    assert change_url(ours) in page
    assert change_url(theirs) not in page
    assert change_url(their_request) not in page
    assert theirs.tracking_code not in page and persian(theirs.tracking_code) not in page


def test_what_is_neither_a_code_nor_a_mobile_is_explained(client, clerk):
    client.force_login(clerk)

    response = client.get(FIND, {"q": "۱۲۳"})

    assert response.status_code == 200
    assert 'class="errornote"' in response.text
    assert response.context["case_query"] == "۱۲۳"  # kept in the box


def test_anonymous_visitors_are_sent_to_the_login_page(desk, client):
    case = desk.complaint()

    response = client.get(FIND, {"q": case.tracking_code})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_staff_without_any_permission_find_nothing(desk, client, outsider):
    case = desk.complaint(mobile=MOBILE)
    client.force_login(outsider)

    by_code = client.get(FIND, {"q": case.tracking_code})
    by_mobile = client.get(FIND, {"q": MOBILE})

    assert by_code.status_code == 200 and 'id="nothing-found"' in by_code.text
    assert 'id="nothing-found"' in by_mobile.text
