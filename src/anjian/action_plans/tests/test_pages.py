"""The pages: wiring, scoping, the refusals, and bounded queries on the lists and the matrix."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from anjian.action_plans import services
from anjian.action_plans.defaults import ensure_report_examples
from anjian.action_plans.models import Assignment, ImportDraft, Plan
from anjian.action_plans.tests.helpers import seed_002_xlsx, seed_003_xlsx
from anjian.core.testing import factories as f


def _client(client, user):
    client.force_login(user)
    return client


def test_import_preview_then_confirm_through_the_pages(client, world, groups):
    c = _client(client, world.regulator_a)
    upload = seed_002_xlsx()
    upload.name = "附件1.xlsx"
    r = c.post(reverse("action_plans:plan-import"), {"file": upload})
    draft = ImportDraft.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("action_plans:plan-import-preview", args=[draft.pk])
    page = c.get(r["Location"]).content.decode()
    assert "读取到 35 项任务" in page and "区安委会办公室" in page and "辖区全部机构" in page
    assert not Plan.objects.exists()
    r = c.post(r["Location"], {"title": "普陀区2024年工作计划", "document_number": "普安委〔2024〕4号"})
    plan = Plan.objects.get()
    assert r.status_code == 302 and plan.tasks.count() == 35
    assert c.get(reverse("action_plans:plan-import-preview", args=[draft.pk])).status_code == 404


def test_bad_upload_shows_a_chinese_message(client, world, groups):
    from django.core.files.uploadedfile import SimpleUploadedFile

    c = _client(client, world.regulator_a)
    r = c.post(reverse("action_plans:plan-import"), {"file": SimpleUploadedFile("a.xls", b"x")})
    assert r.status_code == 200 and "xlsx" in r.content.decode()
    assert not ImportDraft.objects.exists()


def test_institution_sees_its_assignments_and_their_plan_only(client, world, imported):
    c = _client(client, world.clinic_officer_a)
    assert c.get(reverse("action_plans:plan-detail", args=[imported.pk])).status_code == 200
    mine = Assignment.objects.filter(organization=world.clinic_a).first()
    theirs = Assignment.objects.filter(organization=world.hospital_a).first()
    assert c.get(reverse("action_plans:assignment-detail", args=[mine.pk])).status_code == 200
    assert c.get(reverse("action_plans:assignment-detail", args=[theirs.pk])).status_code == 404
    assert c.get(reverse("action_plans:plan-import")).status_code == 403


def test_progress_form_and_review_form(client, world, imported):
    a = Assignment.objects.get(task__plan=imported, task__number="2", organization=world.hospital_a)
    c = _client(client, world.officer_a)
    r = c.post(
        reverse("action_plans:assignment-report", args=[a.pk]),
        {"text": "", "reported_on": dt.date.today().isoformat()},
    )
    assert (r.status_code == 200 and "请填写" in r.content.decode()) or "必填" in r.content.decode()
    r = c.post(
        reverse("action_plans:assignment-report", args=[a.pk]),
        {"text": "已学习", "reported_on": dt.date.today().isoformat(), "claims_done": "on"},
    )
    assert r.status_code == 302
    c = _client(client, world.regulator_a)
    r = c.post(reverse("action_plans:assignment-review", args=[a.pk]), {"decision": "return", "comment": ""})
    assert "退回时请写明意见" in r.content.decode()
    r = c.post(reverse("action_plans:assignment-review", args=[a.pk]), {"decision": "accept", "comment": ""})
    a.refresh_from_db()
    assert r.status_code == 302 and a.status == "done"


def test_every_page_answers(client, world, imported):
    ensure_report_examples(world.district_a, by=world.regulator_a)
    c = _client(client, world.regulator_a)
    task = imported.tasks.first()
    a = task.assignments.first()
    for name, args in [
        ("plan-list", []),
        ("plan-detail", [imported.pk]),
        ("plan-edit", [imported.pk]),
        ("plan-matrix", [imported.pk]),
        ("plan-timeline", [imported.pk]),
        ("task-detail", [task.pk]),
        ("task-edit", [task.pk]),
        ("assignment-list", []),
        ("assignment-detail", [a.pk]),
        ("unit-detail", [world.hospital_a.pk]),
        ("report-list", []),
        ("report-create", []),
    ]:
        assert c.get(reverse(f"action_plans:{name}", args=args)).status_code == 200, name
    r = c.get(reverse("action_plans:plan-export", args=[imported.pk]))
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")


def test_export_in_the_layout_of_seed_004(client, world, imported):
    import io

    from openpyxl import load_workbook

    a = Assignment.objects.get(task__plan=imported, task__number="1", organization=world.hospital_a)
    services.progress_report(by=world.officer_a, assignment=a, text="已列入学习计划", result_form="学习计划")
    r = _client(client, world.regulator_a).get(reverse("action_plans:plan-export", args=[imported.pk]))
    ws = load_workbook(io.BytesIO(r.content)).active
    header = [ws.cell(3, c).value for c in range(1, 10)]
    assert header == [
        "序号",
        "任务事项",
        "主要内容",
        "重点措施",
        "牵头部门\n责任单位",
        "完成\n时限",
        "工作进展",
        "成果形式",
        "备注",
    ]
    assert ws.cell(4, 2).value == "从业人员安全素养提升行动"
    assert "A4:A9" in {str(m) for m in ws.merged_cells.ranges}  # 序号 merged over the action's six tasks
    assert "甲区人民医院（逾期·推进中）：已列入学习计划" in ws.cell(4, 7).value
    assert ws.cell(4, 8).value == "学习计划"
    assert ws.max_row == 3 + 56


def test_report_pages(client, world, groups):
    putuo, jilin = ensure_report_examples(world.district_a, by=world.regulator_a)
    c = _client(client, world.officer_a)
    url = reverse("action_plans:report-fill", args=[putuo.pk]) + "?period=2025-05"
    assert c.get(url).status_code == 200
    r = c.post(url, {"highlights": "培训", "draft": "1"})
    assert r.status_code == 302
    r = c.post(url, {"highlights": "培训", "difficulties": "x", "major_hazards": "无", "plan": "y", "submit": "1"})
    assert r.status_code == 302
    c = _client(client, world.regulator_a)
    page = c.get(reverse("action_plans:report-detail", args=[putuo.pk]) + "?period=2025-05").content.decode()
    assert "2025-05-25" in page and "已报送" in page
    assert "本期报送内容" in page
    assert "工作亮点" in page  # the regulator reads every submission of the period on one page
    page = c.get(reverse("action_plans:report-detail", args=[jilin.pk]) + "?period=2025-09").content.decode()
    assert "2025-10-09" in page  # the 1st of October inside the National Day holiday
    r = c.get(reverse("action_plans:report-export", args=[putuo.pk]) + "?period=2025-05")
    assert r.status_code == 200


@pytest.mark.parametrize("name", ["plan-matrix", "plan-detail", "plan-timeline", "assignment-list", "plan-list"])
def test_bounded_queries(client, world, groups, name):
    """The same number of queries for a plan with 2 units as with 12."""
    counts = []
    for extra in (0, 10):
        for i in range(extra):
            f.make_institution(parent=world.district_a, name=f"甲区医院{name}{extra}{i}")
        draft = services.plan_import_preview(by=world.regulator_a, file=seed_003_xlsx(), name="a.xlsx")
        plan = services.plan_import_confirm(by=world.regulator_a, draft=draft)
        c = _client(client, world.regulator_a)
        url = reverse(
            f"action_plans:{name}", args=[plan.pk] if name.startswith("plan-") and name != "plan-list" else []
        )
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(url).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


def test_report_settings_keep_field_names(client, world, groups):
    putuo, _jilin = ensure_report_examples(world.district_a, by=world.regulator_a)
    c = _client(client, world.regulator_a)
    url = reverse("action_plans:report-edit", args=[putuo.pk])
    assert c.get(url).status_code == 200
    groups_ = [g.pk for g in putuo.unit_groups.all()]
    data = {
        "name": "月度工作情况报告",
        "field_lines": "工作亮点\n难点问题\n重大隐患情况\n整改计划\n下月计划",
        "max_chars": 1000,
        "frequency": "monthly",
        "due_day": 20,
        "months_after": 0,
        "holiday_shift": "next_workday",
        "unit_groups": groups_,
    }
    assert c.post(url, data).status_code == 302
    putuo.refresh_from_db()
    assert [f["name"] for f in putuo.fields][:4] == ["highlights", "difficulties", "major_hazards", "plan"]
    assert putuo.due_day == 20 and putuo.max_chars == 1000 and len(putuo.fields) == 5
    assert _client(client, world.officer_a).get(url).status_code == 403
    assert _client(client, world.regulator_b).get(url).status_code == 404


def test_unit_groups_are_data_the_admin_edits(client, world, groups):
    from anjian.action_plans.models import UnitGroup

    c = _client(client, world.regulator_a)
    page = c.get(reverse("action_plans:unit-group-list")).content.decode()
    assert "局属各单位" in page and "托育机构" in page
    r = c.post(
        reverse("action_plans:unit-group-create"),
        {"name": "急救机构", "keyword_text": "急救中心\n120", "kinds": ["other"], "sort_order": 5},
    )
    assert r.status_code == 302 and UnitGroup.objects.get(name="急救机构").keywords == ["急救中心", "120"]
    r = c.post(reverse("action_plans:unit-group-create"), {"name": "空", "keyword_text": "空", "sort_order": 1})
    assert "请选择机构类别" in r.content.decode() and not UnitGroup.objects.filter(name="空").exists()
    group = UnitGroup.objects.get(name="托育机构")
    data = {"name": "托育机构", "keyword_text": "托育\n幼儿照护", "kinds": ["childcare"], "sort_order": 40}
    assert c.post(reverse("action_plans:unit-group-edit", args=[group.pk]), data).status_code == 302
    group.refresh_from_db()
    assert group.keywords == ["托育", "幼儿照护"]
    assert _client(client, world.officer_a).get(reverse("action_plans:unit-group-list")).status_code == 403


def test_statistics_export_adds_the_years_totals(client, world, groups):
    import io

    from openpyxl import load_workbook

    _putuo, jilin = ensure_report_examples(world.district_a, by=world.regulator_a)
    values = {"hazards_total": 2, "general_found": 2, "general_fixed": 1, "major_found": 0, "major_fixed": 0}
    reasons = dict.fromkeys(["hazards_total", "general_found", "general_fixed"], "台账启用前的纸质记录")
    for month in (1, 2, 3):
        services.submission_save(
            by=world.officer_a,
            definition=jilin,
            period=dt.date(2025, month, 1),
            values=values,
            reasons=reasons,
            submit=True,
        )
    r = _client(client, world.regulator_a).get(
        reverse("action_plans:report-export", args=[jilin.pk]) + "?period=2025-03"
    )
    ws = load_workbook(io.BytesIO(r.content)).active
    header = [c.value for c in ws[2]]
    row = next(r for r in ws.iter_rows(min_row=3, values_only=True) if r[0] == "甲区人民医院")
    assert row[header.index("排查发现隐患总数（项）")] == 2
    assert row[header.index("排查发现隐患总数（项）（本年累计）")] == 6
    assert "逾期" in next(r for r in ws.iter_rows(min_row=3, values_only=True) if r[0] == "甲区诊所")[1]


def test_plan_and_task_by_hand(client, world, groups):
    from anjian.action_plans.models import UnitGroup

    c = _client(client, world.regulator_a)
    r = c.post(reverse("action_plans:plan-create"), {"title": "2025年安全生产工作要点", "start_year": 2025})
    plan = Plan.objects.get()
    assert r.status_code == 302 and plan.organization == world.district_a
    url = reverse("action_plans:task-create", args=[plan.pk])
    assert c.get(url).status_code == 200
    r = c.post(url, {"content": "组织应急演练"})
    assert "请填写完成时限" in r.content.decode() and not plan.tasks.exists()
    private = UnitGroup.objects.get(name="民营医疗机构")
    r = c.post(
        url,
        {
            "action_title": "应急能力提升",
            "content": "组织应急演练",
            "offices": "应急办、医政科",
            "unit_groups": [private.pk],
            "named_units": [world.hospital_a.pk],
            "deadline": "2025-06-30",
        },
    )
    task = plan.tasks.get()
    assert r.status_code == 302 and task.lead_offices == ["应急办", "医政科"] and task.action.title == "应急能力提升"
    assert set(task.assignments.values_list("organization", flat=True)) == {world.hospital_a.pk, world.clinic_a.pk}


def test_withdrawn_plan_leaves_the_lists_and_keeps_everything(client, world, imported):
    c = _client(client, world.regulator_a)
    assert c.get(reverse("action_plans:plan-deactivate", args=[imported.pk])).status_code == 200
    r = c.post(reverse("action_plans:plan-deactivate", args=[imported.pk]), {"note": "被新方案替代"})
    imported.refresh_from_db()
    assert r.status_code == 302 and not imported.is_active and imported.tasks.count() == 56
    detail = reverse("action_plans:plan-detail", args=[imported.pk])
    assert f'href="{detail}"' not in c.get(reverse("action_plans:plan-list")).content.decode()
    assert f'href="{detail}"' in c.get(reverse("action_plans:plan-list") + "?inactive=1").content.decode()
    officer = _client(client, world.officer_a)
    assert "将习近平" not in officer.get(reverse("action_plans:assignment-list")).content.decode()
    assert officer.post(reverse("action_plans:plan-reactivate", args=[imported.pk]), {}).status_code == 403
    c = _client(client, world.regulator_a)
    c.post(reverse("action_plans:plan-reactivate", args=[imported.pk]), {"note": ""})
    imported.refresh_from_db()
    assert imported.is_active


def test_my_tasks_are_counted_and_paginated(client, world, imported):
    n = Assignment.objects.filter(organization=world.hospital_a).count()
    assert n > 50
    c = _client(client, world.officer_a)
    html = c.get(reverse("action_plans:assignment-list")).content.decode()
    assert f"第 1–50 条，共 {n} 条" in html and "?page=2" in html
    html = c.get(reverse("action_plans:assignment-list") + "?page=2").content.decode()
    assert f"第 51–{n} 条，共 {n} 条" in html


def test_a_plan_titled_like_a_formula_exports_as_text(client, world, imported):
    """A plan titled "=HYPERLINK(…)" was written as a formula into the export's title cell: every
    export writes through the one safe cell writer (core.xlsx.set_value)."""
    import io

    from openpyxl import load_workbook

    imported.title = '=HYPERLINK("http://evil.example","点击查看")'
    imported.save(update_fields=["title"])
    r = _client(client, world.regulator_a).get(reverse("action_plans:plan-export", args=[imported.pk]))
    cell = load_workbook(io.BytesIO(r.content)).active.cell(1, 1)
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")
