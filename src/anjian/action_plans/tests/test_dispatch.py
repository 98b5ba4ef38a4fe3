"""调度: the matrix puts late tasks and late units first, the timeline (挂图作战) groups the deadlines
by month with the standing tasks last, a unit's page lists its late tasks first."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from anjian.action_plans import selectors, services
from anjian.action_plans.models import Assignment


@pytest.fixture
def plan(world, groups):
    """Task 1 standing, task 2 due next year, task 3 late: the clinic finished it, the hospital not."""
    today = timezone.localdate()
    plan = services.plan_create(by=world.regulator_a, data={"title": "调度测试方案"})
    for number, content, deadline in (
        ("1", "日常巡查", None),
        ("2", "标准化建设", dt.date(today.year + 1, 6, 30)),
        ("3", "消防演练", today - dt.timedelta(days=40)),
    ):
        services.task_create(
            by=world.regulator_a,
            plan=plan,
            data={"number": number, "content": content, "deadline": deadline, "is_standing": deadline is None},
            named_units=[world.hospital_a, world.clinic_a],
        )
    done = Assignment.objects.get(task__plan=plan, task__number="3", organization=world.clinic_a)
    services.progress_report(by=world.clinic_officer_a, assignment=done, text="已演练", claims_done=True)
    services.assignment_review(by=world.regulator_a, assignment=done, accept=True)
    return plan


def test_matrix_late_tasks_and_late_units_first(world, plan):
    m = selectors.plan_matrix(user=world.regulator_a, plan=plan)
    assert [t.number for t in m.tasks] == ["3", "1", "2"]  # the late task first, then plan order
    assert [u.name for u in m.units] == [world.hospital_a.name, world.clinic_a.name]  # the late unit first
    rows = {task.number: [a.colour for a in cells] for task, cells in m.rows()}
    assert rows["3"] == ["red", "green"]
    assert m.counts == {"red": 1, "green": 1, "secondary": 4}


def test_matrix_page_shows_the_late_cell_first(client, world, plan):
    client.force_login(world.regulator_a)
    html = client.get(reverse("action_plans:plan-matrix", args=[plan.pk])).content.decode()
    cells = re.findall(r'data-cell="([^"]+)" data-status="([^"]+)"', html)
    assert cells[0] == (world.hospital_a.name, "逾期·未开始")
    assert (world.clinic_a.name, "已完成") in cells


def test_matrix_of_a_unit_shows_only_its_own_column(world, plan):
    m = selectors.plan_matrix(user=world.officer_a, plan=plan)
    assert [u.name for u in m.units] == [world.hospital_a.name]


def test_timeline_by_month_standing_last(world, plan):
    today = timezone.localdate()
    months = selectors.plan_timeline(user=world.regulator_a, plan=plan)
    late_month = today - dt.timedelta(days=40)
    assert [m["label"] for m in months] == [
        f"{late_month.year}年{late_month.month}月",
        f"{today.year + 1}年6月",
        "长期坚持",
    ]
    first = months[0]
    assert (first["past"], first["total"], first["done"], first["late"], first["percent"]) == (True, 2, 1, 1, 50)
    assert months[-1]["tasks"][0].content == "日常巡查"


def test_unit_page_lists_late_tasks_first(client, world, plan):
    client.force_login(world.regulator_a)
    html = client.get(reverse("action_plans:unit-detail", args=[world.hospital_a.pk])).content.decode()
    table = html[html.index('data-testid="unit-assignments"') :]
    # late first, then the nearest deadline, standing tasks last (on SQLite and PostgreSQL alike)
    assert table.index("消防演练") < table.index("标准化建设") < table.index("日常巡查")
    client.force_login(world.clinic_officer_a)  # another unit's page: not found
    assert client.get(reverse("action_plans:unit-detail", args=[world.hospital_a.pk])).status_code == 404
