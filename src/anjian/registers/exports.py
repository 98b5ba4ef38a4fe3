"""The hazardous-chemicals 一张表 of one institution as xlsx: what is stored where, how much, the
limit and who keeps it (seed 004: "建立存储分布一张图、管理使用一张表"), printable on A4 landscape."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from anjian.core import xlsx
from anjian.registers.models import ChemicalStock


def chemical_table(organization, stocks: list[ChemicalStock]) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = _("危化品一张表")
    columns = [
        xlsx.HeaderCell(_("序号"), width=6, text=False),
        xlsx.HeaderCell(_("名称"), width=24),
        xlsx.HeaderCell(_("CAS号"), width=12),
        xlsx.HeaderCell(_("危险类别"), width=22),
        xlsx.HeaderCell(_("8种典型"), width=8),
        xlsx.HeaderCell(_("储存地点"), width=18),
        xlsx.HeaderCell(_("所在楼层（一张图）"), width=14),
        xlsx.HeaderCell(_("保管人"), width=14),
        xlsx.HeaderCell(_("库存量"), width=10, text=False),
        xlsx.HeaderCell(_("单位"), width=6),
        xlsx.HeaderCell(_("最大允许储存量"), width=12, text=False),
        xlsx.HeaderCell(_("状态"), width=8),
    ]
    title = _("%(org)s 危险化学品管理使用一张表") % {"org": organization.name}
    ws.cell(row=1, column=1, value=title).font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
    ws.cell(row=1, column=1).alignment = Alignment(horizontal="center")
    ws.cell(row=2, column=1, value=_("制表日期：%(d)s") % {"d": timezone.localdate().isoformat()})
    xlsx.write_header(ws, columns, row=3)
    rows = []
    for n, s in enumerate(stocks, start=1):
        rows.append(
            [
                n,
                s.chemical.name,
                s.chemical.cas_number,
                s.chemical.get_hazard_class_display(),
                _("是") if s.chemical.is_typical else "",
                s.place.name,
                str(s.place.floor_plan) if s.place.floor_plan_id else "",
                s.place.keepers,
                float(s.quantity),
                s.get_unit_display(),
                float(s.max_quantity),
                _("超量") if s.over_limit else _("正常"),
            ]
        )
    xlsx.write_rows(ws, rows, start_row=4)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "3:3"
    return wb
