"""Fuzzing the phone directory: its search (/contacts/?q=…) and the vCard links."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from .conftest import (
    ACCEPTED_SCRIPTS,
    PERSIAN_LETTERS,
    RAW_BYTES,
    assert_markup_escaped,
    assert_no_server_error,
    assert_refused_in_persian,
    describe,
    digits_typed,
    fuzz,
    hostile_text,
    isolated_example,
    number_field_values,
    raw_query,
    row_counts,
    stored_since,
    visible_text,
)

pytestmark = pytest.mark.django_db

DIRECTORY = "/contacts/"
INTERNAL = "کارشناس وصول"


def listed_roles(response) -> set[str]:
    return {contact.role for unit in response.context["units"] for contact in unit.listed}


@fuzz()
@given(
    queries=st.lists(st.one_of(hostile_text(), number_field_values()), max_size=3),
    raw=st.none() | RAW_BYTES,
)
def test_any_search_shows_the_directory_in_persian_without_internal_numbers(
    directory, queries, raw
):
    with isolated_example() as client:
        before = row_counts()
        if raw is None:
            request = describe("GET", DIRECTORY, {"q": queries})
            response = client.get(DIRECTORY, {"q": queries})
        else:
            request = describe("GET", DIRECTORY, QUERY_STRING=b"q=" + raw)
            response = client.get(DIRECTORY, QUERY_STRING=raw_query(b"q=" + raw))

        assert_no_server_error(response, request)
        assert response.status_code == 200, request
        assert PERSIAN_LETTERS.search(visible_text(response.text)), request
        assert INTERNAL not in listed_roles(response), request
        assert "2315" not in visible_text(response.text), request
        assert_markup_escaped(response)
        assert stored_since(before) == {}


@st.composite
def typed_manager_numbers(draw) -> str:
    """The manager's number 076-3524-2301 as citizens type it: grouped any way, with +98 or
    0098, or only its last digits, in ASCII, Persian or Arabic-Indic digits."""
    number = draw(
        st.sampled_from(
            [
                "07635242301",
                "076-3524-2301",
                "076 3524 2301",
                "(076) 35242301",
                "+98 76 3524 2301",
                "0098-76-3524-2301",
                "3524 2301",
                "2301",
            ]
        )
    )
    return draw(digits_typed(number, ACCEPTED_SCRIPTS))


@fuzz()
@given(query=typed_manager_numbers())
def test_a_number_typed_with_persian_arabic_or_latin_digits_finds_its_contact(directory, query):
    with isolated_example() as client:
        response = client.get(DIRECTORY, {"q": query})

        assert_no_server_error(response, describe("GET", DIRECTORY, {"q": query}))
        assert "مدیر درآمد" in listed_roles(response), query


@fuzz()
@given(data=st.data())
def test_a_vcard_link_to_any_number_is_a_card_or_a_persian_not_found(directory, data):
    public = {contact.pk for name, contact in directory.items() if name != "internal"}
    known = sorted(contact.pk for contact in directory.values())
    pk = data.draw(
        st.one_of(st.sampled_from(known), st.integers(min_value=0, max_value=10**30)), label="pk"
    )
    with isolated_example() as client:
        response = client.get(f"/contacts/{pk}/vcard/")
        request = describe("GET", f"/contacts/{pk}/vcard/")

        assert_no_server_error(response, request)
        if pk in public:
            assert response.status_code == 200, request
            assert response["Content-Type"].startswith("text/vcard")
        else:
            assert response.status_code == 404, request
            assert_refused_in_persian(response, request)
