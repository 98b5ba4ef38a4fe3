"""Unit groups: the words of task tables and the institutions they stand for, kept by administrators."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from anjian.action_plans.models import UnitGroup
from anjian.action_plans.services.checks import require_role
from anjian.core.audit import AuditVerb
from anjian.core.errors import DomainError
from anjian.core.permissions import Action
from anjian.core.services import create_with_audit, update_with_audit

UNIT_GROUP_FIELDS = ["name", "keywords", "kinds", "ownership", "all_institutions", "sort_order"]


def _check_group(data: dict[str, Any]) -> dict[str, Any]:
    from anjian.orgs.choices import InstitutionKind

    keywords = [k.strip() for k in data.get("keywords", []) if k and k.strip()]
    if not keywords:
        raise DomainError(_("请至少填写一个对应的表述。"), field="keywords")
    kinds = list(data.get("kinds", []))
    unknown = [k for k in kinds if k not in InstitutionKind.values]
    if unknown:
        raise DomainError(_("未知的机构类别：%(k)s") % {"k": "、".join(unknown)}, field="kinds")
    if not kinds and not data.get("all_institutions"):
        raise DomainError(_("请选择机构类别，或勾选“辖区全部机构”。"), field="kinds")
    return {**data, "keywords": keywords, "kinds": kinds}


@transaction.atomic
def unit_group_create(*, by, data: dict[str, Any]) -> UnitGroup:
    require_role(by, Action.UNIT_GROUP_MANAGE, _("您的角色不能维护单位分组。"))
    group = UnitGroup(**{k: v for k, v in _check_group(data).items() if k in UNIT_GROUP_FIELDS})
    return create_with_audit(group, by=by, verb=AuditVerb.UNIT_GROUP_CREATED, fields=UNIT_GROUP_FIELDS)


@transaction.atomic
def unit_group_update(*, by, group: UnitGroup, data: dict[str, Any]) -> UnitGroup:
    """Change what words a group answers to and which institutions it holds. Tasks already imported
    keep their assignments (new ones come with the next import)."""
    require_role(by, Action.UNIT_GROUP_MANAGE, _("您的角色不能维护单位分组。"))
    return update_with_audit(
        group, by=by, verb=AuditVerb.UNIT_GROUP_UPDATED, data=_check_group(data), fields=UNIT_GROUP_FIELDS
    )
