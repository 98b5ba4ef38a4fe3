"""Reads of people, always from the user's scope."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from anjian.accounts.models import ROLES_BY_ORGANIZATION_TYPE, User
from anjian.core.permissions import grantable_roles
from anjian.core.roles import Role
from anjian.core.scoping import get_visible_or_404
from anjian.orgs.models import Department, Organization
from anjian.orgs.selectors import name_search_q


def user_list(
    *,
    user,
    q: str = "",
    organization: Organization | None = None,
    department: Department | None = None,
    role: str = "",
    active: bool | None = True,
) -> QuerySet[User]:
    """People in the user's scope: search by name, pinyin initials ("zs" finds 张三), username or phone."""
    qs = User.objects.visible_to(user).select_related("organization", "department", "post")
    q = (q or "").strip()
    if q:
        match = name_search_q(q) | Q(username__icontains=q)
        if q.isdigit() and len(q) >= 3:
            match |= Q(phone__startswith=q)
        qs = qs.filter(match)
    if organization is not None:
        qs = qs.filter(organization=organization)
    if department is not None:
        qs = qs.filter(department=department)
    if role:
        qs = qs.filter(role=role)
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs.order_by("organization__path", "department__name", "name", "username")


def user_get(*, user, pk) -> User:
    """One person in the user's scope (404 otherwise, exactly like a missing one)."""
    return get_visible_or_404(
        User.objects.select_related("organization", "department", "post", "post__department"), user, pk=pk
    )


def organization_choices(*, user, keep: int | None = None) -> QuerySet[Organization]:
    """The organizations a person may be placed in: the active ones in scope (plus ``keep``)."""
    qs = Organization.objects.visible_to(user)
    qs = qs.filter(Q(is_active=True) | Q(pk=keep)) if keep else qs.filter(is_active=True)
    return qs.order_by("path")


def assignable_roles(*, by, organization: Organization | None) -> list[Role]:
    """The roles ``by`` may give a person of ``organization``, in the catalogue's order.

    What the form offers; ``accounts.services`` enforces the same rules when saving.
    """
    if organization is None:
        return [Role.SYSTEM_ADMIN] if by.role == Role.SYSTEM_ADMIN else []
    roles = set(ROLES_BY_ORGANIZATION_TYPE[organization.type]) & grantable_roles(by)
    return [role for role in Role if role in roles]
