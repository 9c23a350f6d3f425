import pytest

from complaints import services
from complaints.models import ComplaintCategory, Kind
from desk.models import Department


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


# --- back-office personas -----------------------------------------------------------------------

CLERK_PERMISSIONS = ["view_complaint", "add_complaint", "change_complaint"]


def grant(user, *codenames: str):
    from django.contrib.auth.models import Permission

    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="complaints", codename__in=codenames)
    )
    return user


@pytest.fixture
def trees(green_space):
    return ComplaintCategory.objects.create(title="فضای سبز و درختان", department=green_space)


@pytest.fixture
def clerk(desk_clerk):
    """The desk clerk: staff with the complaints permissions, tied to no unit (sees all)."""
    return grant(desk_clerk, *CLERK_PERMISSIONS)


@pytest.fixture
def unit_clerk(django_user_model, streets):
    """Staff of the urban-services unit, with the same permissions: sees only its cases."""
    user = django_user_model.objects.create_user(
        "unit", password="x", is_staff=True, first_name="رضا", last_name="موسوی"
    )
    streets.staff.add(user)
    return grant(user, *CLERK_PERMISSIONS)


@pytest.fixture
def clerk_client(client, clerk):
    client.force_login(clerk)
    return client


@pytest.fixture
def unit_client(client, unit_clerk):
    client.force_login(unit_clerk)
    return client
