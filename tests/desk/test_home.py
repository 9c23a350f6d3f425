"""The home page: the desk officer's card, the cards the apps register, the language switch."""

from datetime import UTC, datetime

import pytest
import time_machine

from desk import fragments, registry
from desk.models import SiteProfile

pytestmark = pytest.mark.django_db

TRACK_CARD = registry.HomeCard(
    title="Complaints, criticisms and suggestions",
    summary="File and follow a complaint, criticism or suggestion",
    url_name="desk:track",
)


@pytest.fixture
def site_profile():
    return SiteProfile.objects.create(
        municipality_name="شهرداری قشم",
        officer_first_name="غریب",
        officer_last_name="حسین پناهی",
        officer_role="میز خدمت",
        urgent_phone="076-33285728",
    )


@pytest.fixture
def track_card():
    registry.register_home_card(TRACK_CARD)
    yield TRACK_CARD
    registry.unregister_home_card(TRACK_CARD)


def test_it_shows_the_desk_officers_card(client, site_profile):
    response = client.get("/")

    assert response.status_code == 200
    assert response.context["site_profile"] == site_profile
    page = response.content.decode()
    assert "شهرداری قشم" in page
    assert "غریب" in page
    assert "حسین پناهی" in page
    assert (
        '<a class="officer-card__phone" href="tel:07633285728" dir="ltr">۰۷۶-۳۳۲۸۵۷۲۸</a>' in page
    )


def test_a_change_of_officer_shows_at_once_on_every_page(client, site_profile):
    """The profile and the officer's card are kept in the process's memory; saving the
    profile clears it, so the next page (the home page's card, any page's footer) shows it."""
    client.get("/")
    client.get("/track/")

    site_profile.officer_first_name = "مهتاب"
    site_profile.municipality_name = "شهرداری درگهان"
    site_profile.save()

    for url in ("/", "/track/"):
        page = client.get(url).content.decode()
        assert "مهتاب" in page and "غریب" not in page
        assert "شهرداری درگهان" in page


def test_the_officers_card_follows_the_language(client, site_profile):
    assert "Service desk officer" not in client.get("/track/").content.decode()

    client.post("/i18n/setlang/", {"language": "en", "next": "/track/"})

    assert "Service desk officer" in client.get("/track/").content.decode()


def test_it_still_renders_without_a_site_profile(client):
    response = client.get("/")

    assert response.status_code == 200
    assert 'class="officer-card"' in response.content.decode()


def test_it_shows_a_registered_card_on_the_page_and_in_the_navigation(client, track_card):
    response = client.get("/")

    page = response.content.decode()
    assert 'class="home-card"' in page
    assert f'<a class="stretched-link" href="/track/">{TRACK_CARD.title}</a>' in page
    assert TRACK_CARD.summary in page
    assert f'<li><a href="/track/">{TRACK_CARD.title}</a></li>' in page


def test_it_shows_no_card_when_none_is_registered(client, monkeypatch):
    """An app that is not built yet registers no card, and nothing of it appears."""
    monkeypatch.setattr(registry, "_home_cards", [])

    response = client.get("/")

    page = response.content.decode()
    assert 'class="home-card"' not in page
    assert 'action="/track/"' in page  # the tracking box is still there


def test_the_language_switch_turns_the_page_to_english(client):
    assert '<html lang="fa" dir="rtl">' in client.get("/").content.decode()

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)

    assert response.redirect_chain == [("/", 302)]
    page = response.content.decode()
    assert '<html lang="en" dir="ltr">' in page
    assert "bootstrap.min.css" in page
    assert "bootstrap.rtl.min.css" not in page


def test_an_english_phone_still_gets_the_persian_portal(client):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="fa" dir="rtl">' in page


def test_the_chosen_language_is_kept_across_pages(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/track/", HTTP_ACCEPT_LANGUAGE="fa").content.decode()
    assert '<html lang="en" dir="ltr">' in page


# 00:30 on Wednesday 11 Azar 1405 in Tehran, still Tuesday in UTC.
AFTER_MIDNIGHT_IN_TEHRAN = datetime(2026, 12, 1, 21, 0, tzinfo=UTC)


@time_machine.travel(AFTER_MIDNIGHT_IN_TEHRAN, tick=False)
def test_the_header_shows_todays_jalali_date_in_tehran(client):
    page = client.get("/track/").content.decode()

    assert '<time class="site-date" datetime="2026-12-02">چهارشنبه ۱۱ آذر ۱۴۰۵</time>' in page


def test_the_header_shows_the_emblem_of_the_setting(client, settings):
    assert '<img class="site-brand__emblem" src="/static/img/emblem.svg"' in (
        client.get("/").content.decode()
    )

    settings.SITE_EMBLEM = "img/qeshm.png"
    fragments.local_cache().clear()  # a changed setting means a restart: no layout kept
    assert '<img class="site-brand__emblem" src="/static/img/qeshm.png"' in (
        client.get("/").content.decode()
    )
