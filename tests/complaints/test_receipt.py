"""The printed receipt a walk-in client takes home: the code, what happens next, the desk's
phone and address, a QR code that opens the tracking page; A5 or an 80 mm roll."""

import re
import uuid

import pytest
from django.urls import reverse

from complaints.models import Complaint
from desk.cases.models import Channel
from desk.models import SiteProfile
from tests.complaints.conftest import CLERK_PERMISSIONS, grant

pytestmark = pytest.mark.django_db

ADD = reverse("admin:complaints_complaint_add")


@pytest.fixture
def profile(db):
    return SiteProfile.objects.create(
        municipality_name="شهرداری قشم",
        officer_first_name="غریب",
        officer_last_name="حسین پناهی",
        officer_role="میز خدمت",
        urgent_phone="07635242011",
        address="قشم، بلوار امام خمینی، ساختمان شهرداری",
    )


def register(clerk_client, potholes, **extra):
    data = {
        "citizen_name": "حسن رضایی",
        "mobile": "09131112233",
        "national_code": "",
        "channel": Channel.WALK_IN,
        "kind": "complaint",
        "category": potholes.pk,
        "subject": "آب‌گرفتگی کوچه",
        "description": "پس از هر بارندگی کوچه را آب می‌گیرد.",
        "place": "",
        "submission_key": str(uuid.uuid4()),
        **extra,
    }
    return clerk_client.post(ADD, data)


def test_a_walk_in_registration_ends_on_the_receipt(clerk_client, potholes, profile, settings):
    settings.PORTAL_URL = "https://mizekhedmat.qeshm.ir"
    response = register(clerk_client, potholes)

    complaint = Complaint.objects.get()
    receipt_url = reverse("admin:complaints_complaint_receipt", args=[complaint.pk])
    assert response["Location"] == receipt_url
    html = clerk_client.get(receipt_url).text
    code = complaint.tracking_code.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    assert f"{code[:4]} {code[4:8]} {code[8:]}" in html
    assert "۰۹۱۳***۲۲۳۳" in html and "09131112233" not in html
    assert "آب‌گرفتگی کوچه" in html
    # What happens next, with the answer's date in Jalali.
    assert re.search(r"پاسخ تا [^<]*[۰-۹]{4}", html)
    assert f"https://mizekhedmat.qeshm.ir/track/?code={complaint.tracking_code}" in html
    assert "<svg" in html and 'class="segno"' in html
    assert "۰۷۶۳۵۲۴۲۰۱۱" in html and "بلوار امام خمینی" in html
    assert "@page" not in html  # the page size comes from the static CSS, no inline style


def test_the_receipt_prints_again_from_the_case_page_in_either_layout(
    clerk_client, potholes, profile
):
    register(clerk_client, potholes)
    complaint = Complaint.objects.get()
    receipt_url = reverse("admin:complaints_complaint_receipt", args=[complaint.pk])

    change_page = clerk_client.get(
        reverse("admin:complaints_complaint_change", args=[complaint.pk])
    ).text
    thermal = clerk_client.get(receipt_url, {"layout": "thermal"}).text

    assert f'href="{receipt_url}"' in change_page
    assert "receipt-thermal-page" in thermal and "receipt-thermal" in thermal
    assert "receipt-thermal-page" not in clerk_client.get(receipt_url).text


def test_another_units_clerk_cannot_open_the_receipt(
    client, clerk_client, potholes, profile, green_space, django_user_model
):
    register(clerk_client, potholes)
    complaint = Complaint.objects.get()
    gardener = grant(
        django_user_model.objects.create_user("gardener", password="x", is_staff=True),
        *CLERK_PERMISSIONS,
    )
    green_space.staff.add(gardener)
    client.force_login(gardener)

    response = client.get(reverse("admin:complaints_complaint_receipt", args=[complaint.pk]))

    assert response.status_code == 404
