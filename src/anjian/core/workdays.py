"""Working days in China: which days are off and which weekends are worked (调休).

A year's answer comes from the first of these that knows it:

1. the schedule an administrator entered for the year (``WorkCalendarYear``, from the State
   Council's notice, published each autumn for the year after);
2. the ``chinese_calendar`` package's data (the notices of the years it was released with);
3. the statutory fixed holidays alone (元旦 1 January, 劳动节 1 May, 国庆 1–3 October;
   《全国年节及纪念日放假办法》) and weekends: a year nobody has entered yet. Spring Festival and
   the other lunar holidays move every year and their make-up days are announced, so they are
   not guessed; administrators are warned to enter the year (``missing_years``).

Due dates (``action_plans.due``) and anything else that counts working days ask ``is_workday``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import chinese_calendar
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anjian.core import audit
from anjian.core.audit import AuditVerb
from anjian.core.errors import DomainError
from anjian.core.periods import check_year
from anjian.core.permissions import Action, require

STATUTORY_HOLIDAYS = {(1, 1): gettext_lazy("元旦"), (5, 1): gettext_lazy("劳动节")} | {
    (10, d): gettext_lazy("国庆节") for d in (1, 2, 3)
}
MAX_RANGE_DAYS = 15  # the longest holiday in one line (春节 and 国庆 run 8–9 days)
WARN_FROM_MONTH = 10  # the next year's notice usually comes out in October–November
_CACHE_KEY = "workdays:year:{year}"
_CACHE_SECONDS = 3600


@dataclass(frozen=True)
class YearSchedule:
    """The days off and the make-up working days of one year, and where they come from."""

    year: int
    source: str  # "entered" | "package" | "statutory"
    holidays: frozenset[dt.date]
    workdays: frozenset[dt.date]

    def is_workday(self, day: dt.date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5


def _package_knows(year: int) -> bool:
    try:
        chinese_calendar.is_workday(dt.date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def _package_schedule(year: int) -> YearSchedule:
    days = [
        dt.date(year, 1, 1) + dt.timedelta(days=n) for n in range((dt.date(year + 1, 1, 1) - dt.date(year, 1, 1)).days)
    ]
    holidays = frozenset(d for d in days if d.weekday() < 5 and not chinese_calendar.is_workday(d))
    workdays = frozenset(d for d in days if d.weekday() >= 5 and chinese_calendar.is_workday(d))
    return YearSchedule(year, "package", holidays, workdays)


def _statutory_schedule(year: int) -> YearSchedule:
    return YearSchedule(year, "statutory", frozenset(dt.date(year, m, d) for m, d in STATUTORY_HOLIDAYS), frozenset())


def schedule_of(year: int) -> YearSchedule:
    """The year's schedule: entered, else the package's, else the statutory days (cached an hour;
    saving a year clears it)."""
    key = _CACHE_KEY.format(year=year)
    found = cache.get(key)
    if found is not None:
        return found
    from anjian.core.models import WorkCalendarYear

    entered = WorkCalendarYear.objects.filter(year=year).first()
    if entered is not None:
        schedule = YearSchedule(
            year,
            "entered",
            frozenset(dt.date.fromisoformat(d["day"]) for d in entered.holidays),
            frozenset(dt.date.fromisoformat(d["day"]) for d in entered.workdays),
        )
    elif _package_knows(year):
        schedule = _package_schedule(year)
    else:
        schedule = _statutory_schedule(year)
    cache.set(key, schedule, _CACHE_SECONDS)
    return schedule


def is_workday(day: dt.date) -> bool:
    return schedule_of(day.year).is_workday(day)


def next_workday(day: dt.date) -> dt.date:
    while not is_workday(day):
        day += dt.timedelta(days=1)
    return day


def missing_years(today: dt.date | None = None) -> list[int]:
    """The years administrators should enter now: this year if nobody knows it, and from October
    on the next one too."""
    today = today or timezone.localdate()
    years = [today.year] + ([today.year + 1] if today.month >= WARN_FROM_MONTH else [])
    return [y for y in years if schedule_of(y).source == "statutory"]


# ---- entering a year --------------------------------------------------------------------------
_LINE = re.compile(
    r"^(?P<start>\d{4}-\d{1,2}-\d{1,2})\s*(?:(?:~|～|至|到|—|–|--)\s*(?P<end>\d{4}-\d{1,2}-\d{1,2}))?\s*(?P<name>.*)$"
)


def _date(text: str, field: str, line_no: int) -> dt.date:
    try:
        y, m, d = (int(part) for part in text.split("-"))
        return dt.date(y, m, d)
    except ValueError:
        raise DomainError(
            _("第%(n)s行：“%(text)s”不是有效日期。") % {"n": line_no, "text": text}, field=field
        ) from None


def parse_days(text: str, *, year: int, field: str) -> list[dict]:
    """Lines of ``2027-01-01 元旦`` or ``2027-02-06 至 2027-02-13 春节`` → [{"day", "name"}] by day.
    Every line is read or refused with its number; nothing is skipped silently."""
    out: dict[dt.date, str] = {}
    for n, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        m = _LINE.match(line)
        if not m:
            raise DomainError(
                _("第%(n)s行“%(line)s”无法识别：请写作“2027-01-01 元旦”或“2027-02-06 至 2027-02-13 春节”。")
                % {"n": n, "line": line},
                field=field,
            )
        start = _date(m.group("start"), field, n)
        end = _date(m.group("end"), field, n) if m.group("end") else start
        if end < start:
            raise DomainError(_("第%(n)s行：结束日期早于开始日期。") % {"n": n}, field=field)
        if (end - start).days >= MAX_RANGE_DAYS:
            raise DomainError(_("第%(n)s行：一段假期不能超过 %(d)s 天。") % {"n": n, "d": MAX_RANGE_DAYS}, field=field)
        if start.year != year or end.year != year:
            raise DomainError(_("第%(n)s行：日期须在 %(y)s 年内。") % {"n": n, "y": year}, field=field)
        name = m.group("name").strip()[:40]
        day = start
        while day <= end:
            if day in out:
                raise DomainError(_("第%(n)s行：%(day)s 重复填写。") % {"n": n, "day": day.isoformat()}, field=field)
            out[day] = name
            day += dt.timedelta(days=1)
    return [{"day": d.isoformat(), "name": out[d]} for d in sorted(out)]


def as_text(days: list[dict]) -> str:
    """The stored days as the form shows them: consecutive days of one name joined into a range."""
    lines, run = [], []
    for entry in days:
        day = dt.date.fromisoformat(entry["day"])
        if run and run[-1][0] + dt.timedelta(days=1) == day and run[-1][1] == entry["name"]:
            run.append((day, entry["name"]))
            continue
        if run:
            lines.append(_range_line(run))
        run = [(day, entry["name"])]
    if run:
        lines.append(_range_line(run))
    return "\n".join(lines)


def _range_line(run: list[tuple[dt.date, str]]) -> str:
    first, last, name = run[0][0], run[-1][0], run[0][1]
    text = first.isoformat() if first == last else f"{first.isoformat()} 至 {last.isoformat()}"
    return f"{text} {name}".strip()


@transaction.atomic
def work_calendar_save(*, by, year: int, holidays: str, workdays: str, source: str = ""):
    """Enter or correct a year's schedule. Make-up working days must fall on a weekend and not on
    a day off; at least one day off is needed (a notice always has some)."""
    from anjian.core.models import WorkCalendarYear

    require(by, Action.WORK_CALENDAR_MANAGE)
    check_year(year, "year")
    off = parse_days(holidays, year=year, field="holidays")
    on = parse_days(workdays, year=year, field="workdays")
    if not off:
        raise DomainError(_("请填写放假日期。"), field="holidays")
    off_days = {d["day"] for d in off}
    for entry in on:
        day = dt.date.fromisoformat(entry["day"])
        if entry["day"] in off_days:
            raise DomainError(_("%(day)s 不能既放假又上班。") % {"day": entry["day"]}, field="workdays")
        if day.weekday() < 5:
            raise DomainError(
                _("%(day)s 是工作日，调休上班日应为周六或周日。") % {"day": entry["day"]}, field="workdays"
            )
    row = WorkCalendarYear.objects.select_for_update().filter(year=year).first()
    keys = ("holidays", "workdays", "source")
    shown_before = (
        {"holidays": as_text(row.holidays), "workdays": as_text(row.workdays), "source": row.source}
        if row
        else dict.fromkeys(keys, "")
    )
    if row is None:
        row = WorkCalendarYear(year=year, updated_by=by)
    row.holidays, row.workdays, row.source = off, on, source.strip()[:200]
    row.updated_by, row.updated_at = by, timezone.now()
    row.save()
    shown_after = {"holidays": as_text(off), "workdays": as_text(on), "source": row.source}
    changes = {k: [shown_before[k], shown_after[k]] for k in keys if shown_before[k] != shown_after[k]}
    audit.record(actor=by, verb=AuditVerb.WORK_CALENDAR_SAVED, target=row, changes=changes)
    key = _CACHE_KEY.format(year=year)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))  # a reader between the two saw the old rows
    return row


def panels(user) -> list[dict]:
    """The home page's warning for those who enter the calendar: a year without a schedule."""
    from anjian.core.permissions import can

    if not can(user, Action.WORK_CALENDAR_MANAGE):
        return []
    years = missing_years()
    if not years:
        return []
    return [{"template": "core/_home_work_calendar.html", "missing_years": years}]
