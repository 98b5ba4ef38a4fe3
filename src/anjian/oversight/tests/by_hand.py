"""Every data-driven indicator of the assessment counted by hand: Python over one institution's rows,
not the statistics' queries. The demo test and the test of a year with data on both sides use it."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from anjian.action_plans import due
from anjian.action_plans.models import Assignment, ReportDefinition, ReportSubmission
from anjian.action_plans.services import owing_units
from anjian.core.periods import Period
from anjian.hazards.models import Hazard
from anjian.inspections import selectors as inspection_selectors
from anjian.orgs.models import Organization
from anjian.training.choices import DrillStatus
from anjian.training.models import Drill, TrainingPlan, TrainingRules


def pct(part, whole):
    return round(100.0 * part / whole, 1) if whole else None


def regulators_above(org):
    ids = [int(p) for p in org.path.strip("/").split("/") if p]
    return Organization.objects.filter(pk__in=ids, type="regulator")


def moment(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def hazards(org, year: int) -> dict:
    start, end = moment(dt.date(year, 1, 1)), moment(dt.date(year + 1, 1, 1))
    now = timezone.now()
    rows = [h for h in Hazard.objects.filter(organization=org) if h.status != "dismissed"]
    found = [h for h in rows if start <= h.found_at < end]
    closed = lambda h, when: h.status == "closed" and (h.accepted_at is None or h.accepted_at < when)  # noqa: E731
    found_rectified = [h for h in found if closed(h, min(end, now + dt.timedelta(days=1)))]
    closed_in_year = [h for h in rows if h.status == "closed" and h.accepted_at and start <= h.accepted_at < end]
    in_time = [h for h in closed_in_year if h.deadline is None or timezone.localdate(h.accepted_at) <= h.deadline]
    majors = [h for h in rows if h.level == "major"]
    as_of = min(dt.date(year, 12, 31), timezone.localdate())

    def open_on(h, day):
        until = moment(day + dt.timedelta(days=1))
        return h.found_at < until and not closed(h, until)

    stock = [h for h in majors if open_on(h, dt.date(year - 1, 12, 31))]
    increment = [h for h in majors if start <= h.found_at < end]
    cleared = [h for h in stock + increment if not open_on(h, as_of)]
    return {
        "rectification_rate": pct(len(found_rectified), len(found)),
        "rectification_timeliness": pct(len(in_time), len(closed_in_year)),
        "major_clearance": pct(len(cleared), len(stock) + len(increment)),
    }


def tasks(org, year: int) -> float | None:
    """Assignments whose deadline falls in the year: owed once the deadline passed or done; done
    when confirmed before the year's end."""
    today, end = timezone.localdate(), moment(dt.date(year + 1, 1, 1))
    rows = Assignment.objects.filter(organization=org, task__plan__is_active=True).select_related("task")
    mine = [a for a in rows if a.task.deadline is not None and a.task.deadline.year == year]
    done = [a for a in mine if a.status == "done" and a.reviewed_at < end]
    owed = [a for a in mine if a.task.deadline < today or a in done]
    return pct(len(done), len(owed))


def reports(org, year: int) -> float | None:
    owed = on_time = 0
    for definition in ReportDefinition.objects.filter(organization__in=regulators_above(org), is_active=True):
        for month in range(1, 13, 3 if definition.frequency == "quarterly" else 1):
            period = dt.date(year, month, 1)
            due_on = due.definition_due_date(definition, period)
            if due_on > timezone.localdate() or not owing_units(definition).filter(pk=org.pk).exists():
                continue
            owed += 1
            sub = ReportSubmission.objects.filter(definition=definition, organization=org, period=period).first()
            on_time += int(bool(sub and sub.status == "submitted" and timezone.localdate(sub.submitted_at) <= due_on))
    return pct(on_time, owed)


def drills(org, year: int) -> float | None:
    """Windows of the drill rhythm (6 months unless the institution set another) with a drill, of
    those ended by today or already drilled."""
    today = timezone.localdate()
    rules = TrainingRules.objects.filter(organization=org).first()
    months = rules.drill_every_months if rules else 6
    held = Drill.objects.filter(organization=org, status=DrillStatus.DONE)
    days = [d.held_on for d in held if d.held_on.year == year and d.held_on <= today]
    done = owed = 0
    for first in range(1, 13, months):
        start = dt.date(year, first, 1)
        stop = dt.date(year + 1, 1, 1) if first + months > 12 else dt.date(year, first + months, 1)
        had = any(start <= d < stop for d in days)
        done += had
        owed += had or stop <= today
    return pct(done, owed)


def training(org, year: int) -> float | None:
    """The year's plan items held (a valid session on the item by the year's end) of those whose
    month has ended or that were held; no plan: 0."""
    today = timezone.localdate()
    plan = TrainingPlan.objects.filter(organization=org, year=year).first()
    if plan is None:
        return 0.0
    done = owed = 0
    for item in plan.items.all():
        held = any(s.is_active and s.held_on <= min(dt.date(year, 12, 31), today) for s in item.sessions.all())
        month_over = (dt.date(year + 1, 1, 1) if item.month == 12 else dt.date(year, item.month + 1, 1)) <= today
        done += held
        owed += held or month_over
    return pct(done, owed)


def inspections(org, year: int, user) -> float | None:
    """The inspections app's own count of due and done slots for the institution and the year (its
    tests count it by hand); nothing due: no rate with a schedule, 0 without (未建立排查计划)."""
    compliance = inspection_selectors.compliance(user=user, period=Period.year(year), organization=org)
    if compliance.total.due:
        return pct(compliance.total.done, compliance.total.due)
    return None if compliance.by_schedule else 0.0


def indicators(org, year: int, user) -> dict:
    return {
        **hazards(org, year),
        "task_completion": tasks(org, year),
        "report_punctuality": reports(org, year),
        "drill_rhythm": drills(org, year),
        "training_plan": training(org, year),
        "inspection_compliance": inspections(org, year, user),
    }
