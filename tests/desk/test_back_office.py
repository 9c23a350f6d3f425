import pytest

pytestmark = pytest.mark.django_db


def test_the_back_office_is_persian_in_the_portal_font(admin_client):
    page = admin_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'lang="fa" dir="rtl"' in page
    assert "css/admin.css" in page
    assert "سامانه مدیریت میز خدمت" in page


def test_the_back_office_asks_anonymous_visitors_to_log_in(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
