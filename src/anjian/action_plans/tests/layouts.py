"""Task tables as clerks send them, made here (xlsx with openpyxl, docx with python-docx) from one
description each: the text above the table, the table's rows (None where a merged cell covers a
cell) and its merged ranges. ``lost_cells`` checks the nothing-lost rule on an import."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from docx import Document
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from anjian.action_plans.models import Task

LABEL = re.compile(r"(牵头部门|牵头单位|责任部门|责任单位|配合单位|责任处室)\s*[:：]")


@dataclass
class Layout:
    name: str
    above: list[str]
    rows: list[list[str | None]]  # the header first
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # 0-based rows of ``rows``, inclusive

    def xlsx(self) -> io.BytesIO:
        wb = Workbook()
        ws = wb.active
        for line in self.above:
            ws.append([line])
        offset = len(self.above)
        for row in self.rows:
            ws.append(row)
        for r1, c1, r2, c2 in self.merges:
            ws.merge_cells(start_row=r1 + offset + 1, start_column=c1 + 1, end_row=r2 + offset + 1, end_column=c2 + 1)
        out = io.BytesIO()
        wb.save(out)
        out.seek(0)
        out.name = f"{self.name}.xlsx"
        return out

    def docx(self, *, other_table: bool = True) -> io.BytesIO:
        """The table after the paragraphs above it; a small unrelated table first (a contact list)."""
        doc = Document()
        if other_table:
            contact = doc.add_table(rows=2, cols=2)
            for (r, c), text in {(0, 0): "联系人", (0, 1): "电话", (1, 0): "王五", (1, 1): "12345"}.items():
                contact.cell(r, c).text = text
        for line in self.above:
            doc.add_paragraph(line)
        width = max(len(r) for r in self.rows)
        table = doc.add_table(rows=len(self.rows), cols=width)
        for r, row in enumerate(self.rows):
            for c, text in enumerate(row):
                if text:
                    table.cell(r, c).text = str(text)
        for r1, c1, r2, c2 in self.merges:
            table.cell(r1, c1).merge(table.cell(r2, c2))
        doc.add_paragraph("审核人：张三")  # below the table: not the table's
        out = io.BytesIO()
        doc.save(out)
        out.seek(0)
        out.name = f"{self.name}.docx"
        return out

    def body_cells(self, kind: str) -> list[tuple[int, str, str]]:
        """(row as shown, column as shown, text) of every non-empty cell below the header."""
        offset = len(self.above) if kind == "xlsx" else 0
        cells = []
        for r, row in enumerate(self.rows[1:], start=1):
            for c, text in enumerate(row):
                if text and str(text).strip():
                    column = get_column_letter(c + 1) if kind == "xlsx" else str(c + 1)
                    cells.append((r + offset + 1, column, str(text)))
        return cells


def xlsx_body_cells(data: io.BytesIO, header_row: int) -> list[tuple[int, str, str]]:
    """The non-empty body cells of a workbook (a seed table), as the file has them."""
    data.seek(0)
    ws = load_workbook(data).active
    data.seek(0)
    cells = []
    for row in ws.iter_rows(min_row=header_row + 1):
        for cell in row:
            if cell.value is not None and str(cell.value).strip():
                cells.append((cell.row, cell.column_letter, str(cell.value)))
    return cells


def _pieces(text: str) -> list[str]:
    text = LABEL.sub("\n", str(text))
    return [p for p in (re.sub(r"\s+", "", x) for x in re.split(r"[\n、，,；;。]+", text)) if p]


def _haystack(task: Task) -> str:
    parts = [
        task.number,
        task.title,
        task.content,
        task.measures,
        task.notes,
        task.units_text,
        task.cooperating_text,
        task.deadline_text,
        task.result_form,
        "、".join(task.lead_offices),
        (task.targets or {}).get("text", ""),
        task.action.title if task.action else "",
    ]
    if task.parent_id:
        parts.append(_haystack(task.parent))
    return re.sub(r"\s+", "", "|".join(parts))


def lost_cells(plan, parsed: dict, cells: list[tuple[int, str, str]]) -> list[tuple[int, str, str]]:
    """The cells neither stored in a task read from their row nor named in ``problems`` with their
    row and column: an import loses nothing when this is empty."""
    tasks = {t.number: t for t in plan.tasks.select_related("action", "parent__action")}
    by_row: dict[int, list[Task]] = {}
    for item in parsed["tasks"]:
        for row in item["rows"]:
            by_row.setdefault(row, []).append(tasks[item["number"]])
    told = {(p.get("row"), p.get("column")): p.get("text", "") for p in parsed["problems"] if p.get("column")}
    lost = []
    for row, column, text in cells:
        if (row, column) in told and re.sub(r"\s+", "", text) in re.sub(r"\s+", "", told[(row, column)]):
            continue
        hay = "|".join(_haystack(t) for t in by_row.get(row, []))
        if not hay or any(p not in hay for p in _pieces(text)):
            lost.append((row, column, text))
    return lost


# --- the layouts ---------------------------------------------------------------------------------

RESPONSIBILITY = "牵头部门：社会事业管理局\n责任部门：局卫生各部门、各医疗机构"
N = None


def sub_rows() -> Layout:
    """Seed 004's attachment 1 as clerks fill it: one numbered task over several rows (序号,
    任务事项 and the labelled responsibility cell merged down), each row its own 主要内容 and
    重点措施; a task with an empty responsibility cell; a task whose second row has a blank 序号 and
    its own units and deadline; 审核人/填表人/填报说明 below the table."""
    header = [
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
    rows = [
        header,
        [
            "1",
            "学习宣传贯彻安全生产重要论述专题",
            "理论学习中心组专题学习",
            "每季度至少安排1次专题学习。",
            RESPONSIBILITY,
            "2024年年底",
            "已安排2次",
            "学习记录",
            N,
        ],
        [N, N, "全系统学习", "全体干部每季度至少学习1次。", N, "2024年年底", N, N, "新增任务"],
        [N, N, "组织专题培训", "对二级以上医疗机构分管领导开展培训。", N, "2024年6月底", N, "培训签到表", N],
        [
            "2",
            "落实医疗机构安全生产主体责任专题",
            "建立全员安全生产责任制",
            "逐级签订安全生产责任书。",
            N,
            "2024年年底",
            N,
            N,
            N,
        ],
        [
            "3",
            "民营医院安全管理专题",
            "消防安全检查",
            "每月开展一次消防安全检查。",
            "辖区各民营医院",
            "长期坚持",
            N,
            N,
            N,
        ],
        [N, N, "电气安全检查", "每季度检查配电设施。", "局属各单位", "下半年", N, N, N],
        ["审核人：张三                填表人：李四", N, N, N, N, N, N, N, N],
        ["填报说明：", N, N, N, N, N, N, N, N],
        ["1.要确保重点任务无遗漏，做到事项清、措施实。", N, N, N, N, N, N, N, N],
    ]
    merges = [(1, 0, 3, 0), (1, 1, 3, 1), (1, 4, 3, 4), (7, 0, 7, 8), (8, 0, 8, 8), (9, 0, 9, 8)]
    above = ["附件1", "安全生产专项整治三年行动2024年度重点工作任务清单", "填报单位：社会事业管理局"]
    return Layout("分项任务", above, rows, merges)


def variants(outside_name: str) -> Layout:
    """重点任务 / 具体措施 / 责任处室 / 责任单位 / 配合单位 / 时间节点 / 成果形式; a unit of another district,
    an office not in the regulator's list."""
    rows = [
        ["序号", "重点任务", "具体措施", "责任处室", "责任单位", "配合单位", "时间节点", "成果形式"],
        [
            "1",
            "开展安全生产培训",
            "每半年组织一次全员培训。",
            "安全生产科、医政科",
            "局属各单位",
            "区疾控中心",
            "2025年6月底前",
            "培训记录",
        ],
        ["2", "隐患排查治理", "建立隐患台账，每月排查。", "安全生产科", outside_name, N, "2025-12-31", N],
        ["3", "消防设施检测", "委托第三方检测消防设施。", "后勤保障科", "甲区人民医院", N, "长期坚持，每季度报送", N],
    ]
    return Layout("表头变体", ["甲区卫生健康委2025年安全生产重点任务分工表"], rows)


def labelled_action() -> Layout:
    """编号 / 主要任务 (the action, merged) / 工作任务 / 牵头部门 (labelled cells) / 配合单位 / 完成时间 / 备注;
    a task naming only its lead office."""
    rows = [
        ["编号", "主要任务", "工作任务", "牵头部门", "配合单位", "完成时间", "备注"],
        [
            "1",
            "从业人员安全素养提升行动",
            "组织全员安全培训。",
            "牵头部门：安全生产科\n责任单位：各医疗机构",
            N,
            "2025年12月前",
            N,
        ],
        [
            "2",
            N,
            "开展应急演练。",
            "牵头部门：安全生产科\n责任单位：托育机构\n配合单位：区消防救援支队",
            N,
            "2025年10月前",
            "每半年一次",
        ],
        ["3", "安全基础巩固提升行动", "更新两单两卡。", "安全生产科", "医政科", "2025年6月前", N],
    ]
    return Layout("标注单元格", ["甲区2025年安全生产工作任务清单"], rows, [(1, 1, 2, 1)])


def headings() -> Layout:
    """序号 / 主要内容 / 责任单位 / 完成时限 / 工作进展, the actions as rows merged across the table."""
    rows = [
        ["序号", "主要内容", "责任单位", "完成时限", "工作进展"],
        ["一、从业人员安全素养提升行动", N, N, N, N],
        ["1", "组织全员安全生产培训。", "局属各单位", "2025年12月前", "已完成第一轮"],
        ["二、消防安全治理能力提升行动", N, N, N, N],
        ["2", "开展消防演练。", "托育机构", "2025年11月前", N],
    ]
    return Layout("标题行", ["2025年重点任务清单"], rows, [(1, 0, 1, 4), (3, 0, 3, 4)])


def restarted() -> Layout:
    """序号 / 主要内容 / 重点措施 / 责任单位 / 完成时限 with the numbering restarting under each heading
    ("一、…" 1, 2; "二、…" 1, 2), a numbered task of each section over two rows (its sub-tasks)."""
    rows = [
        ["序号", "主要内容", "重点措施", "责任单位", "完成时限"],
        ["一、从业人员安全素养提升行动", N, N, N, N],
        ["1", "组织全员培训", "每半年组织一次。", "局属各单位", "2025年12月前"],
        [N, "组织专题培训", "对分管领导开展培训。", N, "2025年6月前"],
        ["2", "开展应急演练", "每年至少一次。", "局属各单位", "2025年10月前"],
        ["二、消防安全治理能力提升行动", N, N, N, N],
        ["1", "消防安全检查", "每月检查一次。", "各医疗机构", "2025年12月前"],
        [N, "电气安全检查", "每季度检查配电设施。", N, "2025年9月前"],
        ["2", "开展消防演练", "每年组织一次。", "托育机构", "2025年11月前"],
    ]
    merges = [(1, 0, 1, 4), (2, 0, 3, 0), (2, 3, 3, 3), (5, 0, 5, 4), (6, 0, 7, 0), (6, 3, 7, 3)]
    return Layout("分节编号", ["2025年重点任务清单"], rows, merges)


def written_sub_numbers() -> Layout:
    """序号 written as "1", "1.1", "1.2": the dotted rows are task 1's sub-tasks, numbered as written;
    task 2's 序号 merged over two rows of different content (a sub-task made up: 2.1, 2.2) and then a
    written "2.3"; a written "1.1" over two rows (merged 序号, the second naming one more unit) is one
    sub-task."""
    rows = [
        ["序号", "主要内容", "重点措施", "责任单位", "完成时限"],
        ["1", "安全生产教育培训", N, "局属各单位", "2025年12月前"],
        ["1.1", "组织全员培训", "每半年组织一次。", "局属各单位", "2025年12月前"],
        [N, N, N, "区疾控中心", N],
        ["1.2", "组织专题培训", "对分管领导开展培训。", "各医疗机构", "2025年6月前"],
        ["2", "消防安全检查", "每月检查一次。", "各医疗机构", "2025年12月前"],
        [N, "电气安全检查", "每季度检查配电设施。", N, "2025年9月前"],
        ["2.3", "开展消防演练", "每年组织一次。", "托育机构", "2025年11月前"],
    ]
    merges = [(2, 0, 3, 0), (5, 0, 6, 0), (5, 3, 6, 3)]
    return Layout("分级编号", ["2025年重点任务清单"], rows, merges)


def restarted_written_sub_numbers() -> Layout:
    """The numbering restarting under each heading with written sub-numbers: "二、…" 1, 1.1, 1.2 (the
    task made "二.1", its sub-tasks "二.1.1", "二.1.2"); and a "1.1" written again in a row of its own
    under "一、…" (a duplicate, not the same sub-task's next row)."""
    rows = [
        ["序号", "主要内容", "重点措施", "责任单位", "完成时限"],
        ["一、从业人员安全素养提升行动", N, N, N, N],
        ["1", "安全生产教育培训", N, "局属各单位", "2025年12月前"],
        ["1.1", "组织全员培训", "每半年组织一次。", "局属各单位", "2025年12月前"],
        ["1.1", "组织岗前培训", "新员工上岗前培训。", "各医疗机构", "2025年6月前"],
        ["二、消防安全治理能力提升行动", N, N, N, N],
        ["1", "消防安全检查", N, "各医疗机构", "2025年12月前"],
        ["1.1", "检查消防设施", "每月检查一次。", "各医疗机构", "2025年12月前"],
        ["1.2", "检查疏散通道", "每周检查一次。", "局属各单位", "2025年9月前"],
    ]
    merges = [(1, 0, 1, 4), (5, 0, 5, 4)]
    return Layout("分节分级编号", ["2025年重点任务清单"], rows, merges)


def two_row_header() -> Layout:
    """序号 / 重点任务 / 责任分工 (over 牵头单位 and 配合单位, a second header row) / 完成时限."""
    rows = [
        ["序号", "重点任务", "责任分工", N, "完成时限"],
        [N, N, "责任单位", "配合单位", N],
        ["1", "开展有限空间作业专项检查。", "局属各单位", "区应急局", "2025年9月前"],
        ["2", "开展危化品一图一表核查。", "各医疗机构", N, "2025年10月前"],
    ]
    return Layout(
        "两行表头", ["2025年安全生产重点任务分工表"], rows, [(0, 0, 1, 0), (0, 1, 1, 1), (0, 2, 0, 3), (0, 4, 1, 4)]
    )


def from_xlsx(data: io.BytesIO, name: str) -> Layout:
    """A workbook's sheet (a seed table) as a layout, to write it as a Word table with the same merged
    cells; the rows above the header stay rows of the table."""
    from anjian.action_plans.parsing import xlsx_source

    source = xlsx_source(data, "x.xlsx")
    width = max(len(r) for r in source.rows)
    rows = [[t or None for t in r] + [None] * (width - len(r)) for r in source.rows]
    return Layout(name, [], rows, [tuple(m) for m in source.merges])
