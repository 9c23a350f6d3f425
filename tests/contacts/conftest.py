import pytest

from contacts.models import Contact
from desk.models import Department


@pytest.fixture
def revenue(db):
    return Department.objects.create(
        name="واحد درآمد",
        slug="revenue",
        description="محاسبه و وصول عوارض.",
        location="ساختمان مرکزی، طبقه همکف، باجه ۲",
        working_hours="شنبه تا چهارشنبه ۷:۳۰ تا ۱۳:۳۰",
    )


@pytest.fixture
def green_space(db):
    return Department.objects.create(name="سازمان فضای سبز", slug="green-space")


@pytest.fixture
def add_contact(revenue):
    """A public contact of the revenue unit; keyword arguments override the defaults."""

    def add(**overrides):
        fields = {"unit": revenue, "role": "کارشناس عوارض", "phone": "076-3524-2000"}
        fields.update(overrides)
        return Contact.objects.create(**fields)

    return add


# --- back-office personas -----------------------------------------------------------------------

EDITOR_PERMISSIONS = ["view_contact", "add_contact", "change_contact"]


def grant(user, *codenames: str):
    from django.contrib.auth.models import Permission

    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="contacts", codename__in=codenames)
    )
    return user


@pytest.fixture
def editor(django_user_model):
    """The desk clerk who keeps the directory."""
    user = django_user_model.objects.create_user("editor", password="x", is_staff=True)
    return grant(user, *EDITOR_PERMISSIONS)


@pytest.fixture
def viewer(django_user_model):
    """Staff who may read and export the directory, not change it."""
    user = django_user_model.objects.create_user("viewer", password="x", is_staff=True)
    return grant(user, "view_contact")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client
