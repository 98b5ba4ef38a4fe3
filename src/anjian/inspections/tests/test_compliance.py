"""Compliance (due against done) for a demo month equals a count made independently from the raw
records and the calendar; periods parse or are refused in Chinese; due inspections come from the
schedules."""

import calendar
import datetime as dt

import pytest
from django.utils import timezone

from anjian.accounts.models import User
from anjian.core.errors import DomainError
from anjian.core.periods import Period
from anjian.inspections import demo, selectors
from anjian.inspections.choices import Rhythm
from anjian.inspections.models import InspectionRecord, Schedule
from anjian.orgs import demo as orgs_demo

pytestmark = pytest.mark.calendar  # depends on the day: run again on other pinned days


def last_month() -> tuple[int, int]:
    first = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
    return first.year, first.month


def independent_count(schedule: Schedule, year: int, month: int) -> tuple[int, int]:
    """Due and done of a schedule in a finished month, from the calendar and the raw records only:
    due = the days (or Mondays, or 2-hour blocks, or the month) of the month within the schedule's
    dates, times its points (blocks within the day's window); done = the distinct (point, day or week
    or block) the records fall in. A week that began on the month's last Monday and has not ended
    yet is due only at the points where it is done."""
    days = [dt.date(year, month, d) for d in range(1, calendar.monthrange(year, month)[1] + 1)]
    days = [d for d in days if d >= schedule.starts_on and (schedule.ends_on is None or d <= schedule.ends_on)]
    n_points = schedule.points.count() or 1
    tz = timezone.get_current_timezone()
    # "every N hours": the day's window in minutes (the whole day when empty)
    window = (
        schedule.day_start.hour * 60 + schedule.day_start.minute if schedule.day_start else 0,
        schedule.day_end.hour * 60 + schedule.day_end.minute if schedule.day_end else 24 * 60,
    )
    buckets = set()
    for r in InspectionRecord.objects.filter(schedule=schedule, corrects__isnull=True):
        local = r.performed_at.astimezone(tz)
        if schedule.rhythm == Rhythm.DAILY:
            key, first_day = local.date(), local.date()
        elif schedule.rhythm == Rhythm.HOURS:
            minute = local.hour * 60 + local.minute - window[0]
            key, first_day = (local.date(), minute // (60 * schedule.every_hours)), local.date()
        elif schedule.rhythm == Rhythm.WEEKLY:
            key = local.isocalendar()[:2]
            first_day = dt.date.fromisocalendar(key[0], key[1], 1)  # a week belongs to its Monday's month
        else:
            key, first_day = (local.year, local.month), local.date().replace(day=1)
        if (first_day.year, first_day.month) == (year, month):
            buckets.add((r.point_id, key))
    if schedule.rhythm == Rhythm.DAILY:
        n_slots = len(days)
    elif schedule.rhythm == Rhythm.HOURS:
        n_slots = len(days) * -(-(window[1] - window[0]) // (60 * schedule.every_hours))
    elif schedule.rhythm == Rhythm.WEEKLY:
        mondays = [d for d in days if d.weekday() == 0]
        today = timezone.localdate()
        running = [d for d in mondays if d + dt.timedelta(days=7) > today]
        n_slots = len(mondays) - len(running)
        done_running = sum(1 for _point, key in buckets if dt.date.fromisocalendar(*key, 1) in running)
        return n_slots * n_points + done_running, len(buckets)
    else:
        n_slots = 1 if days and days[0].day == 1 else 0
    return n_slots * n_points, len(buckets)


@pytest.mark.django_db
@pytest.mark.calendar
@pytest.mark.parametrize("detail", [True, False], ids=["slot-by-slot", "counted-in-sql"])
def test_compliance_of_a_demo_month_equals_an_independent_count(demo_db, detail):
    officer = User.objects.get(username="hospital_officer")
    year, month = last_month()
    result = selectors.compliance(user=officer, period=Period.parse(f"{year}-{month:02d}"), detail=detail)

    by_label = {t.label: t for t in result.by_schedule}
    expected_due = expected_done = 0
    for schedule in Schedule.objects.filter(organization=officer.organization):
        due, done = independent_count(schedule, year, month)
        tally = by_label.get(f"{schedule.name}（{schedule.organization.name}）")
        got = (tally.due, tally.done) if tally else (0, 0)
        assert got == (due, done), schedule.name
        expected_due += due
        expected_done += done
    assert (result.total.due, result.total.done) == (expected_due, expected_done)
    assert 0 < result.total.done < result.total.due  # the demo has gaps
    if detail:
        assert len(result.total.missed) == result.total.due - result.total.done


@pytest.mark.django_db
@pytest.mark.calendar
@pytest.mark.parametrize("period", ["this-month", "history-starts-in-quarter", "this-year"])
def test_both_ways_of_counting_agree_for_every_group(demo_db, period):
    """The dashboards' count (grouped queries, ``detail=False``) equals the compliance page's (slot
    by slot) for every schedule, person, post, department and institution, the running slots of
    the current month included, for the hospital and for the whole district. The quarter is the
    one the demo's history starts in: finished on some days, running on others."""
    today = timezone.localdate()
    first = today - dt.timedelta(days=demo.HISTORY_DAYS)
    code = {
        "this-month": f"{today:%Y-%m}",
        "history-starts-in-quarter": f"{first.year}-Q{(first.month - 1) // 3 + 1}",
        "this-year": str(today.year),
    }[period]
    for username in ("hospital_officer", "regulator"):
        user = User.objects.get(username=username)
        p = Period.parse(code)
        slow = selectors.compliance(user=user, period=p)
        fast = selectors.compliance(user=user, period=p, detail=False)
        for group in ("by_schedule", "by_person", "by_post", "by_department", "by_institution"):
            assert [(t.label, t.due, t.done) for t in getattr(fast, group)] == [
                (t.label, t.due, t.done) for t in getattr(slow, group)
            ], (username, group)
        assert (fast.total.due, fast.total.done) == (slow.total.due, slow.total.done)
        assert slow.total.due > 0


@pytest.mark.django_db
def test_the_nurse_has_todays_ward_patrol_due(demo_db):
    nurse = User.objects.get(username="nurse")
    due = selectors.due_for(nurse)
    assert {e.point.name for e in due if not e.done} == {"心内科护士站走廊", "心内科东侧安全出口"}
    assert all(e.template is not None and e.template.items.exists() for e in due)


@pytest.mark.django_db
def test_the_regulator_sees_each_principals_quarterly_duty(demo_db):
    regulator = User.objects.get(username="regulator")
    today = timezone.localdate()
    rows = selectors.principal_duty(
        user=regulator, regulator=regulator.organization, year=today.year, quarter=(today.month - 1) // 3 + 1
    )
    by_name = {r.institution.name: r for r in rows}
    hospital = by_name[orgs_demo.HOSPITAL]
    assert hospital.monthly and hospital.required == 3 and hospital.months_done
    assert not by_name["安宁区颐康医养中心"].met
    assert len(rows) == len(orgs_demo.INSTITUTIONS)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2026-05", dt.date(2026, 5, 1), dt.date(2026, 6, 1)),
        ("2026-12", dt.date(2026, 12, 1), dt.date(2027, 1, 1)),
        ("2026-Q4", dt.date(2026, 10, 1), dt.date(2027, 1, 1)),
        ("2026-q1", dt.date(2026, 1, 1), dt.date(2026, 4, 1)),
        ("2026-H2", dt.date(2026, 7, 1), dt.date(2027, 1, 1)),
        ("2026", dt.date(2026, 1, 1), dt.date(2027, 1, 1)),
    ],
)
def test_periods(text, start, end):
    period = Period.parse(text)
    assert (period.start, period.stop) == (start, end)


@pytest.mark.parametrize("text", ["2026-13", "26-01", "2026-Q5", "", "May"])
def test_bad_periods_are_refused_in_chinese(text):
    with pytest.raises(DomainError, match="期间"):
        Period.parse(text)


def test_slots_of_each_rhythm():
    from anjian.inspections import due

    tz = timezone.get_current_timezone()
    at = dt.datetime(2026, 5, 14, 15, 30, tzinfo=tz)  # a Thursday
    assert due.slot_at(Rhythm.HOURS, 2, at).start.hour == 14
    assert due.slot_at(Rhythm.WEEKLY, None, at).start.date() == dt.date(2026, 5, 11)
    assert due.slot_at(Rhythm.QUARTERLY, None, at).start.date() == dt.date(2026, 4, 1)
    assert due.slot_at(Rhythm.HALF_YEARLY, None, at).end.date() == dt.date(2026, 7, 1)
    assert due.slot_at(Rhythm.YEARLY, None, at).start.date() == dt.date(2026, 1, 1)
    assert len(due.slots_starting_between(Rhythm.HOURS, 5, dt.date(2026, 5, 1), dt.date(2026, 5, 2))) == 5


@pytest.mark.django_db
def test_the_heat_map_adds_up_to_the_months_compliance(demo_db):
    officer = User.objects.get(username="hospital_officer")
    year, month = last_month()
    weeks = selectors.month_calendar(user=officer, organization=officer.organization, year=year, month=month)
    days = [d for week in weeks for d in week if d]
    total = selectors.compliance(user=officer, period=Period.parse(f"{year}-{month:02d}")).total
    assert len(days) == calendar.monthrange(year, month)[1]
    assert (sum(d["due"] for d in days), sum(d["done"] for d in days)) == (total.due, total.done)
    assert all(len(week) == 7 for week in weeks)
