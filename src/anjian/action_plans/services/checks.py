"""The checks every service of the app starts with: the role's permission, the regulator that
owns a plan, the unit that fills its own reports. ``user=None`` is the system."""

from __future__ import annotations

from django.utils.translation import gettext as _

from anjian.core.errors import NotPermittedError
from anjian.core.permissions import Action, can
from anjian.orgs.models import Organization


def require_role(user, action: Action, message: str) -> None:
    if user is not None and not can(user, action):
        raise NotPermittedError(message)


def own_regulator(user, organization: Organization | None = None) -> Organization:
    org = organization or getattr(user, "organization", None)
    if org is None or not org.is_regulator:
        raise NotPermittedError(_("只有监管部门可以下达任务清单。"))
    if user is not None and user.organization_id and not org.path.startswith(user.organization.path):
        raise NotPermittedError(_("只能为本辖区下达任务清单。"))
    return org


def own_unit(user, org: Organization) -> None:
    if user is not None and user.organization_id != org.pk:
        raise NotPermittedError(_("只有责任单位本单位的人员可以填报。"))
