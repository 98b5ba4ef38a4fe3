"""What every service of the app checks first (the role's permission: ``core.services.require_action``):
the fields a caller may set, the institution the user acts for."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from anjian.core.errors import DomainError
from anjian.orgs.models import Organization


def only_fields(data: dict[str, Any], allowed: list[str]) -> None:
    """Refuse a change that names a field the service does not change."""
    unknown = [k for k in data if k not in allowed]
    if unknown:
        raise DomainError(_("不能修改这些字段：%(f)s") % {"f": "、".join(unknown)})


def institution_of(by) -> Organization:
    """The institution the user acts for: points and schedules belong to one."""
    org = by.organization
    if org is None or not org.is_institution:
        raise DomainError(_("巡检点和排查计划属于医疗卫生机构，请以机构人员身份操作。"))
    return org
