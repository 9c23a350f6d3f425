"""The layout and the blank forms are kept rendered in each process's memory (issue 11):
what is kept must never carry one visitor's token or typing to another, nor hide a change."""

import re
from pathlib import Path

import pytest
from django.test import Client
from django.utils.autoreload import file_changed

from appointments.forms import MeetingRequestForm
from complaints.forms import ComplaintForm
from complaints.models import ComplaintCategory
from desk import fragments
from desk.cases.forms import KeptBlankForm

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def potholes(streets):
    return ComplaintCategory.objects.create(title="آسفالت و چاله معابر", department=streets)


def test_each_visitor_gets_a_working_token_of_their_own_from_the_kept_page():
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_page, second_page = first.get("/").text, second.get("/").text

    assert first_page.count("csrfmiddlewaretoken") == second_page.count("csrfmiddlewaretoken") == 2
    assert set(TOKEN.findall(first_page)).isdisjoint(TOKEN.findall(second_page))
    for client, page in ((first, first_page), (second, second_page)):
        token = TOKEN.search(page).group(1)
        response = client.post(
            "/track/", {"csrfmiddlewaretoken": token, "code": "1", "mobile": "1"}
        )
        assert response.status_code == 200  # the form's own answer, not the CSRF refusal


def test_each_blank_complaint_form_has_its_own_submission_key(client, potholes):
    keys = {
        re.search(r'name="submission_key" value="([^"]+)"', client.get("/complaints/new/").text)[1]
        for _ in range(2)
    }
    assert len(keys) == 2


def test_a_new_category_is_offered_at_once_on_the_kept_form(client, potholes, streets):
    assert "آسفالت و چاله معابر" in client.get("/complaints/new/").text

    ComplaintCategory.objects.create(title="پسماند و نظافت", department=streets)

    assert "پسماند و نظافت" in client.get("/complaints/new/").text


def test_what_a_visitor_typed_is_shown_to_them_only(client, potholes):
    client.get("/complaints/new/")  # the blank form is kept
    refused = client.post("/complaints/new/", {"subject": "چاله‌ای جلوی پلاک ۱۲"})
    assert refused.status_code == 200 and "چاله‌ای جلوی پلاک ۱۲" in refused.text

    assert "چاله‌ای جلوی پلاک ۱۲" not in Client().get("/complaints/new/").text


def test_the_kept_layout_follows_the_language_and_the_page(client):
    persian = client.get("/track/").text
    client.cookies["django_language"] = "en"
    english = client.get("/track/").text

    assert 'lang="fa"' in persian and 'lang="en"' in english
    assert re.search(r'<a href="/track/"[^>]*aria-current="page"', persian)
    home = client.get("/").text
    assert home.count('aria-current="page"') == 1
    assert re.search(r'<a href="/"[^>]*aria-current="page"', home)


@pytest.mark.parametrize("form_class", [ComplaintForm, MeetingRequestForm])
def test_the_kept_blank_form_writes_the_key_as_the_form_itself_would(form_class):
    def without_value(html) -> str:
        return re.sub(r'value="[^"]+"', 'value=""', str(html))

    kept, built = KeptBlankForm(form_class).submission_key, form_class()["submission_key"]
    assert without_value(kept) == without_value(built)
    assert kept != KeptBlankForm(form_class).submission_key  # one-time: new on every page


def test_a_template_edited_under_runserver_is_not_hidden_by_a_kept_page():
    fragments.local_cache().set("kept", "<header>old</header>")

    file_changed.send(sender=None, file_path=Path("app.py").resolve())  # restarts anyway
    assert fragments.local_cache().get("kept")

    file_changed.send(sender=None, file_path=Path("templates/base.html").resolve())
    assert fragments.local_cache().get("kept") is None
