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


def test_a_citizen_field_renders_in_bootstrap_markup_with_its_error_described():
    """PortalBoundField and templates/desk/forms/field.html: the label names the input, the
    input carries Bootstrap's classes and points at its help and its error."""
    from desk.forms import TrackForm

    form = TrackForm(data={"code": "12", "mobile": ""})
    form.is_valid()

    html = str(form["mobile"].as_field_group())

    assert '<label class="form-label" for="id_mobile">' in html
    assert 'class="form-control is-invalid"' in html
    assert 'aria-describedby="id_mobile_helptext id_mobile_error"' in html
    assert '<div id="id_mobile_error" class="invalid-feedback d-block">' in html
    assert 'id="id_mobile_helptext" class="form-text"' in html


def test_a_choice_among_radios_is_a_fieldset_with_its_legend():
    from complaints.forms import ComplaintForm

    html = str(ComplaintForm()["kind"].as_field_group())

    assert html.count("<fieldset") == 1 and "<legend" in html
    assert html.count('class="form-check"') == 4
    assert 'class="form-check-input"' in html and "is-invalid" not in html


@pytest.mark.parametrize(
    ("widget", "value"),
    [
        (forms.TextInput(attrs={"dir": "ltr", "placeholder": "۰۹…", "required": True}), None),
        (forms.TextInput(attrs={"disabled": False, "maxlength": 20}), 'a "quoted" <b>&'),
        (forms.NumberInput(), 12),
        (forms.EmailInput(attrs={"autocomplete": "email"}), "a@b.ir"),
        (forms.HiddenInput(), "9f1c"),
    ],
)
def test_a_plain_input_is_written_exactly_as_django_writes_it(widget, value):
    """PortalFormRenderer writes <input> itself (Django's three nested templates were the
    dearest part of a form's page): the HTML must stay Django's, byte for byte."""
    from django.forms.renderers import DjangoTemplates

    from desk.cases.forms import PortalFormRenderer

    attrs = {"id": "id_x", "class": "form-control is-invalid", "aria-invalid": "true"}
    ours = widget.render("x", value, attrs=attrs, renderer=PortalFormRenderer())
    django = widget.render("x", value, attrs=attrs, renderer=DjangoTemplates())

    assert ours == django
