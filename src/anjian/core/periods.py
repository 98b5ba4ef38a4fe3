"""What every period parser shares: the years a period may fall in, refused in Chinese outside them.

A year outside 2000–2100 is a typing mistake (9999, 0001) and would overflow the date arithmetic
of the slot and statistics code, so every parser (``stats.periods``, the compliance periods of
``inspections``) refuses it as bad input instead of answering a server error.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from anjian.core.errors import DomainError

MIN_YEAR, MAX_YEAR = 2000, 2100


class PeriodError(DomainError):
    """The period asked for is malformed; the message says which parameter, in Chinese."""


def check_year(year: int, field: str) -> int:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise PeriodError(_("年份须在 %(a)s 至 %(b)s 之间。") % {"a": MIN_YEAR, "b": MAX_YEAR}, field=field)
    return year
