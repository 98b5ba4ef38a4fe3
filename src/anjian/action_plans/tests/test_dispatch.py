"""调度: the matrix puts late tasks and late units first, the timeline (挂图作战) groups the deadlines
by month with the standing tasks last, a unit's page lists its late tasks first."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
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


# --- a city's matrix: a page of units at a time, the counts of all of them ----------------------
@pytest.fixture
def city(world, groups):
    """A city plan with a late task and a standing one for 53 units: 52 in 甲区, one in 乙区 whose
    two tasks are both done. 50 units a page, late units first: the 乙区 hospital is on page 2."""
    from anjian.core.roles import Role
    from anjian.core.testing import factories as f

    regulator = f.make_user(organization=world.city, role=Role.REGULATOR_ADMIN, username="reg_city", name="市监管")
    units = [world.hospital_a, world.clinic_a, world.hospital_b]
    units += [f.make_institution(parent=world.district_a, name=f"甲区卫生院{i:02d}") for i in range(50)]
    plan = services.plan_create(by=regulator, data={"title": "全市调度方案"})
    late = timezone.localdate() - dt.timedelta(days=10)
    for number, content, deadline in (("1", "全市消防演练", late), ("2", "全市日常巡查", None)):
        services.task_create(
            by=regulator,
            plan=plan,
            data={"number": number, "content": content, "deadline": deadline, "is_standing": deadline is None},
            named_units=units,
        )
    for a in Assignment.objects.filter(task__plan=plan, organization=world.hospital_b):
        services.progress_report(by=world.officer_b, assignment=a, text="已完成", claims_done=True)
        services.assignment_review(by=regulator, assignment=a, accept=True)
    return regulator, plan


def _cells(html):
    return re.findall(r'data-cell="([^"]+)" data-status="([^"]+)"', html)


def test_city_matrix_shows_a_page_of_units_and_the_totals_of_all(client, world, city):
    regulator, plan = city
    client.force_login(regulator)
    url = reverse("action_plans:plan-matrix", args=[plan.pk])
    html = client.get(url).content.decode()
    cells = _cells(html)
    page_1 = {unit for unit, _status in cells}
    assert len(page_1) == 50 and len(cells) == 100  # 50 units × 2 tasks
    assert world.hospital_b.name not in page_1
    legend = html[html.index('data-testid="legend"') : html.index('data-testid="matrix"')]
    assert 'data-testid="unit-count">53 家单位' in legend
    for label, n in (("逾期", 52), ("已完成", 2), ("未开始", 52), ("待审核", 0)):
        assert f"{label} {n}</span>" in legend
    totals = re.findall(r'data-testid="task-totals">(.*?)</div>', html)
    # the late task first; its totals count all 53 units, not this page's 50
    assert "完成 1/53" in totals[0] and "逾期 52" in totals[0]
    assert "完成 1/53" in totals[1] and "逾期" not in totals[1]
    # the unit on page 2, through the page link
    assert "?page=2" in html
    html = client.get(url + "?page=2").content.decode()
    cells = _cells(html)
    assert len({unit for unit, _status in cells} | page_1) == 53  # the 3 others: the last 2 late, then 乙区's
    assert cells.count((world.hospital_b.name, "已完成")) == 2 and len(cells) == 6
    assert client.get(url + "?page=3").status_code == 404
    # ... and through the search, on page 1
    html = client.get(url, {"q": "乙区人民医院"}).content.decode()
    assert {unit for unit, _status in _cells(html)} == {world.hospital_b.name}
    assert 'data-testid="unit-count">1 家单位' in html and "完成 1/1" in html


def test_city_matrix_sums_up_each_district_and_drills_down(client, world, city):
    regulator, plan = city
    client.force_login(regulator)
    url = reverse("action_plans:plan-matrix", args=[plan.pk])
    html = client.get(url).content.decode()
    table = html[html.index('data-testid="districts"') : html.index('data-testid="matrix"')]
    rows = re.findall(r'<tr data-testid="district-row">(.*?)</tr>', table, re.S)
    assert len(rows) == 2
    numbers = [re.findall(r">(\d+%?)<", row) for row in rows]
    assert "甲区卫健委" in rows[0] and numbers[0] == ["52", "52", "0", "0", "0", "52", "0%"]
    assert world.district_b.name in rows[1] and numbers[1] == ["1", "0", "0", "0", "2", "0", "100%"]
    # drill down into 乙区: its one hospital, its counts; no district below it to sum up
    html = client.get(url, {"district": world.district_b.pk}).content.decode()
    assert {unit for unit, _status in _cells(html)} == {world.hospital_b.name}
    assert 'data-testid="unit-count">1 家单位' in html and 'data-testid="districts"' not in html
    # the state filter: the units whose tasks are all done, the units with a late task
    html = client.get(url, {"state": "done"}).content.decode()
    assert {unit for unit, _status in _cells(html)} == {world.hospital_b.name}
    html = client.get(url, {"state": "late", "district": world.district_a.pk}).content.decode()
    assert 'data-testid="unit-count">52 家单位' in html and world.hospital_b.name not in html
    # a "district" that is no regulator is ignored, like any invalid filter
    html = client.get(url, {"district": world.hospital_a.pk}).content.decode()
    assert 'data-testid="unit-count">53 家单位' in html


def test_city_matrix_queries_do_not_grow_with_units(client, world, city):
    """The same queries for a plan with 2 units as for the city's 53, on every page and filter."""
    regulator, big = city
    small = services.plan_create(by=regulator, data={"title": "两家单位的方案"})
    services.task_create(
        by=regulator,
        plan=small,
        data={"number": "1", "content": "演练", "deadline": timezone.localdate() - dt.timedelta(days=3)},
        named_units=[world.hospital_a, world.hospital_b],
    )
    client.force_login(regulator)
    for query in ({}, {"state": "late"}, {"district": world.district_a.pk}, {"q": "医院"}):
        counts = []
        for plan in (small, big, small):  # the first request of a kind warms the caches
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(reverse("action_plans:plan-matrix", args=[plan.pk]), query).status_code == 200
            counts.append(len(ctx.captured_queries))
        assert counts[1] == counts[2], (query, counts)


def test_city_matrix_export_has_every_unit_not_only_the_page(client, world, city):
    import io

    from openpyxl import load_workbook

    regulator, plan = city
    client.force_login(regulator)
    html = client.get(reverse("action_plans:plan-matrix", args=[plan.pk])).content.decode()
    url = reverse("action_plans:plan-matrix-export", args=[plan.pk])
    assert f'href="{url}"' in html  # the page's button
    r = client.get(url)
    assert r.status_code == 200 and r["Content-Disposition"].startswith("attachment")
    ws = load_workbook(io.BytesIO(b"".join(r.streaming_content))).active
    assert ws.cell(1, 1).value.startswith("全市调度方案调度矩阵")
    header = [ws.cell(2, c).value for c in range(1, 9)]
    assert header == ["序号", "责任单位", "上级单位", "任务数", "已完成", "逾期", "1. 全市消防演练", "2. 全市日常巡查"]
    rows = {row[1]: row for row in ws.iter_rows(min_row=3, values_only=True)}
    assert len(rows) == 53  # all of them, where the page shows 50
    assert rows[world.hospital_b.name] == (
        rows[world.hospital_b.name][0],
        world.hospital_b.name,
        world.district_b.name,
        2,
        2,
        0,
        "已完成",
        "已完成",
    )
    assert rows[world.hospital_a.name][2:] == ("甲区卫健委", 2, 0, 1, "逾期·未开始", "未开始")
    # the page's filters apply: 乙区 only
    r = client.get(url, {"district": world.district_b.pk})
    ws = load_workbook(io.BytesIO(b"".join(r.streaming_content))).active
    assert [row[1] for row in ws.iter_rows(min_row=3, values_only=True)] == [world.hospital_b.name]
    # 乙区's regulator reads the city's plan too, with its own units only
    client.force_login(world.regulator_b)
    ws = load_workbook(io.BytesIO(b"".join(client.get(url).streaming_content))).active
    assert [row[1] for row in ws.iter_rows(min_row=3, values_only=True)] == [world.hospital_b.name]
    html = client.get(reverse("action_plans:plan-matrix", args=[plan.pk])).content.decode()
    assert {unit for unit, _status in _cells(html)} == {world.hospital_b.name}
