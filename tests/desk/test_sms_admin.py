"""The SMS log in the back office: read-only, with a retry for failed messages."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from desk.models import SmsMessage

pytestmark = pytest.mark.django_db

Status = SmsMessage.Status
CHANGELIST = reverse("admin:desk_smsmessage_changelist")


def a_message(**fields) -> SmsMessage:
    defaults = {
        "receiver": "09121234567",
        "kind": "test",
        "text": "سلام",
        "tracking_code": "912345678901",
        "next_attempt_at": timezone.now(),
    }
    return SmsMessage.objects.create(**{**defaults, **fields})


@pytest.fixture
def log_reader(client):
    user = User.objects.create_user("reader", password="x", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_smsmessage"))
    client.force_login(user)
    return client


def test_the_log_lists_messages_for_a_superuser_without_an_add_button(admin_client):
    a_message(receiver="09127654321")

    response = admin_client.get(CHANGELIST)

    assert response.status_code == 200
    assert "۰۹۱۲۷۶۵۴۳۲۱" in response.text  # the receiver, in Persian digits
    assert reverse("admin:desk_smsmessage_add") not in response.text
    assert not response.context["has_add_permission"]


def test_a_message_opens_read_only(admin_client):
    message = a_message()

    response = admin_client.get(reverse("admin:desk_smsmessage_change", args=[message.pk]))

    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    assert not response.context["has_delete_permission"]


def test_the_log_searches_by_tracking_code_and_by_receiver_in_persian_digits(admin_client):
    a_message(receiver="09121111111", tracking_code="912345678901")
    a_message(receiver="09122222222", tracking_code="911111111116")

    by_code = admin_client.get(CHANGELIST, {"q": "912345678901"})
    by_receiver = admin_client.get(CHANGELIST, {"q": "۰۹۱۲۲۲۲۲۲۲۲"})

    assert [m.receiver for m in by_code.context["cl"].result_list] == ["09121111111"]
    assert [m.receiver for m in by_receiver.context["cl"].result_list] == ["09122222222"]


def test_staff_without_the_permission_cannot_see_the_log(client):
    user = User.objects.create_user("clerk", password="x", is_staff=True)
    client.force_login(user)

    assert client.get(CHANGELIST).status_code == 403


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(CHANGELIST)

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_retry_queues_the_selected_failed_messages_again(
    admin_client, django_capture_on_commit_callbacks, sms_outbox
):
    failed = a_message(status=Status.FAILED, attempts=6, last_error="down")
    sent = a_message(status=Status.SENT)

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            CHANGELIST,
            {"action": "retry_failed", "_selected_action": [failed.pk, sent.pk]},
            follow=True,
        )

    assert response.status_code == 200
    failed.refresh_from_db()
    sent.refresh_from_db()
    assert failed.status == Status.SENT
    assert sent.status == Status.SENT
    assert len(sms_outbox) == 1


def test_a_reader_without_the_change_permission_gets_no_retry_action(log_reader):
    response = log_reader.get(CHANGELIST)

    assert response.status_code == 200
    assert "retry_failed" not in response.text


INDEX = reverse("admin:index")
FAILED_LIST = f"{CHANGELIST}?status__exact=failed"


def failed_days_ago(days: float) -> SmsMessage:
    return a_message(status=Status.FAILED, last_attempt_at=timezone.now() - timedelta(days=days))


def test_the_back_office_home_counts_the_sms_that_failed_this_week(admin_client):
    failed_days_ago(0.1)
    failed_days_ago(6)
    failed_days_ago(8)
    a_message(status=Status.SENT, last_attempt_at=timezone.now())

    response = admin_client.get(INDEX)

    [notice] = re.findall(
        r'<li class="warning" id="failed-sms-notice">(.*?)</li>', response.text, re.S
    )
    assert "۲ پیامک در ۷ روز گذشته ناموفق ماندند" in notice
    assert f'href="{FAILED_LIST}"' in notice


def test_the_failed_list_it_links_to_shows_only_failed_messages(admin_client):
    failed = failed_days_ago(1)
    a_message(status=Status.SENT)

    response = admin_client.get(FAILED_LIST)

    assert [m.pk for m in response.context["cl"].result_list] == [failed.pk]


def test_the_notice_costs_one_query(admin_client):
    failed_days_ago(1)

    with CaptureQueriesContext(connection) as queries:
        admin_client.get(INDEX)

    assert len([q for q in queries if "desk_smsmessage" in q["sql"]]) == 1


def test_a_reader_of_the_log_sees_the_notice(log_reader):
    failed_days_ago(1)

    assert "failed-sms-notice" in log_reader.get(INDEX).text


def test_staff_who_may_not_read_the_log_do_not_see_the_notice(outsider_client):
    failed_days_ago(1)

    response = outsider_client.get(INDEX)

    assert response.status_code == 200
    assert "failed-sms-notice" not in response.text


def test_there_is_no_notice_when_nothing_failed(admin_client):
    failed_days_ago(8)

    assert "failed-sms-notice" not in admin_client.get(INDEX).text


def test_anonymous_visitors_get_the_login_page_not_the_notice(client):
    failed_days_ago(1)

    response = client.get(INDEX)

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
