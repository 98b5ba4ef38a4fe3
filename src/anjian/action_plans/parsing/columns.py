"""The columns of a task table: the fields, the header found and its columns recognised by the meaning
of their words, the table's source and the parsed tasks."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from django.utils.translation import gettext as _

from anjian.core.xlsx import XlsxError, cell_text

# --- the table's columns -------------------------------------------------------------------------

FIELDS = (
    "number",
    "action",
    "title",
    "content",
    "measures",
    "targets",
    "offices",
    "units",
    "cooperating",
    "deadline",
    "result_form",
    "progress",
    "notes",
)


def field_labels() -> dict[str, str]:
    return {
        "": _("（不导入）"),
        "number": _("序号"),
        "action": _("行动（主要任务）"),
        "title": _("任务名称（任务事项）"),
        "content": _("任务内容"),
        "measures": _("重点措施"),
        "targets": _("年度目标"),
        "offices": _("牵头部门（责任处室）"),
        "units": _("责任单位"),
        "cooperating": _("配合单位"),
        "deadline": _("完成时限"),
        "result_form": _("成果形式"),
        "progress": _("工作进展"),
        "notes": _("备注"),
    }


TASK_WORDS = ("任务", "内容", "事项")
ACTION_WORDS = ("行动", "类别", "主要任务", "专项")
MAX_ROWS = 2000


def _classify(header: str) -> str | None:
    """The meaning of a header cell: a field, "task" (a task column whose role depends on the
    others: action, name or content) or None."""
    if not header:
        return None
    if re.fullmatch(r"\d{4}年?目标", header) or "年度目标" in header:
        return "targets"
    if "牵头" in header and any(w in header for w in ("责任单位", "责任部门")):
        return "units"  # seed 004's "牵头部门·责任单位": labelled parts split, the rest are units
    rules = [
        ("number", ("序号", "编号")),
        ("measures", ("措施",)),
        ("offices", ("牵头", "处室", "科室")),
        ("cooperating", ("配合", "协办", "协助")),
        ("units", ("责任单位", "责任部门", "实施单位", "落实单位")),
        ("deadline", ("时限", "时间节点", "完成时间", "完成期限")),
        ("result_form", ("成果",)),
        ("progress", ("进展", "完成情况")),
        ("notes", ("备注",)),
        ("action", ("行动", "类别", "专项")),
        ("task", TASK_WORDS),
    ]
    for key, words in rules:
        if any(word in header for word in words):
            return key
    return None


def _letter(col: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(col + 1)


@dataclass
class Source:
    """A table as read from the file: each cell's own text ("" where a merged cell covers it), the
    merged ranges (0-based, inclusive), the text above the table, and how rows are numbered."""

    kind: str  # "xlsx" or "docx"
    rows: list[list[str]]
    merges: list[list[int]] = field(default_factory=list)
    above: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> Source:
        return cls(kind=data["kind"], rows=data["rows"], merges=data["merges"], above=data.get("above", []))

    def filled(self) -> list[list[str]]:
        grid = [list(r) for r in self.rows]
        for r1, c1, r2, c2 in self.merges:
            value = grid[r1][c1] if r1 < len(grid) and c1 < len(grid[r1]) else ""
            for r in range(r1, min(r2, len(grid) - 1) + 1):
                for c in range(c1, min(c2, len(grid[r]) - 1) + 1):
                    grid[r][c] = value
        return grid

    def spans(self) -> dict[tuple[int, int], int]:
        """How many columns the merged range starting at each cell spans."""
        return {(r1, c1): c2 - c1 + 1 for r1, c1, _r2, c2 in self.merges}

    def cell_name(self, row: int, col: int) -> dict:
        """Where a cell is, as the user finds it: Excel's row and column letter, or a Word table's
        row and column counted from 1."""
        if self.kind == "xlsx":
            return {"row": row + 1, "column": _letter(col)}
        return {"row": row + 1, "column": str(col + 1)}


@dataclass
class ParsedTask:
    row: int
    number: str
    action: str = ""
    title: str = ""
    content: str = ""
    measures: str = ""
    targets: dict = field(default_factory=dict)
    offices: list[str] = field(default_factory=list)
    units_text: str = ""
    cooperating: str = ""
    deadline_text: str = ""
    deadline: str | None = None
    standing: bool = False
    rhythm: str = ""
    result_form: str = ""
    progress: str = ""
    notes: str = ""
    parent: str = ""  # the 序号 of the numbered task a sub-row belongs to
    written_number: str = ""  # the 序号 as written, when it repeated an earlier one and was made unique
    has_subtasks: bool = False
    deadline_unclear: bool = False  # its deadline is among the problems (stored empty unless fixed)
    rows: list[int] = field(default_factory=list)  # the table rows read into this task (as shown to the user)
    unit_groups: list[int] = field(default_factory=list)
    unit_group_names: list[str] = field(default_factory=list)
    named_units: list[int] = field(default_factory=list)
    named_unit_names: list[str] = field(default_factory=list)
    unmatched_units: list[str] = field(default_factory=list)


@dataclass
class ParsedTable:
    title: str = ""
    document_number: str = ""
    year: int | None = None  # the first year of the title
    end_year: int | None = None  # its last, when the title spans several ("2024—2026年")
    layout: str = ""
    columns: list[dict] = field(default_factory=list)
    tasks: list[ParsedTask] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)
    source: Source | None = None

    def as_json(self) -> dict:
        return {
            "title": self.title,
            "document_number": self.document_number,
            "year": self.year,
            "end_year": self.end_year,
            "layout": self.layout,
            "columns": self.columns,
            "tasks": [asdict(t) for t in self.tasks],
            "problems": self.problems,
            "source": self.source.as_json() if self.source else None,
        }


def _norm(value) -> str:
    return re.sub(r"\s+", "", cell_text(value))


def _header_keys(row: list[str]) -> dict[int, str]:
    return {col: key for col, value in enumerate(row) if (key := _classify(_norm(value)))}


def _find_header(grid) -> int:
    for index, row in enumerate(grid[:12]):
        keys = set(_header_keys(row).values())
        if keys & {"task", "action", "measures"} and keys & {"units", "offices"} and len(keys) >= 3:
            return index
    raise XlsxError(_("没有找到表头：表格须有“序号”“重点工作任务（或任务事项、主要内容）”“责任单位”“完成时限”等列。"))


def _assign_roles(header: list[str]) -> tuple[dict[int, str], str]:
    """Each column's field, from the header's words: the task columns (任务/内容/事项) by their order
    and count: one is the content; two are the action (or the task's name) and the content; three
    (seed 002's 工作目标任务 over three columns, our template) the action, the name and the content."""
    keys = _header_keys(header)
    task_cols = [c for c, k in keys.items() if k == "task"]
    layout = "simple"
    normed = [_norm(h) for h in header]
    if len(task_cols) >= 3:
        spread = len({normed[c] for c in task_cols}) == 1
        layout = "seed-002" if spread else "three-task-columns"
        roles = ["action", "title"] + ["content"] * (len(task_cols) - 2)
        if any(keys.get(c) == "action" for c in keys):
            roles = ["title"] + ["content"] * (len(task_cols) - 1)
    elif len(task_cols) == 2:
        first = normed[task_cols[0]]
        has_action = any(k == "action" for k in keys.values())
        if not has_action and any(word in first for word in ACTION_WORDS):
            roles, layout = ["action", "content"], "seed-003" if "offices" in keys.values() else "group-content"
        else:
            roles = ["title", "content"]
            layout = "task-item" if "measures" in keys.values() else "name-content"
    elif len(task_cols) == 1:
        roles = ["content"]
        if "offices" in keys.values() and "action" not in keys.values():
            layout = "seed-003"
    else:
        roles = []
    for col, role in zip(task_cols, roles, strict=False):
        keys[col] = role
    if "content" not in keys.values() and "measures" in keys.values():
        for col, key in keys.items():
            if key == "measures":
                keys[col] = "content"
                break
    return {c: k for c, k in keys.items() if k in FIELDS}, layout


_NUMBER = re.compile(r"[\dA-Za-z.\-（）()]+")
_FOOTER = re.compile(
    r"^(审核人|审核：|填表人|填报人|填表时间|填报时间|填报说明|填表说明|说明[:：]|注[:：]|注\d|制表|联系人|联系电话)"
)
TITLE_WORDS = ("清单", "计划", "方案", "任务", "分工", "通知")
STRONG_TITLE_WORDS = ("清单", "计划表", "任务表", "分工", "工作计划", "实施方案")
_ENUMERATED = re.compile(r"^[（(]?[一二三四五六七八九十\d]{1,3}[)）、.．]")
_DOC_NUMBER = re.compile(r"[\u4e00-\u9fa5A-Za-z]{1,12}[〔［\[（(]\s*(?:19|20)\d{2}\s*[〕］\]）)]\s*\d{1,4}\s*号")


def _two_row_header(grid, raw, index: int) -> tuple[list[str], int]:
    """The header, and where the body starts: a second header row under cells merged across
    ("责任分工" over 牵头单位 / 配合单位) names its columns; else the header is one row."""
    header = list(grid[index])
    if index + 1 >= len(grid):
        return header, index + 1
    below = {c: t for c, t in enumerate(raw[index + 1]) if t.strip()}
    if len(below) >= 2 and all(_classify(_norm(t)) for t in below.values()):
        for c, text in below.items():
            header[c] = text
        return header, index + 2
    return header, index + 1


def columns_json(source: Source, header_index: int, header: list[str], roles: dict[int, str]) -> list[dict]:
    """Each column with a header, a field or something written in it: its header and meaning."""
    labels = field_labels()
    used = {c for row in source.rows[header_index + 1 :] for c, text in enumerate(row) if text.strip()}
    return [
        {
            "index": col,
            "name": source.cell_name(header_index, col)["column"],
            "header": cell_text(value),
            "field": roles.get(col, ""),
            "label": labels[roles.get(col, "")],
        }
        for col, value in enumerate(header)
        if cell_text(value) or roles.get(col) or col in used
    ]
