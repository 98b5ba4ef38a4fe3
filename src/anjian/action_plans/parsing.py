"""Reading task tables: deadlines in words, offices and units in one cell, and whole xlsx sheets in
the layouts of seed 003 (序号 / 主要任务 / 重点工作任务 / 责任处室 / 责任单位 / 完成时限), of seed 002's
attachment 1 (序号 / 工作目标任务 [three merged columns] / 时间节点 / 责任单位 / 配合单位), of seed 004's
attachment 1 (our export) and of our own template.

Pure functions without the database except ``map_units`` (which reads the unit groups). Whatever is
not understood becomes a *problem* for the user to fix, never a guess.
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


# --- sheets --------------------------------------------------------------------------------------

COLUMN_WORDS = {
    "number": ("序号", "编号"),
    "action": ("主要任务", "行动", "专项行动", "任务事项", "任务类别"),
    "title": ("任务名称", "主要内容"),
    "content": ("重点工作任务", "工作目标任务", "任务内容", "重点措施", "工作任务", "具体任务"),
    "targets": ("年度目标",),
    "offices": ("责任处室", "牵头处室", "牵头部门", "责任科室"),
    "units": ("责任单位",),
    "cooperating": ("配合单位", "协办单位"),
    "deadline": ("完成时限", "时间节点", "完成时间", "时限"),
    "result_form": ("成果形式",),
}
MAX_ROWS = 2000


@dataclass
class ParsedTask:
    row: int
    number: str
    action: str = ""
    title: str = ""
    content: str = ""
    targets: dict = field(default_factory=dict)
    offices: list[str] = field(default_factory=list)
    units_text: str = ""
    cooperating: str = ""
    deadline_text: str = ""
    deadline: str | None = None
    standing: bool = False
    rhythm: str = ""
    result_form: str = ""
    unit_groups: list[int] = field(default_factory=list)
    unit_group_names: list[str] = field(default_factory=list)
    named_units: list[int] = field(default_factory=list)
    named_unit_names: list[str] = field(default_factory=list)
    unmatched_units: list[str] = field(default_factory=list)


@dataclass
class ParsedTable:
    title: str = ""
    year: int | None = None
    layout: str = ""
    tasks: list[ParsedTask] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "title": self.title,
            "year": self.year,
            "layout": self.layout,
            "tasks": [asdict(t) for t in self.tasks],
            "problems": self.problems,
        }


def _norm(value) -> str:
    return re.sub(r"\s+", "", cell_text(value))


def _classify(header: str) -> str | None:
    if not header:
        return None
    if re.fullmatch(r"\d{4}年?目标", header) or "年度目标" in header:
        return "targets"
    for key, words in COLUMN_WORDS.items():
        if any(word in header for word in words):
            if key == "offices" and "责任单位" in header and ("牵头" in header):
                return "offices"  # 004's "牵头部门·责任部门"
            return key
    return None


def _grid(ws) -> list[list]:
    """The sheet's values with every merged range filled with its top-left value."""
    rows = [list(r) for r in ws.iter_rows(min_row=1, max_row=min(ws.max_row, MAX_ROWS + 20), values_only=True)]
    width = max((len(r) for r in rows), default=0)
    for r in rows:
        r.extend([None] * (width - len(r)))
    for rng in ws.merged_cells.ranges:
        value = ws.cell(rng.min_row, rng.min_col).value
        for row in range(rng.min_row, min(rng.max_row, len(rows)) + 1):
            for col in range(rng.min_col, min(rng.max_col, width) + 1):
                rows[row - 1][col - 1] = value
    return rows


def _find_header(grid) -> tuple[int, dict[str, list[int]]]:
    for index, row in enumerate(grid[:12]):
        columns: dict[str, list[int]] = {}
        for col, value in enumerate(row):
            key = _classify(_norm(value))
            if key:
                columns.setdefault(key, []).append(col)
        if "content" in columns and ("units" in columns or "offices" in columns) and len(columns) >= 3:
            return index, columns
    raise XlsxError(_("没有找到表头：表格须有“序号”“重点工作任务（或工作目标任务）”“责任单位”“完成时限”等列。"))


# A task table has tens or hundreds of rows; the whole workbook is loaded (merged cells), so
# anything much bigger is refused from the archive's directory and a count of its rows first.
PLAN_ARCHIVE_LIMITS = ArchiveLimits(member_bytes=16 * 1024 * 1024, total_bytes=32 * 1024 * 1024)
MAX_TABLE_ROWS = 3000


def _check_size(file: IO[bytes], name: str) -> None:
    try:
        check_archive(file, name=name, limits=PLAN_ARCHIVE_LIMITS)
        rows = worksheet_rows(file)
    except NotAnArchive as exc:
        raise XlsxError(_("无法读取该文件：它不是有效的 xlsx 文件。")) from exc
    except ArchiveError as exc:
        raise XlsxError(exc.message) from exc
    if rows > MAX_TABLE_ROWS:
        raise XlsxError(
            _("任务清单有 %(n)d 行，超过 %(max)d 行的上限：请只保留任务清单所在的表格。")
            % {"n": rows, "max": MAX_TABLE_ROWS}
        )


def read_task_table(file: IO[bytes], *, name: str = "", groups=(), institutions=()) -> ParsedTable:
    if name and not name.lower().endswith(".xlsx"):
        raise XlsxError(_("请上传 .xlsx 格式的 Excel 文件（旧版 .xls 请先另存为 .xlsx）。"))
    _check_size(file, name)
    try:
        wb = load_workbook(file, data_only=True)  # not read-only: merged cells are read
    except Exception as exc:  # openpyxl raises many kinds for a file that is not an xlsx
        raise XlsxError(_("无法读取该文件：它不是有效的 xlsx 文件。")) from exc
    ws = wb.worksheets[0]
    grid = _grid(ws)
    header_index, columns = _find_header(grid)
    table = ParsedTable()
    for row in grid[:header_index]:
        parts = []
        for value in row:
            text = _norm(value)
            if text and text not in parts:
                parts.append(text)
        text = "".join(parts)
        if re.fullmatch(r"附件\s*\d*[:：]?", text) or len(text) <= len(table.title):
            continue
        table.title = text
    m = re.search(r"(20\d{2})", table.title)
    table.year = int(m[1]) if m else None

    # a header cell spanning several columns (seed 002's 工作目标任务 over three): action, title, content
    content_cols = columns["content"]
    if len(content_cols) >= 3 and "action" not in columns:
        columns["action"], columns["title"], columns["content"] = [content_cols[0]], [content_cols[1]], content_cols[2:]
        table.layout = "seed-002"
    elif len(content_cols) == 2 and "action" not in columns:
        columns["action"], columns["content"] = [content_cols[0]], content_cols[1:]
        table.layout = "group-content"
    elif "title" in columns and "action" in columns:
        table.layout = "seed-004"
    else:
        table.layout = "seed-003" if "offices" in columns else "simple"
    if "title" in columns and "action" not in columns and "content" not in columns:
        columns["content"] = columns.pop("title")

    def get(row, key) -> str:
        cols = columns.get(key) or []
        parts = []
        for col in cols:
            text = cell_text(row[col]) if col < len(row) else ""
            if text and text not in parts:
                parts.append(text)
        return "\n".join(parts)

    last_action = ""
    current: ParsedTask | None = None
    for index in range(header_index + 1, len(grid)):
        row = grid[index]
        excel_row = index + 1
        values = {key: get(row, key) for key in COLUMN_WORDS}
        if not any(values.values()):
            continue
        number = re.sub(r"\s+", "", values["number"])
        if number.startswith("序号") or _classify(re.sub(r"\s+", "", values["content"])) == "content":
            continue  # a header repeated on a new page
        content = values["content"].replace("<p>", "").replace("</p>", "").strip()
        continuation = current is not None and (
            (number and number == current.number) or (not number and (not content or content == current.content))
        )
        if continuation:
            # a continuation line of the task above (merged 序号): more offices, units or co-operators
            for office in split_names(values["offices"]):
                if office not in current.offices:
                    current.offices.append(office)
            for key, attr in (("units", "units_text"), ("cooperating", "cooperating")):
                text = re.sub(r"\s*\n\s*", "", values[key]).strip()
                if text and text not in getattr(current, attr):
                    setattr(current, attr, "，".join(p for p in (getattr(current, attr), text) if p))
            continue
        if not number:
            if content and (values["units"] or values["deadline"]):
                table.problems.append(
                    {
                        "row": excel_row,
                        "field": "number",
                        "message": _("第%(r)s行没有序号，已按新任务读取。") % {"r": excel_row},
                    }
                )
                number = str(len(table.tasks) + 1)
            else:
                continue  # a note below the table
        elif not re.fullmatch(r"[\dA-Za-z.\-（）()]+", number):
            continue  # notes, signatures, totals below the table
        action = values["action"].strip() or last_action
        last_action = action
        title = values["title"].strip()
        current = ParsedTask(
            row=excel_row,
            number=number,
            action=re.sub(r"\s+", "", action),
            title=re.sub(r"\s+", "", title),
            content=content,
            offices=split_names(values["offices"]),
            units_text=re.sub(r"\s*\n\s*", "", values["units"]).strip(),
            cooperating=re.sub(r"\s*\n\s*", "", values["cooperating"]).strip(),
            deadline_text=re.sub(r"\s+", " ", values["deadline"]).strip(),
            result_form=values["result_form"].strip(),
        )
        if values["targets"]:
            current.targets = {"text": values["targets"].strip()}
        table.tasks.append(current)
        if not content:
            table.problems.append(
                {
                    "row": excel_row,
                    "field": "content",
                    "message": _("第%(r)s行（序号%(n)s）没有任务内容。") % {"r": excel_row, "n": number},
                }
            )
        if len(table.tasks) > MAX_ROWS:
            raise XlsxError(_("任务超过 %(n)s 条，请拆分后导入。") % {"n": MAX_ROWS})

    if not table.tasks:
        raise XlsxError(_("表格中没有任务行。"))
    finish(table, groups=groups, institutions=institutions)
    return table


def finish(table: ParsedTable, *, groups=(), institutions=()) -> None:
    """Parse each task's deadline and map its units; collect the problems."""
    groups, institutions = list(groups), list(institutions)
    for task in table.tasks:
        deadline = parse_deadline(task.deadline_text, year=table.year)
        task.deadline = deadline.date.isoformat() if deadline.date else None
        task.standing = deadline.standing
        task.rhythm = deadline.rhythm
        if deadline.problem:
            table.problems.append(
                {
                    "row": task.row,
                    "number": task.number,
                    "field": "deadline",
                    "text": task.deadline_text,
                    "message": _("序号%(n)s：%(p)s") % {"n": task.number, "p": deadline.problem},
                }
            )
        mapping = map_units(task.units_text, groups=groups, institutions=institutions)
        task.unit_groups, task.unit_group_names = mapping.groups, mapping.group_names
        task.named_units, task.named_unit_names = mapping.named, mapping.named_names
        task.unmatched_units = mapping.unmatched
        if not task.units_text and not task.offices:
            table.problems.append(
                {
                    "row": task.row,
                    "number": task.number,
                    "field": "units",
                    "message": _("序号%(n)s：未填写责任单位。") % {"n": task.number},
                }
            )
        elif task.units_text and not mapping.groups and not mapping.named:
            table.problems.append(
                {
                    "row": task.row,
                    "number": task.number,
                    "field": "units",
                    "text": task.units_text,
                    "message": _("序号%(n)s：责任单位“%(u)s”未对应到本辖区的机构，导入后不会分派。")
                    % {"n": task.number, "u": task.units_text},
                }
            )
