"""What the training services share: the institution writes belong to and the words of its refusals
(the checks themselves are core.services'), people of the institution, uploads."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from anjian.core.errors import DomainError
from anjian.core.services import acting_institution, require_own
from anjian.core.uploads import check_upload
from anjian.orgs.models import Organization


def institution_of(by) -> Organization:
    return acting_institution(by, refusal=_("培训、演练和持证记录由医疗卫生机构自行登记。"))


def own(by, obj) -> None:
    """Writes stay within the user's own institution (a regulator reads, never edits, them)."""
    require_own(by, obj, refusal=_("只能维护本单位的培训、演练和持证记录。"))


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
