"""A case's SMS on its back-office page: text, status, attempts, the reason of a failure in
Persian, the Jalali time, and a resend button for a failed one."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from desk.models import SmsMessage
from tests.complaints.conftest import CLERK_PERMISSIONS, grant

pytestmark = pytest.mark.django_db


def change_url(complaint) -> str:
    return reverse("admin:complaints_complaint_change", args=[complaint.pk])


def resend_url(complaint, message) -> str:
    return reverse("admin:complaints_complaint_resend_sms", args=[complaint.pk, message.pk])


@pytest.fixture
def failed(file_complaint):
    """A complaint whose received SMS failed for lack of credit."""
    complaint = file_complaint()
    SmsMessage.objects.filter(tracking_code=complaint.tracking_code).update(
        status=SmsMessage.Status.FAILED,
        attempts=3,
        last_error="Kavenegar 418: اعتبار کافی نیست",
    )
    return complaint


def test_the_case_page_lists_its_sms_with_a_persian_reason(clerk_client, failed):
    html = clerk_client.get(change_url(failed)).text

    assert 'id="case-sms"' in html
    assert "اعتبار حساب پیامک تمام شده است" in html and "کد سامانه ۴۱۸" in html
    assert "۰۹۱۲۱۲۳۴۵۶۷" in html  # the receiver, in Persian digits
    message = SmsMessage.objects.get(tracking_code=failed.tracking_code)
    assert message.text.splitlines()[0] in html
    assert resend_url(failed, message) not in html  # this clerk may not resend


def test_a_clerk_who_may_resend_sends_it_again_to_the_corrected_number(clerk_client, clerk, failed):
    clerk.user_permissions.add(Permission.objects.get(codename="change_smsmessage"))
    message = SmsMessage.objects.get(tracking_code=failed.tracking_code)
    failed.mobile = "09351112233"
    failed.save(update_fields=["mobile"])
    assert resend_url(failed, message) in clerk_client.get(change_url(failed)).text

    response = clerk_client.post(resend_url(failed, message), follow=True)

    message.refresh_from_db()
    assert message.status != SmsMessage.Status.FAILED and message.attempts < 3
    assert message.receiver == "09351112233"
    assert "دوباره در صف" in response.text


def test_resending_needs_the_permission_and_the_case(
    client, clerk_client, failed, trees, django_user_model
):
    message = SmsMessage.objects.get(tracking_code=failed.tracking_code)
    assert clerk_client.post(resend_url(failed, message)).status_code == 403

    gardener = grant(
        django_user_model.objects.create_user("gardener", password="x", is_staff=True),
        *CLERK_PERMISSIONS,
    )
    gardener.user_permissions.add(Permission.objects.get(codename="change_smsmessage"))
    trees.department.staff.add(gardener)
    client.force_login(gardener)

    assert client.post(resend_url(failed, message)).status_code == 404
    message.refresh_from_db()
    assert message.status == SmsMessage.Status.FAILED


def test_the_sms_log_links_each_message_to_its_case_for_staff_who_may_see_it(
    clerk_client, clerk, client, file_complaint, django_user_model
):
    complaint = file_complaint()
    clerk.user_permissions.add(Permission.objects.get(codename="view_smsmessage"))
    case_link = f'href="/admin/complaints/complaint/?q={complaint.tracking_code}"'
    sms_log = reverse("admin:desk_smsmessage_changelist")

    assert case_link in clerk_client.get(sms_log).text

    operator = django_user_model.objects.create_user("operator", password="x", is_staff=True)
    operator.user_permissions.add(Permission.objects.get(codename="view_smsmessage"))
    client.force_login(operator)
    page = client.get(sms_log).text
    assert case_link not in page
    assert complaint.tracking_code.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")) in page
