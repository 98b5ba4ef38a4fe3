"""The reads that pages, API and exports share, always from ``visible_to``."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Count, F, Min, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
from anjian.action_plans.rules import (
    DUE_SOON_DAYS,
    assignment_due_soon_q,
    assignment_is_overdue,
    assignment_overdue_q,
)
from anjian.core.scoping import get_visible_or_404
from anjian.orgs.choices import OrganizationType
from anjian.orgs.models import Organization
from anjian.orgs.selectors import name_search_q

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
    """Open assignments of standing tasks whose rhythm says a progress report is owed by ``today``
    (the callers leave out the done ones; an overdue one is late instead, so it is left out here)."""
    q = Q(pk__in=[])
    for rhythm, days in RHYTHM_DAYS.items():
        since = today - dt.timedelta(days=days)
        never = Q(last_reported_on__isnull=True, task__plan__created_at__date__lt=since)
        q |= Q(task__rhythm=rhythm) & (Q(last_reported_on__lt=since) | never)
    return q & Q(task__is_standing=True) & ~assignment_overdue_q(today)


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
            filter=mine & assignment_overdue_q(today, prefix="tasks__assignments__"),
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
                filter=mine & assignment_overdue_q(today, prefix="assignments__"),
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
        qs = qs.filter(assignment_overdue_q(today))
    elif state == "soon":
        qs = qs.filter(assignment_due_soon_q(today))
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


@dataclass
class PastDeadlines:
    """The tasks of an import whose deadline is already over: a warning in the preview, not a
    problem (a plan issued late still stands), since they start out overdue for every unit."""

    tasks: list[dict]
    today: dt.date

    def __bool__(self) -> bool:
        return bool(self.tasks)

    @property
    def message(self) -> str:
        return _("%(n)s 项任务的完成时限已过") % {"n": len(self.tasks)}

    def as_json(self) -> dict:
        return {"code": "past_deadlines", "message": self.message, "tasks": self.tasks}


def draft_past_deadlines(draft: ImportDraft, today: dt.date | None = None) -> PastDeadlines:
    today = today or timezone.localdate()
    tasks = []
    for task in draft.parsed.get("tasks", []):
        deadline = dt.date.fromisoformat(task["deadline"]) if task.get("deadline") else None
        if deadline is not None and deadline < today:
            tasks.append(
                {
                    "number": task["number"],
                    "title": task.get("title") or (task.get("content") or "")[:60],
                    "deadline": deadline.isoformat(),
                    "deadline_text": task.get("deadline_text", ""),
                    "standing": bool(task.get("standing")),
                }
            )
    return PastDeadlines(tasks=tasks, today=today)


# --- dispatch ------------------------------------------------------------------------------------
MATRIX_PAGE_SIZE = 50  # units (columns) on one page of the matrix

# the unit filter of the matrix: units with at least one assignment in that state, or all done
MATRIX_STATES = {
    "late": gettext_lazy("有逾期任务"),
    "pending": gettext_lazy("有待审核任务"),
    "in_progress": gettext_lazy("有推进中任务"),
    "not_started": gettext_lazy("有未开始任务"),
    "done": gettext_lazy("任务全部完成"),
}
STATE_COLOURS = {"late": "red", "pending": "yellow", "in_progress": "blue", "not_started": "secondary"}
COLOURS = ("red", "yellow", "blue", "green", "secondary")


def colour_q(today: dt.date) -> dict[str, Q]:
    """The matrix colours of ``Assignment.colour`` as conditions, one per colour."""
    done = Q(status=AssignmentStatus.DONE)
    late = assignment_overdue_q(today)
    on_time = ~done & ~late
    pending = Q(review_state=ReviewState.PENDING)
    return {
        "red": late,
        "yellow": on_time & pending,
        "blue": on_time & ~pending & Q(status=AssignmentStatus.IN_PROGRESS),
        "green": done,
        "secondary": on_time & ~pending & ~Q(status=AssignmentStatus.IN_PROGRESS),
    }


def _colour_counts(qs, today: dt.date, *group):
    """One row per group with the number of assignments of each colour (GROUP BY in SQL)."""
    cq = colour_q(today)
    return qs.order_by().values(*group).annotate(total=Count("pk"), **{c: Count("pk", filter=q) for c, q in cq.items()})


class Badges:
    """(colour, label) of an assignment in a state (status, review state, its task's deadline), in
    the words of ``Assignment.colour`` and ``status_label``: worked out once per kind of cell."""

    def __init__(self, today: dt.date):
        self.today = today
        self.kinds: dict[tuple, tuple[str, str]] = {}

    def __call__(self, status: str, review_state: str, deadline: dt.date | None) -> tuple[str, str]:
        late = assignment_is_overdue(status=status, deadline=deadline, today=self.today)
        key = (status, review_state, late)
        if key not in self.kinds:
            a = Assignment(status=status, review_state=review_state)
            a.task = Task(deadline=dt.date.min if late else None)  # late or not, whatever the day
            self.kinds[key] = (a.colour, a.status_label)
        return self.kinds[key]


@dataclass(frozen=True)
class Cell:
    """One assignment in the matrix, with what its badge shows."""

    pk: int
    colour: str
    status_label: str
    unit_name: str
    url: str


@dataclass
class Matrix:
    tasks: list  # each with .totals: its counts by colour (and "total") over all the units selected
    units: list  # the units of this page, each with .late
    cells: dict  # (task id, unit id) -> Cell
    late_by_task: dict
    late_by_unit: dict
    counts: dict = field(default_factory=dict)  # by colour, over all the units selected
    page_obj: object = None
    unit_count: int = 0
    districts: list = field(default_factory=list)  # one summary row per regulator below the scope

    def rows(self):
        for task in self.tasks:
            yield task, [self.cells.get((task.pk, unit.pk)) for unit in self.units]


def matrix_assignments(
    *, user, plan: Plan, today: dt.date, q: str = "", district: Organization | None = None, state: str = ""
):
    """The plan's assignments the user sees, of the units the matrix's filters select (see
    ``plan_matrix``): the page and its xlsx export read the same units."""
    cq = colour_q(today)
    base = Assignment.objects.visible_to(user).filter(task__plan=plan)
    if district is not None:
        base = base.filter(organization__path__startswith=district.path)
    if q:
        base = base.filter(name_search_q(q, field_prefix="organization__"))
    # the units with an assignment in that state, read first: as a subquery PostgreSQL misjudges
    # the join that follows (a nested loop over 30,000 rows: 300 ms instead of 30)
    in_plan = Assignment.objects.filter(task__plan=plan).order_by()
    if state == "done":
        not_done = in_plan.exclude(status=AssignmentStatus.DONE).values_list("organization_id", flat=True).distinct()
        base = base.exclude(organization_id__in=set(not_done))
    elif state in STATE_COLOURS:
        wanted = in_plan.filter(cq[STATE_COLOURS[state]]).values_list("organization_id", flat=True).distinct()
        base = base.filter(organization_id__in=set(wanted))
    return base


def plan_matrix(
    *,
    user,
    plan: Plan,
    today: dt.date | None = None,
    q: str = "",
    district: Organization | None = None,
    state: str = "",
    page: int | str = 1,
    per_page: int = MATRIX_PAGE_SIZE,
) -> Matrix:
    """Tasks × units with each assignment; late tasks and late units first, one page of units at a
    time. The counts (legend, per task, per district) cover all the units selected and come from
    GROUP BY queries; only the page's assignments are read. The same queries for 2 units or 2,000.

    ``district`` (a regulator below the user) and ``q`` (unit name or pinyin initials) narrow the
    units, ``state`` keeps the units with an assignment in that state (``MATRIX_STATES``). An
    out-of-range ``page`` raises ``django.core.paginator.InvalidPage``."""
    today = today or timezone.localdate()
    base = matrix_assignments(user=user, plan=plan, today=today, q=q, district=district, state=state)

    # the units: one row each with its counts, late units first
    unit_rows = sorted(
        _colour_counts(base, today, "organization_id", "organization__path"),
        key=lambda r: (-r["red"], r["organization__path"]),
    )
    paginator = Paginator(unit_rows, per_page)
    page_obj = paginator.page(page)
    page_ids = [r["organization_id"] for r in page_obj.object_list]
    names = Organization.objects.filter(pk__in=page_ids).only("pk", "name", "short_name").in_bulk()
    units = []
    for row in page_obj.object_list:
        unit = names[row["organization_id"]]
        unit.late = row["red"]
        units.append(unit)

    # the tasks with their totals over all the units selected, late tasks first
    totals = {row["task_id"]: row for row in _colour_counts(base, today, "task_id")}
    tasks = list(
        Task.objects.filter(pk__in=list(totals)).only(
            "pk", "plan_id", "number", "title", "content", "sort_order", "deadline", "deadline_text", "is_standing"
        )
    )
    for task in tasks:
        task.totals = totals[task.pk]
    tasks.sort(key=lambda t: (-t.totals["red"], t.sort_order, t.pk))
    counts = {c: n for c in COLOURS if (n := sum(row[c] for row in totals.values()))}

    # the page's cells: plain values from the cursor, what each badge shows worked out once per kind
    deadlines = {t.pk: t.deadline for t in tasks}
    url = reverse("action_plans:assignment-detail", args=[0])[:-2]  # ".../assignments/" + pk + "/"
    badge = Badges(today)
    cells = {}
    page_assignments = (
        base.filter(organization_id__in=page_ids)
        .order_by()
        .values_list("pk", "task_id", "organization_id", "status", "review_state")
    )
    for pk, task_id, unit_id, status, review_state in page_assignments:
        colour, label = badge(status, review_state, deadlines[task_id])
        cells[(task_id, unit_id)] = Cell(pk, colour, label, names[unit_id].name, f"{url}{pk}/")

    return Matrix(
        tasks,
        units,
        cells,
        {t.pk: t.totals["red"] for t in tasks if t.totals["red"]},
        {u.pk: u.late for u in units if u.late},
        counts,
        page_obj=page_obj,
        unit_count=paginator.count,
        districts=_matrix_districts(user, district, unit_rows),
    )


def _matrix_districts(user, district, unit_rows) -> list[dict]:
    """The units' counts summed by the regulators just below the scope (the district chosen, else
    the user's own organization), the units directly under the scope last as "直属单位"."""
    scope = district or getattr(user, "organization", None)
    if scope is None or not scope.is_regulator:
        return []
    children = list(
        Organization.objects.filter(parent=scope, type=OrganizationType.REGULATOR).only(
            "pk", "name", "short_name", "path", "parent"
        )
    )
    if not children:
        return []
    summary = {child.pk: {"district": child, **dict.fromkeys(("units", "total", *COLOURS), 0)} for child in children}
    direct = {"district": None, **dict.fromkeys(("units", "total", *COLOURS), 0)}
    depth = scope.path.count("/") - 1  # "/1/" -> the child's id is the 2nd part of a unit's path
    for row in unit_rows:
        parts = row["organization__path"].strip("/").split("/")
        key = int(parts[depth]) if len(parts) > depth + 1 else None
        target = summary.get(key, direct)
        target["units"] += 1
        for name in ("total", *COLOURS):
            target[name] += row[name]
    result = [row for row in summary.values() if row["units"]]
    if direct["units"]:
        result.append(direct)
    for row in result:
        row["percent"] = round(100 * row["green"] / row["total"]) if row["total"] else 0
    return result


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
        sub.definition = definition  # its entries() read the definition's fields: no query per unit
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
