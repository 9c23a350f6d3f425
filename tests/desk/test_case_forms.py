"""The citizen's forms of the case kit write the numbers of their error messages in the
reader's digits: Django's own validators give plain ints («بیش از 150 نویسه»)."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation

from desk.cases.forms import TOO_LONG, CitizenFacingForm, with_local_numbers


class NoteForm(CitizenFacingForm):
    note = forms.CharField(max_length=150, error_messages={"max_length": TOO_LONG})
    pages = forms.IntegerField(min_value=1, max_value=20)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"note": "ا" * 151, "pages": "3"},
            "note",
            "این متن حداکثر می‌تواند ۱۵۰ نویسه باشد؛ متن شما ۱۵۱ نویسه دارد.",
        ),
        ({"note": "یادداشت", "pages": "25"}, "pages", "۲۰"),
    ],
)
def test_error_messages_speak_persian_digits(data, field, message):
    with translation.override("fa"):
        errors = NoteForm(data).errors[field]
        assert message in errors[0]
        assert not any(digit in errors[0] for digit in "0123456789")


def test_in_english_the_digits_stay_latin():
    with translation.override("en"):
        assert "150" in NoteForm({"note": "a" * 151, "pages": "3"}).errors["note"][0]


def test_it_keeps_the_shape_of_an_error_and_leaves_booleans_alone():
    error = ValidationError(
        {"session": [ValidationError("%(n)s %(flag)s", code="x", params={"n": 7, "flag": True})]}
    )
    with translation.override("fa"):
        rewritten = with_local_numbers(error)
        assert rewritten.message_dict == {"session": ["۷ True"]}
