"""The service-requests back office: the list, a request's page, the staff moves, and unit
scoping (a unit sees only the requests of the services it owns)."""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from desk.jalali import format_jalali_date
from desk.models import Department
from desk.text import to_persian_digits as fa
from desk.workdays import add_working_days
from processes import services
from processes.models import DocumentReview, RequestStatus, ServiceRequest

LIST = "/admin/processes/servicerequest/"


def change_url(service_request) -> str:
    return f"{LIST}{service_request.pk}/change/"


def step_url(service_request, action: str) -> str:
    return f"{LIST}{service_request.pk}/do/{action}/"


def grant(user, *codenames: str):
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="processes", codename__in=codenames)
    )
    return user


@pytest.fixture
def clerk(reviewer):
    return grant(reviewer, "view_servicerequest", "add_servicerequest", "change_servicerequest")


@pytest.fixture
def clerk_client(client, clerk):
    client.force_login(clerk)
    return client


@pytest.fixture
def planning(db):
    return Department.objects.create(name="معاونت شهرسازی", slug="planning")


@pytest.fixture
def planning_clerk(django_user_model, planning):
    """Staff of another unit than the card's."""
    user = django_user_model.objects.create_user("planner", password="x", is_staff=True)
    planning.staff.add(user)
    return grant(user, "view_servicerequest", "change_servicerequest")


def verdicts_post(service_request, refuse: dict[str, str]) -> dict:
    data = {}
    for slot in service_request.documents.all():
        refused = slot.name in refuse
        data[f"accept-verdict_{slot.pk}"] = "refused" if refused else "accepted"
        data[f"accept-reason_{slot.pk}"] = refuse.get(slot.name, "")
    return data


def test_the_list_shows_the_request_with_jalali_dates_and_finds_it_by_national_code(
    clerk_client, file_request
):
    filed = file_request()

    html = clerk_client.get(LIST, {"q": "۰۰۱۳۵۴۲۴۱۹"}).text

    assert fa(filed.tracking_code) in html
    assert "گواهی عدم خلاف" in html
    assert "ثبت‌شده" in html
    assert clerk_client.get(LIST, {"q": "0099999999"}).text.count(filed.tracking_code) == 0


def test_overdue_and_open_inquiry_filters(clerk_client, file_request, clerk):
    late, on_time = file_request(), file_request(mobile="09351234567")
    ServiceRequest.objects.filter(pk=late.pk).update(
        expected_date=timezone.localdate() - timedelta(days=3)
    )
    services.record_inquiry(
        on_time, agency="اداره ثبت", subject="وضعیت ثبتی", sent_on=date.today(), actor=clerk
    )

    overdue = clerk_client.get(LIST, {"overdue": "yes"}).text
    waiting = clerk_client.get(LIST, {"inquiry": "open"}).text

    assert fa(late.tracking_code) in overdue and fa(on_time.tracking_code) not in overdue
    assert fa(on_time.tracking_code) in waiting and fa(late.tracking_code) not in waiting
    assert "۱ باز" in waiting  # the open inquiry's badge


def test_refusing_a_document_needs_a_reason_and_then_asks_the_citizen(
    clerk_client, file_request, sms_outbox, django_capture_on_commit_callbacks
):
    filed = file_request()

    clerk_client.post(step_url(filed, "accept"), verdicts_post(filed, {"سند مالکیت": ""}))
    filed.refresh_from_db()
    assert filed.status == RequestStatus.SUBMITTED

    with django_capture_on_commit_callbacks(execute=True):
        response = clerk_client.post(
            step_url(filed, "accept"), verdicts_post(filed, {"سند مالکیت": "ناخواناست."})
        )

    assert response.status_code == 302
    filed.refresh_from_db()
    assert filed.status == RequestStatus.NEEDS_CORRECTION
    assert filed.documents.get(name="سند مالکیت").review == DocumentReview.REFUSED
    assert "باید دوباره فرستاده شود" in sms_outbox[-1].text
    page = clerk_client.get(change_url(filed)).text
    assert "ناخواناست." in page


def test_accepting_every_document_starts_the_work(clerk_client, file_request):
    filed = file_request()
    clerk_client.post(step_url(filed, "accept"), verdicts_post(filed, {}))
    filed.refresh_from_db()
    assert filed.status == RequestStatus.IN_PROGRESS


def test_the_ready_date_is_typed_in_jalali_with_persian_digits(
    clerk_client, file_request, clerk, sms_outbox, django_capture_on_commit_callbacks
):
    filed = file_request()
    services.review_documents(
        filed, verdicts={s.pk: ("accepted", "") for s in filed.documents.all()}, actor=clerk
    )
    day = add_working_days(timezone.localdate(), 3)

    with django_capture_on_commit_callbacks(execute=True):
        clerk_client.post(step_url(filed, "ready"), {"ready-ready_date": format_jalali_date(day)})

    filed.refresh_from_db()
    assert (filed.status, filed.ready_date) == (RequestStatus.READY, day)
    assert "آماده است" in sms_outbox[-1].text


def test_a_walk_in_request_is_registered_without_uploads(clerk_client, online_card, sms_outbox):
    response = clerk_client.post(
        f"{LIST}add/",
        {
            "citizen_name": "رضا محمدی",
            "mobile": "۰۹۱۲۱۱۱۲۲۳۳",
            "national_code": "",
            "channel": "walk_in",
            "service": online_card.pk,
            "description": "",
            "submission_key": "0b7f3c1e-0000-4000-8000-000000000001",
        },
    )
    assert response.status_code == 200  # the national code is required: the form again
    assert 'value="رضا محمدی"' in response.text
    assert not ServiceRequest.objects.exists()

    response = clerk_client.post(
        f"{LIST}add/",
        {
            "citizen_name": "رضا محمدی",
            "mobile": "۰۹۱۲۱۱۱۲۲۳۳",
            "national_code": "0013542419",
            "channel": "walk_in",
            "service": online_card.pk,
            "description": "",
            "submission_key": "0b7f3c1e-0000-4000-8000-000000000001",
        },
    )
    assert response.status_code == 302
    filed = ServiceRequest.objects.get()
    assert filed.channel == "walk_in"
    assert {slot.name for slot in filed.documents.all()} == {"سند مالکیت", "عکس نمای ساختمان"}


def test_a_unit_sees_only_the_requests_of_the_services_it_owns(
    client, planning_clerk, file_request
):
    filed = file_request()
    file = filed.attachments.first()
    client.force_login(planning_clerk)

    assert fa(filed.tracking_code) not in client.get(LIST).text
    assert client.get(change_url(filed)).status_code == 404
    assert client.get(f"{LIST}{filed.pk}/attachments/{file.pk}/").status_code == 404
    response = client.post(step_url(filed, "reject"), {"reject-reason": "x"})
    assert response.status_code == 404
    filed.refresh_from_db()
    assert filed.status == RequestStatus.SUBMITTED


def test_the_owner_units_staff_see_and_download(client, django_user_model, file_request, licences):
    filed = file_request()
    user = django_user_model.objects.create_user("licence-clerk", password="x", is_staff=True)
    licences.staff.add(user)
    client.force_login(grant(user, "view_servicerequest"))
    file = filed.attachments.first()

    assert fa(filed.tracking_code) in client.get(LIST).text
    assert client.get(f"{LIST}{filed.pk}/attachments/{file.pk}/").status_code == 200


def test_the_list_costs_the_same_however_many_requests(clerk_client, file_request, clerk):

    def statements() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert clerk_client.get(LIST).status_code == 200
        return len(captured)

    file_request()
    clerk_client.get(LIST)
    few = statements()
    for number in range(6):
        asked = file_request(mobile=f"0935123450{number}")
        services.record_inquiry(
            asked, agency="اداره ثبت", subject="وضعیت ثبتی", sent_on=date.today(), actor=clerk
        )

    assert statements() == few


def test_a_correction_keeps_the_national_code_a_request_needs(clerk_client, file_request):
    filed = file_request()
    fields = {"citizen_name": filed.citizen_name, "mobile": "09351112233", "national_code": ""}

    clerk_client.post(step_url(filed, "correct"), {f"correct-{k}": v for k, v in fields.items()})
    filed.refresh_from_db()
    assert (filed.mobile, filed.national_code) == ("09121234567", "0013542419")

    fields["national_code"] = "0013542419"
    clerk_client.post(step_url(filed, "correct"), {f"correct-{k}": v for k, v in fields.items()})
    filed.refresh_from_db()
    assert filed.mobile == "09351112233"
    assert not filed.events.get(action="correct").is_public


def test_a_rejection_template_is_offered_for_its_service_and_fills_the_reason(
    clerk_client, file_request, online_card, add_service
):
    from processes.models import ReplyTemplate

    other_card = add_service(title="پروانه حفاری", slug="digging")
    ours = ReplyTemplate.objects.create(
        title="ملک در طرح", use="reject", service=online_card, text="ملک در طرح تعریض است."
    )
    ReplyTemplate.objects.create(title="برای همه", use="reject", text="مدارک به نام مالک نیست.")
    ReplyTemplate.objects.create(title="حفاری", use="reject", service=other_card, text="—")
    ReplyTemplate.objects.create(title="تحویل", use="complete", text="تحویل شد.")
    filed = file_request()

    page = clerk_client.get(change_url(filed))
    reject = next(s for s in page.context["steps"] if s["form"].action() == "reject")
    assert {t.title for t in reject["templates"]} == {"ملک در طرح", "برای همه"}

    picked = clerk_client.get(change_url(filed), {"reply_template": ours.pk}).text
    assert "ملک در طرح تعریض است.</textarea>" in picked
