"""Excel (xlsx) helpers every import and export shares.

Writing: ``write_header`` styles a header row (required columns marked), ``add_list_validation``
adds a drop-down list, ``workbook_response`` sends a workbook as a download.

Reading: ``read_sheet`` opens an upload in read-only mode, finds the header row, and returns the
data rows as dicts keyed by header, with every cell coerced to text the way a person typed it
(``500112.0`` → ``"500112"``, a date → ``"2026-01-31"``, ``TRUE`` → ``"是"``); fully blank rows are
skipped and each row keeps the number Excel shows. Every problem with the file itself is an
``XlsxError`` with a Chinese message. ``parse_bool``, ``parse_int`` and ``parse_date`` turn the
text of one cell into a value or raise ``ValueError`` with a message for the user.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from anjian.core.archives import ArchiveError, NotAnArchive, check_archive
from anjian.core.errors import DomainError

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REQUIRED_MARK = "*"
TEXT_FORMAT = "@"

YES = "是"
NO = "否"
_TRUE_WORDS = {"是", "y", "yes", "true", "1", "√", "✓", "对", "有"}
_FALSE_WORDS = {"否", "n", "no", "false", "0", "×", "✗", "无", "不是"}

HEADER_FONT = Font(bold=True, color="1F2937")
REQUIRED_FONT = Font(bold=True, color="C00000")
HEADER_FILL = PatternFill("solid", fgColor="E8EEF7")
HEADER_BORDER = Border(bottom=Side(style="thin", color="9CA3AF"))
HEADER_ALIGNMENT = Alignment(horizontal="center", vertical="center", wrap_text=True)

# How far down to look for the header row (a title row or two above it is common), and how many
# columns to consider at most: a sheet is read only as wide as its header.
HEADER_SEARCH_ROWS = 10
MAX_COLUMNS = 100


class XlsxError(DomainError):
    """The uploaded file cannot be used as it is (not an xlsx, empty, a column missing, too big)."""


# --- writing ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HeaderCell:
    """One column of a header row to write."""

    title: str
    required: bool = False
    width: float = 16
    comment: str = ""
    text: bool = True  # format the column as text, so codes and phone numbers keep their digits


def header_text(title: str, required: bool) -> str:
    return f"{title}{REQUIRED_MARK}" if required else title


def write_header(ws: Worksheet, columns: Sequence[HeaderCell], *, row: int = 1, freeze: bool = True) -> None:
    """Write a styled header row: required columns marked with * in red, a comment with the
    column's note, the column widths, text format for text columns, and the pane frozen below."""
    for index, column in enumerate(columns, start=1):
        cell = ws.cell(row=row, column=index, value=header_text(column.title, column.required))
        cell.font = REQUIRED_FONT if column.required else HEADER_FONT
        cell.fill = HEADER_FILL
        cell.border = HEADER_BORDER
        cell.alignment = HEADER_ALIGNMENT
        if column.comment:
            cell.comment = Comment(column.comment, "安监")
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = column.width
        if column.text:
            ws.column_dimensions[letter].number_format = TEXT_FORMAT
    ws.row_dimensions[row].height = 24
    if freeze:
        ws.freeze_panes = ws.cell(row=row + 1, column=1)


def add_list_validation(
    ws: Worksheet,
    *,
    column: int,
    source: str | Sequence[str],
    first_row: int = 2,
    last_row: int = 1000,
    strict: bool = True,
    prompt: str = "",
) -> DataValidation:
    """A drop-down list on one column. ``source`` is a formula reference (``'选项'!$A$1:$A$9``)
    or a short list of options (at most 255 characters joined). ``strict=False`` warns instead of
    refusing a value that is not in the list."""
    if isinstance(source, str):
        formula = source
    else:
        formula = '"' + ",".join(source) + '"'
        if len(formula) > 257:
            raise ValueError("inline list too long for a data validation; use a sheet range")
    validation = DataValidation(
        type="list",
        formula1=formula,
        allow_blank=True,
        showDropDown=False,  # openpyxl's name is inverted: False shows the arrow
        showErrorMessage=True,
        errorStyle="stop" if strict else "warning",
        errorTitle=_("无效的值"),
        error=_("请从下拉列表中选择。"),
        showInputMessage=bool(prompt),
        prompt=prompt or None,
    )
    letter = get_column_letter(column)
    validation.add(f"{letter}{first_row}:{letter}{last_row}")
    ws.add_data_validation(validation)
    return validation


def write_options_sheet(wb: Workbook, lists: dict[str, Sequence[str]], *, title: str = "选项") -> dict[str, str]:
    """A hidden sheet holding one option list per column; returns ``{name: range formula}``."""
    ws = wb.create_sheet(title)
    ws.sheet_state = "hidden"
    ranges = {}
    for index, (name, options) in enumerate(lists.items(), start=1):
        ws.cell(row=1, column=index, value=name)
        for offset, option in enumerate(options, start=2):
            ws.cell(row=offset, column=index, value=option)
        letter = get_column_letter(index)
        last = max(len(options) + 1, 2)
        ranges[name] = f"{quote_sheetname(title)}!${letter}$2:${letter}${last}"
    return ranges


def set_value(ws: Worksheet, row: int, column: int, value: Any):
    """Write one value; text that starts with "=" stays text (never a formula: someone's input
    must not run in the reader's spreadsheet)."""
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"
    return cell


def write_rows(ws: Worksheet, rows: Iterable[Sequence[Any]], *, start_row: int = 2) -> None:
    for r, values in enumerate(rows, start=start_row):
        for c, value in enumerate(values, start=1):
            set_value(ws, r, c, value)


def workbook_bytes(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def workbook_response(wb: Workbook, filename: str) -> HttpResponse:
    """The workbook as a download; the (Chinese) file name survives every browser (RFC 6266)."""
    response = HttpResponse(workbook_bytes(wb), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


# --- reading ------------------------------------------------------------------------------------


@dataclass
class SheetRow:
    """One data row: ``number`` as Excel shows it, ``values`` keyed by header title (text)."""

    number: int
    values: dict[str, str]

    def get(self, title: str) -> str:
        return self.values.get(title, "")


@dataclass
class Sheet:
    title: str
    headers: list[str]
    header_row: int
    rows: list[SheetRow] = field(default_factory=list)


def normalize_header(value: Any) -> str:
    """A header cell as a column title: whitespace and the required mark removed."""
    text = cell_text(value)
    text = re.sub(r"\s+", "", text)
    return text.rstrip(REQUIRED_MARK + "＊")


def cell_text(value: Any) -> str:
    """A cell's value as the text a person typed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(Decimal(repr(value)).normalize(), "f")
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).replace("\r\n", "\n").strip()


def _is_xlsx_name(name: str) -> bool:
    return name.lower().endswith(".xlsx")


def read_sheet(
    file: IO[bytes],
    *,
    name: str = "",
    required: Sequence[str] = (),
    known: Sequence[str] = (),
    sheet_title: str = "",
    max_rows: int | None = None,
    max_bytes: int | None = None,
) -> Sheet:
    """Read an uploaded xlsx into rows of text keyed by header.

    ``name`` is the uploaded file's name (checked for .xlsx); ``required`` the column titles that
    must be present; ``known`` every title the caller reads (a header row is recognised by them);
    ``sheet_title`` the sheet to prefer (else the first). Raises ``XlsxError`` for a file that is
    not an xlsx, bigger than ``max_bytes``, has no header row with the required columns, no data
    rows, or more than ``max_rows`` data rows.
    """
    size = getattr(file, "size", None)
    if max_bytes is not None and size is not None and size > max_bytes:
        raise XlsxError(
            _("文件过大（%(size)s），上限为 %(limit)s。") % {"size": _human_size(size), "limit": _human_size(max_bytes)}
        )
    if name and not _is_xlsx_name(name):
        if name.lower().endswith((".xls", ".et", ".csv")):
            raise XlsxError(_("请上传 .xlsx 格式的 Excel 文件（.xls、.csv 等请在 Excel/WPS 中另存为 .xlsx）。"))
        raise XlsxError(_("请上传 .xlsx 格式的 Excel 文件。"))
    try:
        check_archive(file, name=name)  # before a byte is inflated: a small file may hold a bomb
    except NotAnArchive as exc:
        raise XlsxError(_("无法读取该文件：它不是有效的 .xlsx 文件。")) from exc
    except ArchiveError as exc:
        raise XlsxError(exc.message) from exc
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds of errors for a corrupt or foreign file
        raise XlsxError(_("无法读取该文件：它不是有效的 .xlsx 文件。")) from exc
    try:
        return _read_workbook(
            workbook,
            required=required,
            known=known or required,
            sheet_title=sheet_title,
            max_rows=max_rows,
        )
    finally:
        workbook.close()


def _read_workbook(workbook, *, required, known, sheet_title, max_rows) -> Sheet:
    worksheets = [ws for ws in workbook.worksheets if getattr(ws, "sheet_state", "visible") == "visible"]
    if not worksheets:
        raise XlsxError(_("文件中没有工作表。"))
    ws = next((w for w in worksheets if w.title == sheet_title), worksheets[0])
    rows = ws.iter_rows(values_only=True, max_col=MAX_COLUMNS)

    header_row, headers, first_nonblank = 0, [], None
    known_set = set(known)
    for number, values in enumerate(rows, start=1):
        titles = [normalize_header(v) for v in values]
        if not any(titles):
            if number >= HEADER_SEARCH_ROWS:
                break
            continue
        if first_nonblank is None:
            first_nonblank = titles
        if known_set & set(titles):
            header_row, headers = number, titles
            break
        if number >= HEADER_SEARCH_ROWS:
            break
    if first_nonblank is None:
        raise XlsxError(_("工作表“%(sheet)s”是空的。") % {"sheet": ws.title})
    missing = [title for title in required if title not in (headers or first_nonblank)]
    if not header_row and not missing:
        raise XlsxError(_("找不到表头行。请使用下载的模板，表头须在前%(n)d行内。") % {"n": HEADER_SEARCH_ROWS})
    if missing:
        raise XlsxError(
            _("缺少必填列：%(columns)s。请使用下载的模板，表头须在前%(n)d行内。")
            % {"columns": "、".join(missing), "n": HEADER_SEARCH_ROWS}
        )
    seen: set[str] = set()
    for title in headers:
        if title and title in seen:
            raise XlsxError(_("列“%(column)s”出现了不止一次。") % {"column": title})
        seen.add(title)
    while headers and not headers[-1]:
        headers.pop()

    sheet = Sheet(title=ws.title, headers=headers, header_row=header_row)
    width = len(headers)
    for number, values in enumerate(rows, start=header_row + 1):
        texts = [cell_text(v) for v in values[:width]]
        if not any(texts):
            continue
        if max_rows is not None and len(sheet.rows) >= max_rows:
            raise XlsxError(_("数据超过 %(n)d 行的上限，请分成几个文件导入。") % {"n": max_rows})
        texts += [""] * (width - len(texts))
        sheet.rows.append(SheetRow(number=number, values={t: v for t, v in zip(headers, texts, strict=True) if t}))
    if not sheet.rows:
        raise XlsxError(_("工作表“%(sheet)s”中没有数据行（表头之下是空的）。") % {"sheet": ws.title})
    return sheet


def _human_size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / 1024 / 1024:.1f} MB".replace(".0 MB", " MB")
    return f"{max(1, n // 1024)} KB"


# --- cell values --------------------------------------------------------------------------------


def parse_bool(text: str, *, default: bool = False) -> bool:
    """是/否 (also Y/N, TRUE/FALSE, 1/0, √/×); blank is ``default``."""
    value = (text or "").strip().lower()
    if not value:
        return default
    if value in _TRUE_WORDS:
        return True
    if value in _FALSE_WORDS:
        return False
    raise ValueError(_("应填写“是”或“否”。"))


def parse_int(text: str, *, minimum: int | None = 0) -> int | None:
    """A whole number; blank is None. "1,200" and "1200.0" are accepted."""
    value = (text or "").strip().replace(",", "").replace("，", "")
    if not value:
        return None
    try:
        number = Decimal(value)
    except ArithmeticError as exc:
        raise ValueError(_("应为整数。")) from exc
    if not number.is_finite() or number != number.to_integral_value():
        raise ValueError(_("应为整数。"))
    result = int(number)
    if minimum is not None and result < minimum:
        raise ValueError(_("不能小于 %(n)d。") % {"n": minimum})
    return result


_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


def parse_date(text: str) -> dt.date | None:
    """2026-01-31, 2026/1/31, 2026.1.31, 2026年1月31日 or 20260131; blank is None."""
    value = (text or "").strip()
    if not value:
        return None
    value = value.split(" ")[0]
    for pattern in _DATE_PATTERNS:
        match = pattern.match(value)
        if match:
            try:
                return dt.date(*(int(g) for g in match.groups()))
            except ValueError:
                break
    raise ValueError(_("应为日期，如 2026-01-31。"))


def split_list(text: str) -> list[str]:
    """Several names in one cell separated by 、 , ， ; ； or line breaks; blanks and repeats dropped."""
    names: list[str] = []
    for part in re.split(r"[、,，;；\n]+", text or ""):
        part = part.strip()
        if part and part not in names:
            names.append(part)
    return names
