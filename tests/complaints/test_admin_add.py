"""Registering a walk-in or phone complaint in the back office: the same service, tracking
code and SMS as on the web."""

import uuid

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.urls import reverse

from complaints.models import Complaint, Status
from desk.cases.models import Channel
from desk.text import to_persian_digits

pytestmark = pytest.mark.django_db

ADD = reverse("admin:complaints_complaint_add")


@pytest.fixture
def walk_in(potholes):
    def data(**overrides):
        fields = {
            "citizen_name": "حسن رضایی",
            "mobile": "۰۹۱۳ ۱۱۱ ۲۲۳۳",
            "national_code": "",
            "channel": Channel.WALK_IN,
            "kind": "complaint",
            "category": potholes.pk,
            "subject": "آب‌گرفتگی کوچه",
            "description": "پس از هر بارندگی کوچه شهید مطهری را آب می‌گیرد.",
            "place": "کوچه شهید مطهری",
            "submission_key": str(uuid.uuid4()),
        }
        return {**fields, **overrides}

    return data


def test_a_walk_in_complaint_gets_a_code_an_event_and_an_sms(
    clerk_client, clerk, walk_in, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = clerk_client.post(ADD, walk_in(), follow=True)

    complaint = Complaint.objects.get()
    assert response.redirect_chain[-1][0] == reverse(
        "admin:complaints_complaint_receipt", args=[complaint.pk]
    )
    assert (complaint.channel, complaint.status, complaint.mobile) == (
        Channel.WALK_IN,
        Status.RECEIVED,
        "09131112233",
    )
    assert complaint.department.slug == "urban-services"
    event = complaint.events.get()
    assert (event.action, event.actor) == ("submit", clerk)
    assert [m.receiver for m in sms_outbox] == ["09131112233"]
    assert to_persian_digits(complaint.tracking_code) in sms_outbox[0].text
    messages = [str(m) for m in response.context["messages"]]
    assert any(complaint.tracking_code in m for m in messages)


def test_save_and_add_another_comes_back_to_an_empty_form(clerk_client, walk_in):
    response = clerk_client.post(ADD, {**walk_in(), "_addanother": "1"})

    assert response["Location"] == ADD
    assert Complaint.objects.count() == 1


def test_a_phone_complaint_is_registered_as_such(clerk_client, walk_in):
    clerk_client.post(ADD, walk_in(channel=Channel.PHONE))

    assert Complaint.objects.get().channel == Channel.PHONE


def test_the_form_offers_walk_in_and_phone_only(clerk_client, walk_in):
    page = clerk_client.get(ADD)
    response = clerk_client.post(ADD, walk_in(channel=Channel.WEB))

    assert page.status_code == 200
    assert [value for value, _ in page.context["adminform"].form.fields["channel"].choices] == [
        Channel.WALK_IN,
        Channel.PHONE,
    ]
    assert response.status_code == 200
    assert "channel" in response.context["adminform"].form.errors
    assert not Complaint.objects.exists()


def test_a_bad_mobile_or_national_code_keeps_what_was_typed(clerk_client, walk_in):
    response = clerk_client.post(ADD, walk_in(mobile="0212", national_code="1234567890"))

    errors = response.context["adminform"].form.errors
    assert set(errors) == {"mobile", "national_code"}
    assert 'value="0212"' in response.text
    assert "آب‌گرفتگی کوچه" in response.text
    assert not Complaint.objects.exists()


def test_the_same_form_posted_twice_registers_one_complaint(clerk_client, walk_in):
    data = walk_in()

    clerk_client.post(ADD, data)
    clerk_client.post(ADD, data)

    assert Complaint.objects.count() == 1


def test_a_unit_clerk_registering_for_another_unit_lands_on_the_list(unit_client, walk_in, trees):
    response = unit_client.post(ADD, walk_in(category=trees.pk))

    assert Complaint.objects.get().department == trees.department
    assert response["Location"] == reverse("admin:complaints_complaint_changelist")


def test_staff_without_the_permission_cannot_register(outsider_client, walk_in):
    assert outsider_client.get(ADD).status_code == 403
    assert outsider_client.post(ADD, walk_in()).status_code == 403
    assert not Complaint.objects.exists()


def test_anonymous_visitors_are_sent_to_the_login_page(client, walk_in):
    response = client.post(ADD, walk_in())

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
    assert not Complaint.objects.exists()


def test_a_refused_walk_in_keeps_everything_typed_and_files_nothing(clerk_client, walk_in):
    response = clerk_client.post(ADD, walk_in(mobile="0913111223७"))

    assert response.status_code == 200
    assert "mobile" in response.context["adminform"].form.errors
    assert "آب‌گرفتگی کوچه" in response.text
    assert "پس از هر بارندگی کوچه شهید مطهری را آب می‌گیرد." in response.text
    assert not Complaint.objects.exists()


def test_a_walk_in_is_written_in_the_admin_log_as_the_clerk(clerk_client, clerk, walk_in):
    clerk_client.post(ADD, walk_in())

    entry = LogEntry.objects.get()
    assert (entry.user, entry.action_flag) == (clerk, ADDITION)
    assert entry.object_id == str(Complaint.objects.get().pk)
