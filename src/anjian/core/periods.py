"""Periods (统计期间): a month, a quarter, a half year, a year or a custom range of days; the one
period type of statistics, compliance, reports and the API.

A period covers whole local days (the configured time zone, Asia/Shanghai): ``start`` and ``end``
are the first and the last day, both included; ``stop`` is the day after the last; ``start_at`` and
``end_at`` are the aware datetimes of local midnight at the start of the first day and of the day
after the last, so a record belongs to the period when ``start_at <= t < end_at``.

Read from query parameters (``Period.from_params``), the same for pages, the API and exports::

    period=month&month=2026-11        2026年11月
    period=quarter&quarter=2026Q3     2026年第三季度
    period=year&year=2026             2026年
    period=custom&start=2026-01-05&end=2026-02-20

``period`` may be left out when exactly one of month / quarter / year / start+end is given. Or from
one compact text (``Period.parse``, the compliance pages' ``?period=``): 2026-05, 2026-Q2, 2026-H1,
2026; ``code`` gives that text back.

A year outside 2000–2100 is a typing mistake (9999, 0001) and would overflow the date arithmetic of
the slot and statistics code: every parser refuses it as bad input (``PeriodError``, a 400) instead
of answering a server error.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils import timezone
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


KINDS = ("month", "quarter", "year", "custom")
# The quarter's numeral in a label (2026年第三季度; English: Q3 2026).
QUARTER_NAMES = {
    1: pgettext_lazy("quarter", "一"),
    2: pgettext_lazy("quarter", "二"),
    3: pgettext_lazy("quarter", "三"),
    4: pgettext_lazy("quarter", "四"),
}
MAX_CUSTOM_DAYS = 366 * 5

_MONTH_RE = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER_RE = re.compile(r"^(\d{4})\s*-?\s*[Qq]([1-4])$")
_YEAR_RE = re.compile(r"^(\d{4})$")
_CODE_RE = re.compile(r"^(\d{4})(?:-(?:(\d{1,2})|Q([1-4])|H([12])))?$")


def _tz():
    return timezone.get_current_timezone()


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=_tz())


@dataclass(frozen=True)
class Period:
    kind: str
    start: dt.date  # first day, included
    end: dt.date  # last day, included

    # ---- constructors ----------------------------------------------------------------------
    @classmethod
    def month(cls, year: int, month: int) -> Period:
        last = calendar.monthrange(year, month)[1]
        return cls("month", dt.date(year, month, 1), dt.date(year, month, last))

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        first = 3 * (quarter - 1) + 1
        return cls("quarter", dt.date(year, first, 1), cls.month(year, first + 2).end)

    @classmethod
    def half(cls, year: int, half: int) -> Period:
        first = 6 * (half - 1) + 1
        return cls("half", dt.date(year, first, 1), cls.month(year, first + 5).end)

    @classmethod
    def year(cls, year: int) -> Period:
        return cls("year", dt.date(year, 1, 1), dt.date(year, 12, 31))

    @classmethod
    def custom(cls, start: dt.date, end: dt.date) -> Period:
        if end < start:
            raise PeriodError(_("结束日期不能早于开始日期。"), field="end")
        if (end - start).days > MAX_CUSTOM_DAYS:
            raise PeriodError(_("自定义期间不能超过五年。"), field="end")
        return cls("custom", start, end)

    @classmethod
    def current(cls, kind: str = "month", on: dt.date | None = None) -> Period:
        on = on or timezone.localdate()
        if kind == "year":
            return cls.year(on.year)
        if kind == "quarter":
            return cls.quarter(on.year, (on.month - 1) // 3 + 1)
        return cls.month(on.year, on.month)

    @classmethod
    def parse(cls, text: str, *, field: str = "period") -> Period:
        """One compact text: ``2026-05`` (a month), ``2026-Q2``, ``2026-H1`` or ``2026``; bad text is
        refused in Chinese."""
        m = _CODE_RE.match((text or "").strip().upper())
        if not m or (m.group(2) and not 1 <= int(m.group(2)) <= 12):
            raise PeriodError(
                _("期间“%(p)s”无效：请写作 2026-05（月）、2026-Q2（季度）、2026-H1（半年）或 2026（年）。")
                % {"p": text},
                field=field,
            )
        year = check_year(int(m.group(1)), field)
        if m.group(2):
            return cls.month(year, int(m.group(2)))
        if m.group(3):
            return cls.quarter(year, int(m.group(3)))
        if m.group(4):
            return cls.half(year, int(m.group(4)))
        return cls.year(year)

    @classmethod
    def from_params(cls, params: Mapping, *, default: str = "month", on: dt.date | None = None) -> Period:
        """Read a period from query parameters (see the module's docstring); nothing given → the current ``default``."""

        def get(name: str) -> str:
            value = params.get(name)
            return (value or "").strip() if isinstance(value, str) else ""

        kind = get("period")
        if kind and kind not in KINDS:
            raise PeriodError(_("period 须为 month、quarter、year 或 custom。"), field="period")
        if not kind:
            present = [k for k in ("month", "quarter", "year") if get(k)]
            if get("start") or get("end"):
                present.append("custom")
            if len(present) > 1:
                raise PeriodError(_("请只指定一种统计期间（月、季度、年或起止日期）。"), field="period")
            if not present:
                return cls.current(default, on)
            kind = present[0]
        if kind == "month":
            value = get("month")
            if not value:
                return cls.current("month", on)
            m = _MONTH_RE.match(value)
            if not m or not 1 <= int(m.group(2)) <= 12:
                raise PeriodError(_("月份格式应为 YYYY-MM，例如 2026-11。"), field="month")
            return cls.month(check_year(int(m.group(1)), "month"), int(m.group(2)))
        if kind == "quarter":
            value = get("quarter")
            if not value:
                return cls.current("quarter", on)
            m = _QUARTER_RE.match(value)
            if not m:
                raise PeriodError(_("季度格式应为 YYYYQn，例如 2026Q3。"), field="quarter")
            return cls.quarter(check_year(int(m.group(1)), "quarter"), int(m.group(2)))
        if kind == "year":
            value = get("year")
            if not value:
                return cls.current("year", on)
            m = _YEAR_RE.match(value)
            if not m:
                raise PeriodError(_("年份格式应为 YYYY，例如 2026。"), field="year")
            return cls.year(check_year(int(m.group(1)), "year"))
        start, end = _date(get("start"), "start"), _date(get("end"), "end")
        return cls.custom(start, end)

    # ---- derived ---------------------------------------------------------------------------
    @property
    def stop(self) -> dt.date:
        """The day after the last: the end of the half-open range ``start <= day < stop``."""
        return self.end + dt.timedelta(days=1)

    @property
    def start_at(self) -> dt.datetime:
        """Local midnight at the start of the first day (aware)."""
        return _midnight(self.start)

    @property
    def end_at(self) -> dt.datetime:
        """Local midnight after the last day (aware, excluded)."""
        return _midnight(self.end + dt.timedelta(days=1))

    @property
    def year_start(self) -> Period:
        """From 1 January of the period's (last) year to its last day: the form's 累计 columns."""
        return Period("custom", dt.date(self.end.year, 1, 1), self.end)

    def as_of(self, today: dt.date | None = None) -> dt.date:
        """The day a period's "at end" figures are taken on: its last day, or today while it runs."""
        today = today or timezone.localdate()
        return min(self.end, today)

    def is_current(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.start <= today <= self.end

    def months(self) -> list[Period]:
        """The calendar months the period touches, each clipped to the period."""
        out = []
        year, month = self.start.year, self.start.month
        while dt.date(year, month, 1) <= self.end:
            m = Period.month(year, month)
            if m.start < self.start or m.end > self.end:
                m = Period("custom", max(m.start, self.start), min(m.end, self.end))
            out.append(m)
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return out

    @property
    def key(self) -> str:
        """A short stable key: 2026-11, 2026Q3, 2026H1, 2026, or 2026-01-05~2026-02-20."""
        if self.kind == "month":
            return f"{self.start:%Y-%m}"
        if self.kind == "quarter":
            return f"{self.start.year}Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == "half":
            return f"{self.start.year}H{(self.start.month - 1) // 6 + 1}"
        if self.kind == "year":
            return str(self.start.year)
        return f"{self.start.isoformat()}~{self.end.isoformat()}"

    @property
    def label(self) -> str:
        """The period in Chinese: 2026年11月, 2026年第三季度, 2026年, 2026年1月5日至2026年2月20日."""
        if self.kind == "month":
            return _("%(y)s年%(m)s月") % {"y": self.start.year, "m": self.start.month}
        if self.kind == "quarter":
            q = (self.start.month - 1) // 3 + 1
            return _("%(y)s年第%(q)s季度") % {"y": self.start.year, "q": QUARTER_NAMES[q]}
        if self.kind == "half":
            return (_("%(y)s年上半年") if self.start.month == 1 else _("%(y)s年下半年")) % {"y": self.start.year}
        if self.kind == "year":
            return _("%(y)s年") % {"y": self.start.year}
        return _("%(a)s至%(b)s") % {"a": _day_label(self.start), "b": _day_label(self.end)}

    @property
    def short_label(self) -> str:
        """For chart axes: 11月 (English: Nov) for a month, else the label."""
        if self.kind == "month" or (self.start.day == 1 and self.start.month == self.end.month):
            return month_name(self.start.month)
        return self.label

    def as_params(self) -> dict[str, str]:
        """The query parameters that give this period back through ``from_params``."""
        if self.kind == "month":
            return {"period": "month", "month": self.key}
        if self.kind == "quarter":
            return {"period": "quarter", "quarter": self.key}
        if self.kind == "year":
            return {"period": "year", "year": self.key}
        return {"period": "custom", "start": self.start.isoformat(), "end": self.end.isoformat()}

    @property
    def code(self) -> str:
        """The compact text ``parse`` reads: 2026-05, 2026-Q2, 2026-H1, 2026 (a custom period: its key)."""
        if self.kind in ("quarter", "half"):
            return self.key.replace("Q", "-Q").replace("H", "-H")
        return self.key

    def as_dict(self, today: dt.date | None = None) -> dict:
        """The period in the API's answers."""
        return {
            "kind": self.kind,
            "key": self.key,
            "label": self.label,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "as_of": self.as_of(today).isoformat(),
        }

    def __str__(self) -> str:
        return self.label


def _day_label(day: dt.date) -> str:
    return _("%(y)s年%(m)s月%(d)s日") % {"y": day.year, "m": day.month, "d": day.day}


def _date(value: str, field: str) -> dt.date:
    if not value:
        raise PeriodError(_("自定义期间须同时填写开始日期和结束日期。"), field=field)
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise PeriodError(_("日期格式应为 YYYY-MM-DD。"), field=field) from None
    check_year(day.year, field)
    return day
