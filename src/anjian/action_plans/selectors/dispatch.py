"""Dispatch (调度): the matrix of tasks × units in colour, page by page with its counts by unit, task
and district; the timeline by month (挂图作战); a unit's page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anjian.action_plans import due
from anjian.action_plans.choices import AssignmentStatus, ReviewState
from anjian.action_plans.models import Assignment, Plan, Task
from anjian.action_plans.rules import assignment_is_overdue, assignment_overdue_q
from anjian.action_plans.selectors.plans import task_list
from anjian.core.scoping import get_visible_or_404
from anjian.orgs.choices import OrganizationType
from anjian.orgs.models import Organization
from anjian.orgs.selectors import name_search_q

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
