import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.utils import translation

from desk.text import (
    file_size,
    normalize_mobile,
    normalize_national_code,
    normalize_text,
    persian_sort_key,
    to_ascii_digits,
    to_persian_digits,
)


@pytest.mark.parametrize(
    "typed",
    [
        "09121234567",
        "9121234567",
        "+989121234567",
        "00989121234567",
        "989121234567",
        "۰۹۱۲۱۲۳۴۵۶۷",
        "٠٩١٢١٢٣٤٥٦٧",
        "+۹۸ ۹۱۲ ۱۲۳ ۴۵۶۷",
        "0912-123-4567",
        " (0912) 123 4567 ",
        "۰۹۱۲۱٢٣٤٥٦٧",  # Persian and Arabic digits mixed, as some keyboards do
    ],
)
def test_it_stores_every_way_of_writing_a_mobile_as_09(typed):
    assert normalize_mobile(typed) == "09121234567"


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "0912123456",  # one digit short
        "091212345678",  # one digit long
        "02112345678",  # a Tehran landline
        "08121234567",  # not a mobile prefix
        "+4915112345678",  # a foreign number
        "0912abc4567",
        "۰۹۱۲۱۲۳۴۵۶۷۸۹",
    ],
)
def test_it_refuses_what_is_not_an_iranian_mobile(typed):
    with pytest.raises(ValidationError):
        normalize_mobile(typed)


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("0084575948", "0084575948"),
        ("۰۰۸۴۵۷۵۹۴۸", "0084575948"),
        ("٠٠٨٤٥٧٥٩٤٨", "0084575948"),
        ("008-457594-8", "0084575948"),
        ("84575948", "0084575948"),  # the leading zeros dropped, as on old cards
        ("4608968882", "4608968882"),
        ("1111111111", None),  # passes the checksum, but no real card is all one digit
    ],
)
def test_it_checks_a_national_code_by_its_check_digit(typed, stored):
    if stored is None:
        with pytest.raises(ValidationError):
            normalize_national_code(typed)
    else:
        assert normalize_national_code(typed) == stored


@pytest.mark.parametrize(
    "typed", ["0084575949", "4608968881", "0000000000", "123", "12345678901", "۱۲۳۴۵۶۷۸۹x"]
)
def test_it_refuses_a_wrong_national_code(typed):
    with pytest.raises(ValidationError):
        normalize_national_code(typed)


def test_it_writes_arabic_yeh_and_kaf_the_persian_way():
    assert normalize_text("كيفيت خدمات شهري") == "کیفیت خدمات شهری"


def test_it_keeps_the_zero_width_non_joiner():
    assert normalize_text("می\u200cشود") == "می\u200cشود"


def test_it_strips_surrounding_and_repeated_spaces_and_direction_marks():
    assert normalize_text("  \u200fخیابان   امام \n  کوچه ۵  ") == "خیابان امام\nکوچه ۵"


def test_digits_are_shown_in_persian_and_read_in_ascii():
    assert to_persian_digits(1405) == "۱۴۰۵"
    assert to_persian_digits("٣ و 4") == "۳ و ۴"
    assert to_ascii_digits("۱۴۰۵/٠٩/۰۲") == "1405/09/02"


@pytest.mark.parametrize(
    "typed",
    [
        "0912123456७",  # a Devanagari seven
        "０９１２１２３４５６７",  # fullwidth digits
        "0912123456²",  # superscript two
        "0912123456①",  # circled one
        "𝟎𝟗𝟏𝟐𝟏𝟐𝟑𝟒𝟓𝟔𝟕",  # mathematical bold digits
    ],
)
def test_it_refuses_a_mobile_in_digits_of_other_scripts(typed):
    with pytest.raises(ValidationError) as error:
        normalize_mobile(typed)
    assert error.value.code == "digits"


@pytest.mark.parametrize("typed", ["001084230७", "００１０８４２３０３"])
def test_it_refuses_a_national_code_in_digits_of_other_scripts(typed):
    with pytest.raises(ValidationError) as error:
        normalize_national_code(typed)
    assert error.value.code == "digits"


@pytest.mark.parametrize(
    ("size", "shown"),
    [
        (800, "۸۰۰ بایت"),
        (1024, "۱٫۰ کیلوبایت"),
        (3174, "۳٫۱ کیلوبایت"),
        (1023 * 1024, "۱۰۲۳٫۰ کیلوبایت"),
        (int(2.4 * 1024 * 1024), "۲٫۴ مگابایت"),
    ],
)
def test_a_file_size_is_written_in_persian_units_and_digits(size, shown):
    with translation.override("fa"):
        assert file_size(size) == shown


def test_a_file_size_in_english_keeps_english_units():
    with translation.override("en"):
        assert (file_size(1), file_size(3174)) == ("1 byte", "3.1 KB")


def test_templates_show_a_file_size_with_the_file_size_filter():
    with translation.override("fa"):
        rendered = Template("({{ size|file_size }})").render(Context({"size": 3174}))
    assert rendered == "(۳٫۱ کیلوبایت)"


def test_names_sort_in_persian_alphabetical_order():
    names = ["هنر", "ورزش", "نوسازی", "كتابخانه", "پارک", "ژاله", "چمن", "آب", "Zoo", "زیبا"]

    # Code points put ه before و and پ چ ژ ک after them; Arabic kaf (ك) sorts as ک.
    assert sorted(names, key=persian_sort_key) == [
        "Zoo",
        "آب",
        "پارک",
        "چمن",
        "زیبا",
        "ژاله",
        "كتابخانه",
        "نوسازی",
        "ورزش",
        "هنر",
    ]
