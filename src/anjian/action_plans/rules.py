"""When a task assignment is late (逾期) or due soon (临期): the rule once, in Python for one assignment
and as a query condition for many, so the pages, the reminders, the exports and the statistics count
the same assignments.

An assignment is overdue when it is not done and its task's deadline (完成时限) is before today; a
standing task without a deadline is never overdue. It is due soon when it is not done and the
deadline falls between today and ``DUE_SOON_DAYS`` days on, both included.

The conditions take ``prefix``: the relation path from the model the query starts from to the
assignment, e.g. ``"assignments__"`` from a Task or ``"tasks__assignments__"`` from a Plan. The
deadline is read from the task that path passes through (``tasks__deadline``), not by a join back
from the assignment to its task. Across such a many-valued path use the condition in an aggregate's
``filter`` (``Count("tasks__assignments", filter=...)``), where it reads each joined assignment; in a
queryset's ``filter()`` Django would ask the negated "not done" of all the task's assignments at once.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from anjian.action_plans.choices import AssignmentStatus
from anjian.orgs.models import Organization

DUE_SOON_DAYS = 30  # a task whose deadline is this close is "临期" (due soon)

_ASSIGNMENTS = "assignments__"


def assignment_is_overdue(*, status: str, deadline: dt.date | None, today: dt.date) -> bool:
    """The rule for one assignment: not done, and its task's deadline has passed."""
    return status != AssignmentStatus.DONE and deadline is not None and deadline < today


def _deadline_field(prefix: str) -> str:
    """The task's deadline seen from the model at the start of ``prefix`` (the path to an assignment)."""
    if prefix == _ASSIGNMENTS or prefix.endswith(f"__{_ASSIGNMENTS}"):
        return f"{prefix.removesuffix(_ASSIGNMENTS)}deadline"  # the task the path passes through
    return f"{prefix}task__deadline"


def _not_done(prefix: str) -> Q:
    return ~Q(**{f"{prefix}status": AssignmentStatus.DONE})


def assignment_overdue_q(today: dt.date, prefix: str = "") -> Q:
    """``assignment_is_overdue`` as a condition on the assignments at ``prefix``."""
    return _not_done(prefix) & Q(**{f"{_deadline_field(prefix)}__lt": today})


def assignment_due_soon_q(today: dt.date, prefix: str = "", days: int = DUE_SOON_DAYS) -> Q:
    """Not done, and the deadline within ``days`` days from ``today`` (today itself included)."""
    deadline = _deadline_field(prefix)
    window = Q(**{f"{deadline}__gte": today, f"{deadline}__lte": today + dt.timedelta(days=days)})
    return _not_done(prefix) & window


def jurisdiction_institutions(regulator: Organization) -> QuerySet[Organization]:
    """The active institutions of a regulator's jurisdiction: what its tasks may be assigned to (the
    import's unit matching, the units chosen in its preview and their counts, a task's assignments)."""
    return Organization.objects.filter(path__startswith=regulator.path, type="institution", is_active=True)


def task_to_do_q(prefix: str = "") -> Q:
    """A task to be done, as the plans count them: not a numbered task that only heads its
    sub-tasks (``prefix``: the path to the task, e.g. ``"tasks__"`` from a Plan)."""
    return Q(**{f"{prefix}subtasks__isnull": True})
