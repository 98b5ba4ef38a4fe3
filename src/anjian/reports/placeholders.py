"""The placeholders of notice templates ({隐患名称} …): which exist for each kind of notice, their
values for one hazard or interview, and the check that a template uses only known ones."""

from __future__ import annotations

import re

from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.core.errors import DomainError
from anjian.reports.choices import NoticeKind

PLACEHOLDER = re.compile(r"\{([^{}\s]{1,20})\}")

COMMON = ["发文机关", "机关代字", "年", "序号", "文号", "主送单位", "成文日期"]
HAZARD = [
    "隐患编号",
    "隐患名称",
    "隐患部位",
    "隐患描述",
    "隐患类别",
    "隐患等级",
    "判定依据",
    "发现时间",
    "整改措施",
    "整改期限",
    "整改责任人",
    "责任单位",
]
SUPERVISION = ["督办级别", "督办期限"]
INTERVIEW = ["约谈日期", "约谈地点", "约谈事由", "参加人员", "约谈要求"]

NAMES = {
    NoticeKind.RECTIFICATION: COMMON + HAZARD,
    NoticeKind.SUPERVISION: COMMON + HAZARD + SUPERVISION,
    NoticeKind.INTERVIEW: COMMON + INTERVIEW,
}


def cn_date(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def check(kind: str, **texts: str) -> None:
    """Refuse text with an unknown placeholder or a stray brace, naming the field and the placeholder."""
    known = set(NAMES[kind])
    errors: dict[str, list[str]] = {}
    for field, text in texts.items():
        unknown = sorted({m for m in PLACEHOLDER.findall(text or "") if m not in known})
        if unknown:
            errors.setdefault(field, []).append(
                _("未知的占位符：%(names)s。可用的占位符：%(known)s")
                % {"names": "、".join("{" + n + "}" for n in unknown), "known": "、".join(NAMES[kind])}
            )
        rest = PLACEHOLDER.sub("", text or "")
        if "{" in rest or "}" in rest:
            errors.setdefault(field, []).append(_("花括号不成对：占位符须写成 {名称} 的形式。"))
    if errors:
        field, messages = next(iter(errors.items()))
        raise DomainError(messages[0], field=field, errors=errors)


def fill(text: str, values: dict[str, str]) -> str:
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text or "")


def hazard_values(hazard) -> dict[str, str]:
    return {
        "隐患编号": hazard.number,
        "隐患名称": hazard.title,
        "隐患部位": hazard.location,
        "隐患描述": hazard.description or hazard.title,
        "隐患类别": hazard.category.name,
        "隐患等级": str(hazard.get_level_display()),
        "判定依据": str(hazard.criterion) if hazard.criterion_id else _("无"),
        "发现时间": cn_date(timezone.localtime(hazard.found_at).date()),
        "整改措施": hazard.measures or _("（待制定）"),
        "整改期限": cn_date(hazard.deadline) or _("（待定）"),
        "整改责任人": hazard.responsible.name if hazard.responsible_id else _("（待定）"),
        "责任单位": hazard.responsible_unit
        or (hazard.department.name if hazard.department_id else hazard.organization.name),
        "督办级别": str(hazard.get_supervision_level_display()) or _("挂牌督办"),
        "督办期限": cn_date(hazard.supervision_deadline) or cn_date(hazard.deadline),
    }


def interview_values(interview) -> dict[str, str]:
    return {
        "约谈日期": cn_date(interview.date),
        "约谈地点": interview.place or _("另行通知"),
        "约谈事由": interview.reason,
        "参加人员": interview.attendees,
        "约谈要求": interview.outcome,
    }
