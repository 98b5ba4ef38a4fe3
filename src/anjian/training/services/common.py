"""What the training services share: permission, the institution writes belong to, uploads."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from anjian.core.errors import DomainError, NotPermittedError
from anjian.core.permissions import Action, can
from anjian.core.uploads import check_upload
from anjian.orgs.models import Organization


def require(user, action: Action) -> None:
    if not can(user, action):
        raise NotPermittedError(_("您的角色无权执行此操作：%(action)s") % {"action": action.label})


def institution_of(by) -> Organization:
    org = by.organization
    if org is None or not org.is_institution:
        raise DomainError(_("培训、演练和持证记录由医疗卫生机构自行登记。"))
    return org


def own(by, obj) -> None:
    """Writes stay within the user's own institution (a regulator reads, never edits, them)."""
    if obj.organization_id != by.organization_id:
        raise NotPermittedError(_("只能维护本单位的培训、演练和持证记录。"))


def people_of(org: Organization, users, *, field: str) -> list:
    """The users, each checked to be an active person of ``org``."""
    users = list(users or [])
    for user in users:
        if user.organization_id != org.pk or not user.is_active:
            raise DomainError(_("“%(u)s”不是本单位在职人员。") % {"u": user.name or user.username}, field=field)
    return users


def attach(obj, field: str, upload, *, allowed, name_field: str, label: str) -> None:
    """Check ``upload`` (type by name and content, size) and put it on ``obj``'s file field."""
    if not upload:
        return
    check_upload(upload, allowed=allowed, field=field)
    original = (getattr(upload, "name", "") or label).rsplit("/", 1)[-1][:200]
    setattr(obj, name_field, original)
    getattr(obj, field).save(original, upload, save=False)
