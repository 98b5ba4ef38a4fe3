"""Plans, their tasks and assignments as the lists and pages read them, the regulator's review
queue, and the import drafts awaiting confirmation."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.action_plans.choices import AssignmentStatus, ReviewState, Rhythm
from anjian.action_plans.models import Assignment, ImportDraft, Plan, ProgressReport, Task, UnitGroup
from anjian.action_plans.rules import (
    assignment_due_soon_q,
    assignment_overdue_q,
    jurisdiction_institutions,
    task_to_do_q,
)
from anjian.core.scoping import get_visible_or_404

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
        # the tasks to be done the user sees (an institution: those assigned to it), as the plan's page counts
        task_count=Count(
            "tasks", filter=task_to_do_q("tasks__") & Q(tasks__in=Task.objects.visible_to(user)), distinct=True
        ),
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


def task_counts(*, user, plan: Plan) -> dict[str, int]:
    """Of the plan's tasks the user sees: the tasks to be done (``rules.task_to_do_q``, as the plan
    list counts them) and the sub-tasks among them."""
    return (
        Task.objects.visible_to(user)
        .filter(plan=plan)
        .aggregate(
            task_count=Count("pk", filter=task_to_do_q()),
            subtask_count=Count("pk", filter=Q(parent__isnull=False)),
        )
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


def prefetch_reports():
    return Prefetch("reports", queryset=ProgressReport.objects.order_by("-reported_on", "-pk"))


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
        if task.get("has_subtasks"):
            continue  # a heading: its sub-tasks are the ones that fall due
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


def draft_unit_choices(draft: ImportDraft) -> list[tuple[str, list[tuple[str, str]]]]:
    """What the preview offers for a task's units: the unit groups and the institutions of the
    draft's jurisdiction ("g:<id>", "o:<id>")."""
    institutions = jurisdiction_institutions(draft.organization).order_by("path")
    return [
        (_("单位分组"), [(f"g:{g.pk}", g.name) for g in UnitGroup.objects.all()]),
        (_("机构"), [(f"o:{o.pk}", o.name) for o in institutions]),
    ]
