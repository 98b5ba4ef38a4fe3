"""统一社会信用代码 (GB 32100-2015) and 行政区划代码 (GB/T 2260)."""

import pytest
from django.core.exceptions import ValidationError

from anjian.orgs.validators import (
    CREDIT_CODE_CHARS,
    credit_code_check_char,
    validate_credit_code,
    validate_division_code,
)

# Codes as they are printed on real business licences and in the standard's own example: their
# check characters were computed by the issuing registries, not by us.
PUBLISHED_CODES = [
    "91350100M000100Y43",  # the example in GB 32100-2015
    "9144030071526726XG",
    "914403001922038216",
    "91330100716105852F",
    "91110108551385082Q",
]


def message(exc: ValidationError) -> str:
    return exc.messages[0]


@pytest.mark.parametrize("code", PUBLISHED_CODES)
def test_published_codes_are_valid(code):
    validate_credit_code(code)
    assert credit_code_check_char(code[:17]) == code[17]


@pytest.mark.parametrize(
    "first17",
    [
        "12500112MB0000001",  # 事业单位 (public hospital), as the test factories make them
        "52500112MJ1234567",  # 民办非企业单位 (private hospital)
        "11500112000000000",  # 机关 (health commission)
        "91500112ABCDEFGHJ",  # letters in the body
        "Y1500112MA0000000",
    ],
)
def test_a_code_with_its_computed_check_character_is_valid(first17):
    code = first17 + credit_code_check_char(first17)

    validate_credit_code(code)
    validate_credit_code(code.lower())  # people type lower case; the model stores upper case
    validate_credit_code(f"  {code} ")


def test_the_check_character_is_weighted_mod_31():
    # GB 32100-2015 §4: C18 = 31 - (Σ Ci·Wi mod 31), with 31 written as 0.
    first17 = "91350100M000100Y4"
    total = sum(CREDIT_CODE_CHARS.index(c) * w for c, w in zip(first17, (3**i % 31 for i in range(17)), strict=True))

    assert CREDIT_CODE_CHARS[(31 - total % 31) % 31] == "3" == credit_code_check_char(first17)


def test_a_wrong_check_character_names_the_expected_one():
    with pytest.raises(ValidationError) as exc:
        validate_credit_code("91350100M000100Y44")

    assert exc.value.code == "check"
    assert message(exc.value) == "统一社会信用代码校验位错误：末位应为 3，实为 4。"


@pytest.mark.parametrize(
    ("code", "length"), [("", 0), ("91350100M000100Y4", 17), ("91350100M000100Y433", 19), ("9135", 4)]
)
def test_a_code_of_the_wrong_length_says_how_long_it_is(code, length):
    with pytest.raises(ValidationError) as exc:
        validate_credit_code(code)

    assert exc.value.code == "length"
    assert message(exc.value) == f"统一社会信用代码应为18位，当前为{length}位。"


@pytest.mark.parametrize(
    "code",
    [
        "91350100M000100I43",  # I is not used (looks like 1)
        "91350100M000100O43",  # O is not used (looks like 0)
        "9135010AM000100Y43",  # positions 3–8 are the division code: digits only
        "91350100M000100Y4-",
        "91350100M000100Y4乙",
        "91３50100M000100Y43",  # a full-width digit is not a digit of the code
    ],
)
def test_a_code_with_characters_outside_the_standard_is_refused(code):
    with pytest.raises(ValidationError) as exc:
        validate_credit_code(code)

    assert exc.value.code == "chars"
    assert "不得含 I、O、Z、S、V" in message(exc.value)


@pytest.mark.parametrize("code", ["500112", "110101", "440305"])
def test_division_codes(code):
    validate_division_code(code)


@pytest.mark.parametrize("code", ["", "50011", "5001120", "000000", "90011A", "５００１１２", "5００１１２"])
def test_bad_division_codes(code):
    with pytest.raises(ValidationError, match="行政区划代码应为6位数字"):
        validate_division_code(code)
