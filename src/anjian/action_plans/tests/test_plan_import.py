"""Importing a task table: preview first, nothing stored until confirmed; then one assignment per
task × responsible unit of the regulator's jurisdiction."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook
from rest_framework.test import APIClient

from anjian.action_plans import services
from anjian.action_plans.choices import DraftStatus
from anjian.action_plans.models import Assignment, ImportDraft, Plan, Task
from anjian.action_plans.tests.helpers import seed_002_xlsx, seed_003_xlsx
from anjian.core.audit import AuditVerb
from anjian.core.errors import ConflictError, DomainError, NotPermittedError
from anjian.core.models import AuditEvent
from anjian.core.xlsx import XlsxError


def test_preview_stores_no_plan(world, groups):
    draft = services.plan_import_preview(by=world.regulator_a, file=seed_003_xlsx(), name="附件3.xlsx")
    assert len(draft.parsed["tasks"]) == 56
    assert not Plan.objects.exists() and not Task.objects.exists()
    assert draft.organization == world.district_a


def test_confirm_stores_plan_tasks_and_assignments(world, imported):
    plan = imported
    assert plan.organization == world.district_a
    assert plan.tasks.count() == 56 and plan.actions.count() == 6
    assert plan.start_year == 2024 and plan.end_year == 2026
    task = plan.tasks.get(number="3")
    assert task.lead_offices == ["安全生产与项目规划科", "医政科", "基层卫生科"]
    # 局属各单位 (public hospital_a) and 各基层和民营医疗机构 (clinic_a is a private clinic)
    assert set(task.assignments.values_list("organization", flat=True)) == {world.hospital_a.pk, world.clinic_a.pk}
    # "各县（市）区卫生健康局" names no institution here: the task stays unassigned (shown in the preview)
    assert not plan.tasks.get(number="46").assignments.exists()
    assert not Assignment.objects.filter(organization=world.hospital_b).exists()
    assert AuditEvent.objects.filter(verb=AuditVerb.PLAN_IMPORTED, target_id=str(plan.pk)).exists()
    draft = ImportDraft.objects.get()
    assert draft.status == DraftStatus.CONFIRMED and draft.plan == plan


def test_confirm_twice_is_refused(world, imported):
    draft = ImportDraft.objects.get()
    with pytest.raises(ConflictError):
        services.plan_import_confirm(by=world.regulator_a, draft=draft)
    assert Plan.objects.count() == 1


def test_deadline_fix_at_confirmation(world, groups):
    draft = services.plan_import_preview(by=world.regulator_a, file=seed_002_xlsx(), name="附件1.xlsx")
    draft.parsed["year"] = None  # a table without a year in its title: "12 月" cannot be dated
    draft.parsed["tasks"][0]["deadline_text"] = "下半年"
    draft.save()
    with pytest.raises(DomainError, match="仍无法识别"):
        services.plan_import_confirm(by=world.regulator_a, draft=draft, fixes={"1": "年底"})
    plan = services.plan_import_confirm(by=world.regulator_a, draft=draft, fixes={"1": "2024年12月前"})
    first = plan.tasks.get(number="1")
    assert str(first.deadline) == "2024-12-31" and not first.deadline_unclear
    assert plan.tasks.get(number="2").deadline_unclear  # "12 月" without a year: kept, flagged, not guessed


def test_institution_cannot_import(world, groups):
    with pytest.raises(NotPermittedError):
        services.plan_import_preview(by=world.officer_a, file=seed_003_xlsx(), name="a.xlsx")


def test_bad_file_changes_nothing(world, groups):
    import io

    with pytest.raises(XlsxError):
        services.plan_import_preview(by=world.regulator_a, file=io.BytesIO(b"x"), name="a.xlsx")
    assert not ImportDraft.objects.exists()


def _table_with_deadlines(*rows) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(["序号", "任务内容", "责任单位", "完成时限"])
    for row in rows:
        ws.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "任务清单.xlsx"
    return out


def test_preview_warns_that_n_tasks_deadlines_have_passed_without_blocking(client, world, groups):
    today = timezone.localdate()
    yesterday = today - dt.timedelta(days=1)
    last_year = today.year - 1
    table = _table_with_deadlines(
        ("1", "开展消防安全培训", "局属各单位", yesterday.isoformat()),
        ("2", "建立隐患台账", "局属各单位", f"{last_year}年12月前，长期坚持"),
        ("3", "开展应急演练", "局属各单位", (today + dt.timedelta(days=30)).isoformat()),
        ("4", "更新两单两卡", "局属各单位", today.isoformat()),  # due today: not past yet
    )
    client.force_login(world.regulator_a)

    r = client.post(reverse("action_plans:plan-import"), {"file": table})
    page = client.get(r["Location"]).content.decode()

    assert "2 项任务的完成时限已过" in page
    assert f"序号1：完成时限 {yesterday.isoformat()}" in page
    assert f"序号2：完成时限 {last_year}-12-31（长期坚持）" in page
    assert "序号3：完成时限" not in page and "序号4：完成时限" not in page
    r = client.post(r["Location"], {"title": "补充任务"})  # a warning, not a problem: confirming still works
    assert r.status_code == 302 and Plan.objects.get().tasks.count() == 4


def test_api_preview_lists_the_tasks_whose_deadline_has_passed(world, groups):
    api = APIClient()
    api.force_authenticate(world.regulator_a)
    past = (timezone.localdate() - dt.timedelta(days=40)).isoformat()
    table = _table_with_deadlines(
        ("1", "开展消防安全培训", "局属各单位", past), ("2", "长期任务", "局属各单位", "长期坚持")
    )

    body = api.post("/api/v1/plans/import/", {"file": table}, format="multipart").json()

    assert body["warnings"] == [
        {
            "code": "past_deadlines",
            "message": "1 项任务的完成时限已过",
            "tasks": [
                {"number": "1", "title": "开展消防安全培训", "deadline": past, "deadline_text": past, "standing": False}
            ],
        }
    ]
    assert body["problems"] == []


@pytest.mark.parametrize(("rows", "says"), [(200_000, "解压后有"), (5_000, "5001 行")])
def test_a_huge_task_table_is_refused_before_the_workbook_is_loaded(client, world, groups, rows, says):
    """A 200k-row workbook took 29 s and 490 MB on the plan import (the whole workbook is loaded for
    its merged cells); it is now refused from the archive's directory, and a table of thousands of
    rows from a count of its rows, at once."""
    import io
    import time

    from openpyxl import Workbook

    from anjian.core.testing.factories import api_client

    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(["序号", "重点工作任务", "责任单位", "完成时限"])
    for n in range(rows):
        ws.append([n, "x", "y", "z"])
    out = io.BytesIO()
    wb.save(out)
    out.name = "任务清单.xlsx"
    out.seek(0)
    started = time.monotonic()
    response = api_client(world.regulator_a).post("/api/v1/plans/import/", {"file": out}, format="multipart")
    assert response.status_code == 400 and says in response.json()["detail"], response.json()
    assert time.monotonic() - started < 10  # was 29 s; nothing is loaded
