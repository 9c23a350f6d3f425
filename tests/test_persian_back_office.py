"""The back office in Persian (issue 14): every admin page of the demo — each model's list,
its add page and the change page of its first row, the home page, the results and receipt
pages and the quarterly report — scanned as a staff member reads it, for Latin digits and English words.

What is not the portal's own words is left out: usernames (a person's chosen login, wherever
it appears) and file names (marked translate="no")."""

import re

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model

from tests.test_persian_everywhere import (
    Scan,
    demo,  # noqa: F401 (the module's seeded demo)
    visible_text,
)


@pytest.fixture
def chief(demo, db, client):  # noqa: F811 (the imported fixture)
    user = get_user_model().objects.create_superuser("chief", password="x")
    client.force_login(user)
    return client


def admin_pages() -> list[str]:
    # The quarterly report too: the last finished quarter and the one running.
    pages = ["/admin/", "/reports/", "/reports/?year=1405&quarter=3"]
    for model in admin.site._registry:
        opts = model._meta
        pages.append(f"/admin/{opts.app_label}/{opts.model_name}/")
        pages.append(f"/admin/{opts.app_label}/{opts.model_name}/add/")
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            pages.append(f"/admin/{opts.app_label}/{opts.model_name}/{first.pk}/change/")
    return pages


def test_every_admin_page_of_the_demo_is_persian(chief):
    usernames = set(get_user_model().objects.values_list("username", flat=True))
    scan = Scan()
    pages = admin_pages()
    for url in pages:
        response = chief.get(url)
        if response.status_code != 200:
            continue  # an add page the model does not offer (403), a redirect
        html = response.content.decode()
        scan.text(url, [_without(s, usernames) for s in visible_text(html)])
    assert len(pages) > 60
    scan.check()


def test_a_list_sorted_by_two_columns_numbers_them_in_persian(chief):
    page = chief.get("/admin/complaints/complaint/", {"o": "2.-1"}).content.decode()
    priorities = re.findall(r'<span class="sortpriority" title="([^"]*)">([^<]*)</span>', page)
    assert sorted(shown for _title, shown in priorities) == ["۱", "۲"]
    assert all(not any(c.isascii() and c.isdigit() for c in title) for title, _ in priorities)


def _without(snippet: str, usernames: set[str]) -> str:
    for name in usernames:
        snippet = snippet.replace(name, "")
    return snippet
