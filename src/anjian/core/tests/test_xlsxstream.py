"""The streaming xlsx writer: what openpyxl reads back is what was written (text, numbers, blanks,
characters XML cannot hold), with the title, the styled header, the widths and the frozen panes."""

import io
from decimal import Decimal

from openpyxl import load_workbook

from anjian.core.xlsxstream import write_sheet


def test_written_values_read_back():
    rows = [
        [1, "A&B <c> \"d\" 'e'", None, 2.5, Decimal("10.50"), "  两端空格  "],
        [2, "控制\x01字符\x0b被去掉", "", 0, -3, "第二行"],
    ]
    target = io.BytesIO()
    n = write_sheet(
        target,
        sheet="台账",
        title="标题行",
        columns=[("序号", 6), ("文本", 30), ("空", 5), ("数", 8), ("钱", 8), ("备注", 12)],
        rows=iter(rows),
    )
    assert n == 2
    wb = load_workbook(io.BytesIO(target.getvalue()))
    ws = wb.active
    assert ws.title == "台账"
    assert ws.freeze_panes == "A3"
    assert ws.column_dimensions["B"].width == 30
    assert ws["A1"].value == "标题行" and ws["A1"].font.b and ws["A1"].font.sz == 14
    assert [c.value for c in ws[2]] == ["序号", "文本", "空", "数", "钱", "备注"]
    assert ws["A2"].font.b and ws["A2"].fill.fgColor.rgb == "FFDDEBF7"
    assert [c.value for c in ws[3]] == [1, "A&B <c> \"d\" 'e'", None, 2.5, 10.5, "  两端空格  "]
    assert [c.value for c in ws[4]] == [2, "控制字符被去掉", None, 0, -3, "第二行"]


def test_no_title_header_first():
    target = io.BytesIO()
    write_sheet(target, sheet="S", columns=[("a", 5)], rows=[["x"]])
    ws = load_workbook(io.BytesIO(target.getvalue())).active
    assert [r for r in ws.iter_rows(values_only=True)] == [("a",), ("x",)]
    assert ws.freeze_panes == "A2"
