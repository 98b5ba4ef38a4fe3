"""The three lists of major hazards (重大事故隐患 隐患清单 / 责任清单 / 措施清单) as one xlsx with three
sheets, streamed like the ledger (hazards/exports.py): rows from a database cursor straight into the
sheets' XML (reports.multisheet), the file built on disk and sent from there."""

from __future__ import annotations

import tempfile

from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from anjian.core.xlsx import XLSX_CONTENT_TYPE
from anjian.hazards.choices import HazardLevel
from anjian.reports.multisheet import Sheet, write_sheets


def _dt(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _d(value) -> str:
    return value.isoformat() if value else ""


def _name(user) -> str:
    return user.name if user is not None else ""


# (sheet title, [(column title, width, value of a hazard)])
SHEETS = [
    (
        gettext_noop("隐患清单"),
        [
            (gettext_noop("隐患编号"), 16, lambda h: h.number),
            (gettext_noop("机构"), 24, lambda h: h.organization.name),
            (gettext_noop("科室"), 12, lambda h: h.department.name if h.department_id else ""),
            (gettext_noop("隐患部位"), 18, lambda h: h.location),
            (gettext_noop("隐患名称"), 28, lambda h: h.title),
            (gettext_noop("隐患描述"), 30, lambda h: h.description),
            (gettext_noop("类别"), 10, lambda h: h.category.name),
            (gettext_noop("判定依据"), 30, lambda h: str(h.criterion) if h.criterion_id else ""),
            (gettext_noop("来源"), 10, lambda h: h.get_source_display()),
            (gettext_noop("发现时间"), 17, lambda h: _dt(h.found_at)),
            (gettext_noop("状态"), 8, lambda h: h.get_status_display()),
            (gettext_noop("挂牌督办"), 12, lambda h: h.get_supervision_level_display() if h.is_supervised else _("否")),
        ],
    ),
    (
        gettext_noop("责任清单"),
        [
            (gettext_noop("隐患编号"), 16, lambda h: h.number),
            (gettext_noop("隐患名称"), 28, lambda h: h.title),
            (gettext_noop("机构"), 24, lambda h: h.organization.name),
            (gettext_noop("主要负责人"), 12, lambda h: h.organization.legal_representative),
            (
                gettext_noop("责任单位/部门"),
                16,
                lambda h: h.responsible_unit or (h.department.name if h.department_id else ""),
            ),
            (gettext_noop("整改责任人"), 12, lambda h: _name(h.responsible)),
            (gettext_noop("整改期限"), 11, lambda h: _d(h.deadline)),
            (gettext_noop("督办期限"), 11, lambda h: _d(h.supervision_deadline) if h.is_supervised else ""),
            (gettext_noop("督办通知书文号"), 18, lambda h: h.supervision_notice_number if h.is_supervised else ""),
            (gettext_noop("验收人"), 10, lambda h: _name(h.accepted_by)),
            (gettext_noop("验收销号时间"), 17, lambda h: _dt(h.accepted_at)),
        ],
    ),
    (
        gettext_noop("措施清单"),
        [
            (gettext_noop("隐患编号"), 16, lambda h: h.number),
            (gettext_noop("隐患名称"), 28, lambda h: h.title),
            (gettext_noop("整改目标和任务"), 28, lambda h: h.goal),
            (gettext_noop("整改方法和措施"), 30, lambda h: h.measures),
            (gettext_noop("整改资金（元）"), 12, lambda h: float(h.funds) if h.funds is not None else None),
            (gettext_noop("经费和物资落实"), 20, lambda h: h.materials),
            (gettext_noop("时限和要求"), 20, lambda h: h.requirements),
            (gettext_noop("整改期间安全措施和应急预案"), 30, lambda h: h.safety_measures),
            (gettext_noop("整改情况"), 30, lambda h: h.rectification_note),
            (gettext_noop("整改完成时间"), 17, lambda h: _dt(h.rectified_at)),
        ],
    ),
]


def write_lists(qs, target) -> int:
    """Write the three lists of the major hazards of ``qs`` to ``target``; return the number of hazards.
    One streamed pass over the database per sheet (major hazards are few beside the ledger)."""
    qs = (
        qs.filter(level=HazardLevel.MAJOR)
        .select_related(None)
        .select_related(
            "organization", "department", "category", "criterion__criterion_set", "responsible", "accepted_by"
        )
    )
    stamp = _dt(timezone.now())

    def rows(getters):
        return lambda: ([n, *(get(h) for get in getters)] for n, h in enumerate(qs.iterator(chunk_size=2000), 1))

    sheets = [
        Sheet(
            name=_(title),
            title=_("重大事故隐患%(list)s（导出时间：%(t)s）") % {"list": _(title), "t": stamp},
            columns=[(_("序号"), 6)] + [(_(name), width) for name, width, _get in columns],
            rows=rows([get for _name, _width, get in columns]),
        )
        for title, columns in SHEETS
    ]
    return write_sheets(target, sheets)[0]


def lists_response(qs) -> FileResponse:
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - the response closes (and so removes) it
    write_lists(qs, handle)
    handle.seek(0)
    name = _("重大事故隐患三个清单_%(d)s.xlsx") % {"d": timezone.localdate().strftime("%Y%m%d")}
    return FileResponse(handle, as_attachment=True, filename=name, content_type=XLSX_CONTENT_TYPE)
