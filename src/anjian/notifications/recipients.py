"""Who holds which responsibility for a hazard: by role, post and responsibility. Active people of
an active organization only."""

from __future__ import annotations

from anjian.accounts.models import User
from anjian.core.roles import REGULATOR_ROLES, Role
from anjian.notifications.choices import Audience


def _active(**filters):
    return User.objects.filter(is_active=True, organization__is_active=True, **filters).order_by("pk")


def with_role(organization, *roles) -> list[User]:
    if organization is None:
        return []
    return list(_active(organization=organization, role__in=roles))


def principals(organization) -> list[User]:
    return with_role(organization, Role.PRINCIPAL)


def safety_officers(organization) -> list[User]:
    return with_role(organization, Role.SAFETY_OFFICER)


def department_heads(hazard) -> list[User]:
    if hazard.department_id is None:
        return []
    return list(
        _active(organization_id=hazard.organization_id, role=Role.DEPARTMENT_HEAD, department_id=hazard.department_id)
    )


def regulators(organization) -> list[User]:
    """The regulator's people right above the institution (its district commission): the nearest
    active regulator above it (an inactive one is passed over, as ``oversight`` does for tips)."""
    parent = getattr(organization, "parent", None)
    while parent is not None and not (parent.is_regulator and parent.is_active):
        parent = parent.parent
    return with_role(parent, *REGULATOR_ROLES) if parent is not None else []


def responsible(hazard) -> list[User]:
    person = hazard.responsible
    if person is None or not person.is_active or person.organization_id != hazard.organization_id:
        return []
    return [person]


def audience(hazard, rung: str) -> list[User]:
    """The people of one rung of the escalation ladder for this hazard."""
    if rung == Audience.DEPARTMENT_HEAD:
        return department_heads(hazard)
    if rung == Audience.SAFETY_OFFICER:
        return safety_officers(hazard.organization)
    if rung == Audience.PRINCIPAL:
        return principals(hazard.organization)
    if rung == Audience.REGULATOR:
        return regulators(hazard.organization)
    return []


def unique(*groups, exclude=None) -> list[User]:
    """The people of the groups, each once, in order, without ``exclude`` (who acted)."""
    seen, out = set(), []
    skip = getattr(exclude, "pk", None)
    for group in groups:
        for user in group:
            if user.pk not in seen and user.pk != skip:
                seen.add(user.pk)
                out.append(user)
    return out
