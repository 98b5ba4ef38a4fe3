"""Periods and due inspections, computed from the schedules: nothing is stored, so "due today"
is right at any moment, with no background job.

A schedule's rhythm cuts time into slots (a day, an ISO week starting Monday, a month, a quarter,
a half-year, a year, or N-hour slots within the day's window: from ``day_start`` (00:00 when
empty) to ``day_end`` (24:00 when empty), the last slot cut at the window's end; outside the
window nothing is due). Each slot asks for one record per point of
the schedule (one record when it names no point). A record fulfils the slot its schedule's rhythm
puts its time in: ``InspectionRecord.period_start`` is that slot's start, set when it is submitted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from anjian.inspections.choices import Rhythm


@dataclass(frozen=True, order=True)
class Slot:
    start: dt.datetime
    end: dt.datetime

    @property
    def label(self) -> str:
        if self.end - self.start <= dt.timedelta(days=1):
            if self.end - self.start == dt.timedelta(days=1):
                return f"{self.start:%Y-%m-%d}"
            return f"{self.start:%m-%d %H:%M}–{self.end:%H:%M}"
        last = (self.end - dt.timedelta(days=1)).date()
        return f"{self.start:%Y-%m-%d} ~ {last:%Y-%m-%d}"

    @property
    def end_label(self) -> str:
        """When the slot is over, as people say it: "11-30 24:00" rather than "12-01 00:00"."""
        end = timezone.localtime(self.end, _tz())
        if end.time() == dt.time.min:
            return f"{end - dt.timedelta(days=1):%m-%d} 24:00"
        return f"{end:%m-%d %H:%M}"


def _tz():
    return timezone.get_current_timezone()


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=_tz())


def _month_start(year: int, month: int) -> dt.date:
    year += (month - 1) // 12
    month = (month - 1) % 12 + 1
    return dt.date(year, month, 1)


MONTHS_PER_SLOT = {Rhythm.MONTHLY: 1, Rhythm.QUARTERLY: 3, Rhythm.HALF_YEARLY: 6, Rhythm.YEARLY: 12}


Window = tuple[dt.time | None, dt.time | None]


def hour_slots_of_day(day: dt.date, every_hours: int | None, window: Window | None = None) -> list[Slot]:
    """The N-hour slots of one day within its window (the whole day when ``window`` is empty)."""
    day_start, day_end = window or (None, None)
    lo = dt.datetime.combine(day, day_start, tzinfo=_tz()) if day_start else _midnight(day)
    hi = dt.datetime.combine(day, day_end, tzinfo=_tz()) if day_end else _midnight(day + dt.timedelta(days=1))
    step = dt.timedelta(hours=every_hours or 24)
    slots, start = [], lo
    while start < hi:
        slots.append(Slot(start, min(start + step, hi)))
        start += step
    return slots


def slot_at(rhythm: str, every_hours: int | None, moment: dt.datetime, *, window: Window | None = None) -> Slot | None:
    """The slot of a rhythm that contains ``moment``; None only for "every N hours" outside the
    day's window (nothing is due then)."""
    local = timezone.localtime(moment, _tz())
    day = local.date()
    if rhythm == Rhythm.HOURS:
        return next((s for s in hour_slots_of_day(day, every_hours, window) if s.start <= local < s.end), None)
    if rhythm == Rhythm.DAILY:
        return Slot(_midnight(day), _midnight(day + dt.timedelta(days=1)))
    if rhythm == Rhythm.WEEKLY:
        monday = day - dt.timedelta(days=day.weekday())
        return Slot(_midnight(monday), _midnight(monday + dt.timedelta(days=7)))
    months = MONTHS_PER_SLOT[rhythm]
    first = ((day.month - 1) // months) * months + 1
    start = _month_start(day.year, first)
    return Slot(_midnight(start), _midnight(_month_start(day.year, first + months)))


def slots_starting_between(
    rhythm: str, every_hours: int | None, start: dt.date, end: dt.date, *, window: Window | None = None
) -> list[Slot]:
    """Every slot of the rhythm whose start falls in [start, end): a slot belongs to the period it starts in."""
    if rhythm == Rhythm.HOURS:
        days = (start + dt.timedelta(days=k) for k in range((end - start).days))
        return [s for day in days for s in hour_slots_of_day(day, every_hours, window)]
    lo, hi = _midnight(start), _midnight(end)
    slot = slot_at(rhythm, every_hours, lo)
    slots = []
    while slot.start < hi:
        if slot.start >= lo:
            slots.append(slot)
        slot = slot_at(rhythm, every_hours, slot.end)
    return slots


def schedule_slots(schedule, start: dt.date, end: dt.date) -> list[Slot]:
    """The slots of one schedule starting in [start, end), within the schedule's own dates."""
    first = max(start, schedule.starts_on)
    last = min(end, schedule.ends_on + dt.timedelta(days=1)) if schedule.ends_on else end
    if first >= last:
        return []
    # a slot that began before the schedule's first day but runs into it counts from that day on
    slots = slots_starting_between(schedule.rhythm, schedule.every_hours, start, last, window=window_of(schedule))
    begin = _midnight(schedule.starts_on)
    return [s for s in slots if s.end > begin]


def window_of(schedule) -> Window | None:
    """A schedule's (or a default rhythm's) day window, for "every N hours" only."""
    if schedule.rhythm != Rhythm.HOURS:
        return None
    return (schedule.day_start, schedule.day_end)


def schedule_slot_at(schedule, moment: dt.datetime) -> Slot | None:
    """The slot of the schedule's rhythm containing ``moment`` (None outside its day window)."""
    return slot_at(schedule.rhythm, schedule.every_hours, moment, window=window_of(schedule))


def today() -> dt.date:
    return timezone.localdate()
