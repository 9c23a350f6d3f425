"""Repeated failed logins lock the account and the address for a while (django-axes), with a
Persian page; a staff session ends after a while without a request."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"


@pytest.fixture
def clerk(django_user_model):
    return django_user_model.objects.create_user(
        "clerk", password="درست-و-بلند-1405", is_staff=True
    )


def attempt(client: Client, password: str, username: str = "clerk", address: str = "10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_five_failures_lock_the_account_with_a_persian_page(client, clerk, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, "wrong").status_code == 200  # the form again

    locked = attempt(client, "wrong")
    right_too_late = attempt(client, "درست-و-بلند-1405")

    assert locked.status_code == 429
    assert "ورود موقتاً بسته است" in locked.text and "۱۵ دقیقه" in locked.text
    assert right_too_late.status_code == 429
    # The account is locked from another address too.
    assert attempt(Client(), "درست-و-بلند-1405", address="10.0.0.2").status_code == 429


def test_the_address_is_locked_for_other_accounts(client, clerk, django_user_model, settings):
    django_user_model.objects.create_user("other", password="another-long-pass", is_staff=True)
    for number in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "wrong", username=f"guess{number}")

    assert attempt(client, "another-long-pass", username="other").status_code == 429
    assert (
        attempt(Client(), "another-long-pass", username="other", address="10.0.0.9").status_code
        == 302
    )


def test_a_success_before_the_limit_clears_the_failures(client, clerk, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "wrong")
    assert attempt(client, "درست-و-بلند-1405").status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "wrong")
    assert attempt(client, "درست-و-بلند-1405").status_code == 302


def test_the_lock_ends_after_the_cool_off(client, clerk, settings, time_machine):
    time_machine.move_to("2026-12-02 09:00 +03:30")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "wrong")
    time_machine.move_to("2026-12-02 09:16 +03:30")
    assert attempt(client, "درست-و-بلند-1405").status_code == 302


def test_a_staff_session_ends_after_the_idle_time(client, clerk, settings):
    client.force_login(clerk)
    client.get("/admin/")
    assert client.session.get_expiry_age() == settings.STAFF_IDLE_MINUTES * 60


def test_a_citizens_session_keeps_its_own_life(client, settings):
    client.get("/track/")
    session = client.session
    assert session.get_expiry_age() == settings.SESSION_COOKIE_AGE


def test_an_administrator_lifts_a_lock_from_the_back_office_and_it_is_audited(
    client, clerk, django_user_model, settings
):
    from auditlog.models import LogEntry
    from axes.models import AccessAttempt

    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "wrong")
    assert attempt(client, "درست-و-بلند-1405").status_code == 429

    admin_user = django_user_model.objects.create_superuser("boss", password="x")
    office = Client()
    office.force_login(admin_user)
    listed = office.get("/admin/axes/accessattempt/")
    assert "اجازه ورود دوباره (برداشتن قفل)" in listed.text
    response = office.post(
        "/admin/axes/accessattempt/",
        {
            "action": "unlock",
            "_selected_action": list(AccessAttempt.objects.values_list("pk", flat=True)),
        },
        follow=True,
    )
    assert not AccessAttempt.objects.exists()
    said = " ".join(str(m) for m in response.context["messages"])
    assert "قفل ۱ ورود برداشته شد" in said
    lifted = LogEntry.objects.get(content_type__model="accessattempt")
    assert lifted.actor == admin_user and lifted.action == LogEntry.Action.DELETE

    assert attempt(Client(), "درست-و-بلند-1405").status_code == 302


def test_who_may_not_delete_attempts_cannot_lift_a_lock(client, clerk, django_user_model, settings):
    from axes.models import AccessAttempt
    from django.contrib.auth.models import Permission

    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "wrong")
    viewer = django_user_model.objects.create_user("viewer", password="x", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_accessattempt"))
    office = Client()
    office.force_login(viewer)
    office.post(
        "/admin/axes/accessattempt/",
        {"action": "unlock", "_selected_action": [AccessAttempt.objects.get().pk]},
    )
    assert AccessAttempt.objects.exists()
