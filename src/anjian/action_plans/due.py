"""When a periodic report is due: the due day of the month, in the period's month or a later one,
moved to the next working day over Chinese public holidays when the definition says so.

Working days come from ``anjian.core.workdays``: a year's schedule as an administrator entered it,
else the ``chinese_calendar`` package's, else the statutory fixed holidays and weekends.
"""

from __future__ import annotations

import calendar
import datetime as dt

from django.utils.translation import gettext as _

from anjian.action_plans.choices import Frequency, HolidayShift
from anjian.core.workdays import next_workday


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def period_start(day: dt.date, frequency: str) -> dt.date:
    """The first day of the period containing ``day``."""
    if frequency == Frequency.QUARTERLY:
        return dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    return dt.date(day.year, day.month, 1)


def period_months(frequency: str) -> int:
    return 3 if frequency == Frequency.QUARTERLY else 1


def due_date(*, period: dt.date, frequency: str, due_day: int, months_after: int, holiday_shift: str) -> dt.date:
    """The due date of the report for the period starting on ``period``.

    ``months_after`` counts from the period's last month: 0 = due within it (Putuo: the 25th of the
    month reported on), 1 = in the month after (Jilin: the 1st, for the month before).
    """
    last_month = add_months(period, period_months(frequency) - 1)
    month = add_months(last_month, months_after)
    day = dt.date(month.year, month.month, min(due_day, calendar.monthrange(month.year, month.month)[1]))
    if holiday_shift == HolidayShift.NEXT_WORKDAY:
        day = next_workday(day)
    return day


def definition_due_date(definition, period: dt.date) -> dt.date:
    return due_date(
        period=period,
        frequency=definition.frequency,
        due_day=definition.due_day,
        months_after=definition.months_after,
        holiday_shift=definition.holiday_shift,
    )


def current_period(definition, today: dt.date) -> dt.date:
    """The period whose report is due next on or after ``today`` (or most recently due, if none)."""
    start = period_start(today, definition.frequency)
    step = period_months(definition.frequency)
    candidate = add_months(start, -step * (definition.months_after // step + 1))
    for _attempt in range(6):
        if definition_due_date(definition, candidate) >= today:
            return candidate
        candidate = add_months(candidate, step)
    return candidate


def period_label(period: dt.date, frequency: str) -> str:
    if frequency == Frequency.QUARTERLY:
        return _("%(year)s年第%(quarter)s季度") % {"year": period.year, "quarter": (period.month - 1) // 3 + 1}
    return month_label(period.year, period.month)


def month_label(year: int, month: int) -> str:
    return _("%(year)s年%(month)s月") % {"year": year, "month": month}


# --- on time, late, reminded ------------------------------------------------------------------------
REPORT_SOON_DAYS = 7  # a periodic report due this soon is announced


def is_on_time(submitted_on: dt.date | None, due_on: dt.date) -> bool:
    """A period's report is on time when it was submitted on or before its due date."""
    return submitted_on is not None and submitted_on <= due_on


def is_late(submitted_on: dt.date | None, due_on: dt.date, today: dt.date) -> bool:
    """Late (逾期): still not submitted after its due date, or submitted after it."""
    return today > due_on if submitted_on is None else submitted_on > due_on


def reminder_periods(definition, today: dt.date) -> list[tuple[dt.date, dt.date, bool]]:
    """(period, due date, late) of the periods a unit that has not submitted them is reminded of:
    the previous period once past its due date, the current one past it or due within
    ``REPORT_SOON_DAYS``. The 报送 reminders on the pages and the notifications both ask this."""
    current = current_period(definition, today)
    previous = add_months(current, -period_months(definition.frequency))
    out = []
    for period, is_current in ((previous, False), (current, True)):
        due_on = definition_due_date(definition, period)
        if due_on < today or (is_current and (due_on - today).days <= REPORT_SOON_DAYS):
            out.append((period, due_on, due_on < today))
    return out
