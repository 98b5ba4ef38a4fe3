"""Who holds which responsibility: by role, post and responsibility. Active people of an active
organization only.

``People`` answers from one query per organization (its leaders and, for a regulator, its staff),
kept for the life of the object: the periodic scan makes one per run and asks it for the people of
every open hazard, task, report, certificate and schedule without a query each. The module's
functions answer with a fresh one (the dispatcher asks once per event)."""

from __future__ import annotations

from collections import defaultdict

from anjian.accounts.models import User
from anjian.core.roles import REGULATOR_ROLES, Role
from anjian.notifications.choices import Audience

# the roles a notification is addressed to by role (a responsible person, a post's holders are by name)
ADDRESSED = frozenset({Role.PRINCIPAL, Role.DEPUTY, Role.SAFETY_OFFICER, Role.DEPARTMENT_HEAD, *REGULATOR_ROLES})


def _active(**filters):
    return User.objects.filter(is_active=True, organization__is_active=True, **filters).order_by("pk")


class People:
    def __init__(self):
        self._by_org: dict[int, list[User]] = {}
        self._by_post: dict[int, list[User]] = {}

    def load(self, organization_ids) -> None:
        """The addressed people of these organizations, in one query (those not loaded yet)."""
        missing = {pk for pk in organization_ids if pk is not None} - self._by_org.keys()
        if not missing:
            return
        found: dict[int, list[User]] = defaultdict(list)
        for user in _active(organization_id__in=missing, role__in=ADDRESSED):
            found[user.organization_id].append(user)
        for pk in missing:
            self._by_org[pk] = found[pk]

    def _of(self, organization_id: int) -> list[User]:
        self.load([organization_id])
        return self._by_org[organization_id]

    def with_role(self, organization, *roles) -> list[User]:
        if organization is None:
            return []
        if not set(roles) <= ADDRESSED:  # not among those loaded: asked directly
            return list(_active(organization=organization, role__in=roles))
        return [u for u in self._of(organization.pk) if u.role in roles]

    def principals(self, organization) -> list[User]:
        return self.with_role(organization, Role.PRINCIPAL)

    def safety_officers(self, organization) -> list[User]:
        return self.with_role(organization, Role.SAFETY_OFFICER)

    def leaders(self, organization) -> list[User]:
        """Who answers for an institution's reports and tasks: principal, deputies, safety officers."""
        return self.with_role(organization, Role.PRINCIPAL, Role.DEPUTY, Role.SAFETY_OFFICER)

    def heads_of(self, organization_id: int, department_id: int | None) -> list[User]:
        if department_id is None:
            return []
        return [
            u for u in self._of(organization_id) if u.role == Role.DEPARTMENT_HEAD and u.department_id == department_id
        ]

    def department_heads(self, hazard) -> list[User]:
        return self.heads_of(hazard.organization_id, hazard.department_id)

    def holders(self, post) -> list[User]:
        """The active people in a post (岗位)."""
        if post is None:
            return []
        if post.pk not in self._by_post:
            self._by_post[post.pk] = list(_active(organization_id=post.organization_id, post_id=post.pk))
        return self._by_post[post.pk]

    def regulators(self, organization) -> list[User]:
        """The regulator's people right above the institution (its district commission): the nearest
        active regulator above it (an inactive one is passed over, as ``oversight`` does for tips)."""
        parent = getattr(organization, "parent", None)
        while parent is not None and not (parent.is_regulator and parent.is_active):
            parent = parent.parent
        return self.with_role(parent, *REGULATOR_ROLES) if parent is not None else []

    def audience(self, hazard, rung: str) -> list[User]:
        """The people of one rung of the escalation ladder for this hazard."""
        if rung == Audience.DEPARTMENT_HEAD:
            return self.department_heads(hazard)
        if rung == Audience.SAFETY_OFFICER:
            return self.safety_officers(hazard.organization)
        if rung == Audience.PRINCIPAL:
            return self.principals(hazard.organization)
        if rung == Audience.REGULATOR:
            return self.regulators(hazard.organization)
        return []


def with_role(organization, *roles) -> list[User]:
    return People().with_role(organization, *roles)


def principals(organization) -> list[User]:
    return People().principals(organization)


def safety_officers(organization) -> list[User]:
    return People().safety_officers(organization)


def department_heads(hazard) -> list[User]:
    return People().department_heads(hazard)


def regulators(organization) -> list[User]:
    return People().regulators(organization)


def responsible(hazard) -> list[User]:
    person = hazard.responsible
    if person is None or not person.is_active or person.organization_id != hazard.organization_id:
        return []
    return [person]


def member(person, organization) -> list[User]:
    """``person`` if they are an active member of ``organization`` (a certificate's holder, a
    schedule's assignee), else nobody."""
    if person is None or not person.is_active or person.organization_id != getattr(organization, "pk", None):
        return []
    return [person] if organization.is_active else []


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
