"""Control characters (NUL above all, which PostgreSQL refuses in text) are removed from every
query string and form value before a view sees them; line breaks and tabs stay."""

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from desk.middleware import StripControlCharactersMiddleware

pytestmark = pytest.mark.django_db


def seen_by_view(request):
    captured = {}

    def view(request):
        captured["GET"], captured["POST"] = request.GET, request.POST
        return None

    StripControlCharactersMiddleware(view)(request)
    return captured


def test_it_strips_nul_and_escapes_from_query_strings():
    request = RequestFactory().get("/contacts/", {"q": "abc\x00def\x1b[2J", "page": "1"})
    assert seen_by_view(request)["GET"].dict() == {"q": "abcdef[2J", "page": "1"}


def test_it_strips_them_from_form_fields_and_keeps_line_breaks_and_repeated_keys():
    request = RequestFactory().post(
        "/complaints/new/",
        {"description": "خط اول\r\nخط\x00 دوم\tو\x7f", "files": ["a\x00", "b"]},
    )
    post = seen_by_view(request)["POST"]
    assert post["description"] == "خط اول\r\nخط دوم\tو"
    assert post.getlist("files") == ["a", "b"]


def test_the_contacts_search_with_a_nul_answers_like_without_it(client):
    with_nul = client.get("/contacts/?q=abc%00def")
    assert with_nul.status_code == 200
    assert with_nul.context["query"] == "abcdef"


def test_a_tracking_look_up_with_a_nul_is_refused_in_words(client):
    cache.clear()
    response = client.post("/track/", {"code": "1234\x005678", "mobile": "0912\x001234567"})
    assert response.status_code == 200
    assert response.context["form"].errors["code"]
