"""A regulator's day: set the deadline, standing flag, offices or result form of many tasks at once,
and review many progress reports at once. All or nothing, one audit event per object."""

import datetime as dt

import pytest
from django.urls import reverse

from anjian.action_plans import services
from anjian.action_plans.choices import AssignmentStatus, ReviewState
from anjian.action_plans.models import Assignment, Task
from anjian.core.audit import AuditVerb
from anjian.core.errors import ConflictError, DomainError, NotPermittedError
from anjian.core.models import AuditEvent


def _tasks(plan, *numbers):
    return list(Task.objects.filter(plan=plan, number__in=numbers).order_by("sort_order"))


def test_set_deadline_and_offices_of_many_tasks(world, imported):
    tasks = _tasks(imported, "1", "2", "3")
    before = AuditEvent.objects.filter(verb=AuditVerb.TASK_UPDATED).count()
    changed = services.task_bulk_update(
        by=world.regulator_a,
        plan=imported,
        tasks=tasks,
        deadline=dt.date(2025, 6, 30),
        offices="医政科、应急办",
        offices_mode="add",
    )
    assert changed == 3
    by = {t.number: t for t in _tasks(imported, "1", "2", "3", "4")}
    assert all(by[n].deadline == dt.date(2025, 6, 30) and by[n].is_standing for n in "123")
    assert by["1"].lead_offices == ["综合办公室", "医政科", "应急办"]
    assert by["3"].lead_offices == ["安全生产与项目规划科", "医政科", "基层卫生科", "应急办"]  # no duplicate
    assert by["4"].deadline == dt.date(2024, 4, 30)  # not ticked: unchanged
    events = AuditEvent.objects.filter(verb=AuditVerb.TASK_UPDATED).order_by("pk")[before:]
    assert len(events) == 3 and all(e.note == "批量修改" for e in events)
    # replace, and clear the standing flag where a deadline remains
    services.task_bulk_update(by=world.regulator_a, plan=imported, tasks=tasks[:1], offices="办公室", standing="clear")
    task = Task.objects.get(pk=tasks[0].pk)
    assert task.lead_offices == ["办公室"] and not task.is_standing and task.deadline_display == "2025-06-30前"


def test_bulk_deadline_clears_the_unclear_flag(world, imported):
    Task.objects.filter(plan=imported, number__in=["5", "6"]).update(
        deadline=None, is_standing=False, deadline_unclear=True
    )
    services.task_bulk_update(by=world.regulator_a, plan=imported, tasks=_tasks(imported, "5", "6"), standing="set")
    assert not Task.objects.filter(plan=imported, deadline_unclear=True).exists()


def test_bulk_edit_is_all_or_nothing(world, imported):
    Task.objects.filter(plan=imported, number="2").update(deadline=None, is_standing=True)
    tasks = _tasks(imported, "1", "2")
    before = AuditEvent.objects.count()
    with pytest.raises(DomainError, match="任务2将既无完成时限也非长期坚持"):
        services.task_bulk_update(
            by=world.regulator_a, plan=imported, tasks=tasks, standing="clear", result_form="制度"
        )
    assert AuditEvent.objects.count() == before
    assert Task.objects.get(plan=imported, number="1").is_standing  # the first task was rolled back too
    assert Task.objects.get(plan=imported, number="1").result_form == ""
    with pytest.raises(DomainError, match="请填写要批量修改的内容"):
        services.task_bulk_update(by=world.regulator_a, plan=imported, tasks=tasks)
    with pytest.raises(DomainError, match="请至少勾选"):
        services.task_bulk_update(by=world.regulator_a, plan=imported, tasks=[], result_form="x")


def test_bulk_edit_only_by_the_plans_regulator(world, imported):
    tasks = _tasks(imported, "1")
    with pytest.raises(NotPermittedError):
        services.task_bulk_update(by=world.officer_a, plan=imported, tasks=tasks, result_form="x")
    with pytest.raises(NotPermittedError):
        services.task_bulk_update(by=world.regulator_b, plan=imported, tasks=tasks, result_form="x")
    other = services.plan_create(by=world.regulator_a, data={"title": "另一方案"})
    with pytest.raises(DomainError, match="不属于本清单"):
        services.task_bulk_update(by=world.regulator_a, plan=other, tasks=tasks, result_form="x")


def test_bulk_edit_page(client, world, imported):
    client.force_login(world.regulator_a)
    url = reverse("action_plans:task-bulk-edit", args=[imported.pk])
    page = client.get(url)
    assert page.status_code == 200 and page.content.decode().count('name="tasks"') == 56
    page = client.post(url, {"deadline": "2026-03-31", "offices_mode": "replace"})
    assert "请至少勾选一项任务" in page.content.decode()
    ids = [t.pk for t in _tasks(imported, "7", "8")]
    page = client.post(url, {"tasks": ids, "deadline": "2026-03-31", "offices_mode": "replace"}, follow=True)
    assert "已修改 2 项任务" in page.content.decode()
    assert set(Task.objects.filter(pk__in=ids).values_list("deadline", flat=True)) == {dt.date(2026, 3, 31)}
    client.force_login(world.officer_a)
    assert client.get(url).status_code == 403


@pytest.fixture
def claims(world, imported):
    """Tasks 1–3 of hospital_a reported as done, awaiting review; task 4 reported, not claimed."""
    items = []
    for number in "1234":
        a = Assignment.objects.get(task__plan=imported, task__number=number, organization=world.hospital_a)
        services.progress_report(
            by=world.officer_a, assignment=a, text=f"任务{number}已完成", claims_done=number != "4"
        )
        items.append(a)
    return items


def test_review_many_at_once(world, claims):
    count = services.assignment_bulk_review(by=world.regulator_a, assignments=claims[:2], accept=True)
    assert count == 2
    states = [Assignment.objects.get(pk=a.pk).status for a in claims]
    assert states == [
        AssignmentStatus.DONE,
        AssignmentStatus.DONE,
        AssignmentStatus.IN_PROGRESS,
        AssignmentStatus.IN_PROGRESS,
    ]
    assert AuditEvent.objects.filter(verb=AuditVerb.ASSIGNMENT_ACCEPTED).count() == 2


def test_bulk_review_refusals_change_nothing(world, claims):
    before = AuditEvent.objects.count()
    with pytest.raises(DomainError, match="退回时请写明意见"):
        services.assignment_bulk_review(by=world.regulator_a, assignments=claims[:3], accept=False)
    with pytest.raises(ConflictError, match="不在待审核状态"):  # task 4 was never claimed as done
        services.assignment_bulk_review(by=world.regulator_a, assignments=claims, accept=True)
    with pytest.raises(NotPermittedError):
        services.assignment_bulk_review(by=world.regulator_b, assignments=claims[:1], accept=True)
    with pytest.raises(NotPermittedError):
        services.assignment_bulk_review(by=world.officer_a, assignments=claims[:1], accept=True)
    assert AuditEvent.objects.count() == before
    assert not Assignment.objects.filter(status=AssignmentStatus.DONE).exists()


def test_bulk_review_page(client, world, claims):
    client.force_login(world.regulator_a)
    url = reverse("action_plans:assignment-bulk-review")
    html = client.get(url).content.decode()
    assert html.count('name="assignments"') == 3 and "任务1已完成" in html and "任务4已完成" not in html
    page = client.post(url, {"assignments": [claims[0].pk, claims[1].pk], "decision": "return", "comment": ""})
    assert "退回时请写明意见" in page.content.decode()
    page = client.post(
        url,
        {"assignments": [claims[0].pk, claims[1].pk], "decision": "return", "comment": "请补充培训记录"},
        follow=True,
    )
    assert "已退回 2 项任务" in page.content.decode()
    returned = Assignment.objects.filter(review_state=ReviewState.RETURNED)
    assert set(returned.values_list("pk", flat=True)) == {claims[0].pk, claims[1].pk}
    assert set(returned.values_list("review_comment", flat=True)) == {"请补充培训记录"}
    # sent back: no longer in the queue
    assert client.get(url).content.decode().count('name="assignments"') == 1
    list_page = client.get(reverse("action_plans:assignment-list") + "?state=pending").content.decode()
    assert 'data-testid="bulk-review"' in list_page
    client.force_login(world.officer_a)
    assert client.get(url).status_code == 403
