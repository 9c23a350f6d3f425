"""Persian text helpers: one normaliser for what citizens type, validators, display digits.

Citizens type on Persian, Arabic and Latin keyboards, so the same word or number reaches us
in several spellings. Everything a citizen types goes through `normalize_text` (words) or
`to_ascii_digits` (numbers) before it is validated, stored or searched.
"""

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _

PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
ASCII_DIGITS = "0123456789"

_TO_ASCII = str.maketrans(PERSIAN_DIGITS + ARABIC_DIGITS, ASCII_DIGITS * 2)
_TO_PERSIAN = str.maketrans(ASCII_DIGITS + ARABIC_DIGITS, PERSIAN_DIGITS * 2)
_ARABIC_LETTERS = str.maketrans(
    {
        "ي": "ی",  # Arabic yeh
        "ى": "ی",  # Arabic alef maksura
        "ك": "ک",  # Arabic kaf
        "\u200f": None,  # right-to-left mark, pasted from other apps
        "\u200e": None,  # left-to-right mark
        "\ufeff": None,  # byte order mark
    }
)
ZWNJ = "\u200c"
_SPACES = re.compile(r"[^\S\n]+")
_ZWNJ_RUNS = re.compile(ZWNJ + "{2,}")


def to_ascii_digits(value: str) -> str:
    """Persian and Arabic digits to ASCII, for anything that is meant as a number."""
    return value.translate(_TO_ASCII)


def to_persian_digits(value: object) -> str:
    """ASCII and Arabic digits to Persian ones, for display."""
    return str(value).translate(_TO_PERSIAN)


def local_digits(value: object) -> str:
    """A number, a code or a time written with the digits of the language active now:
    Persian digits in Persian. The one way a number reaches a person inside a sentence."""
    return to_persian_digits(value) if get_language() == "fa" else str(value)


class LocalNumber(int):
    """An int that prints with `local_digits` when the message it sits in is shown, and
    stays an int for everything else (a plural form is chosen by it)."""

    def __str__(self) -> str:
        return local_digits(int.__repr__(self))

    def __format__(self, spec: str) -> str:
        return str(self)


# The thousands separator of each language we show numbers in (Persian: U+066C «٬»).
_THOUSANDS_SEPARATORS = {"fa": "\u066c"}


def local_grouped(value: int) -> str:
    """An amount with its thousands grouped, in the active language's digits: «۱٬۵۰۰٬۰۰۰»."""
    separator = _THOUSANDS_SEPARATORS.get(get_language(), ",")
    return local_digits(f"{int(value):,}".replace(",", separator))


# The decimal separator of each language we show numbers in (Persian: U+066B «٫»).
_DECIMAL_SEPARATORS = {"fa": "\u066b"}


def local_decimal(value: float, places: int = 1) -> str:
    """A decimal number written for the reader: «۳٫۱» in Persian, "3.1" in English."""
    written = f"{value:.{places}f}".replace(".", _DECIMAL_SEPARATORS.get(get_language(), "."))
    return local_digits(written)


_PERCENT_SIGNS = {"fa": "\u066a"}


def local_percent(share: float | None, places: int = 0) -> str:
    """A share (0 to 1) as a percentage for the reader: «۷۳٪», "73%"; "—" for none."""
    if share is None:
        return "—"
    sign = _PERCENT_SIGNS.get(get_language(), "%")
    return local_decimal(share * 100, places) + sign


def file_size(num_bytes: int) -> str:
    """A file's size in the reader's language and digits: «۸۰۰ بایت», «۳٫۱ کیلوبایت»,
    «۲٫۴ مگابایت» (Django's filesizeformat writes English units: «۳٫۱ KB» reads mirrored
    inside a Persian sentence)."""
    if num_bytes < 1024:
        return ngettext("%(size)s byte", "%(size)s bytes", num_bytes) % {
            "size": LocalNumber(num_bytes)
        }
    if num_bytes < 1024 * 1024:
        return gettext("%(size)s KB") % {"size": local_decimal(num_bytes / 1024)}
    return gettext("%(size)s MB") % {"size": local_decimal(num_bytes / (1024 * 1024))}


def normalize_text(value: str) -> str:
    """Canonical Persian spelling of free text: Persian yeh and kaf, single spaces, no
    stray direction marks, surrounding spaces stripped; the zero-width non-joiner is kept
    because it is part of correct Persian spelling (می‌شود)."""
    value = value.translate(_ARABIC_LETTERS)
    value = _ZWNJ_RUNS.sub(ZWNJ, value)
    lines = (_SPACES.sub(" ", line).strip() for line in value.strip().splitlines())
    return "\n".join(lines)


def require_text(value: str, message: Any = None) -> str:
    """Normalised text that must not be empty once normalised (direction marks or spaces
    alone leave nothing): ValidationError(message), by default the "required" one."""
    value = normalize_text(value or "")
    if not value:
        raise ValidationError(
            message or forms.Field.default_error_messages["required"], code="required"
        )
    return value


def digits_only(value: str) -> str:
    """The ASCII digits of a number typed with Persian, Arabic or Latin digits and any
    separators; digits of other scripts are dropped, not converted."""
    return re.sub(r"[^0-9]", "", to_ascii_digits(value))


def is_ascii_number(value: str) -> bool:
    """True for a non-empty string of ASCII digits only. `str.isdigit()` also accepts ²,
    ① and the digits of every other script, which `int()` refuses or misreads."""
    return value.isascii() and value.isdigit()


FOREIGN_DIGITS_MESSAGE = _("Please type the number with Persian or Latin digits.")


def refuse_foreign_digits(value: str) -> None:
    """Refuse digits other than ASCII, Persian and Arabic-Indic (Devanagari ७, fullwidth ７,
    superscript ², circled ①…): we accept exactly the digits of the keyboards citizens use,
    so one number cannot be spelled in many ways to slip past a per-number limit."""
    if any(char.isnumeric() for char in to_ascii_digits(value) if not char.isascii()):
        raise ValidationError(FOREIGN_DIGITS_MESSAGE, code="digits")


_MOBILE = re.compile(r"^9[0-9]{9}$")


def normalize_mobile(value: str) -> str:
    """An Iranian mobile number in its stored form 09xxxxxxxxx.

    Accepts 0912…, 912…, +98912…, 0098912… and 98912…, in any digit script, with spaces,
    dashes or brackets. Raises ValidationError when it is not a mobile number.
    """
    refuse_foreign_digits(value or "")
    raw = to_ascii_digits(value or "").strip()
    if re.search(r"[^0-9\s\-+()]", raw):
        raise ValidationError(_("Enter a mobile number such as 09121234567."), code="invalid")
    digits = re.sub(r"[^0-9]", "", raw)
    for prefix in ("0098", "98", "0"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 10:
            digits = digits[len(prefix) :]
            break
    if not _MOBILE.match(digits):
        raise ValidationError(_("Enter a mobile number such as 09121234567."), code="invalid")
    return "0" + digits


def mask_mobile(mobile: str) -> str:
    """09121234567 → 0912***4567: enough to recognise one's own number, not to learn one."""
    return f"{mobile[:4]}***{mobile[-4:]}"


def validate_mobile(value: str) -> None:
    normalize_mobile(value)


def normalize_national_code(value: str) -> str:
    """A national code (کد ملی) as 10 ASCII digits, checked by its check digit."""
    refuse_foreign_digits(value or "")
    code = re.sub(r"[\s\-]", "", to_ascii_digits(value or ""))
    if not re.fullmatch(r"[0-9]{8,10}", code):
        raise ValidationError(_("A national code has 10 digits."), code="invalid")
    code = code.zfill(10)  # old cards drop the leading zeros
    if len(set(code)) == 1 or not national_code_checks(code):
        raise ValidationError(_("This national code is not valid."), code="checksum")
    return code


def national_code_checks(code: str) -> bool:
    total = sum(int(code[i]) * (10 - i) for i in range(9)) % 11
    check = int(code[9])
    return check == total if total < 2 else check == 11 - total


def validate_national_code(value: str) -> None:
    normalize_national_code(value)


# Searching folds what Persian writers use interchangeably: hamza forms, ة, madda, tatweel
# and short-vowel marks; the zero-width non-joiner joins (پایان‌کار, پایانکار).
_SEARCH_FOLDING = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ؤ": "و",
        "ئ": "ی",
        "ۀ": "ه",
        "ة": "ه",
        "ـ": None,
        ZWNJ: None,
        **dict.fromkeys(range(0x064B, 0x0653)),
        "\u0670": None,
        "\u0654": None,
    }
)


def _search_form(value: str) -> str:
    return to_ascii_digits(normalize_text(value)).translate(_SEARCH_FOLDING).lower()


def search_text(*parts: str) -> str:
    """What a record is found by, stored beside it (so a search is a plain LIKE on every
    database): its parts in one folded spelling (`search_words`), and once more with no
    spaces, so that a word written as two (پایان کار) or as one (پایانکار) finds either."""
    words = " ".join(_search_form(part) for part in parts if part).split()
    return f"{' '.join(words)} {''.join(words)}"


def search_words(query: str) -> list[str]:
    """The words of what a person typed, in the spelling `search_text` stores: Persian or
    Arabic letters and digits, with or without the zero-width non-joiner, any spaces."""
    return _search_form(query or "").split()


# The Persian alphabet's order, which code points do not follow: پ چ ژ ک گ ی stand after the
# Arabic letters in Unicode, and ه before و, so a plain sort puts «پارک» after «ورزش».
PERSIAN_ALPHABET = "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی"
_ALPHABET_ORDER = str.maketrans(
    {letter: chr(0xE000 + rank) for rank, letter in enumerate(PERSIAN_ALPHABET)}
)


def persian_sort_key(value: str) -> str:
    """A key that sorts names in Persian alphabetical order (آ with ا, Arabic ي and ك with
    ی and ک, the zero-width non-joiner ignored), Latin names and numbers before them."""
    return _search_form(value).translate(_ALPHABET_ORDER)


_SEARCHED_NUMBER = re.compile(r"^[0-9\s\-+()]+$")


def normalize_search(term: str) -> str:
    """What staff type in a search box, in the stored spelling: a number (code, mobile,
    national code) in ASCII digits without separators, a mobile in its 09… form (from +98…),
    words with Persian ی and ک."""
    term = to_ascii_digits(term.strip())
    if not _SEARCHED_NUMBER.match(term):
        return normalize_text(term)
    try:
        return normalize_mobile(term)
    except ValidationError:
        return digits_only(term)
