"""What the register services share: the permission check, the institution a user writes for,
and that writes stay within the user's own institution (a regulator reads, never edits)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from anjian.core.errors import DomainError, NotPermittedError
from anjian.core.permissions import Action, can


def require(user, action: Action) -> None:
    if not can(user, action):
        raise NotPermittedError(_("您的角色无权执行此操作：%(action)s") % {"action": action.label})


def institution_of(by):
    org = by.organization
    if org is None or not org.is_institution:
        raise DomainError(_("台账由医疗卫生机构自行登记。"))
    return org


def own(by, obj) -> None:
    if obj.organization_id != by.organization_id:
        raise NotPermittedError(_("只能维护本单位的台账。"))


def text(value, limit: int) -> str:
    return (value or "").strip()[:limit]
