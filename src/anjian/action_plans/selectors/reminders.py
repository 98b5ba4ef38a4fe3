"""Reminders (催办): what is late or due soon, computed from the data on every page view."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, F, Min
from django.urls import reverse
from django.utils import timezone

from anjian.action_plans import due
from anjian.action_plans.choices import AssignmentStatus, SubmissionStatus
from anjian.action_plans.models import Assignment, Plan, ReportSubmission
from anjian.action_plans.rules import DUE_SOON_DAYS, assignment_due_soon_q, assignment_overdue_q
from anjian.action_plans.selectors.plans import rhythm_due_q
from anjian.action_plans.selectors.reports import report_definition_list

REPORT_SOON_DAYS = due.REPORT_SOON_DAYS


@dataclass
class Reminders:
    late: list  # assignments past their deadline and not done, oldest deadline first
    late_count: int
    soon: list  # assignments due within DUE_SOON_DAYS, nearest first
    soon_count: int
    rhythm: list  # standing tasks whose reporting rhythm says a progress report is owed
    rhythm_count: int
    units: list  # a regulator: the units with late or soon assignments, most late first (dicts)
    tasks: list  # a regulator: the tasks late or due soon somewhere, with how many units (dicts)
    reports: list  # periodic reports owed now or late (dicts)
    today: dt.date
    plan: Plan | None = None  # the plan they are restricted to (the dispatch page), or None

    def __bool__(self) -> bool:
        return bool(self.late_count or self.soon_count or self.rhythm_count or self.reports)


def _open_assignments(user, plan=None):
    qs = Assignment.objects.visible_to(user).exclude(status=AssignmentStatus.DONE).filter(task__plan__is_active=True)
    if plan is not None:
        qs = qs.filter(task__plan=plan)
    return qs


def late_units(*, user, plan=None, today: dt.date | None = None, days: int = DUE_SOON_DAYS) -> list[dict]:
    """The responsible units with assignments late or due soon, most late first: whom the regulator
    chases (催办). One query."""
    today = today or timezone.localdate()
    soon_until = today + dt.timedelta(days=days)
    rows = (
        _open_assignments(user, plan)
        .filter(task__deadline__lte=soon_until)
        .values("organization_id", "organization__name")
        .annotate(
            late=Count("pk", filter=assignment_overdue_q(today)),
            soon=Count("pk", filter=assignment_due_soon_q(today, days=days)),
            oldest=Min("task__deadline"),
        )
        .order_by("-late", "oldest", "organization__name")
    )
    return [
        {
            "pk": r["organization_id"],
            "name": r["organization__name"],
            "late": r["late"],
            "soon": r["soon"],
            "oldest": r["oldest"],
            "days_late": (today - r["oldest"]).days if r["late"] else 0,
        }
        for r in rows
    ]


def late_tasks(*, user, plan=None, today: dt.date | None = None, days: int = DUE_SOON_DAYS, limit: int = 8):
    """The tasks late or due soon at some unit, oldest deadline first, with how many units. One query."""
    today = today or timezone.localdate()
    rows = (
        _open_assignments(user, plan)
        .filter(task__deadline__lte=today + dt.timedelta(days=days))
        .values("task_id", "task__number", "task__title", "task__content", "task__deadline", "task__plan__title")
        .annotate(units=Count("pk"))
        .order_by("task__deadline", "task__plan_id", "task__sort_order")[:limit]
    )
    return [
        {
            "pk": r["task_id"],
            "number": r["task__number"],
            "text": r["task__title"] or r["task__content"],
            "plan": r["task__plan__title"],
            "deadline": r["task__deadline"],
            "units": r["units"],
            "late": r["task__deadline"] < today,
            "days": abs((r["task__deadline"] - today).days),
        }
        for r in rows
    ]


def _reminder(definition, period: dt.date, due_on: dt.date, today: dt.date, *, late: bool, url: str) -> dict:
    """One report period to chase, as the 报送 reminders list it; ``url``: the page, before its period."""
    return {
        "definition": definition,
        "label": due.period_label(period, definition.frequency),
        "due": due_on,
        "late": late,
        "days": abs((due_on - today).days),
        "url": f"{url}?period={period:%Y-%m}",
    }


def report_reminders(*, user, today: dt.date | None = None) -> list[dict]:
    """The periodic reports to chase. A unit: each report it owes whose last period is unsubmitted
    past its due date (late), or whose current period is due within REPORT_SOON_DAYS and not yet
    submitted. A regulator: for each of its reports, how many owing units have not submitted the
    current period, and how many are late with the previous one."""
    from anjian.action_plans.services import owing_units

    today = today or timezone.localdate()
    org = getattr(user, "organization", None)
    if org is None:
        return []
    result = []
    for definition in report_definition_list(user=user).filter(is_active=True)[:20]:
        current = due.current_period(definition, today)
        previous = due.add_months(current, -due.period_months(definition.frequency))
        url = definition.get_absolute_url()
        if org.is_institution:
            if not owing_units(definition).filter(pk=org.pk).exists():
                continue
            submitted = set(
                ReportSubmission.objects.visible_to(user)
                .filter(definition=definition, period__in=[previous, current], status=SubmissionStatus.SUBMITTED)
                .values_list("period", flat=True)
            )
            for period, due_on, late in due.reminder_periods(definition, today):
                if period in submitted:
                    continue
                fill = reverse("action_plans:report-fill", args=[definition.pk])
                result.append(_reminder(definition, period, due_on, today, late=late, url=fill))
        elif org.is_regulator:
            owing = list(owing_units(definition).filter(path__startswith=org.path).values_list("pk", flat=True))
            if not owing:
                continue
            done = defaultdict(int)
            for period in ReportSubmission.objects.filter(
                definition=definition,
                period__in=[previous, current],
                status=SubmissionStatus.SUBMITTED,
                organization_id__in=owing,
            ).values_list("period", flat=True):
                done[period] += 1
            for period, is_current in ((previous, False), (current, True)):
                due_on = due.definition_due_date(definition, period)
                missing = len(owing) - done[period]
                late = due.is_late(None, due_on, today)  # for the units still missing
                if missing and (late or is_current):
                    reminder = _reminder(definition, period, due_on, today, late=late, url=url)
                    result.append({**reminder, "missing": missing, "owing": len(owing)})
    result.sort(key=lambda r: (not r["late"], r["due"]))
    return result


def reminders(
    *, user, plan=None, today: dt.date | None = None, days: int = DUE_SOON_DAYS, limit: int = 8, reports: bool = True
) -> Reminders:
    """Late and due-soon assignments (a unit: its own; a regulator: its jurisdiction's, with the
    units to chase), and the periodic reports owed. Nothing is sent: everyone sees these on the home
    page, 我的任务 and the dispatch page, computed from the data when the page is opened."""
    today = today or timezone.localdate()
    base = _open_assignments(user, plan).select_related("task__plan", "organization")
    by_deadline = ("task__deadline", "task__sort_order", "organization__path")
    late_qs = base.filter(assignment_overdue_q(today)).order_by(*by_deadline)
    soon_qs = base.filter(assignment_due_soon_q(today, days=days)).order_by(*by_deadline)
    rhythm_qs = base.filter(rhythm_due_q(today)).order_by(
        F("last_reported_on").asc(nulls_first=True), "task__sort_order", "organization__path"
    )
    org = getattr(user, "organization", None)
    regulator = org is None or org.is_regulator
    late = list(late_qs[:limit])
    for a in late:
        a.days = (today - a.task.deadline).days
    soon = list(soon_qs[:limit])
    for a in soon:
        a.days = (a.task.deadline - today).days
    return Reminders(
        late=late,
        late_count=late_qs.count(),
        soon=soon,
        soon_count=soon_qs.count(),
        rhythm=list(rhythm_qs[:limit]) if not regulator else [],
        rhythm_count=rhythm_qs.count(),
        units=late_units(user=user, plan=plan, today=today, days=days) if regulator else [],
        tasks=late_tasks(user=user, plan=plan, today=today, days=days, limit=limit) if regulator else [],
        reports=report_reminders(user=user, today=today) if reports else [],
        today=today,
        plan=plan,
    )
