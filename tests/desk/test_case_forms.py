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
    # Django's own message: a lazy plural, chosen by the number (which must stay an int).
    title = forms.CharField(max_length=5, required=False)


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


def test_a_plural_message_of_django_still_finds_its_form():
    with translation.override("fa"):
        message = NoteForm({"note": "ب", "pages": "3", "title": "ابپتثج"}).errors["title"][0]
    assert "5" in message or "۵" in message


class LetterForm(CitizenFacingForm):
    letter = forms.CharField(max_length=10, widget=forms.Textarea, help_text="نامه شما")
    short = forms.CharField(max_length=10)


def test_a_long_text_field_says_its_limit_and_is_marked_for_the_counter():
    with translation.override("fa"):
        html = str(LetterForm()["letter"])
        help_text = str(LetterForm().fields["letter"].help_text)

    assert help_text == "نامه شما حداکثر ۱۰ نویسه."
    assert 'maxlength="10"' in html
    assert 'data-counter="{count} از {limit} نویسه"' in html
    assert "data-counter-full=" in html
    assert "data-counter" not in str(LetterForm()["short"])


def test_a_line_break_counts_as_one_character_as_in_the_browser():
    # The browser allows ten characters (maxlength counts a line break as one) and posts
    # each line break as CR LF.
    form = LetterForm({"letter": "الف\r\nب\r\nپ\r\nت", "short": "x"})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["letter"] == "الف\nب\nپ\nت"
