"""Periods and due inspections, computed from the schedules: nothing is stored, so "due today"
is right at any moment, with no background job.

A schedule's rhythm cuts time into slots (a day, an ISO week starting Monday, a month, a quarter,
a half-year, a year, or N-hour slots from midnight). Each slot asks for one record per point of
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


def _tz():
    return timezone.get_current_timezone()


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=_tz())


def _month_start(year: int, month: int) -> dt.date:
    year += (month - 1) // 12
    month = (month - 1) % 12 + 1
    return dt.date(year, month, 1)


MONTHS_PER_SLOT = {Rhythm.MONTHLY: 1, Rhythm.QUARTERLY: 3, Rhythm.HALF_YEARLY: 6, Rhythm.YEARLY: 12}


def slot_at(rhythm: str, every_hours: int | None, moment: dt.datetime) -> Slot:
    """The slot of a rhythm that contains ``moment``."""
    local = timezone.localtime(moment, _tz())
    day = local.date()
    if rhythm == Rhythm.HOURS:
        n = every_hours or 24
        index = local.hour // n
        start = _midnight(day) + dt.timedelta(hours=index * n)
        end = min(start + dt.timedelta(hours=n), _midnight(day + dt.timedelta(days=1)))
        return Slot(start, end)
    if rhythm == Rhythm.DAILY:
        return Slot(_midnight(day), _midnight(day + dt.timedelta(days=1)))
    if rhythm == Rhythm.WEEKLY:
        monday = day - dt.timedelta(days=day.weekday())
        return Slot(_midnight(monday), _midnight(monday + dt.timedelta(days=7)))
    months = MONTHS_PER_SLOT[rhythm]
    first = ((day.month - 1) // months) * months + 1
    start = _month_start(day.year, first)
    return Slot(_midnight(start), _midnight(_month_start(day.year, first + months)))


def slots_starting_between(rhythm: str, every_hours: int | None, start: dt.date, end: dt.date) -> list[Slot]:
    """Every slot of the rhythm whose start falls in [start, end): a slot belongs to the period it starts in."""
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
    slots = slots_starting_between(schedule.rhythm, schedule.every_hours, start, last)
    begin = _midnight(schedule.starts_on)
    return [s for s in slots if s.end > begin]


def today() -> dt.date:
    return timezone.localdate()
