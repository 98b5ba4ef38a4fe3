"""Reading task tables: deadlines in words, offices and units in one cell ("牵头部门：…" and "责任部门：…"
split by their labels), and whole tables, from an xlsx sheet or from the task table of a Word
document (.docx: gridSpan and vMerge read as merged cells), in the layouts of seed 003 (序号 / 主要任务
/ 重点工作任务 / 责任处室 / 责任单位 / 完成时限), of seed 002's attachment 1 (序号 / 工作目标任务 [three
merged columns] / 时间节点 / 责任单位 / 配合单位), of seed 004's attachment 1 (序号 / 任务事项 / 主要内容 /
重点措施 / 牵头部门·责任单位 / 完成时限 / 工作进展 / 成果形式 / 备注, a numbered task over several rows: its
sub-tasks), of our own template and their variants (columns recognised by the meaning of their
header's words; the user may correct the mapping in the preview).

Nothing is lost: every non-empty cell of the table's body ends up in a task or sub-task, or in the
table's ``problems`` with its row and column (a footer, a column not imported, a continuation line
that contradicts its task). Pure functions without the database except ``map_units`` (which reads
the unit groups). Whatever is not understood becomes a *problem* for the user to fix, never a guess.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import asdict, dataclass, field
from typing import IO

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from anjian.core.archives import ArchiveError, ArchiveLimits, NotAnArchive, check_archive, worksheet_rows
from anjian.core.xlsx import XlsxError, cell_text

# --- deadlines -----------------------------------------------------------------------------------

STANDING_WORDS = ("长期坚持", "长期", "持续推进", "常态化")
RHYTHM_WORDS = [
    ("每月", "monthly"),
    ("每季度", "quarterly"),
    ("每季", "quarterly"),
    ("每半年", "half_yearly"),
    ("每年", "yearly"),
]
_NUM = r"(\d{1,4})"


@dataclass
class Deadline:
    date: dt.date | None = None
    standing: bool = False
    rhythm: str = ""
    problem: str = ""
    month_only: bool = False  # "12月底前": the year is the plan's

    @property
    def understood(self) -> bool:
        return not self.problem


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def parse_deadline(text: str, *, year: int | None = None) -> Deadline:
    """ "2024年12月前，长期坚持" → 2024-12-31 and standing; "12 月" → the 31st of December of ``year``
    (the plan's year); "长期坚持" → standing; anything else → a problem naming the text."""
    raw = (text or "").strip()
    compact = re.sub(r"\s+", "", raw)
    result = Deadline()
    if not compact:
        result.problem = _("未填写完成时限")
        return result
    result.standing = any(word in compact for word in STANDING_WORDS)
    for word, rhythm in RHYTHM_WORDS:
        if word in compact:
            result.rhythm = rhythm
            break
    rest = compact
    for word in (
        *STANDING_WORDS,
        *(w for w, _r in RHYTHM_WORDS),
        "报送",
        "开展",
        "定期",
        "并",
        "完成",
        "以前",
        "之前",
        "前",
        "底",
        "，",
        ",",
        "；",
        "。",
    ):
        rest = rest.replace(word, " ")
    rest = rest.strip()
    if not rest:
        result.standing = result.standing or bool(result.rhythm)  # "每季度": recurring, no end date
        return result
    m = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?\s*", rest)
    if m:
        try:
            result.date = dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            result.problem = _("“%(t)s”不是有效的日期") % {"t": raw}
        return result
    m = re.fullmatch(r"(\d{4})年(\d{1,2})月\s*", rest) or re.fullmatch(r"(\d{4})[-/.](\d{1,2})\s*", rest)
    if m and 1 <= int(m[2]) <= 12:
        result.date = _month_end(int(m[1]), int(m[2]))
        return result
    m = re.fullmatch(r"(\d{4})年(年)?\s*", rest) or re.fullmatch(r"(\d{4})年年\s*", rest)
    if m:
        result.date = dt.date(int(m[1]), 12, 31)
        return result
    m = re.fullmatch(r"(\d{1,2})月\s*", rest)
    if m and 1 <= int(m[1]) <= 12:
        if year is None:
            result.problem = _("“%(t)s”未写年份，且表格标题中也没有年份") % {"t": raw}
            return result
        result.date = _month_end(year, int(m[1]))
        result.month_only = True
        return result
    result.problem = _("无法识别完成时限“%(t)s”，请改为“2024年12月前”“2024-12-31”或“长期坚持”") % {"t": raw}
    return result


# --- offices and units ---------------------------------------------------------------------------

_SPLIT = re.compile(r"[、，,；;/\s]+")


def split_names(text: str) -> list[str]:
    """ "安全生产与项目规划科、 医政科" → two names; order kept, duplicates and blanks dropped."""
    names = []
    for part in _SPLIT.split((text or "").replace("<p>", "").replace("</p>", "")):
        part = part.strip("。 ")
        if part and part not in names:
            names.append(part)
    return names


@dataclass
class UnitMapping:
    text: str
    groups: list[int] = field(default_factory=list)  # UnitGroup ids
    group_names: list[str] = field(default_factory=list)
    named: list[int] = field(default_factory=list)  # Organization ids named in the text
    named_names: list[str] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)


def map_units(text: str, *, groups, institutions) -> UnitMapping:
    """Map the words of a 责任单位 cell to unit groups (by their keywords) and named institutions
    (by name or short name); what matches neither is listed as unmatched, for the user to see."""
    mapping = UnitMapping(text=text)
    for segment in split_names(text):
        hit = False
        for inst in institutions:
            if segment in (inst.name, inst.short_name) and inst.pk not in mapping.named:
                mapping.named.append(inst.pk)
                mapping.named_names.append(inst.name)
                hit = True
        for group in groups:
            if any(word and word in segment for word in group.keywords):
                hit = True
                if group.pk not in mapping.groups:
                    mapping.groups.append(group.pk)
                    mapping.group_names.append(group.name)
        if not hit:
            mapping.unmatched.append(segment)
    return mapping


# --- labelled responsibility cells -----------------------------------------------------------------

# "牵头部门：社会事业管理局\n责任部门：局卫生各部门、各医疗机构" in one cell: split by the labels
LABELS = [
    ("offices", ("牵头部门", "牵头单位", "牵头处室", "牵头科室", "责任处室", "责任科室")),
    ("units", ("责任部门", "责任单位", "实施单位", "落实单位")),
    ("cooperating", ("配合单位", "配合部门", "协办单位", "协助单位", "参与单位")),
]
_LABEL_RE = re.compile(
    "(" + "|".join(word for _key, words in LABELS for word in words) + r")\s*[:：]", flags=re.MULTILINE
)
# the regulator's own offices written where units are expected: "局卫生各部门", "局机关各办公室"
_OFFICE_LIKE = re.compile(r"^(局|委|机关).*各(部门|科室|处室|办公室)$|^局机关")


def split_labelled(text: str, default: str) -> dict[str, str]:
    """The parts of a responsibility cell by their labels; text before any label is ``default``'s."""
    parts: dict[str, list[str]] = {}
    matches = list(_LABEL_RE.finditer(text or ""))
    head = (text or "")[: matches[0].start()] if matches else (text or "")
    if head.strip():
        parts.setdefault(default, []).append(head.strip())
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        key = next(k for k, words in LABELS if m[1] in words)
        value = text[m.end() : end].strip(" \n；;，,。")
        if value:
            parts.setdefault(key, []).append(value)
    return {k: "，".join(v) for k, v in parts.items()}


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


def parse_source(source: Source, *, roles: dict[int, str] | None = None) -> ParsedTable:
    """Read the tasks of a table. Every non-empty cell of the body ends up in a task (or sub-task)
    or in ``problems`` with its row and column: nothing is dropped without a word.

    A row under the same (merged) or a blank 序号 whose content or measures differ from the row
    above is a sub-task of the numbered task: kept in order, with its own content, measures,
    deadline and units where given, the rest inherited. A row whose content is the same (or empty)
    is a continuation line: its offices and units are added to the task."""
    grid = source.filled()
    if not grid:
        raise XlsxError(_("表格中没有任务行。"))
    width = max(len(r) for r in grid)
    for r in grid:
        r.extend([""] * (width - len(r)))
    raw = [list(r) + [""] * (width - len(r)) for r in source.rows]
    header_index = _find_header(grid)
    header, body_start = _two_row_header(grid, raw, header_index)
    auto_roles, layout = _assign_roles(header)
    if roles is not None:
        roles = {int(c): k for c, k in roles.items() if k in FIELDS}
        layout = "custom" if roles != auto_roles else layout
    else:
        roles = auto_roles
    if "content" not in roles.values():
        raise XlsxError(_("请指定哪一列是任务内容。"))
    table = ParsedTable(layout=layout, source=source, columns=columns_json(source, header_index, header, roles))
    _title_and_number(
        table,
        source,
        [r for r in grid[:header_index] if len({_norm(v) for v in r if _norm(v)}) < 2 or len(_header_keys(r)) < 2],
    )
    by_field: dict[str, list[int]] = {}
    for col in sorted(roles):
        by_field.setdefault(roles[col], []).append(col)
    spans = source.spans()
    header_norm = [_norm(v) for v in grid[header_index]]

    def where(r: int, c: int) -> dict:
        return source.cell_name(r, c)

    def problem(r: int, c: int | None, kind: str, message: str, **extra) -> None:
        place = where(r, c if c is not None else 0)
        if c is None:
            place.pop("column")
        table.problems.append({**place, "field": kind, "message": message, **extra})

    def ignore(r: int, why: str) -> None:
        for c, text in enumerate(raw[r]):
            if text.strip():
                place = where(r, c)
                problem(
                    r,
                    c,
                    "ignored",
                    _("第%(r)s行第%(c)s列%(why)s，未导入：%(t)s")
                    % {"r": place["row"], "c": place["column"], "why": why, "t": text.strip()[:80]},
                    text=text.strip(),
                )

    def get(row: list[str], key: str) -> str:
        parts = []
        for col in by_field.get(key, []):
            text = row[col].strip()
            if text and text not in parts:
                parts.append(text)
        return "\n".join(parts)

    last_action = ""
    current: ParsedTask | None = None  # the numbered task
    target: ParsedTask | None = None  # where continuation lines go (the task or its last sub-task)
    in_footer = False
    headings: list[int] = []  # heading rows ("一、…行动") waiting for their first task
    unnumbered: set[str] = set()  # the numbers given to rows without a 序号
    number_col = by_field.get("number", [None])[0]
    for index in range(body_start, len(grid)):
        row, own = grid[index], raw[index]
        shown_row = where(index, 0)["row"]
        own_cells = [(c, t.strip()) for c, t in enumerate(own) if t.strip()]
        if not own_cells:
            continue  # blank, or only covered by cells merged from above (read with those)
        if in_footer or any(_FOOTER.match(re.sub(r"\s+", "", t)) for _c, t in own_cells):
            in_footer = True
            ignore(index, _("是表格下方的签名或说明"))
            continue
        if [_norm(v) for v in row] == header_norm or re.sub(r"\s+", "", get(row, "number")).startswith("序号"):
            ignore(index, _("是重复的表头"))
            continue
        if len(own_cells) == 1 and spans.get((index, own_cells[0][0]), 1) >= 3:
            # a heading over the whole row ("一、从业人员安全素养提升行动"): the action of the tasks below
            last_action = re.sub(r"\s+", "", own_cells[0][1])
            current = target = None
            headings.append(index)
            continue
        values = {key: get(row, key) for key in FIELDS}
        resp = _responsibility(values)
        number = re.sub(r"\s+", "", values["number"])
        content = values["content"].replace("<p>", "").replace("</p>", "").strip()
        measures = values["measures"].strip()
        key = (re.sub(r"\s+", "", content), re.sub(r"\s+", "", measures))
        unread: set[str] = set()
        own_title = re.sub(r"\s+", "", "".join(own[c] for c in by_field.get("title", [])))
        # a blank 序号 continues the task above, unless that task had none either (a table without
        # numbers: a task a row) or the row names a task of its own (its own 任务事项)
        own_action = re.sub(r"\s+", "", "".join(own[c] for c in by_field.get("action", [])))
        joins = (
            current is not None
            and own_action in ("", current.action)  # "1" again under another action: numbering restarted
            and (
                (number and number in (current.number, current.written_number))
                or (not number and current.number not in unnumbered and own_title in ("", current.title))
            )
        )
        if joins:
            assert current is not None and target is not None
            if not any(key) or key == _key(target):
                unread = _absorb(target, values, resp, numbers={current.number, current.written_number})
                target.rows.append(shown_row)
            else:
                target = _sub_row(table, current, values, resp, shown_row)
        elif (number and _NUMBER.fullmatch(number)) or (not number and content):
            taken = {t.number for t in table.tasks}
            written = ""
            action = re.sub(r"\s+", "", values["action"]) or last_action
            last_action = action
            if not number:
                problem(index, None, "number", _("第%(r)s行没有序号，已按新任务读取。") % {"r": shown_row})
                count = len([t for t in table.tasks if not t.parent]) + 1
                while str(count) in taken:
                    count += 1
                number = str(count)
                unnumbered.add(number)
            elif number in taken:  # numbering restarted under each heading ("一、…" 1, 2; "二、…" 1, 2)
                written, number = number, _unique_number(number, action, taken)
                problem(
                    index,
                    number_col,
                    "number",
                    _("第%(r)s行的序号“%(n)s”与前面的任务重复，已改为“%(u)s”。")
                    % {"r": shown_row, "n": written, "u": number},
                    number=number,
                    text=written,
                )
            current = target = ParsedTask(
                row=shown_row,
                number=number,
                action=action,
                written_number=written,
                title=re.sub(r"\s+", "", values["title"]),
                content=content,
                measures=measures,
                offices=resp["offices"],
                units_text=resp["units"],
                cooperating=resp["cooperating"],
                deadline_text=re.sub(r"\s+", " ", values["deadline"]).strip(),
                result_form=values["result_form"].strip(),
                progress=values["progress"].strip(),
                notes=values["notes"].strip(),
                rows=[where(h, 0)["row"] for h in headings] + [shown_row],
            )
            headings = []
            if values["targets"]:
                current.targets = {"text": values["targets"].strip()}
            table.tasks.append(current)
            if not content:
                problem(
                    index,
                    None,
                    "content",
                    _("第%(r)s行（序号%(n)s）没有任务内容。") % {"r": shown_row, "n": number},
                    number=number,
                )
        else:
            ignore(index, _("不是任务行（没有序号和任务内容）"))
            continue
        for col, text in own_cells:
            key_ = roles.get(col, "")
            if not key_ or key_ in unread:
                place = where(index, col)
                why = _("所在列未导入") if not key_ else _("与同一任务上一行的内容不一致")
                problem(
                    index,
                    col,
                    "unread",
                    _("第%(r)s行第%(c)s列%(why)s：%(t)s")
                    % {"r": place["row"], "c": place["column"], "why": why, "t": text[:80]},
                    text=text,
                )
        if len(table.tasks) > MAX_ROWS:
            raise XlsxError(_("任务超过 %(n)s 条，请拆分后导入。") % {"n": MAX_ROWS})

    for index in headings:
        ignore(index, _("是表格末尾没有任务的标题行"))
    if not table.tasks:
        raise XlsxError(_("表格中没有任务行。"))
    return table


_SECTION = re.compile(r"^[（(]?([一二三四五六七八九十]{1,3}|\d{1,3})[)）、.．]")


def _unique_number(number: str, action: str, taken: set[str]) -> str:
    """A 序号 that repeats an earlier one made unique: prefixed by its section ("二、…" → "二.1"),
    else (or if that is taken too) suffixed ("1-2")."""
    m = _SECTION.match(action or "")
    candidates = [f"{m[1]}.{number}"] if m else []
    candidates += (f"{number}-{k}" for k in range(2, MAX_ROWS + 2))
    return next(c for c in candidates if c not in taken)


def _key(task: ParsedTask) -> tuple[str, str]:
    return (re.sub(r"\s+", "", task.content), re.sub(r"\s+", "", task.measures))


def _responsibility(values: dict[str, str]) -> dict:
    """Offices, units and co-operators of a row, from their columns and from labels inside a cell."""
    parts: dict[str, list[str]] = {"offices": [], "units": [], "cooperating": []}
    for key in ("offices", "units", "cooperating"):
        for label, text in split_labelled(values[key], key).items():
            parts[label].append(text)
    offices: list[str] = []
    for text in parts["offices"]:
        offices += [o for o in split_names(text) if o not in offices]
    units = []
    for text in parts["units"]:
        for name in split_names(re.sub(r"\s*\n\s*", "、", text)):
            if _OFFICE_LIKE.search(name):
                if name not in offices:
                    offices.append(name)
            elif name not in units:
                units.append(name)
    unit_text = "，".join(re.sub(r"\s*\n\s*", "", t).strip() for t in parts["units"])
    if units != split_names(unit_text):  # an office named among the units: keep the units only
        unit_text = "、".join(units)
    return {
        "offices": offices,
        "units": unit_text,
        "cooperating": "，".join(re.sub(r"\s*\n\s*", "", t).strip() for t in parts["cooperating"]),
    }


def _join(old: str, new: str, sep: str = "，") -> str:
    return sep.join(p for p in (old, new) if p) if new and new not in old else old


def _absorb(task: ParsedTask, values: dict[str, str], resp: dict, *, numbers: set[str]) -> set[str]:
    """A continuation line of ``task``: add its offices, units and the like; return the fields whose
    text could not be added (a different deadline, say) for the caller to report."""
    for office in resp["offices"]:
        if office not in task.offices:
            task.offices.append(office)
    task.units_text = _join(task.units_text, resp["units"])
    task.cooperating = _join(task.cooperating, resp["cooperating"])
    for key in ("result_form", "progress", "notes"):
        setattr(task, key, _join(getattr(task, key), values[key].strip(), "\n"))
    if values["targets"].strip():
        task.targets = {"text": _join(task.targets.get("text", ""), values["targets"].strip(), "\n")}
    unread = set()
    deadline = re.sub(r"\s+", " ", values["deadline"]).strip()
    if deadline and deadline != task.deadline_text:
        if task.deadline_text:
            unread.add("deadline")
        else:
            task.deadline_text = deadline
    for key in ("title", "action"):
        text = re.sub(r"\s+", "", values[key])
        if text and text != getattr(task, key):
            if getattr(task, key):
                unread.add(key)
            else:
                setattr(task, key, text)
    if re.sub(r"\s+", "", values["number"]) not in {"", task.number, task.parent, *numbers}:
        unread.add("number")
    return unread


def _sub_row(table: ParsedTable, parent: ParsedTask, values: dict[str, str], resp: dict, row: int) -> ParsedTask:
    """A row of ``parent`` with its own content: a sub-task. The first time, the parent's own first
    row becomes sub-task 1 and the parent keeps what its rows share (its name, units, deadline)."""
    at = next(i for i, t in enumerate(table.tasks) if t is parent)
    subs = table.tasks[at + 1 :]  # its sub-tasks follow it (a numbered task is the last one until the next)
    if not subs:
        first = ParsedTask(
            **{
                **{k: v for k, v in asdict(parent).items() if k not in ("targets", "offices", "rows")},
                "number": f"{parent.number}.1",
                "parent": parent.number,
                "written_number": "",
                "title": "",
                "targets": dict(parent.targets),
                "offices": list(parent.offices),
                "rows": list(parent.rows),
            }
        )
        parent.has_subtasks = True
        parent.content = parent.title or parent.content
        parent.measures = ""
        parent.progress = parent.notes = ""
        table.tasks.append(first)
        subs = [first]
    title = re.sub(r"\s+", "", values["title"])
    sub = ParsedTask(
        row=row,
        number=f"{parent.number}.{len(subs) + 1}",
        parent=parent.number,
        action=parent.action,
        title=title if title != parent.title else "",
        content=values["content"].strip(),
        measures=values["measures"].strip(),
        offices=resp["offices"] or list(parent.offices),
        units_text=resp["units"] or parent.units_text,
        cooperating=resp["cooperating"] or parent.cooperating,
        deadline_text=re.sub(r"\s+", " ", values["deadline"]).strip() or parent.deadline_text,
        result_form=values["result_form"].strip() or parent.result_form,
        progress=values["progress"].strip(),
        notes=values["notes"].strip(),
        rows=[row],
    )
    if values["targets"].strip():
        sub.targets = {"text": values["targets"].strip()}
    if not sub.content:
        sub.content, sub.measures = sub.measures, ""
    table.tasks.append(sub)
    return sub


def _title_and_number(table: ParsedTable, source: Source, above_rows: list[list[str]]) -> None:
    """The plan's title and document number from the text above the table (the paragraphs of a
    Word document, the rows above an Excel header)."""
    lines = list(source.above)
    for row in above_rows:
        parts = []
        for value in row:
            text = _norm(value)
            if text and text not in parts:
                parts.append(text)
        lines.append("".join(parts))
    candidates = []
    for line in lines:
        text = re.sub(r"\s+", "", line)
        m = _DOC_NUMBER.search(text)
        if m and not table.document_number:
            table.document_number = m[0]
        if m and len(text) - len(m[0]) < 4:
            continue  # the document number's own line
        if not text or len(text) > 80 or re.fullmatch(r"附件\d*[:：]?.{0,2}", text) or text.startswith("填报单位"):
            continue  # an attachment's label, body text of the document, the reporting unit's line
        candidates.append(text)
    candidates = [t for t in candidates if not _ENUMERATED.match(t)]  # "三、重点任务": a heading of the text
    strong = [t for t in candidates if any(w in t for w in STRONG_TITLE_WORDS)]
    titled = [t for t in candidates if any(w in t for w in TITLE_WORDS)]
    if strong or titled:
        table.title = (strong or titled)[-1]  # the nearest to the table
    elif candidates:
        table.title = max(candidates, key=len)
    years = [int(y) for y in re.findall(r"(?<!\d)20\d{2}(?!\d)", table.title)]
    table.year = years[0] if years else None
    table.end_year = max(years) if years and max(years) != min(years) else None


def single_year(parsed: dict) -> int | None:
    """The year a deadline without one ("12月底前") falls in: the title's, unless it spans several."""
    return None if parsed.get("end_year") else parsed.get("year")


# --- files ---------------------------------------------------------------------------------------

# A task table has tens or hundreds of rows; the whole workbook is loaded (merged cells), so
# anything much bigger is refused from the archive's directory and a count of its rows first.
PLAN_ARCHIVE_LIMITS = ArchiveLimits(member_bytes=16 * 1024 * 1024, total_bytes=32 * 1024 * 1024)
MAX_TABLE_ROWS = 3000


def _check_size(file: IO[bytes], name: str, *, kind: str) -> None:
    expected = (
        _("无法读取该文件：它不是有效的 xlsx 文件。")
        if kind == "xlsx"
        else _("无法读取该文件：它不是有效的 docx 文件。")
    )
    try:
        check_archive(file, name=name, limits=PLAN_ARCHIVE_LIMITS)
        rows = worksheet_rows(file) if kind == "xlsx" else _docx_rows(file)
    except NotAnArchive as exc:
        raise XlsxError(expected) from exc
    except ArchiveError as exc:
        raise XlsxError(exc.message) from exc
    if rows > MAX_TABLE_ROWS:
        raise XlsxError(
            _("任务清单有 %(n)d 行，超过 %(max)d 行的上限：请只保留任务清单所在的表格。")
            % {"n": rows, "max": MAX_TABLE_ROWS}
        )


def _docx_rows(file: IO[bytes]) -> int:
    """The table rows of a docx, counted by streaming word/document.xml (after ``check_archive``)."""
    import zipfile

    rows, tail = 0, b""
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive, archive.open("word/document.xml") as part:
            while chunk := part.read(1024 * 1024):
                data = tail + chunk
                rows += data.count(b"<w:tr>") + data.count(b"<w:tr ")
                tail = data[-6:]
                rows -= tail.count(b"<w:tr>") + tail.count(b"<w:tr ")
            rows += tail.count(b"<w:tr>") + tail.count(b"<w:tr ")
    except KeyError as exc:
        raise NotAnArchive(_("上传的文件不是有效的 Word 文档（docx）。")) from exc
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise NotAnArchive(_("上传的文件不是有效的 Word 文档（docx）。")) from exc
    finally:
        file.seek(0)
    return rows


def _old_formats() -> dict[str, str]:
    return {
        ".doc": _("旧版 Word 文档（.doc）无法读取：请在 Word 或 WPS 中“另存为” .docx 格式后再上传。"),
        ".wps": _("WPS 文字文档（.wps）无法读取：请在 WPS 中“另存为” .docx 格式后再上传。"),
        ".xls": _("请上传 .xlsx 格式的 Excel 文件（旧版 .xls 请先另存为 .xlsx）。"),
        ".et": _("WPS 表格文档（.et）无法读取：请另存为 .xlsx 格式后再上传。"),
    }


def file_kind(name: str) -> str:
    """ "xlsx" or "docx" by the file's name; an old or other format is refused with what to do."""
    lower = (name or "").lower()
    for ext, message in _old_formats().items():
        if lower.endswith(ext):
            raise XlsxError(message, field="file")
    if lower.endswith(".docx"):
        return "docx"
    if lower.endswith(".xlsx") or not name:
        return "xlsx"
    raise XlsxError(_("请上传 Excel（.xlsx）或 Word（.docx）格式的任务清单。"), field="file")


def xlsx_source(file: IO[bytes], name: str = "") -> Source:
    _check_size(file, name, kind="xlsx")
    try:
        wb = load_workbook(file, data_only=True)  # not read-only: merged cells are read
    except Exception as exc:  # openpyxl raises many kinds for a file that is not an xlsx
        raise XlsxError(_("无法读取该文件：它不是有效的 xlsx 文件。")) from exc
    ws = wb.worksheets[0]
    if ws.max_row > MAX_TABLE_ROWS:  # a stray cell far below the table: refused, not cut off unsaid
        raise XlsxError(
            _("工作表第 %(n)d 行仍有内容，超过 %(max)d 行的上限：请删除表格下方多余的内容后再上传。")
            % {"n": ws.max_row, "max": MAX_TABLE_ROWS}
        )
    rows = [[cell_text(v) for v in r] for r in ws.iter_rows(min_row=1, max_row=ws.max_row, values_only=True)]
    merges = [[g.min_row - 1, g.min_col - 1, g.max_row - 1, g.max_col - 1] for g in ws.merged_cells.ranges]
    return Source(kind="xlsx", rows=rows, merges=[m for m in merges if m[0] < len(rows)])


def _docx_table(tbl) -> tuple[list[list[str]], list[list[int]]]:
    """A Word table's cells by grid column: gridSpan (merged across) and vMerge (merged down) read
    as merged ranges, as in xlsx."""
    from docx.oxml.ns import qn

    rows: list[list[str]] = []
    merges: list[list[int]] = []
    open_down: dict[int, list[int]] = {}  # grid column → the merged range running down it
    for r, tr in enumerate(tbl.tr_lst):
        row: list[str] = []
        col = 0
        before = tr.find(f"{qn('w:trPr')}/{qn('w:gridBefore')}")
        if before is not None:
            col = int(before.get(qn("w:val")) or 0)
            row.extend([""] * col)
        for tc in tr.tc_lst:
            span = tc.grid_span
            text = "\n".join(_paragraphs(tc)).strip()
            vmerge = tc.vMerge
            row.extend([""] * (col + span - len(row)))
            if vmerge == "continue" and col in open_down:
                open_down[col][2] = r
            else:
                row[col] = text
                rng = [r, col, r, col + span - 1]
                if vmerge == "restart":
                    open_down[col] = rng
                    merges.append(rng)
                else:
                    open_down.pop(col, None)
                    if span > 1:
                        merges.append(rng)
            col += span
        rows.append(row)
    return rows, [m for m in merges if m[2] > m[0] or m[3] > m[1]]


def _paragraphs(tc):
    """The text of each paragraph of a table cell."""
    from docx.oxml.ns import qn

    for p in tc.iter(qn("w:p")):
        yield "".join(t.text or "" for t in p.iter(qn("w:t")))


def docx_source(file: IO[bytes], name: str = "") -> Source:
    """The task table of a Word document (the first table whose header has 序号 and a task column)
    with the paragraphs above it (document number, title)."""
    from docx import Document
    from docx.oxml.ns import qn

    _check_size(file, name, kind="docx")
    try:
        document = Document(file)
    except Exception as exc:  # python-docx raises many kinds for a file that is not a docx
        raise XlsxError(_("无法读取该文件：它不是有效的 docx 文件。")) from exc
    above: list[str] = []
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:p"):
            text = "".join(t.text or "" for t in element.iter(qn("w:t"))).strip()
            if text:
                above.append(text)
        elif element.tag == qn("w:tbl"):
            rows, merges = _docx_table(element)
            source = Source(kind="docx", rows=rows, merges=merges, above=list(above))
            try:
                header = _find_header(source.filled())
            except XlsxError:
                continue
            if "number" in _header_keys(source.filled()[header]).values():
                return source
    raise XlsxError(_("文档中没有找到任务清单表格：表格须有“序号”和“任务”（或“主要内容”）等列。"))


def read_task_table(
    file: IO[bytes], *, name: str = "", groups=(), institutions=(), offices=None, outside=()
) -> ParsedTable:
    """Read an uploaded task table (xlsx, or the table of a docx) and check it (``finish``)."""
    kind = file_kind(name)
    source = docx_source(file, name) if kind == "docx" else xlsx_source(file, name)
    table = parse_source(source)
    finish(table, groups=groups, institutions=institutions, offices=offices, outside=outside)
    return table


def reparse(parsed: dict, *, roles: dict[int, str], groups=(), institutions=(), offices=None, outside=()) -> dict:
    """A draft read again with the columns' fields as the user corrected them."""
    source = Source.from_json(parsed["source"])
    table = parse_source(source, roles=roles)
    finish(table, groups=groups, institutions=institutions, offices=offices, outside=outside)
    return table.as_json()


def finish(table: ParsedTable, *, groups=(), institutions=(), offices=None, outside=()) -> None:
    """Parse each task's deadline and map its units; flag, never guess: a task that reaches no
    unit, a deadline not understood, an office not in the office list (when there is one), a unit
    of another district (``outside``: the institutions elsewhere, or a function giving those of
    the names not matched here). A heading task (with sub-tasks) is flagged through its sub-tasks."""
    groups, institutions = list(groups), list(institutions)
    known_offices = set(offices or ())
    for task in table.tasks:
        mapping = map_units(task.units_text, groups=groups, institutions=institutions)
        task.unit_groups, task.unit_group_names = mapping.groups, mapping.group_names
        task.named_units, task.named_unit_names = mapping.named, mapping.named_names
        task.unmatched_units = mapping.unmatched
    elsewhere = {}
    unmatched = sorted({name for t in table.tasks for name in t.unmatched_units})
    for org in (outside(unmatched) if callable(outside) else outside) if unmatched else ():
        for label in (org.name, org.short_name):
            if label:
                elsewhere[label] = org.name
    column = {c["field"]: c["name"] for c in reversed(table.columns) if c["field"]}
    latest: dict[str, tuple[dt.date, str]] = {}  # each action's latest deadline without a year, and its text
    for task in table.tasks:
        deadline = parse_deadline(task.deadline_text, year=table.year)
        if deadline.month_only and deadline.date:
            # which year "1月底前" is cannot be told when the title spans years, nor when it comes
            # after "12月底前" in the same action (the next year, perhaps): asked, not guessed. A
            # single-year plan lists its months in any order (seed 002: 12月, 11月, 9月…), and each
            # action starts again (年度目标 12月, then 部署发动 3月): only a fall from the year's last
            # quarter into its first, within one action, reads as the year's end crossed.
            previous = latest.get(task.action)
            if table.end_year:
                deadline.problem = _("“%(t)s”未写年份，而标题跨%(a)s—%(b)s年，无法确定是哪一年，请写明年份。") % {
                    "t": task.deadline_text,
                    "a": table.year,
                    "b": table.end_year,
                }
            elif previous and previous[0].month >= 10 and deadline.date.month <= 3 and not task.has_subtasks:
                deadline.problem = _("“%(t)s”未写年份，且早于前面的“%(p)s”，可能已是下一年，请写明年份。") % {
                    "t": task.deadline_text,
                    "p": previous[1],
                }
            if not task.has_subtasks and (previous is None or deadline.date > previous[0]):
                latest[task.action] = (deadline.date, task.deadline_text)
            if deadline.problem:
                deadline.date = None
        task.deadline = deadline.date.isoformat() if deadline.date else None
        task.standing = deadline.standing
        task.rhythm = deadline.rhythm
        task.deadline_unclear = bool(deadline.problem)
        if task.has_subtasks:
            continue
        base = {"row": task.row, "number": task.number}
        if deadline.problem:
            table.problems.append(
                {
                    **base,
                    **({"column": column["deadline"]} if "deadline" in column else {}),
                    "field": "deadline",
                    "text": task.deadline_text,
                    "message": _("序号%(n)s：%(p)s") % {"n": task.number, "p": deadline.problem},
                }
            )
        if not task.units_text and not (task.unit_groups or task.named_units):
            message = (
                _("序号%(n)s：只写了牵头部门，未填写责任单位，导入后不会分派到任何单位。")
                if task.offices
                else _("序号%(n)s：未填写责任单位。")
            )
            table.problems.append({**base, "field": "units", "message": message % {"n": task.number}})
        elif not task.unit_groups and not task.named_units:
            table.problems.append(
                {
                    **base,
                    "field": "units",
                    "text": task.units_text,
                    "message": _("序号%(n)s：责任单位“%(u)s”未对应到本辖区的机构，导入后不会分派。")
                    % {"n": task.number, "u": task.units_text},
                }
            )
        for name in task.unmatched_units:
            if name in elsewhere:
                table.problems.append(
                    {
                        **base,
                        "field": "unit_outside",
                        "text": name,
                        "message": _("序号%(n)s：“%(u)s”不是本辖区的机构，不会分派给它。")
                        % {"n": task.number, "u": elsewhere[name]},
                    }
                )
        if known_offices:
            for office in task.offices:
                if office not in known_offices and not re.search(r"各(部门|科室|处室|办公室)$", office):
                    table.problems.append(
                        {
                            **base,
                            "field": "office",
                            "text": office,
                            "message": _("序号%(n)s：牵头部门“%(o)s”不在本单位的科室名单中。")
                            % {"n": task.number, "o": office},
                        }
                    )
