"""The rectification plan: its fields, the parts a major (16号令) or a general hazard's plan must
have, and the plan given to a service cleaned and checked."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.core.errors import DomainError
from anjian.hazards.models import Hazard

PLAN_FIELDS = [
    "goal",
    "measures",
    "funds",
    "materials",
    "responsible_unit",
    "responsible",
    "deadline",
    "requirements",
    "safety_measures",
]
# The six parts of a major hazard's plan (16号令): each needs at least one of its fields filled.
SIX_PARTS = [
    (_("整改目标和任务"), ("goal",)),
    (_("整改方法和措施"), ("measures",)),
    (_("经费和物资"), ("funds", "materials")),
    (_("负责整改的机构和人员"), ("responsible_unit", "responsible")),
    (_("整改时限和要求"), ("deadline",)),
    (_("安全措施和应急预案"), ("safety_measures",)),
]
GENERAL_PLAN_REQUIRED = [
    (_("整改责任人"), ("responsible",)),
    (_("整改措施"), ("measures",)),
    (_("整改期限"), ("deadline",)),
]
# The plan's parts that can be changed after confirmation (hazard_change_plan): the deadline moves
# only by a postponement, which someone above the rectifier approves.
CHANGEABLE_PLAN_FIELDS = [f for f in PLAN_FIELDS if f != "deadline"]


def _missing(hazard: Hazard, parts) -> list[str]:
    missing = []
    for label, fields in parts:
        if not any(getattr(hazard, f) not in (None, "") for f in fields):
            missing.append(str(label))
    return missing


def missing_plan_parts(hazard: Hazard) -> list[str]:
    """What the rectification plan still lacks: the six parts for a major hazard."""
    return _missing(hazard, SIX_PARTS if hazard.is_major else GENERAL_PLAN_REQUIRED)


def require_plan_complete(hazard: Hazard) -> None:
    missing = missing_plan_parts(hazard)
    if missing:
        if hazard.is_major:
            message = _("重大事故隐患的整改方案须包含六项内容，尚缺：%(parts)s。")
        else:
            message = _("整改方案尚缺：%(parts)s。")
        raise DomainError(message % {"parts": "、".join(missing)}, field="plan")


def clean_plan(hazard: Hazard, plan: dict[str, Any]) -> dict[str, Any]:
    unknown = set(plan) - set(PLAN_FIELDS)
    if unknown:
        raise DomainError(_("整改方案不含这些字段：%(f)s") % {"f": "、".join(sorted(unknown))})
    data = dict(plan)
    if data.get("funds") not in (None, ""):
        try:
            data["funds"] = Decimal(str(data["funds"]))
        except InvalidOperation as exc:
            raise DomainError(_("整改资金须为数字（元）。"), field="funds") from exc
        if data["funds"] < 0:
            raise DomainError(_("整改资金不能为负数。"), field="funds")
    elif "funds" in data:
        data["funds"] = None
    responsible = data.get("responsible")
    if responsible is not None and responsible.organization_id != hazard.organization_id:
        raise DomainError(_("整改责任人须为本单位人员。"), field="responsible")
    if responsible is not None and not responsible.is_active:
        raise DomainError(_("整改责任人的账号已停用。"), field="responsible")
    deadline = data.get("deadline")
    if deadline is not None and deadline < hazard.found_at.astimezone(timezone.get_current_timezone()).date():
        raise DomainError(_("整改期限不能早于发现日期。"), field="deadline")
    return data
