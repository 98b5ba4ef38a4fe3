"""A streaming xlsx writer for several sheets (the three lists of major hazards), in the manner of
``core.xlsxstream`` (one sheet): each sheet's XML goes straight into its zip entry a chunk of rows at a
time, from an iterable the caller makes per sheet (a database cursor), so memory stays flat and no
cell objects are built. Inline strings, numbers as numbers, a bold title row, a styled header row,
column widths and frozen panes; Excel, WPS, LibreOffice and openpyxl read it."""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import IO
from xml.sax.saxutils import quoteattr

from openpyxl.utils import get_column_letter

from anjian.core.xlsxstream import CHUNK_ROWS, ROOT_RELS, STYLES, _cells

_NS = "http://schemas.openxmlformats.org"
_SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"


@dataclass
class Sheet:
    name: str
    title: str
    columns: Sequence[tuple[str, float]]
    rows: Callable[[], Iterable[Sequence]]  # called once, when the sheet is written


def _content_types(n: int) -> str:
    sheets = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{_SHEET_TYPE}"/>' for i in range(1, n + 1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Types xmlns="{_NS}/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        f"{sheets}"
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>'
    )


def _workbook(names: list[str]) -> tuple[str, str]:
    sheets = "".join(
        f'<sheet name={quoteattr(name[:31])} sheetId="{i}" r:id="rId{i}"/>' for i, name in enumerate(names, 1)
    )
    workbook = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<workbook xmlns="{_NS}/spreadsheetml/2006/main" xmlns:r="{_NS}/officeDocument/2006/relationships">'
        f"<sheets>{sheets}</sheets></workbook>"
    )
    rel = f"{_NS}/officeDocument/2006/relationships"
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="{rel}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, len(names) + 1)
    )
    rels += f'<Relationship Id="rId{len(names) + 1}" Type="{rel}/styles" Target="styles.xml"/>'
    workbook_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Relationships xmlns="{_NS}/package/2006/relationships">{rels}</Relationships>'
    )
    return workbook, workbook_rels


def write_sheets(target: str | IO[bytes], sheets: Sequence[Sheet]) -> list[int]:
    """Write the sheets in order; return the number of data rows of each."""
    counts = []
    workbook, workbook_rels = _workbook([s.name for s in sheets])
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", _content_types(len(sheets)))
        zf.writestr("_rels/.rels", ROOT_RELS)
        zf.writestr("xl/workbook.xml", workbook)
        zf.writestr("xl/_rels/workbook.xml.rels", workbook_rels)
        zf.writestr("xl/styles.xml", STYLES)
        for index, sheet in enumerate(sheets, start=1):
            refs = [get_column_letter(i) for i in range(1, len(sheet.columns) + 1)]
            cols = "".join(
                f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>' for i, (_n, w) in enumerate(sheet.columns, 1)
            )
            count = 0
            with zf.open(f"xl/worksheets/sheet{index}.xml", "w", force_zip64=True) as out:
                parts = [
                    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                    f'<worksheet xmlns="{_NS}/spreadsheetml/2006/main">'
                    '<sheetViews><sheetView workbookViewId="0"><pane ySplit="2" topLeftCell="A3" '
                    'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
                    f"<cols>{cols}</cols><sheetData>",
                    _cells([sheet.title], refs, 1, ' s="1"'),
                    _cells([name for name, _w in sheet.columns], refs, 2, ' s="2"'),
                ]
                for n, row in enumerate(sheet.rows(), start=3):
                    count += 1
                    parts.append(_cells(row, refs, n))
                    if len(parts) >= CHUNK_ROWS:
                        out.write("".join(parts).encode())
                        parts = []
                parts.append("</sheetData></worksheet>")
                out.write("".join(parts).encode())
            counts.append(count)
    return counts
