"""Reading task tables: the two seed tables, written to xlsx with their merged cells, and deadlines
in words."""

import datetime as dt

import pytest

from anjian.action_plans import parsing
from anjian.action_plans.defaults import ensure_defaults
from anjian.action_plans.models import UnitGroup
from anjian.action_plans.tests import helpers
from anjian.core.xlsx import XlsxError

D = dt.date


@pytest.mark.parametrize(
    ("text", "date", "standing"),
    [
        ("2024年12月前，长期坚持", D(2024, 12, 31), True),
        ("2024年6月前并长期坚持", D(2024, 6, 30), True),
        ("2024年4月前，长期坚持定期开展", D(2024, 4, 30), True),
        ("2025年10月前", D(2025, 10, 31), False),
        ("长期坚持", None, True),
        ("12 月", D(2024, 12, 31), False),
        ("2月", D(2024, 2, 29), False),
        ("2021年年底", D(2021, 12, 31), False),
        ("2021年8月底完成", D(2021, 8, 31), False),
        ("2024-09-30", D(2024, 9, 30), False),
        ("2024年9月15日前", D(2024, 9, 15), False),
    ],
)
def test_deadlines_in_words(text, date, standing):
    result = parsing.parse_deadline(text, year=2024)
    assert (result.date, result.standing, result.problem) == (date, standing, "")


@pytest.mark.parametrize("text", ["下半年", "尽快", "2024年13月前", "2024-02-30", ""])
def test_deadlines_not_understood_are_flagged_never_guessed(text):
    result = parsing.parse_deadline(text, year=2024)
    assert result.date is None and result.problem


def test_a_month_without_a_year_is_flagged():
    assert "未写年份" in parsing.parse_deadline("12 月", year=None).problem


def test_rhythm():
    assert parsing.parse_deadline("长期坚持，每季度报送", year=2024).rhythm == "quarterly"


def test_offices_split():
    assert parsing.split_names("安全生产与项目规划科、 医政科") == ["安全生产与项目规划科", "医政科"]
    assert parsing.split_names("兴庆区疾控中心 民营医疗机构") == ["兴庆区疾控中心", "民营医疗机构"]


@pytest.fixture
def groups(db):
    ensure_defaults()
    return list(UnitGroup.objects.all())


def _check_every_deadline(table):
    flagged = {p["number"] for p in table.problems if p["field"] == "deadline"}
    for task in table.tasks:
        assert task.deadline or task.standing or task.number in flagged, task


def test_seed_003_reads_56_tasks_with_offices_units_and_deadlines(groups):
    table = parsing.read_task_table(helpers.seed_003_xlsx(), name="附件3.xlsx", groups=groups)
    assert len(table.tasks) == 56
    assert [t.number for t in table.tasks] == [str(n) for n in range(1, 57)]
    assert "金凤区卫生健康局" in table.title and table.year == 2024
    by = {int(t.number): t for t in table.tasks}
    # merged 主要任务: same as above, across page breaks too
    assert {by[n].action for n in range(7, 24)} == {"安全基础巩固提升行动"}
    assert len({t.action for t in table.tasks}) == 6
    # several offices in one cell, and offices on continuation lines of a merged task
    assert by[3].offices == ["安全生产与项目规划科", "医政科", "基层卫生科"]
    assert by[28].offices == ["医政科", "金凤区疾控局", "安全生产与项目规划科"]
    assert by[30].offices == ["安全生产与项目规划科", "医政科", "基层卫生办公室"]
    assert by[33].offices == ["安全生产与项目规划科", "医政科", "妇科", "基层卫生办公室"]
    assert by[37].offices == ["安全生产与项目规划科", "医政科", "基层卫生办公室", "妇幼科"]
    assert by[1].offices == ["综合办公室"]
    # units in words mapped to groups; the mapping is kept for the preview
    assert by[1].unit_group_names == ["局属各单位", "基层医疗卫生机构", "民营医疗机构", "托育机构", "医养结合机构"]
    assert by[34].unit_group_names == by[1].unit_group_names  # 责任单位 merged over 33–34
    assert by[21].unit_group_names == ["民营医疗机构"]
    assert by[28].unit_group_names == ["民营医疗机构"] and by[28].unmatched_units == ["兴庆区疾控中心"]
    assert by[46].unit_group_names == [] and by[46].unmatched_units == ["各县（市）区卫生健康局"]
    # deadlines
    assert (by[1].deadline, by[1].standing) == ("2024-12-31", True)
    assert (by[7].deadline, by[7].standing) == (None, True)
    assert (by[16].deadline, by[16].standing) == ("2025-10-31", False)
    assert (by[36].deadline, by[36].standing) == ("2024-06-30", True)
    _check_every_deadline(table)
    assert not [p for p in table.problems if p["field"] == "deadline"]
    assert [p["number"] for p in table.problems] == ["46"]  # units nobody here answers for


def test_seed_002_reads_35_tasks_with_units_and_deadlines(groups):
    table = parsing.read_task_table(helpers.seed_002_xlsx(), name="附件1.xlsx", groups=groups)
    assert table.layout == "seed-002"
    assert len(table.tasks) == 35
    assert table.year == 2024
    by = {int(t.number): t for t in table.tasks}
    assert by[1].action == "年度目标" and by[3].action == "年度目标"
    assert by[1].title == "重大事故隐患存量清零"
    assert by[1].content.startswith("基本消除2023年")
    assert by[12].action == "开展安全生产责任体系提升行动"
    assert by[1].units_text == "区安委会成员单位" and by[1].unit_group_names == ["辖区全部机构"]
    assert by[4].units_text == "区安委会办公室" and by[4].unmatched_units == ["区安委会办公室"]
    assert by[7].cooperating == "区房管局、区市场监管局、区消防救援支队等有关成员单位"
    assert by[17].unmatched_units == ["区建管委", "区卫生健康委", "区消防救援支队"]
    # "12 月" in the 2024 plan
    assert by[1].deadline == "2024-12-31" and by[4].deadline == "2024-03-31" and by[28].deadline == "2024-09-30"
    _check_every_deadline(table)
    assert not [p for p in table.problems if p["field"] == "deadline"]
    # the note below the table is not a task
    assert all("注：" not in t.content for t in table.tasks)


def test_not_an_xlsx():
    with pytest.raises(XlsxError, match="xlsx"):
        parsing.read_task_table(__import__("io").BytesIO(b"not a workbook"), name="a.xlsx")


def test_no_header():
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["姓名", "电话"])
    out = __import__("io").BytesIO()
    wb.save(out)
    out.seek(0)
    with pytest.raises(XlsxError, match="没有找到表头"):
        parsing.read_task_table(out, name="a.xlsx")


def test_our_own_template_reads_back(groups):
    import io

    from openpyxl import load_workbook

    from anjian.action_plans.exports import template_response

    wb = load_workbook(io.BytesIO(template_response().content))
    ws = wb.active
    ws.append([2, None, "应急演练", "每半年组织一次灭火和应急疏散演练。", "", "应急办", "托育机构", "", "每半年", ""])
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    table = parsing.read_task_table(out, name="模板.xlsx", groups=list(UnitGroup.objects.all()))
    assert [t.number for t in table.tasks] == ["1", "2"]
    first, second = table.tasks
    assert first.title == "集中培训" and first.offices == ["安全生产科", "医政科"] and first.result_form == "培训记录"
    assert first.targets == {"text": "2025年：培训覆盖率100%"} and first.deadline == "2025-12-31" and first.standing
    assert second.action == "从业人员安全素养提升行动"  # blank: same as above
    assert second.unit_group_names == ["托育机构"] and second.standing and second.rhythm == "half_yearly"
    assert table.year == 2025 and not table.problems
