"""The overdue and due-soon rule of an assignment: the query conditions of ``rules`` select exactly the
assignments the Python rule names, from an Assignment, a Task or a Plan, negated or not."""

import datetime as dt

import pytest
from django.db.models import Count, Q

from anjian.action_plans import services
from anjian.action_plans.choices import AssignmentStatus
from anjian.action_plans.models import Assignment, Plan, Task
from anjian.action_plans.rules import (
    DUE_SOON_DAYS,
    assignment_due_soon_q,
    assignment_is_overdue,
    assignment_overdue_q,
)

TODAY = dt.date(2025, 6, 10)
DEADLINES = {
    "yesterday": TODAY - dt.timedelta(days=1),
    "today": TODAY,
    "tomorrow": TODAY + dt.timedelta(days=1),
    "last day of the window": TODAY + dt.timedelta(days=DUE_SOON_DAYS),
    "after the window": TODAY + dt.timedelta(days=DUE_SOON_DAYS + 1),
    "none (standing)": None,
}
# (deadline, done) -> (overdue, due soon)
EXPECTED = {
    ("yesterday", False): (True, False),
    ("today", False): (False, True),
    ("tomorrow", False): (False, True),
    ("last day of the window", False): (False, True),
    ("after the window", False): (False, False),
    ("none (standing)", False): (False, False),
    **{(name, True): (False, False) for name in DEADLINES},
}


@pytest.fixture
def assignments(world):
    """One task per deadline, assigned to hospital_a (done) and clinic_a (not done)."""
    plan = services.plan_create(by=world.regulator_a, data={"title": "时限测试"})
    for number, (name, deadline) in enumerate(DEADLINES.items(), start=1):
        services.task_create(
            by=world.regulator_a,
            plan=plan,
            data={"number": str(number), "content": name, "deadline": deadline, "is_standing": deadline is None},
            named_units=[world.hospital_a, world.clinic_a],
        )
    Assignment.objects.filter(task__plan=plan, organization=world.hospital_a).update(status=AssignmentStatus.DONE)
    rows = Assignment.objects.filter(task__plan=plan).select_related("task")
    assert rows.count() == 2 * len(DEADLINES)
    return {(a.task.content, a.status == AssignmentStatus.DONE): a for a in rows}


def _selected(condition, a: Assignment) -> set[bool]:
    """Whether the condition holds for ``a``, asked from an Assignment (a filter) and from a Task and
    a Plan (a count's filter, as the plan and task lists count their late assignments)."""
    from_assignment = Assignment.objects.filter(condition(""), pk=a.pk).exists()
    task = Task.objects.annotate(n=Count("assignments", filter=condition("assignments__") & Q(assignments__pk=a.pk)))
    plan = Plan.objects.annotate(
        n=Count("tasks__assignments", filter=condition("tasks__assignments__") & Q(tasks__assignments__pk=a.pk))
    )
    return {from_assignment, task.get(pk=a.task_id).n == 1, plan.get(pk=a.task.plan_id).n == 1}


def test_the_rule_in_python():
    for (name, done), (overdue, _soon) in EXPECTED.items():
        status = AssignmentStatus.DONE if done else AssignmentStatus.IN_PROGRESS
        assert assignment_is_overdue(status=status, deadline=DEADLINES[name], today=TODAY) is overdue, (name, done)


def test_the_conditions_agree_with_the_rule(assignments):
    assert set(assignments) == set(EXPECTED)
    for key, a in assignments.items():
        overdue, soon = EXPECTED[key]
        assert a.is_overdue(TODAY) is overdue, key
        assert _selected(lambda p: assignment_overdue_q(TODAY, prefix=p), a) == {overdue}, key
        assert Assignment.objects.filter(~assignment_overdue_q(TODAY), pk=a.pk).exists() is not overdue, key
        assert _selected(lambda p: assignment_due_soon_q(TODAY, prefix=p), a) == {soon}, key


def test_the_window_of_due_soon_is_a_parameter(assignments):
    tomorrow = assignments[("tomorrow", False)]
    later = assignments[("last day of the window", False)]
    soon = Assignment.objects.filter(assignment_due_soon_q(TODAY, days=1))
    assert soon.filter(pk=tomorrow.pk).exists() and not soon.filter(pk=later.pk).exists()
