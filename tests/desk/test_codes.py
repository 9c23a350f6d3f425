import itertools

import pytest

from desk import codes


def a_code(kind="1", body="4071932658"):
    return codes.make_code(kind, body)


def test_a_new_code_is_twelve_digits_with_its_kind_first():
    code = codes.make_code("2", codes.random_body())
    assert len(code) == 12
    assert code.isdigit()
    assert code.startswith("2")
    assert codes.has_valid_check_digit(code)


def test_the_check_digit_catches_every_single_digit_substitution():
    for body in ("0000000000", "4071932658", "9999999999", "1234567890"):
        code = a_code(body=body)
        for position, wrong in itertools.product(range(len(code)), "0123456789"):
            if code[position] == wrong:
                continue
            mistyped = code[:position] + wrong + code[position + 1 :]
            assert not codes.has_valid_check_digit(mistyped), mistyped


def test_the_check_digit_catches_every_adjacent_transposition():
    for body in ("4071932658", "1029384756", "5566778899", "9081726354"):
        code = a_code(body=body)
        for position in range(len(code) - 1):
            if code[position] == code[position + 1]:
                continue
            swapped = code[:position] + code[position + 1] + code[position] + code[position + 2 :]
            assert not codes.has_valid_check_digit(swapped), swapped


@pytest.mark.parametrize(
    "typed",
    [
        "{code}",
        " {code} ",
        "{persian}",
        "{arabic}",
        "{dashed}",
        "{spaced}",
    ],
)
def test_it_reads_a_code_typed_in_any_digits_with_spaces_and_dashes(typed):
    code = a_code()
    persian = code.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    arabic = code.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    dashed = f"{persian[:4]}-{persian[4:8]}–{persian[8:]}"
    spaced = f"{code[:4]} {code[4:8]}\u00a0{code[8:]}"
    text = typed.format(code=code, persian=persian, arabic=arabic, dashed=dashed, spaced=spaced)
    assert codes.parse_code(text) == code


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "12345",
        "1234567890123",
        "abcdefghijkl",
        "۱۲۳۴۵۶۷۸۹۰۱x",
        # str.isdigit() says yes to these; int() refuses them (a 500 on /track/ once).
        "12345678901²",
        "①23456789012",
        # Digits of scripts no Iranian keyboard types.
        "१२३४५६७८९०१२",
        "１２３４５６７８９０１２",
    ],
)
def test_it_refuses_what_is_not_twelve_digits_as_a_format_error(typed):
    with pytest.raises(codes.CodeError) as error:
        codes.parse_code(typed)
    assert error.value.reason == "format"


def test_it_refuses_a_bad_check_digit_as_such():
    code = a_code()
    mistyped = code[:-1] + str((int(code[-1]) + 1) % 10)
    with pytest.raises(codes.CodeError) as error:
        codes.parse_code(mistyped)
    assert error.value.reason == "check_digit"


def test_random_bodies_are_not_sequential():
    bodies = {codes.random_body() for _ in range(200)}
    assert len(bodies) == 200
