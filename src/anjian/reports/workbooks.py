"""The statistics forms as xlsx, laid out like the paper forms: the monthly form of seed 004 (two-level
merged headers, units, 当月累计 and 累计总计, rates as percentages) and the quarterly / annual hazard
statistical analysis table of 16号令 with the principal's signature line."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from anjian.core.xlsx import set_value
from anjian.reports.monthly import COLUMNS, FORM_TITLE, RATE_KEYS, UNIT_ROW, MonthlyForm

THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
HEAD_FONT = Font(name="黑体", bold=True, size=10)
BODY_FONT = Font(name="仿宋", size=10)
TITLE_FONT = Font(name="方正小标宋简体", bold=True, size=16)
TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
PERCENT = "0.0%"


def _box(ws: Worksheet, first_row: int, last_row: int, last_col: int) -> None:
    for row in ws.iter_rows(min_row=first_row, max_row=last_row, min_col=1, max_col=last_col):
        for cell in row:
            cell.border = BOX


def _head(ws: Worksheet, cell_range: str, text: str) -> None:
    ws.merge_cells(cell_range)
    first = ws[cell_range.split(":")[0]]
    first = set_value(ws, first.row, first.column, text)
    first.font = HEAD_FONT
    first.alignment = CENTER


def _write_number(cell, value, *, rate: bool) -> None:
    if value is None:
        cell.value = None
    elif rate:
        cell.value = value / 100.0
        cell.number_format = PERCENT
    else:
        cell.value = value
    cell.alignment = CENTER
    cell.font = BODY_FONT


def monthly_workbook(form: MonthlyForm, *, filled_by: str = "") -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = _("月报表")
    last = 1 + len(COLUMNS)
    L = get_column_letter
    ws.merge_cells(f"A1:{L(last)}1")
    ws["A1"] = str(FORM_TITLE)
    ws["A1"].font = TITLE_FONT
    ws["A1"].alignment = CENTER
    ws.row_dimensions[1].height = 30
    unit = form.scope.label
    ws.merge_cells(f"A2:{L(last - 5)}2")
    ws["A2"] = _("填报单位：%(unit)s") % {"unit": unit}
    ws.merge_cells(f"{L(last - 4)}2:{L(last)}2")
    ws[f"{L(last - 4)}2"] = _("统计月份：%(m)s") % {"m": form.month.label}
    ws[f"{L(last - 4)}2"].alignment = Alignment(horizontal="right")

    # three header rows (3-5) and a row of units (6)
    _head(ws, "A3:A6", _("专题专项"))
    _head(ws, "B3:E3", _("发现突出问题（卫生健康行政部门层面）"))
    levels = [_("小计"), _("省级卫生健康部门"), _("市级卫生健康部门"), _("县级卫生健康部门")]
    for col, title in zip("BCDE", levels, strict=True):
        _head(ws, f"{col}4:{col}5", title)
    _head(ws, "F3:L3", _("排查整治隐患"))
    _head(ws, "F4:F5", _("排查隐患总数"))
    _head(ws, "G4:I4", _("一般隐患"))
    _head(ws, "J4:L4", _("重大隐患"))
    for col, title in zip("GHIJKL", [_("排查"), _("已整改"), _("整改率")] * 2, strict=True):
        _head(ws, f"{col}5:{col}5", title)
    _head(ws, "M3:P3", _("开展督导检查"))
    for col, title in zip("MNOP", [_("成立检查组"), _("督导检查次数"), _("检查单位"), _("督导问题")], strict=True):
        _head(ws, f"{col}4:{col}5", title)
    _head(ws, "Q3:Q5", _("约谈警示"))
    for index, unit_ in enumerate(UNIT_ROW, start=2):
        cell = ws.cell(row=6, column=index, value=str(unit_))
        cell.font = HEAD_FONT
        cell.alignment = CENTER

    row = 7
    for item in form.rows:
        label = set_value(ws, row, 1, item.label)
        label.font = Font(name="黑体", size=10) if item.kind in ("month", "cumulative") else BODY_FONT
        label.alignment = LEFT if item.kind in ("topic", "unmapped") else CENTER
        for index, (key, _title, _unit) in enumerate(COLUMNS, start=2):
            _write_number(ws.cell(row=row, column=index), item.values.get(key), rate=key in RATE_KEYS)
        if item.kind in ("month", "cumulative"):
            for col in range(1, last + 1):
                ws.cell(row=row, column=col).fill = TOTAL_FILL
        ws.row_dimensions[row].height = 30
        row += 1
    _box(ws, 3, row - 1, last)

    ws.merge_cells(f"A{row}:{L(last)}{row}")
    ws[f"A{row}"] = _("审核人：%(a)s                                        填表人：%(b)s") % {"a": "", "b": filled_by}
    row += 1
    notes = [
        _("填报说明："),
        _("1.“当月累计”为本月各项数据之和（含未归入专题的隐患）。"),
        _("2.“累计总计”为%(a)s至%(b)s的数据之和。")
        % {"a": form.cumulative.start.strftime("%Y-%m-%d"), "b": form.cumulative.end.strftime("%Y-%m-%d")},
        _("3.整改率 = 当期排查隐患中已整改销号的数量 ÷ 当期排查隐患数量。"),
        _("4.每月1日上报前一个月的情况信息，逢节假日顺延。各医疗机构只填写“排查整治隐患”一栏。"),
        _("导出时间：%(t)s") % {"t": timezone.localtime().strftime("%Y-%m-%d %H:%M")},
    ]
    for text in notes:
        ws.merge_cells(f"A{row}:{L(last)}{row}")
        ws[f"A{row}"] = text
        ws[f"A{row}"].font = Font(name="仿宋", size=9)
        row += 1

    ws.column_dimensions["A"].width = 34
    for index in range(2, last + 1):
        ws.column_dimensions[L(index)].width = 9
    for r in (3, 4, 5):
        ws.row_dimensions[r].height = 28
    ws.freeze_panes = "B7"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "3:6"
    return wb


def analysis_workbook(table, *, filled_by: str = "") -> Workbook:
    """The 16号令 quarterly / annual table, with room for the analysis and the principal's signature."""
    from anjian.reports.analysis import COLUMNS as A_COLUMNS
    from anjian.reports.analysis import RATE_KEYS as A_RATES

    wb = Workbook()
    ws = wb.active
    ws.title = _("统计分析表")
    last = 1 + len(A_COLUMNS)
    L = get_column_letter
    ws.merge_cells(f"A1:{L(last)}1")
    ws["A1"] = table.title
    ws["A1"].font = TITLE_FONT
    ws["A1"].alignment = CENTER
    ws.row_dimensions[1].height = 30
    ws.merge_cells(f"A2:{L(last)}2")
    ws["A2"] = _("单位名称（盖章）：%(org)s        统计期间：%(a)s 至 %(b)s") % {
        "org": table.organization.name,
        "a": table.period.start.strftime("%Y-%m-%d"),
        "b": table.period.end.strftime("%Y-%m-%d"),
    }
    header = ws.cell(row=3, column=1, value=_("隐患类别"))
    header.font, header.alignment = HEAD_FONT, CENTER
    for index, (_key, title) in enumerate(A_COLUMNS, start=2):
        cell = ws.cell(row=3, column=index, value=str(title))
        cell.font, cell.alignment = HEAD_FONT, CENTER
    ws.row_dimensions[3].height = 42
    row = 4
    for item in table.rows:
        label = set_value(ws, row, 1, item.label)
        label.font, label.alignment = BODY_FONT, CENTER
        for index, (key, _title) in enumerate(A_COLUMNS, start=2):
            _write_number(ws.cell(row=row, column=index), item.values.get(key), rate=key in A_RATES)
        row += 1
    for col in range(1, last + 1):
        ws.cell(row=row - 1, column=col).fill = TOTAL_FILL
    _box(ws, 3, row - 1, last)
    for title in (_("主要问题及原因分析："), _("下一步工作措施：")):
        ws.merge_cells(f"A{row}:{L(last)}{row + 3}")
        cell = ws[f"A{row}"]
        cell.value = title
        cell.alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
        cell.font = BODY_FONT
        _box(ws, row, row + 3, last)
        row += 4
    row += 1
    ws.merge_cells(f"A{row}:{L(last)}{row}")
    ws[f"A{row}"] = _(
        "单位主要负责人（签字）：________________    填表人：%(who)s    填报日期：______年____月____日"
    ) % {"who": filled_by or "________"}
    ws[f"A{row}"].font = Font(name="仿宋", size=11)
    ws.row_dimensions[row].height = 36
    row += 1
    ws.merge_cells(f"A{row}:{L(last)}{row}")
    ws[f"A{row}"] = _(
        "说明：依据《安全生产事故隐患排查治理暂行规定》第十四条，季度统计分析表于下一季度15日前、"
        "年度统计分析表于次年1月31日前报送，并由单位主要负责人签字。"
        "整改率 = 本期排查隐患中已整改销号数 ÷ 本期排查隐患数。"
    )
    ws[f"A{row}"].font = Font(name="仿宋", size=9)
    ws[f"A{row}"].alignment = LEFT
    ws.row_dimensions[row].height = 30
    ws.column_dimensions["A"].width = 16
    for index in range(2, last + 1):
        ws.column_dimensions[L(index)].width = 10
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    return wb
