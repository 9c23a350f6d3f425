import re

import pytest
from django.core.cache import cache

from desk import codes
from desk.tracking import has_case_access
from tests.conftest import limits

pytestmark = pytest.mark.django_db

NOT_FOUND = "No request was found with this tracking code and mobile number."


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    cache.clear()


def post_track(client, code, mobile, **extra):
    return client.post("/track/", {"code": code, "mobile": mobile}, **extra)


def without_csrf(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_it_shows_the_tracking_form(client):
    response = client.get("/track/")
    assert response.status_code == 200
    assert 'name="code"' in response.text
    assert 'name="mobile"' in response.text


def test_it_prefills_the_code_from_a_link(client):
    response = client.get("/track/?code=912345098764")
    assert 'value="912345098764"' in response.text


def test_it_opens_the_case_for_the_right_code_and_mobile(client, fake_cases):
    code = fake_cases.add("09121234567")
    response = post_track(client, code, "09121234567")
    assert response.status_code == 302
    assert response["Location"] == f"/fake/{code}/"
    assert has_case_access(client, code)


def test_it_accepts_persian_digits_dashes_and_any_mobile_form(client, fake_cases):
    code = fake_cases.add("09121234567")
    persian = code.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    typed = f"{persian[:4]}-{persian[4:8]} {persian[8:]}"
    response = post_track(client, typed, "+۹۸۹۱۲۱۲۳۴۵۶۷")
    assert response.status_code == 302
    assert fake_cases.lookups == [(code, "09121234567")]


def test_a_wrong_mobile_and_an_unknown_code_get_the_same_answer(client, fake_cases):
    code = fake_cases.add("09121234567")
    unknown = codes.make_code(fake_cases.prefix, "0000000000")

    wrong_mobile = post_track(client, code, "09351234567")
    no_such_code = post_track(client, unknown, "09351234567")

    assert wrong_mobile.status_code == no_such_code.status_code == 200
    assert NOT_FOUND in wrong_mobile.text
    body_a = without_csrf(wrong_mobile.text).replace(code, "CODE")
    body_b = without_csrf(no_such_code.text).replace(unknown, "CODE")
    assert body_a == body_b
    assert not has_case_access(client, code)


def test_it_refuses_a_mistyped_code_before_any_lookup(client, fake_cases):
    code = fake_cases.add("09121234567")
    mistyped = code[:3] + code[4] + code[3] + code[5:]  # two neighbours swapped
    assert mistyped != code
    response = post_track(client, mistyped, "09121234567")
    assert response.status_code == 200
    assert "This tracking code is mistyped" in response.text
    assert fake_cases.lookups == []


def test_it_refuses_a_bad_mobile_and_keeps_what_was_typed(client, fake_cases):
    code = fake_cases.add("09121234567")
    response = post_track(client, code, "0212")
    assert "Enter a mobile number such as 09121234567." in response.text
    assert f'value="{code}"' in response.text
    assert 'value="0212"' in response.text


def test_it_answers_in_persian_by_default(client, fake_cases, settings):
    settings.LANGUAGE_CODE = "fa"
    code = fake_cases.add("09121234567")
    response = post_track(client, code[:-1] + str((int(code[-1]) + 1) % 10), "09121234567")
    assert 'lang="fa"' in response.text
    assert "This tracking code is mistyped" not in response.text


def test_lookups_are_limited_per_client_address(client, fake_cases, settings):
    settings.RATE_LIMITS = limits(settings, "track", address=3)
    code = fake_cases.add("09121234567")
    for _ in range(3):
        assert post_track(client, code, "09350000000").status_code == 200
    blocked = post_track(client, code, "09121234567")
    assert blocked.status_code == 429
    assert "Too many look-ups" in blocked.text
    assert len(fake_cases.lookups) == 3
    # Another address is not held back by the first one's guesses.
    other = post_track(client, code, "09121234567", REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302


@pytest.mark.parametrize("typed", ["12345678901²", "①23456789012", "१२३४५६७८९०१२"])
def test_a_code_in_other_digits_gets_the_format_message_not_a_server_error(
    client, fake_cases, typed
):
    response = post_track(client, typed, "09121234567")
    assert response.status_code == 200
    assert "A tracking code has 12 digits." in response.text
    assert fake_cases.lookups == []


def test_a_mobile_in_other_digits_is_refused_in_words(client, fake_cases):
    code = fake_cases.add("09121234567")
    response = post_track(client, code, "0912123456७")
    assert response.status_code == 200
    assert "Please type the number with Persian or Latin digits." in response.text
    assert fake_cases.lookups == []


def test_many_citizens_behind_one_carrier_address_are_not_refused(client, fake_cases, settings):
    """A mobile carrier's NAT puts thousands of phones behind one address: 30 citizens
    following their own cases from it within minutes all get in."""
    mobiles = [f"09121234{n:03d}" for n in range(30)]
    codes_and_mobiles = [(fake_cases.add(m, body=f"{n:010d}"), m) for n, m in enumerate(mobiles)]
    responses = [post_track(client, code, mobile) for code, mobile in codes_and_mobiles]
    assert [r.status_code for r in responses] == [302] * 30


def test_guessing_one_mobiles_code_is_bounded_whatever_the_address(client, fake_cases, settings):
    settings.RATE_LIMITS = limits(settings, "track", mobile=4)
    code = fake_cases.add("09121234567")
    statuses = [
        post_track(client, a_wrong_code(n), "09121234567", REMOTE_ADDR=f"10.0.{n}.1").status_code
        for n in range(6)
    ]
    assert statuses == [200] * 4 + [429] * 2
    # The owner's own look-up is refused too until the window slides: the price of a guesser.
    assert post_track(client, code, "09121234567").status_code == 429


def test_guessing_the_mobile_of_a_known_code_is_bounded(client, fake_cases, settings):
    settings.RATE_LIMITS = limits(settings, "track", code=3)
    code = fake_cases.add("09121234567")
    statuses = [
        post_track(client, code, f"0935000{n:04d}", REMOTE_ADDR=f"10.1.{n}.1").status_code
        for n in range(5)
    ]
    assert statuses == [200] * 3 + [429] * 2
    assert len(fake_cases.lookups) == 3


def test_a_citizen_following_her_own_case_spends_no_guesses(client, fake_cases, settings):
    settings.RATE_LIMITS = limits(settings, "track", code=2, mobile=2)
    code = fake_cases.add("09121234567")
    assert [post_track(client, code, "09121234567").status_code for _ in range(5)] == [302] * 5


def a_wrong_code(n: int) -> str:
    return codes.make_code("9", f"{n:010d}")
