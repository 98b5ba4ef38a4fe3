"""The hazard ledger (隐患台账) as xlsx, streamed: rows go from a database cursor (plain values, no
model instances) into the sheet's XML on disk (``core.xlsxstream``), so memory stays flat and
100,000 rows take seconds, not minutes."""

from __future__ import annotations

import tempfile

from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.core.xlsxstream import write_sheet

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
    (_("来源编号"), 16),
    (_("判定依据"), 24),
    (_("发现时间"), 17),
    (_("历史补录"), 8),
    (_("原发现日期"), 11),
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
    (_("原销号日期"), 11),
]


FIELDS = [
    "number",
    "organization__name",
    "department__name",
    "location",
    "title",
    "description",
    "category__name",
    "level",
    "source",
    "source_reference",
    "criterion__criterion_set__name",
    "criterion__code",
    "found_at",
    "is_backfill",
    "original_found_on",
    "found_by_name",
    "status",
    "responsible__name",
    "measures",
    "funds",
    "deadline",
    "original_deadline",
    "is_overdue",
    "is_supervised",
    "rectified_at",
    "accepted_by__name",
    "accepted_at",
    "original_closed_on",
]


def _dt(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def ledger_rows(qs):
    """The ledger's rows in the order of COLUMNS (``qs`` from hazards.selectors.hazard_list): plain
    values from a server-side cursor, labels looked up once, no model instances."""
    from anjian.hazards.choices import HazardLevel, HazardSource, HazardStatus

    levels = {v: str(label) for v, label in HazardLevel.choices}
    sources = {v: str(label) for v, label in HazardSource.choices}
    statuses = {v: str(label) for v, label in HazardStatus.choices}
    yes, no = _("是"), _("否")
    criterion_label = _("%(set)s 第%(code)s条")
    tz = timezone.get_current_timezone()

    def when(value):
        return value.astimezone(tz).strftime("%Y-%m-%d %H:%M") if value else ""

    rows = qs.values_list(*FIELDS).iterator(chunk_size=2000)
    for n, r in enumerate(rows, start=1):
        (number, org, dept, location, title, description, category, level, source, reference, cset, ccode, found_at,
         backfill, found_on, found_by, status, responsible, measures, funds, deadline, original, overdue, supervised,
         rectified_at, accepted_by, accepted_at, closed_on) = r  # fmt: skip
        yield [
            n,
            number,
            org,
            dept or "",
            location,
            title,
            description,
            category,
            levels.get(level, level),
            sources.get(source, source),
            reference,
            str(criterion_label % {"set": cset, "code": ccode}) if ccode else "",  # as str(criterion)
            when(found_at),  # a backfilled hazard: when it was entered (and counted)
            yes if backfill else "",
            found_on.isoformat() if found_on else "",
            found_by,
            statuses.get(status, status),
            responsible or "",
            measures,
            float(funds) if funds is not None else None,
            deadline.isoformat() if deadline else "",
            original.isoformat() if original else "",
            yes if overdue else no,
            yes if supervised else no,
            when(rectified_at),
            accepted_by or "",
            when(accepted_at),
            closed_on.isoformat() if closed_on else "",
        ]


def write_ledger(qs, target) -> int:
    """Write the ledger of ``qs`` to ``target`` (a path or a file), streaming; return the number of rows."""
    return write_sheet(
        target,
        sheet=_("隐患台账"),
        title=_("隐患排查治理台账（导出时间：%(t)s）") % {"t": _dt(timezone.now())},
        columns=[(str(name), width) for name, width in COLUMNS],
        rows=ledger_rows(qs),
        printable=True,  # A4 landscape, fitted to the width, title and header on every page
    )


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
