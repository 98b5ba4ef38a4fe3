"""The reads that pages, API and exports share, always from ``visible_to``."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Min, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.action_plans import due
from anjian.action_plans.choices import AssignmentStatus, ReviewState, Rhythm, SubmissionStatus
from anjian.action_plans.models import (
    Assignment,
    ImportDraft,
    Plan,
    ProgressReport,
    ReportDefinition,
    ReportSubmission,
    Task,
)
from anjian.core.scoping import get_visible_or_404
from anjian.orgs.models import Organization

DUE_SOON_DAYS = 30  # a task whose deadline is this close is "临期" (due soon)
REPORT_SOON_DAYS = 7  # a periodic report due this soon is announced
# a standing task with a reporting rhythm (每月, 每季度…) owes a progress report once this long has
# passed since the last one (or since the plan was stored, if none yet)
RHYTHM_DAYS = {
    Rhythm.MONTHLY: 31,
    Rhythm.QUARTERLY: 92,
    Rhythm.HALF_YEARLY: 183,
    Rhythm.YEARLY: 366,
}


def rhythm_due_q(today: dt.date) -> Q:
    """Assignments of standing tasks whose rhythm says a progress report is owed by ``today``
    (a task whose deadline has passed is late instead, so it is left out here)."""
    q = Q(pk__in=[])
    for rhythm, days in RHYTHM_DAYS.items():
        since = today - dt.timedelta(days=days)
        never = Q(last_reported_on__isnull=True, task__plan__created_at__date__lt=since)
        q |= Q(task__rhythm=rhythm) & (Q(last_reported_on__lt=since) | never)
    return q & Q(task__is_standing=True) & (Q(task__deadline__isnull=True) | Q(task__deadline__gte=today))


def plan_list(*, user, q: str = "", include_inactive: bool = False):
    today = timezone.localdate()
    assignments = Assignment.objects.visible_to(user)
    qs = Plan.objects.visible_to(user).select_related("organization")
    if not include_inactive:
        qs = qs.filter(is_active=True)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(document_number__icontains=q))
    mine = Q(tasks__assignments__in=assignments)
    return qs.annotate(
        task_count=Count("tasks", distinct=True),
        assignment_count=Count("tasks__assignments", filter=mine, distinct=True),
        done_count=Count(
            "tasks__assignments",
            filter=mine & Q(tasks__assignments__status=AssignmentStatus.DONE),
            distinct=True,
        ),
        overdue_count=Count(
            "tasks__assignments",
            filter=mine & ~Q(tasks__assignments__status=AssignmentStatus.DONE) & Q(tasks__deadline__lt=today),
            distinct=True,
        ),
        pending_count=Count(
            "tasks__assignments",
            filter=mine & Q(tasks__assignments__review_state=ReviewState.PENDING),
            distinct=True,
        ),
    ).order_by("-created_at", "-pk")


def plan_get(*, user, pk: int) -> Plan:
    return get_visible_or_404(Plan.objects.select_related("organization"), user, pk=pk)


def task_list(*, user, plan: Plan):
    """The plan's tasks the user may see (an institution: those assigned to it), with counts."""
    today = timezone.localdate()
    mine = Q(assignments__in=Assignment.objects.visible_to(user))
    return (
        Task.objects.visible_to(user)
        .filter(plan=plan)
        .select_related("action")
        .prefetch_related("unit_groups")
        .annotate(
            assignment_count=Count("assignments", filter=mine, distinct=True),
            done_count=Count("assignments", filter=mine & Q(assignments__status=AssignmentStatus.DONE), distinct=True),
            overdue_count=Count(
                "assignments",
                filter=mine & ~Q(assignments__status=AssignmentStatus.DONE) & Q(deadline__lt=today),
                distinct=True,
            ),
        )
        .order_by("sort_order", "pk")
    )


def task_get(*, user, pk: int) -> Task:
    return get_visible_or_404(Task.objects.select_related("plan__organization", "action"), user, pk=pk)


def assignment_list(*, user, plan=None, organization=None, state: str = "", q: str = ""):
    today = timezone.localdate()
    qs = Assignment.objects.visible_to(user).select_related("task__plan", "task__action", "organization")
    if plan is None:
        qs = qs.filter(task__plan__is_active=True)  # a withdrawn plan's tasks leave 我的任务
    if plan is not None:
        qs = qs.filter(task__plan=plan)
    if organization is not None:
        qs = qs.filter(organization=organization)
    if q:
        qs = qs.filter(Q(task__content__icontains=q) | Q(task__title__icontains=q) | Q(organization__name__icontains=q))
    if state == "overdue":
        qs = qs.exclude(status=AssignmentStatus.DONE).filter(task__deadline__lt=today)
    elif state == "soon":
        qs = qs.exclude(status=AssignmentStatus.DONE).filter(
            task__deadline__gte=today, task__deadline__lte=today + dt.timedelta(days=DUE_SOON_DAYS)
        )
    elif state == "report_due":
        qs = qs.exclude(status=AssignmentStatus.DONE).filter(rhythm_due_q(today))
    elif state == "pending":
        qs = qs.filter(review_state=ReviewState.PENDING)
    elif state in AssignmentStatus.values:
        qs = qs.filter(status=state)
    # the nearest deadline first, standing tasks (no date) last: the same on SQLite and PostgreSQL
    return qs.order_by(
        F("task__deadline").asc(nulls_last=True), "task__plan_id", "task__sort_order", "organization__path"
    )


def assignment_get(*, user, pk: int) -> Assignment:
    return get_visible_or_404(
        Assignment.objects.select_related("task__plan__organization", "task__action", "organization"), user, pk=pk
    )


def pending_reviews(*, user, plan=None):
    """Assignments whose unit asked the regulator to confirm them as done, oldest claim first, each
    with its reports (newest first) prefetched: the regulator's review queue."""
    qs = (
        Assignment.objects.visible_to(user)
        .filter(review_state=ReviewState.PENDING, task__plan__is_active=True)
        .exclude(status=AssignmentStatus.DONE)
        .select_related("task__plan", "organization")
        .prefetch_related(prefetch_reports())
    )
    if plan is not None:
        qs = qs.filter(task__plan=plan)
    return qs.order_by("last_reported_on", "task__plan_id", "task__sort_order", "organization__path")


def reports_of(assignment: Assignment):
    return (
        ProgressReport.objects.filter(assignment=assignment)
        .select_related("reported_by")
        .prefetch_related("attachments")
        .order_by("-reported_on", "-pk")
    )


def draft_get(*, user, pk: int) -> ImportDraft:
    return get_visible_or_404(ImportDraft.objects.select_related("organization"), user, pk=pk)


# --- dispatch ------------------------------------------------------------------------------------
@dataclass
class Matrix:
    tasks: list
    units: list
    cells: dict  # (task id, unit id) -> Assignment
    late_by_task: dict
    late_by_unit: dict
    counts: dict = field(default_factory=dict)

    def rows(self):
        for task in self.tasks:
            yield task, [self.cells.get((task.pk, unit.pk)) for unit in self.units]


def plan_matrix(*, user, plan: Plan, today: dt.date | None = None) -> Matrix:
    """Tasks × units with each assignment; late tasks and late units first. Two queries."""
    today = today or timezone.localdate()
    assignments = list(
        Assignment.objects.visible_to(user)
        .filter(task__plan=plan)
        .select_related("task", "organization")
        .order_by("task__sort_order", "organization__path")
    )
    tasks: dict[int, Task] = {}
    units: dict[int, Organization] = {}
    cells = {}
    late_by_task: dict[int, int] = defaultdict(int)
    late_by_unit: dict[int, int] = defaultdict(int)
    counts = defaultdict(int)
    for a in assignments:
        tasks.setdefault(a.task_id, a.task)
        units.setdefault(a.organization_id, a.organization)
        cells[(a.task_id, a.organization_id)] = a
        late = a.is_overdue(today)
        counts[a.colour] += 1
        if late:
            late_by_task[a.task_id] += 1
            late_by_unit[a.organization_id] += 1
    task_list_ = sorted(tasks.values(), key=lambda t: (-late_by_task[t.pk], t.sort_order, t.pk))
    unit_list = sorted(units.values(), key=lambda u: (-late_by_unit[u.pk], u.path))
    return Matrix(task_list_, unit_list, cells, dict(late_by_task), dict(late_by_unit), dict(counts))


def plan_timeline(*, user, plan: Plan, today: dt.date | None = None) -> list[dict]:
    """挂图作战: the tasks by the month of their deadline (standing tasks last), with progress."""
    today = today or timezone.localdate()
    months: dict = {}
    for task in task_list(user=user, plan=plan):
        key = (task.deadline.year, task.deadline.month) if task.deadline else None
        months.setdefault(key, []).append(task)
    result = []
    for key in sorted(months, key=lambda k: (k is None, k or (0, 0))):
        items = months[key]
        total = sum(t.assignment_count for t in items)
        done = sum(t.done_count for t in items)
        result.append(
            {
                "label": due.month_label(*key) if key else _("长期坚持"),
                "past": key is not None and (key[0], key[1]) < (today.year, today.month),
                "current": key == (today.year, today.month),
                "tasks": items,
                "total": total,
                "done": done,
                "late": sum(t.overdue_count for t in items),
                "percent": round(100 * done / total) if total else 0,
            }
        )
    return result


def unit_get(*, user, pk: int) -> Organization:
    return get_visible_or_404(Organization.objects.filter(type="institution"), user, pk=pk)


# --- periodic reports ----------------------------------------------------------------------------
def report_definition_list(*, user):
    """Definitions set by the user's regulators (its own and those above) or in its jurisdiction."""
    org = getattr(user, "organization", None)
    qs = ReportDefinition.objects.visible_to(user)
    if org is not None and not org.is_regulator:
        ancestors = [int(p) for p in org.path.strip("/").split("/") if p]
        qs = ReportDefinition.objects.filter(organization_id__in=ancestors, is_active=True)
    return qs.select_related("organization").prefetch_related("unit_groups").order_by("name", "pk")


def report_definition_get(*, user, pk: int) -> ReportDefinition:
    """A definition the user sets (regulator) or owes (institution: set above it); else 404."""
    from django.http import Http404

    try:
        return report_definition_list(user=user).get(pk=pk)
    except (ReportDefinition.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


@dataclass
class PeriodStatus:
    period: dt.date
    label: str
    due: dt.date
    rows: list  # (organization, submission or None, late)
    submitted: int
    late: int


def report_period_status(*, user, definition: ReportDefinition, period: dt.date, today=None) -> PeriodStatus:
    """Who owes the report for a period, who submitted, who is late (three queries)."""
    from anjian.action_plans.services import owing_units

    today = today or timezone.localdate()
    due_on = due.definition_due_date(definition, period)
    units = list(owing_units(definition).filter(pk__in=Organization.objects.visible_to(user)))
    submissions = {
        s.organization_id: s
        for s in ReportSubmission.objects.visible_to(user).filter(definition=definition, period=period)
    }
    rows = []
    for sub in submissions.values():
        sub.items = [(f["label"], sub.values.get(f["name"])) for f in definition.fields]
    for unit in units:
        sub = submissions.get(unit.pk)
        done = sub is not None and sub.status == SubmissionStatus.SUBMITTED
        late = (not done and today > due_on) or (done and timezone.localdate(sub.submitted_at) > due_on)
        rows.append((unit, sub, late))
    rows.sort(key=lambda r: (not r[2] or (r[1] is not None and r[1].status == "submitted"), r[0].path))
    return PeriodStatus(
        period=period,
        label=due.period_label(period, definition.frequency),
        due=due_on,
        rows=rows,
        submitted=sum(1 for _u, s, _l in rows if s is not None and s.status == SubmissionStatus.SUBMITTED),
        late=sum(1 for u, s, late in rows if late and (s is None or s.status != SubmissionStatus.SUBMITTED)),
    )


def submission_list(*, user, definition=None, period=None):
    qs = ReportSubmission.objects.visible_to(user).select_related("definition", "organization", "submitted_by")
    if definition is not None:
        qs = qs.filter(definition=definition)
    if period is not None:
        qs = qs.filter(period=period)
    return qs.order_by("-period", "organization__path")


def submission_get(*, user, pk: int) -> ReportSubmission:
    return get_visible_or_404(
        ReportSubmission.objects.select_related("definition", "organization", "submitted_by"), user, pk=pk
    )


def prefetch_reports():
    return Prefetch("reports", queryset=ProgressReport.objects.order_by("-reported_on", "-pk"))


# --- reminders (催办): what is late or due soon, computed from the data on every page view ----------
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
            late=Count("pk", filter=Q(task__deadline__lt=today)),
            soon=Count("pk", filter=Q(task__deadline__gte=today)),
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
            for period, is_current in ((previous, False), (current, True)):
                due_on = due.definition_due_date(definition, period)
                if period in submitted:
                    continue
                late = due_on < today
                if late or (is_current and (due_on - today).days <= REPORT_SOON_DAYS):
                    result.append(
                        {
                            "definition": definition,
                            "label": due.period_label(period, definition.frequency),
                            "due": due_on,
                            "late": late,
                            "days": abs((due_on - today).days),
                            "url": f"{reverse('action_plans:report-fill', args=[definition.pk])}?period={period:%Y-%m}",
                        }
                    )
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
                late = due_on < today
                if missing and (late or is_current):
                    result.append(
                        {
                            "definition": definition,
                            "label": due.period_label(period, definition.frequency),
                            "due": due_on,
                            "late": late,
                            "days": abs((due_on - today).days),
                            "missing": missing,
                            "owing": len(owing),
                            "url": f"{url}?period={period:%Y-%m}",
                        }
                    )
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
    late_qs = base.filter(task__deadline__lt=today).order_by("task__deadline", "task__sort_order", "organization__path")
    soon_qs = base.filter(task__deadline__gte=today, task__deadline__lte=today + dt.timedelta(days=days)).order_by(
        "task__deadline", "task__sort_order", "organization__path"
    )
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
