"""The workers' roster (相关方作业人员花名册) as xlsx: ID numbers only as their masks."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from anjian.core import xlsx


def worker_roster_response(workers):
    wb = Workbook()
    ws = wb.active
    ws.title = _("作业人员")
    columns = [
        xlsx.HeaderCell(_("相关方单位"), width=28),
        xlsx.HeaderCell(_("姓名"), width=12),
        xlsx.HeaderCell(_("身份证号"), width=22),
        xlsx.HeaderCell(_("工种"), width=14),
        xlsx.HeaderCell(_("特种作业操作证"), width=30),
        xlsx.HeaderCell(_("操作证有效期至"), width=14),
        xlsx.HeaderCell(_("安全教育交底日期"), width=14),
        xlsx.HeaderCell(_("在场"), width=8),
    ]
    xlsx.write_header(ws, columns)
    xlsx.write_rows(
        ws,
        (
            [
                w.contractor.name,
                w.name,
                w.id_number_masked,
                w.work_type,
                w.certificate,
                w.certificate_expires_on.isoformat() if w.certificate_expires_on else "",
                w.briefed_on.isoformat() if w.briefed_on else "",
                _("是") if w.is_active else _("否"),
            ]
            for w in workers
        ),
    )
    return xlsx.workbook_response(wb, _("相关方作业人员花名册_%(d)s.xlsx") % {"d": timezone.localdate().isoformat()})
