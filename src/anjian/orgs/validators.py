"""统一社会信用代码 (GB 32100-2015) and 行政区划代码 (GB/T 2260)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# The 31 characters of the code, in value order: digits and capitals without I, O, Z, S, V.
CREDIT_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# re.ASCII: \d must not match full-width or other Unicode digits (“５００１１２”).
_CREDIT_CODE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$", re.ASCII)
_DIVISION_CODE = re.compile(r"^[1-8]\d{5}$", re.ASCII)


def credit_code_check_char(first17: str) -> str:
    """The 18th character for the first 17 of a unified social credit code."""
    total = sum(CREDIT_CODE_CHARS.index(c) * w for c, w in zip(first17, CREDIT_CODE_WEIGHTS, strict=True))
    return CREDIT_CODE_CHARS[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> None:
    code = (value or "").strip().upper()
    if len(code) != 18:
        raise ValidationError(_("统一社会信用代码应为18位，当前为%(n)d位。"), code="length", params={"n": len(code)})
    if not _CREDIT_CODE.match(code):
        raise ValidationError(
            _("统一社会信用代码含有不允许的字符（不得含 I、O、Z、S、V，第3–8位须为数字）。"), code="chars"
        )
    expected = credit_code_check_char(code[:17])
    if code[17] != expected:
        raise ValidationError(
            _("统一社会信用代码校验位错误：末位应为 %(expected)s，实为 %(actual)s。"),
            code="check",
            params={"expected": expected, "actual": code[17]},
        )


def validate_division_code(value: str) -> None:
    if not _DIVISION_CODE.match((value or "").strip()):
        raise ValidationError(_("行政区划代码应为6位数字（如 500112）。"), code="division")
