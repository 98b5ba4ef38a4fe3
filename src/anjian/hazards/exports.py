"""The hazard ledger (隐患台账) as xlsx, streamed: rows go from a database cursor into a write-only
workbook on disk, so memory stays flat however many rows are exported."""

from __future__ import annotations

import tempfile

from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill

COLUMNS = [
    (_("序号"), 6),
    (_("隐患编号"), 16),
    (_("机构"), 24),
    (_("科室"), 12),
    (_("隐患部位"), 18),
    (_("隐患名称"), 28),
    (_("隐患描述"), 30),
    (_("类别"), 10),
    (_("等级"), 12),
    (_("来源"), 10),
    (_("判定依据"), 24),
    (_("发现时间"), 17),
    (_("发现人"), 10),
    (_("状态"), 8),
    (_("整改责任人"), 10),
    (_("整改措施"), 30),
    (_("整改资金（元）"), 12),
    (_("整改期限"), 11),
    (_("原定期限"), 11),
    (_("是否逾期"), 8),
    (_("挂牌督办"), 8),
    (_("整改完成时间"), 17),
    (_("验收人"), 10),
    (_("验收时间"), 17),
]


def _dt(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def ledger_rows(qs):
    """The ledger's rows in the order of COLUMNS (``qs`` from hazards.selectors.hazard_list)."""
    qs = qs.select_related(None).select_related(
        "organization", "department", "category", "criterion__criterion_set", "responsible", "accepted_by"
    )
    for n, h in enumerate(qs.iterator(chunk_size=2000), start=1):
        yield [
            n,
            h.number,
            h.organization.name,
            h.department.name if h.department_id else "",
            h.location,
            h.title,
            h.description,
            h.category.name,
            h.get_level_display(),
            h.get_source_display(),
            str(h.criterion) if h.criterion_id else "",
            _dt(h.found_at),
            h.found_by_name,
            h.get_status_display(),
            h.responsible.name if h.responsible_id else "",
            h.measures,
            float(h.funds) if h.funds is not None else None,
            h.deadline.isoformat() if h.deadline else "",
            h.original_deadline.isoformat() if h.original_deadline else "",
            _("是") if getattr(h, "is_overdue", False) else _("否"),
            _("是") if h.is_supervised else _("否"),
            _dt(h.rectified_at),
            h.accepted_by.name if h.accepted_by_id else "",
            _dt(h.accepted_at),
        ]


def write_ledger(qs, target) -> int:
    """Write the ledger of ``qs`` to ``target`` (a path or a file); return the number of rows."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("隐患台账"))
    for i, (_title, width) in enumerate(COLUMNS, start=1):
        ws.column_dimensions[_letter(i)].width = width
    ws.freeze_panes = "A3"
    title = WriteOnlyCell(ws, value=_("隐患排查治理台账（导出时间：%(t)s）") % {"t": _dt(timezone.now())})
    title.font = Font(bold=True, size=14)
    ws.append([title])
    header = []
    for name, _width in COLUMNS:
        cell = WriteOnlyCell(ws, value=name)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        header.append(cell)
    ws.append(header)
    count = 0
    for row in ledger_rows(qs):
        ws.append(row)
        count += 1
    wb.save(target)
    return count


def _letter(i: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(i)


def ledger_response(qs) -> FileResponse:
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - the response closes (and so removes) it
    write_ledger(qs, handle)
    handle.seek(0)
    name = _("隐患台账_%(d)s.xlsx") % {"d": timezone.localdate().strftime("%Y%m%d")}
    return FileResponse(
        handle,
        as_attachment=True,
        filename=name,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
