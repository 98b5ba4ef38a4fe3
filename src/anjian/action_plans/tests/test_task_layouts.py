"""Task tables as clerks send them (issue 21): sub-rows under a merged 序号, labelled responsibility
cells, footers, header variants, Word documents; nothing of the table's body lost."""

import datetime as dt
import io
import zipfile

import pytest
from django.urls import reverse

from anjian.action_plans import parsing, selectors, services
from anjian.action_plans.models import Assignment, ImportDraft, Plan, Task, UnitGroup
from anjian.action_plans.tests import helpers, layouts
from anjian.action_plans.tests.layouts import Layout
from anjian.core.audit import AuditVerb
from anjian.core.errors import DomainError
from anjian.core.models import AuditEvent
from anjian.core.testing import factories
from anjian.core.testing.factories import api_client
from anjian.core.xlsx import XlsxError


def _import(world, data, **confirm):
    draft = services.plan_import_preview(by=world.regulator_a, file=data, name=data.name)
    plan = services.plan_import_confirm(by=world.regulator_a, draft=draft, **confirm)
    return draft, plan


def _orgs(task: Task) -> set:
    return set(task.assignments.values_list("organization__name", flat=True))


def _fixtures(world):
    return [
        layouts.sub_rows(),
        layouts.variants(world.hospital_b.name),
        layouts.labelled_action(),
        layouts.headings(),
        layouts.restarted(),
        layouts.restarted_written_sub_numbers(),
    ]


@pytest.mark.parametrize("kind", ["xlsx", "docx"])
def test_nothing_lost_in_any_layout(world, groups, kind):
    """Every non-empty cell below the header is in a stored task (or sub-task) read from its row,
    or named in ``problems`` with its row and column."""
    for layout in _fixtures(world):
        data = getattr(layout, kind)()
        draft, plan = _import(world, data)
        cells = layout.body_cells(kind)
        assert cells and layouts.lost_cells(plan, draft.parsed, cells) == [], layout.name


@pytest.mark.parametrize(
    ("make", "header_row", "count"), [(helpers.seed_002_xlsx, 3, 35), (helpers.seed_003_xlsx, 3, 56)]
)
def test_nothing_lost_in_the_seed_tables_which_import_as_before(world, groups, make, header_row, count):
    data = make()
    data.name = "seed.xlsx"
    draft, plan = _import(world, data)
    assert plan.tasks.count() == count and not plan.tasks.filter(parent__isnull=False).exists()
    assert layouts.lost_cells(plan, draft.parsed, layouts.xlsx_body_cells(make(), header_row)) == []


def test_sub_rows_are_sub_tasks_assigned_like_tasks(world, groups):
    _draft, plan = _import(world, layouts.sub_rows().xlsx())
    first = plan.tasks.get(number="1")
    subs = list(first.subtasks.order_by("sort_order"))
    assert [s.number for s in subs] == ["1.1", "1.2", "1.3"]
    assert first.content == "学习宣传贯彻安全生产重要论述专题" and not first.assignments.exists()
    assert [(s.content, s.measures) for s in subs] == [
        ("理论学习中心组专题学习", "每季度至少安排1次专题学习。"),
        ("全系统学习", "全体干部每季度至少学习1次。"),
        ("组织专题培训", "对二级以上医疗机构分管领导开展培训。"),
    ]
    # its own deadline where given, the merged responsibility cell inherited
    assert [str(s.deadline) for s in subs] == ["2024-12-31", "2024-12-31", "2024-06-30"]
    assert (
        "工作进展：已安排2次" in subs[0].notes and subs[1].notes == "新增任务" and subs[2].result_form == "培训签到表"
    )
    # 牵头部门 and 责任部门 split; 各医疗机构 reaches every institution of the district
    assert subs[1].lead_offices == ["社会事业管理局", "局卫生各部门"] and subs[1].units_text == "各医疗机构"
    assert all(_orgs(s) == {world.hospital_a.name, world.clinic_a.name} for s in subs)
    # a blank 序号 with its own units and a deadline nobody can read
    third = plan.tasks.get(number="3")
    assert [s.number for s in third.subtasks.all()] == ["3.1", "3.2"]
    assert _orgs(plan.tasks.get(number="3.1")) == {world.clinic_a.name}  # 辖区各民营医院
    late = plan.tasks.get(number="3.2")
    assert _orgs(late) == {world.hospital_a.name} and late.deadline_unclear and late.deadline_text == "下半年"
    # an assignment of a sub-task is reported on like any other
    a = Assignment.objects.get(task=late, organization=world.hospital_a)
    services.progress_report(by=world.officer_a, assignment=a, text="已检查配电房")
    assert Assignment.objects.get(pk=a.pk).report_count == 1


@pytest.mark.parametrize("kind", ["xlsx", "docx"])
def test_numbering_restarting_under_each_heading_is_made_unique_and_flagged(client, world, groups, kind):
    layout = layouts.restarted()
    draft, plan = _import(world, getattr(layout, kind)())
    numbers = [t["number"] for t in draft.parsed["tasks"]]
    assert numbers == ["1", "1.1", "1.2", "2", "二.1", "二.1.1", "二.1.2", "二.2"]
    flagged = [p for p in draft.parsed["problems"] if p["field"] == "number"]
    assert [(p["number"], p["text"]) for p in flagged] == [("二.1", "1"), ("二.2", "2")]
    assert all("重复" in p["message"] for p in flagged)
    # each section's task keeps its own sub-tasks, its own units and deadlines
    second = plan.tasks.get(number="二.1")
    assert [(s.number, s.content) for s in second.subtasks.order_by("sort_order")] == [
        ("二.1.1", "消防安全检查"),
        ("二.1.2", "电气安全检查"),
    ]
    assert [s.content for s in plan.tasks.get(number="1").subtasks.order_by("sort_order")] == [
        "组织全员培训",
        "组织专题培训",
    ]
    assert str(plan.tasks.get(number="二.1.2").deadline) == "2025-09-30"
    assert _orgs(plan.tasks.get(number="二.2")) == set()  # 托育机构: none in the district
    assert layouts.lost_cells(plan, draft.parsed, layout.body_cells(kind)) == []
    from openpyxl import load_workbook

    # the export names each heading's own sub-tasks
    client.force_login(world.regulator_a)
    ws = load_workbook(io.BytesIO(client.get(reverse("action_plans:plan-export", args=[plan.pk])).content)).active
    texts = [str(c.value) for row in ws.iter_rows() for c in row if c.value]
    assert "分项任务：1.1、1.2" in texts and "分项任务：二.1.1、二.1.2" in texts


def test_a_row_without_a_number_never_takes_a_number_already_read():
    rows = [
        ["序号", "任务事项", "主要内容", "责任单位", "完成时限"],
        ["2", "事项甲", "内容甲", "局属各单位", "2025年12月前"],
        ["", "事项乙", "内容乙", "局属各单位", "2025年12月前"],
    ]
    table = parsing.parse_source(parsing.Source(kind="xlsx", rows=rows))
    assert [t.number for t in table.tasks] == ["2", "3"]


def test_the_preview_counts_the_assignments_the_import_makes(world, groups):
    """One notion of the jurisdiction's institutions (``rules.jurisdiction_institutions``): an
    inactive institution named in the table is neither counted in the preview nor assigned."""
    world.clinic_a.is_active = False
    world.clinic_a.save(update_fields=["is_active"])
    draft = services.plan_import_preview(by=world.regulator_a, file=layouts.sub_rows().xlsx(), name="t.xlsx")
    counts = services.draft_counts(draft)
    plan = services.plan_import_confirm(by=world.regulator_a, draft=draft)
    assert counts == {t.number: t.assignments.count() for t in plan.tasks.all()}
    assert not Assignment.objects.filter(organization=world.clinic_a).exists()


def test_headings_are_not_counted_as_tasks(world, groups):
    _draft, plan = _import(world, layouts.sub_rows().xlsx())
    assert plan.tasks.count() == 8  # 1 (1.1, 1.2, 1.3), 2, 3 (3.1, 3.2)
    listed = selectors.plan_list(user=world.regulator_a).get(pk=plan.pk)
    assert listed.task_count == 6
    event = AuditEvent.objects.get(verb=AuditVerb.PLAN_IMPORTED, target_id=str(plan.pk))
    assert "6" in str(event.changes["任务数"]) and "8" not in str(event.changes["任务数"])


@pytest.mark.parametrize("kind", ["xlsx", "docx"])
def test_written_sub_numbers_are_sub_tasks_of_the_task_above(world, groups, kind):
    layout = layouts.written_sub_numbers()
    draft, plan = _import(world, getattr(layout, kind)())
    assert [t["number"] for t in draft.parsed["tasks"]] == ["1", "1.1", "1.2", "2", "2.1", "2.2", "2.3"]
    assert not [p for p in draft.parsed["problems"] if p["field"] == "number"]  # nothing renamed
    first = plan.tasks.get(number="1")
    assert first.content == "安全生产教育培训" and not first.assignments.exists()
    assert [(s.number, s.content) for s in first.subtasks.order_by("sort_order")] == [
        ("1.1", "组织全员培训"),
        ("1.2", "组织专题培训"),
    ]
    assert "区疾控中心" in plan.tasks.get(number="1.1").units_text  # its second row (序号 merged)
    assert _orgs(plan.tasks.get(number="1.2")) == {world.hospital_a.name, world.clinic_a.name}  # 各医疗机构
    second = plan.tasks.get(number="2")
    assert [s.number for s in second.subtasks.order_by("sort_order")] == ["2.1", "2.2", "2.3"]
    assert layouts.lost_cells(plan, draft.parsed, layout.body_cells(kind)) == []


@pytest.mark.parametrize("kind", ["xlsx", "docx"])
def test_written_sub_numbers_follow_a_renumbered_task_and_a_sub_number_written_twice_is_flagged(world, groups, kind):
    layout = layouts.restarted_written_sub_numbers()
    draft, plan = _import(world, getattr(layout, kind)())
    tasks = {t["number"]: t for t in draft.parsed["tasks"]}
    flagged = [p for p in draft.parsed["problems"] if p["field"] == "number"]
    # the second "1.1" is not folded into the first: kept as a task of its own, its number flagged
    duplicate = next(t for t in tasks.values() if t["content"] == "组织岗前培训")
    assert duplicate["number"] not in ("1.1", "1.2")
    [told] = [p for p in flagged if p["number"] == duplicate["number"]]
    assert told["text"] == "1.1" and "重复" in told["message"]
    assert tasks["1.1"]["content"] == "组织全员培训"
    # under "二、…" task 1 is made "二.1" and its written sub-tasks follow it
    second = plan.tasks.get(number="二.1")
    assert [(s.number, s.content) for s in second.subtasks.order_by("sort_order")] == [
        ("二.1.1", "检查消防设施"),
        ("二.1.2", "检查疏散通道"),
    ]
    assert {p["number"] for p in flagged} >= {"二.1", "二.1.1", "二.1.2"}
    assert str(plan.tasks.get(number="二.1.2").deadline) == "2025-09-30"
    assert layouts.lost_cells(plan, draft.parsed, layout.body_cells(kind)) == []


def test_the_plan_page_counts_the_tasks_as_the_plan_list_does(client, world, groups):
    _draft, plan = _import(world, layouts.sub_rows().xlsx())
    client.force_login(world.regulator_a)
    page = client.get(reverse("action_plans:plan-detail", args=[plan.pk])).content.decode()
    assert "6 项任务" in page and "（其中分项任务 5 项）" in page
    assert "8 项任务" not in page
    # an institution: the tasks assigned to it, the same number on the list and on the page
    officer = world.officer_a
    listed = selectors.plan_list(user=officer).get(pk=plan.pk).task_count
    counts = selectors.task_counts(user=officer, plan=plan)
    assert 0 < listed < 6 and counts["task_count"] == listed
    client.force_login(officer)
    page = client.get(reverse("action_plans:plan-detail", args=[plan.pk])).content.decode()
    assert f"{listed} 项任务" in page


def _dated(title: str, deadlines: list[str]) -> Layout:
    rows = [["序号", "主要内容", "责任单位", "完成时限"]]
    rows += [[str(i), f"任务{i}", "局属各单位", d] for i, d in enumerate(deadlines, start=1)]
    return Layout("年份", [title], rows)


@pytest.mark.calendar
def test_a_deadline_without_a_year_is_asked_when_the_year_is_not_clear(world, groups):
    """The title's year is a month's year only when the title has one year and the months do not
    run back (12月 then 1月: the next year, perhaps); otherwise a deadline problem, never a guess."""
    spanning = parsing.read_task_table(_dated("2024—2026年重点任务清单", ["12月底前", "2025年6月前"]).xlsx())
    assert (spanning.year, spanning.end_year) == (2024, 2026)
    assert [t.deadline for t in spanning.tasks] == [None, "2025-06-30"]
    asked = [p for p in spanning.problems if p["field"] == "deadline"]
    assert [p["number"] for p in asked] == ["1"] and "跨2024—2026年" in asked[0]["message"]

    layout = _dated("2025年重点任务清单", ["6月底前", "12月底前", "1月底前", "2025年3月前"])
    table = parsing.read_task_table(layout.xlsx())
    assert table.year == 2025 and table.end_year is None
    assert [t.deadline for t in table.tasks] == ["2025-06-30", "2025-12-31", None, "2025-03-31"]
    asked = [p for p in table.problems if p["field"] == "deadline"]
    assert [p["number"] for p in asked] == ["3"] and "早于前面的“12月底前”" in asked[0]["message"]
    # months in any order within the year are the year's (seed 002 too): 12月, 9月, 11月
    unordered = parsing.read_task_table(_dated("2025年工作计划", ["12月", "9月", "11月", "2月"]).xlsx())
    assert [t.deadline for t in unordered.tasks] == ["2025-12-31", "2025-09-30", "2025-11-30", None]

    # confirmed without a fix: stored empty, to be settled; a fix with its year is taken
    draft = services.plan_import_preview(by=world.regulator_a, file=layout.xlsx(), name="t.xlsx")
    plan = services.plan_import_confirm(by=world.regulator_a, draft=draft)
    third = plan.tasks.get(number="3")
    assert third.deadline is None and third.deadline_unclear and third.deadline_text == "1月底前"
    assert (plan.start_year, plan.end_year) == (2025, 2025)
    draft = services.plan_import_preview(by=world.regulator_a, file=layout.xlsx(), name="t.xlsx")
    plan = services.plan_import_confirm(by=world.regulator_a, draft=draft, fixes={"3": "2026年1月底前"})
    assert plan.tasks.get(number="3").deadline == dt.date(2026, 1, 31)
    # a month without a year is refused as a fix when the title spans years
    draft = services.plan_import_preview(
        by=world.regulator_a, file=_dated("2024—2026年清单", ["12月底前"]).xlsx(), name="t.xlsx"
    )
    with pytest.raises(DomainError, match="仍无法识别"):
        services.plan_import_confirm(by=world.regulator_a, draft=draft, fixes={"1": "12月底前"})


def test_flags_in_problems_never_guesses(world, groups):
    factories.make_department(organization=world.district_a, name="安全生产科")
    factories.make_department(organization=world.district_a, name="医政科")
    rows = {
        "sub_rows": layouts.sub_rows(),
        "variants": layouts.variants(world.hospital_b.name),
        "labelled": layouts.labelled_action(),
    }
    found = {}
    for key, layout in rows.items():
        draft = services.plan_import_preview(by=world.regulator_a, file=layout.xlsx(), name="t.xlsx")
        found[key] = {(p.get("number"), p["field"]): p["message"] for p in draft.parsed["problems"]}
    assert found["sub_rows"][("2", "units")] == "序号2：未填写责任单位。"
    assert "下半年" in found["sub_rows"][("3.2", "deadline")]
    assert "不是本辖区的机构" in found["variants"][("2", "unit_outside")]
    assert "“后勤保障科”不在本单位的科室名单中" in found["variants"][("3", "office")]
    assert ("1", "office") not in found["variants"]
    assert "只写了牵头部门" in found["labelled"][("3", "units")]
    footer = [p for p in draft.parsed["problems"] if p["field"] == "ignored"]
    assert footer == []  # the labelled table has no footer
    ignored = services.plan_import_preview(by=world.regulator_a, file=layouts.sub_rows().xlsx(), name="t.xlsx")
    texts = [(p["row"], p["column"], p["text"]) for p in ignored.parsed["problems"] if p["field"] == "ignored"]
    assert texts[0][:2] == (11, "A") and texts[0][2].startswith("审核人：张三") and texts[1][2] == "填报说明："


def test_labelled_cells_split_into_offices_units_and_cooperating(world, groups):
    _draft, plan = _import(world, layouts.labelled_action().docx())
    drill = plan.tasks.get(number="2")
    assert drill.lead_offices == ["安全生产科"] and drill.units_text == "托育机构"
    assert drill.cooperating_text == "区消防救援支队" and drill.action.title == "从业人员安全素养提升行动"
    assert drill.notes == "每半年一次"
    assert _orgs(plan.tasks.get(number="1")) == {world.hospital_a.name, world.clinic_a.name}
    assert not plan.tasks.get(number="3").assignments.exists()


def test_preview_lets_the_user_choose_units_for_a_task_that_reaches_none(client, world, groups):
    client.force_login(world.regulator_a)
    r = client.post(reverse("action_plans:plan-import"), {"file": layouts.sub_rows().xlsx()})
    page = client.get(r["Location"]).content.decode()
    assert "序号2：未填写责任单位。" in page and 'data-testid="units-2"' in page
    assert "3 处文字不是任务，未导入" in page and "审核人：张三" in page
    assert "其中分项任务 5 项" in page
    past = page[page.index('data-testid="past-deadlines"') : page.index('data-testid="confirm-form"')]
    assert "序号1.1：完成时限" in past and "序号1：完成时限" not in past  # a heading is due through its rows
    local = UnitGroup.objects.get(name="局属各单位")
    r = client.post(
        r["Location"],
        {
            "title": "2024年度重点工作任务",
            "units_2": [f"g:{local.pk}", f"o:{world.clinic_a.pk}"],
            "fix_3.2": "2024年9月前",
        },
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    plan = Plan.objects.get()
    assert _orgs(plan.tasks.get(number="2")) == {world.hospital_a.name, world.clinic_a.name}
    assert str(plan.tasks.get(number="3.2").deadline) == "2024-09-30"


def test_unit_choice_outside_the_district_is_refused(world, groups):
    draft = services.plan_import_preview(by=world.regulator_a, file=layouts.sub_rows().xlsx(), name="t.xlsx")
    with pytest.raises(DomainError, match="不在本辖区"):
        services.plan_import_confirm(
            by=world.regulator_a, draft=draft, unit_fixes={"2": {"institutions": [world.hospital_b.pk]}}
        )
    assert not Plan.objects.exists()


def test_header_variants_mapping_shown_and_corrected(client, world, groups):
    layout = layouts.variants(world.hospital_b.name)
    draft = services.plan_import_preview(by=world.regulator_a, file=layout.xlsx(), name="t.xlsx")
    fields = {c["header"]: c["field"] for c in draft.parsed["columns"]}
    assert fields == {
        "序号": "number",
        "重点任务": "content",
        "具体措施": "measures",
        "责任处室": "offices",
        "责任单位": "units",
        "配合单位": "cooperating",
        "时间节点": "deadline",
        "成果形式": "result_form",
    }
    client.force_login(world.regulator_a)
    url = reverse("action_plans:plan-import-preview", args=[draft.pk])
    page = client.get(url).content.decode()
    assert "表头的对应关系" in page and "第C列“具体措施”" in page
    post = {f"col_{c['index']}": c["field"] for c in draft.parsed["columns"]}
    post.update({"col_2": "notes", "remap": "1"})  # 具体措施 read as 备注 instead
    assert client.post(url, post).status_code == 302
    draft.refresh_from_db()
    first = draft.parsed["tasks"][0]
    assert first["notes"] == "每半年组织一次全员培训。" and first["measures"] == ""
    refused = client.post(url, {**post, "col_1": "", "col_2": ""}, follow=True)  # no content column: refused
    assert refused.redirect_chain[-1][1] == 302 and "请指定哪一列是任务内容。" in refused.content.decode()
    draft.refresh_from_db()
    assert draft.parsed["tasks"][0]["content"] == "开展安全生产培训"


@pytest.mark.parametrize("layout", ["sub_rows", "labelled_action", "headings"])
def test_a_word_table_reads_as_the_same_table_in_excel(layout):
    made = getattr(layouts, layout)()
    from_xlsx = parsing.read_task_table(made.xlsx(), name="a.xlsx")
    from_docx = parsing.read_task_table(made.docx(), name="a.docx")

    def strip(t):
        return [{k: v for k, v in vars(x).items() if k not in ("row", "rows")} for x in t.tasks]

    assert strip(from_docx) == strip(from_xlsx) and from_docx.title == from_xlsx.title


def test_docx_through_the_api_with_number_and_title_from_the_paragraphs_above(world, groups):
    layout = layouts.labelled_action()
    layout.above = ["普安委〔2024〕4号", "关于印发普陀区安全生产治本攻坚三年行动2024年工作计划表的通知"]
    response = api_client(world.regulator_a).post("/api/v1/plans/import/", {"file": layout.docx()}, format="multipart")
    body = response.json()
    assert response.status_code == 201, body
    assert body["document_number"] == "普安委〔2024〕4号"
    assert body["title"] == "关于印发普陀区安全生产治本攻坚三年行动2024年工作计划表的通知"
    assert [t["number"] for t in body["tasks"]] == ["1", "2", "3"]
    confirm = api_client(world.regulator_a).post(f"/api/v1/plans/import/{body['id']}/confirm/", {}, format="json")
    assert confirm.status_code == 201
    assert Plan.objects.get().document_number == "普安委〔2024〕4号"


@pytest.mark.parametrize(("name", "says"), [("方案.doc", "另存为” .docx"), ("方案.wps", "另存为” .docx")])
def test_doc_and_wps_get_told_to_save_as_docx(world, groups, name, says):
    data = io.BytesIO(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    response = api_client(world.regulator_a).post(
        "/api/v1/plans/import/", {"file": _named(data, name)}, format="multipart"
    )
    assert response.status_code == 400 and says in response.json()["detail"]
    assert not ImportDraft.objects.exists()


def _named(data, name):
    data.name = name
    data.seek(0)
    return data


def test_a_docx_bomb_is_refused_before_it_is_read(world, groups):
    out = io.BytesIO()
    real = layouts.headings().docx()
    with zipfile.ZipFile(real) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                data = data.replace(b"</w:body>", b"<w:p/>" * 4_000_000 + b"</w:body>")
            dst.writestr(item, data)
    with pytest.raises(XlsxError, match="解压后"):
        services.plan_import_preview(by=world.regulator_a, file=_named(out, "bomb.docx"), name="bomb.docx")
    assert not ImportDraft.objects.exists()


def test_a_word_document_without_a_task_table(world, groups):
    from docx import Document

    doc = Document()
    doc.add_paragraph("关于开展安全检查的通知")
    doc.add_table(rows=2, cols=2).cell(0, 0).text = "联系人"
    out = io.BytesIO()
    doc.save(out)
    with pytest.raises(XlsxError, match="没有找到任务清单表格"):
        services.plan_import_preview(by=world.regulator_a, file=_named(out, "通知.docx"), name="通知.docx")


def test_dispatch_matrix_and_exports_show_the_sub_tasks(client, world, groups):
    from openpyxl import load_workbook

    _draft, plan = _import(world, layouts.sub_rows().xlsx())
    client.force_login(world.regulator_a)
    page = client.get(reverse("action_plans:plan-matrix", args=[plan.pk])).content.decode()
    assert "1.2. 全系统学习" in page and "3.1. 消防安全检查" in page
    ws = load_workbook(io.BytesIO(client.get(reverse("action_plans:plan-export", args=[plan.pk])).content)).active
    column_c = [ws.cell(r, 3).value for r in range(4, ws.max_row + 1)]
    column_d = [ws.cell(r, 4).value for r in range(4, ws.max_row + 1)]
    assert "1.2 全系统学习" in column_c and "全体干部每季度至少学习1次。" in column_d
    assert "分项任务：1.1、1.2、1.3" in column_d
    matrix = client.get(reverse("action_plans:plan-matrix-export", args=[plan.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(matrix.streaming_content))).active
    cells = [str(c.value) for row in sheet.iter_rows(max_row=5) for c in row if c.value]
    assert any(c.startswith("1.3. 组织专题培训") for c in cells), cells


def test_task_page_of_a_numbered_task_lists_its_sub_tasks(client, world, groups):
    _draft, plan = _import(world, layouts.sub_rows().xlsx())
    client.force_login(world.regulator_a)
    page = client.get(reverse("action_plans:task-detail", args=[plan.tasks.get(number="1").pk])).content.decode()
    assert "1.2. 全系统学习" in page and "已完成 0/2" in page
    client.force_login(world.officer_a)
    sub = plan.tasks.get(number="1.3")
    page = client.get(reverse("action_plans:task-detail", args=[sub.pk])).content.decode()
    assert "分项任务，属于 1. 学习宣传贯彻安全生产重要论述专题" in page and "重点措施：" in page


def test_api_confirm_with_units_chosen_and_columns_corrected(world, groups):
    api = api_client(world.regulator_a)
    body = api.post("/api/v1/plans/import/", {"file": layouts.sub_rows().xlsx()}, format="multipart").json()
    assert {"row": 11, "column": "A"}.items() <= next(p for p in body["problems"] if p["field"] == "ignored").items()
    assert [c["field"] for c in body["columns"]][:4] == ["number", "title", "content", "measures"]
    kept = next(t for t in body["tasks"] if t["number"] == "1.2")
    assert kept["parent"] == "1" and kept["notes"] == "新增任务"
    columns = {str(c["index"]): c["field"] for c in body["columns"]}
    columns["8"] = ""  # 备注 not imported after all: its cells are then named in problems
    outside = {"2": {"institutions": [world.hospital_b.pk]}}
    r = api.post(f"/api/v1/plans/import/{body['id']}/confirm/", {"unit_fixes": outside}, format="json")
    assert r.status_code == 400 and "不在本辖区" in r.json()["detail"]
    chosen = {"2": {"institutions": [world.hospital_a.pk]}}
    r = api.post(
        f"/api/v1/plans/import/{body['id']}/confirm/", {"unit_fixes": chosen, "columns": columns}, format="json"
    )
    assert r.status_code == 201, r.json()
    plan = Plan.objects.get(pk=r.json()["plan"])
    assert _orgs(plan.tasks.get(number="2")) == {world.hospital_a.name}
    assert plan.tasks.get(number="1.2").notes == ""
    draft = ImportDraft.objects.get()
    assert any(p["field"] == "unread" and p["text"] == "新增任务" for p in draft.parsed["problems"])
    cells = layouts.sub_rows().body_cells("xlsx")
    assert layouts.lost_cells(plan, draft.parsed, cells) == []  # still nothing lost


@pytest.mark.parametrize("key", ["x", "99", "-1", " "])
def test_api_confirm_refuses_a_column_not_in_the_table(world, groups, key):
    api = api_client(world.regulator_a)
    body = api.post("/api/v1/plans/import/", {"file": layouts.sub_rows().xlsx()}, format="multipart").json()
    before = ImportDraft.objects.get().parsed
    columns = {str(c["index"]): c["field"] for c in body["columns"]}
    r = api.post(f"/api/v1/plans/import/{body['id']}/confirm/", {"columns": {**columns, key: "notes"}}, format="json")
    assert r.status_code == 400 and "columns" in r.json()["errors"], r.json()
    assert ImportDraft.objects.get().parsed == before and not Plan.objects.exists()


def test_api_confirm_refused_after_the_columns_were_read_again_leaves_the_draft_unchanged(world, groups):
    api = api_client(world.regulator_a)
    body = api.post("/api/v1/plans/import/", {"file": layouts.sub_rows().xlsx()}, format="multipart").json()
    before = ImportDraft.objects.get().parsed
    columns = {str(c["index"]): c["field"] for c in body["columns"]}
    columns["8"] = ""  # 备注 left out: the draft would be read again…
    outside = {"2": {"institutions": [world.hospital_b.pk]}}  # …but the confirm is refused
    r = api.post(
        f"/api/v1/plans/import/{body['id']}/confirm/", {"unit_fixes": outside, "columns": columns}, format="json"
    )
    assert r.status_code == 400 and "不在本辖区" in r.json()["detail"]
    draft = ImportDraft.objects.get()
    assert draft.parsed == before and draft.status == "pending" and not Plan.objects.exists()


def test_past_deadline_can_be_moved_in_the_preview(client, world, groups):
    from django.utils import timezone

    year = timezone.localdate().year
    layout = layouts.headings()
    layout.rows[2][3] = f"{year - 1}年12月前"  # already past
    client.force_login(world.regulator_a)
    r = client.post(reverse("action_plans:plan-import"), {"file": layout.xlsx()})
    page = client.get(r["Location"]).content.decode()
    past = page[page.index('data-testid="past-deadlines"') :]
    assert f"序号1：完成时限 {year - 1}-12-31" in past and 'form="import-confirm"' in past and 'name="fix_1"' in past
    r = client.post(r["Location"], {"title": "重点任务", "fix_1": f"{year + 3}年6月前"})
    assert r.status_code == 302
    assert str(Plan.objects.get().tasks.get(number="1").deadline) == f"{year + 3}-06-30"


@pytest.mark.parametrize("kind", ["xlsx", "docx"])
def test_a_header_over_two_rows(world, groups, kind):
    layout = layouts.two_row_header()
    draft, plan = _import(world, getattr(layout, kind)())
    assert [c["field"] for c in draft.parsed["columns"]] == ["number", "content", "units", "cooperating", "deadline"]
    first = plan.tasks.get(number="1")
    assert first.cooperating_text == "区应急局" and _orgs(first) == {world.hospital_a.name}
    assert plan.title == "2025年安全生产重点任务分工表" and plan.tasks.count() == 2
    assert layouts.lost_cells(plan, draft.parsed, layout.body_cells(kind)[2:]) == []  # below the second header row


def test_a_table_without_numbers_is_a_task_a_row_each_flagged():
    layout = layouts.Layout(
        "无序号",
        ["任务清单"],
        [
            ["序号", "任务事项", "主要内容", "责任单位", "完成时限"],
            [None, "安全培训", "组织全员培训。", "局属各单位", "2025年12月前"],
            [None, "应急演练", "开展消防演练。", "托育机构", "2025年10月前"],
            [None, None, "开展疏散演练。", "托育机构", "2025年11月前"],
        ],
    )
    table = parsing.read_task_table(layout.xlsx(), name="a.xlsx")
    # without any 序号 a row is a task (not a sub-task of the row above), each one flagged
    assert [(t.number, t.parent) for t in table.tasks] == [("1", ""), ("2", ""), ("3", "")]
    assert [p["row"] for p in table.problems if p["field"] == "number"] == [3, 4, 5]


def test_our_own_export_reads_back_with_nothing_lost(client, world, imported):
    """The export (seed 004's layout: 序号 and 任务事项 merged over an action's tasks) read back: each
    action a numbered task, each of its rows a sub-task."""
    client.force_login(world.regulator_a)
    data = io.BytesIO(client.get(reverse("action_plans:plan-export", args=[imported.pk])).content)
    data.name = "导出.xlsx"
    draft, plan = _import(world, data)
    assert plan.tasks.filter(parent__isnull=True).count() == 6 and plan.tasks.filter(parent__isnull=False).count() == 56
    assert plan.tasks.get(number="1").content == "从业人员安全素养提升行动"
    assert layouts.lost_cells(plan, draft.parsed, layouts.xlsx_body_cells(data, 3)) == []


@pytest.mark.parametrize("make", [helpers.seed_002_xlsx, helpers.seed_003_xlsx])
def test_the_seed_tables_as_word_tables_read_as_in_excel(groups, make):
    """Seeds 002 and 003 came as Word documents: their tables, merged cells and all, in a docx."""
    from_xlsx = parsing.read_task_table(make(), name="a.xlsx", groups=UnitGroup.objects.all())
    from_docx = parsing.read_task_table(
        layouts.from_xlsx(make(), "seed").docx(other_table=False), name="a.docx", groups=UnitGroup.objects.all()
    )

    def strip(t):
        return [{k: v for k, v in vars(x).items() if k not in ("row", "rows")} for x in t.tasks]

    assert len(from_docx.tasks) in (35, 56) and strip(from_docx) == strip(from_xlsx)
    assert from_docx.title == from_xlsx.title and from_docx.year == 2024


def test_title_and_number_from_a_notice_with_its_attachment():
    layout = layouts.headings()
    layout.above = [
        "普安委〔2024〕4号",
        "关于印发《普陀区安全生产治本攻坚三年行动实施方案（2024—2026年）》的通知",
        "三、重点任务",
        "附件1",
        "普陀区安全生产治本攻坚三年行动2024年工作计划表",
    ]
    table = parsing.read_task_table(layout.docx(), name="通知.docx")
    assert table.document_number == "普安委〔2024〕4号"
    assert table.title == "普陀区安全生产治本攻坚三年行动2024年工作计划表" and table.year == 2024


def test_another_district_cannot_read_again_a_draft(client, world, groups):
    draft = services.plan_import_preview(by=world.regulator_a, file=layouts.headings().xlsx(), name="t.xlsx")
    client.force_login(world.regulator_b)
    url = reverse("action_plans:plan-import-preview", args=[draft.pk])
    assert client.post(url, {"remap": "1", "col_1": "notes"}).status_code == 404
    draft.refresh_from_db()
    assert draft.parsed["columns"][1]["field"] == "content"
