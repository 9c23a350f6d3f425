"""Staff who only read cases (a manager) see the citizen's mobile and national code masked;
staff who act on them see them whole."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from tests.complaints.conftest import grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(django_user_model):
    user = django_user_model.objects.create_user("reader", password="x", is_staff=True)
    grant(user, "view_complaint")
    user.user_permissions.add(Permission.objects.get(codename="view_smsmessage"))
    return user


def test_a_reader_sees_the_citizens_numbers_masked(client, reader, file_complaint):
    complaint = file_complaint(national_code="0013542419")
    client.force_login(reader)

    case_page = client.get(reverse("admin:complaints_complaint_change", args=[complaint.pk])).text
    sms_log = client.get(reverse("admin:desk_smsmessage_changelist")).text

    for page in (case_page, sms_log):
        assert "۰۹۱۲۱۲۳۴۵۶۷" not in page and "09121234567" not in page
        assert "۰۹۱۲***۴۵۶۷" in page
    assert "۰۰۱*****۱۹" in case_page and "0013542419" not in case_page


def test_a_clerk_sees_them_whole(clerk_client, file_complaint):
    complaint = file_complaint(national_code="0013542419")

    page = clerk_client.get(reverse("admin:complaints_complaint_change", args=[complaint.pk])).text

    assert "09121234567" in page or "۰۹۱۲۱۲۳۴۵۶۷" in page
    assert "0013542419" in page or "۰۰۱۳۵۴۲۴۱۹" in page
