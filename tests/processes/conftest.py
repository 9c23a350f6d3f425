import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from desk.models import Department
from desk.uploads import CheckedUpload, check_upload
from processes import services
from processes.models import AcceptedTypes, RequiredDocument, Service, ServiceCategory


@pytest.fixture
def licences(db):
    return Department.objects.create(
        name="اداره درآمد و صدور پروانه", slug="business-licences", location="باجه ۵"
    )


@pytest.fixture
def trade(db):
    return ServiceCategory.objects.create(title="کسب و پیشه", slug="trade")


@pytest.fixture
def add_service(licences, trade):
    """A published card; keyword arguments override the defaults."""

    def add(**overrides):
        fields = {
            "title": "صدور پروانه کسب",
            "slug": "business-licence-issue",
            "summary": "پروانه کسب برای واحدهای صنفی تازه.",
            "category": trade,
            "department": licences,
            "duration_days": 7,
            "published": True,
            "last_reviewed": date(2026, 6, 1),
        }
        fields.update(overrides)
        return Service.objects.create(**fields)

    return add


# --- online service requests --------------------------------------------------------------------


# A national code with a valid check digit (desk.text.normalize_national_code keeps it).
NATIONAL_CODE = "0013542419"
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png_upload(name: str = "scan.png") -> CheckedUpload:
    """A small PNG photo, checked as the citizen's form checks it."""
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (40, 120, 200)).save(out, format="PNG")
    return check_upload(SimpleUploadedFile(name, out.getvalue(), content_type="image/png"))


def pdf_upload(name: str = "deed.pdf") -> CheckedUpload:
    """A minimal valid PDF, checked as the citizen's form checks it."""
    return check_upload(SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf"))


@pytest.fixture
def online_card(add_service):
    """A card taking online requests, 5 working days: a mandatory deed (PDF or photo) and an
    optional photo uploaded online, and an original only shown at the counter."""
    service = add_service(
        title="گواهی عدم خلاف",
        slug="no-violation-certificate",
        duration_days=5,
        accepts_online_requests=True,
    )
    RequiredDocument.objects.create(
        service=service,
        order=1,
        name="سند مالکیت",
        mandatory=True,
        accepted_types=AcceptedTypes.PDF_OR_IMAGE,
    )
    RequiredDocument.objects.create(
        service=service,
        order=2,
        name="عکس نمای ساختمان",
        mandatory=False,
        accepted_types=AcceptedTypes.IMAGE,
    )
    RequiredDocument.objects.create(
        service=service, order=3, name="اصل شناسنامه", mandatory=True, upload_online=False
    )
    return service


@pytest.fixture
def deed(online_card):
    return online_card.documents.get(name="سند مالکیت")


@pytest.fixture
def facade_photo(online_card):
    return online_card.documents.get(name="عکس نمای ساختمان")


@pytest.fixture
def file_request(online_card, deed, facade_photo, private_storage):
    """File a request for the online card as a citizen on the web, with a PDF deed and a
    photo of the facade; keyword arguments override the defaults."""

    def file(**overrides):
        fields = {
            "service": online_card,
            "citizen_name": "مریم احمدی",
            "mobile": "09121234567",
            "national_code": NATIONAL_CODE,
            "description": "ملک در خیابان امام، پلاک ۱۲",
            "documents": {deed.pk: pdf_upload(), facade_photo.pk: png_upload()},
        }
        fields.update(overrides)
        return services.submit_service_request(**fields)

    return file


@pytest.fixture
def reviewer(django_user_model):
    """A desk clerk, tied to no unit."""
    return django_user_model.objects.create_user(
        "reviewer", password="x", is_staff=True, first_name="زهرا", last_name="کریمی"
    )
