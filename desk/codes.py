"""Tracking codes (کد رهگیری): numeric, at most 12 digits, self-checking.

Layout: one kind digit, ten random digits, one Damm check digit. The body is random, never
sequential, so a code neither leaks how many cases there are nor invites guessing its
neighbours. The Damm check digit catches every single-digit substitution and every swap of
two adjacent digits, so a mistyped code is refused before any database look-up.
"""

import re
import secrets

from desk.text import is_ascii_number, to_ascii_digits

CODE_LENGTH = 12
KIND_LENGTH = 1
BODY_LENGTH = CODE_LENGTH - KIND_LENGTH - 1

# The Damm operation table: a totally anti-symmetric quasigroup of order 10.
_DAMM = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)


def damm_digit(digits: str) -> str:
    """The Damm check digit of a string of ASCII digits."""
    interim = 0
    for digit in digits:
        interim = _DAMM[interim][int(digit)]
    return str(interim)


def has_valid_check_digit(code: str) -> bool:
    """True when the code's last digit is its Damm check digit (interim reaches 0)."""
    return is_ascii_number(code) and damm_digit(code) == "0"


def random_body() -> str:
    """The random part of a new code. Tests replace it to force collisions."""
    return "".join(str(secrets.randbelow(10)) for _ in range(BODY_LENGTH))


def make_code(kind: str, body: str) -> str:
    stem = kind + body
    return stem + damm_digit(stem)


def normalize_code(typed: str) -> str:
    """What a citizen typed, as ASCII digits: Persian and Arabic digits are mapped, spaces
    and dashes (of any kind) dropped. Anything else is left for validation to refuse."""
    return re.sub(r"[\s\-\u2010-\u2015\u2212_.]", "", to_ascii_digits(typed or ""))


class CodeError(ValueError):
    """A typed code that cannot be a tracking code; `reason` says why, for the message."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def parse_code(typed: str) -> str:
    """The normalised code, or CodeError("format") / CodeError("check_digit")."""
    code = normalize_code(typed)
    if not is_ascii_number(code) or len(code) != CODE_LENGTH:
        raise CodeError("format")
    if not has_valid_check_digit(code):
        raise CodeError("check_digit")
    return code


def kind_of(code: str) -> str:
    return code[:KIND_LENGTH]
