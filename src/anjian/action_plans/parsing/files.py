"""Task tables from files: an xlsx sheet or the task table of a Word document (.docx: gridSpan and
vMerge read as merged cells), checked for size and archive bombs before reading."""

from __future__ import annotations

import datetime as dt
import re
from typing import IO

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from anjian.action_plans.parsing.cells import map_units, parse_deadline
from anjian.action_plans.parsing.columns import ParsedTable, Source, _find_header, _header_keys
from anjian.action_plans.parsing.rows import parse_source
from anjian.core.archives import ArchiveError, ArchiveLimits, NotAnArchive, check_archive, worksheet_rows
from anjian.core.xlsx import XlsxError, cell_text

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
