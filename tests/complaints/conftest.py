import pytest

from complaints import services
from complaints.models import ComplaintCategory, Kind
from desk.models import Department


@pytest.fixture
def streets(db):
    return Department.objects.create(name="معاونت خدمات شهری", slug="urban-services")


@pytest.fixture
def green_space(db):
    return Department.objects.create(name="سازمان فضای سبز", slug="green-space")


@pytest.fixture
def potholes(streets):
    return ComplaintCategory.objects.create(title="آسفالت و چاله معابر", department=streets)


@pytest.fixture
def file_complaint(potholes):
    """File a complaint as a citizen on the web; keyword arguments override the defaults."""

    def file(**overrides):
        fields = {
            "kind": Kind.COMPLAINT,
            "category": potholes,
            "subject": "چاله بزرگ در خیابان امام",
            "description": "چاله‌ای عمیق جلوی پلاک ۱۲ باعث خرابی خودروها شده است.",
            "citizen_name": "مریم احمدی",
            "mobile": "09121234567",
            "place": "خیابان امام، روبروی پلاک ۱۲",
        }
        fields.update(overrides)
        return services.submit_complaint(**fields)

    return file


@pytest.fixture
def desk_clerk(django_user_model):
    return django_user_model.objects.create_user(
        "clerk", password="x", is_staff=True, first_name="زهرا", last_name="کریمی"
    )
