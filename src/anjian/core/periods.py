"""What every period parser shares: the years a period may fall in, refused in Chinese outside them.

A year outside 2000–2100 is a typing mistake (9999, 0001) and would overflow the date arithmetic
of the slot and statistics code, so every parser (``stats.periods``, the compliance periods of
``inspections``) refuses it as bad input instead of answering a server error.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from anjian.core.errors import DomainError

MIN_YEAR, MAX_YEAR = 2000, 2100

# A month by itself, as charts' axes and lists of months show it: 11月 in Chinese, Nov in English.
MONTH_NAMES = {
    1: pgettext_lazy("month", "1月"),
    2: pgettext_lazy("month", "2月"),
    3: pgettext_lazy("month", "3月"),
    4: pgettext_lazy("month", "4月"),
    5: pgettext_lazy("month", "5月"),
    6: pgettext_lazy("month", "6月"),
    7: pgettext_lazy("month", "7月"),
    8: pgettext_lazy("month", "8月"),
    9: pgettext_lazy("month", "9月"),
    10: pgettext_lazy("month", "10月"),
    11: pgettext_lazy("month", "11月"),
    12: pgettext_lazy("month", "12月"),
}


class PeriodError(DomainError):
    """The period asked for is malformed; the message says which parameter, in Chinese."""


def check_year(year: int, field: str) -> int:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise PeriodError(_("年份须在 %(a)s 至 %(b)s 之间。") % {"a": MIN_YEAR, "b": MAX_YEAR}, field=field)
    return year


def month_name(month: int) -> str:
    """The month (1–12) in the current language: 11月, Nov."""
    return str(MONTH_NAMES[month])
