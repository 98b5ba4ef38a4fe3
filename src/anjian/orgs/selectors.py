"""Reads of organizations, departments and posts, always from the user's scope."""

from django.db.models import Q, QuerySet

from anjian.orgs.choices import OrganizationType
from anjian.orgs.models import Department, Organization, Post


def name_search_q(q: str, *, field_prefix: str = "") -> Q:
    """Match a name by its characters or by its pinyin initials ("rmyy" finds 人民医院)."""
    q = (q or "").strip()
    if not q:
        return Q()
    match = Q(**{f"{field_prefix}name__icontains": q})
    if q.isascii() and q.isalnum():
        match |= Q(**{f"{field_prefix}name_initials__contains": q.lower()})
    return match


def organization_list(
    *, user, q: str = "", type: str = "", kind: str = "", active: bool | None = True
) -> QuerySet[Organization]:
    qs = Organization.objects.visible_to(user).select_related("parent")
    qs = qs.filter(name_search_q(q) | Q(credit_code__iexact=q.strip()) if q.strip() else Q())
    if type:
        qs = qs.filter(type=type)
    if kind:
        qs = qs.filter(kind=kind)
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs.order_by("path")


def institution_list(*, user, q: str = "") -> QuerySet[Organization]:
    return organization_list(user=user, q=q, type=OrganizationType.INSTITUTION)


def regulator_choices(*, user) -> QuerySet[Organization]:
    return Organization.objects.visible_to(user).filter(type=OrganizationType.REGULATOR, is_active=True)


def department_list(*, user, organization=None, q: str = "", active: bool | None = True) -> QuerySet[Department]:
    qs = Department.objects.visible_to(user).select_related("organization", "parent")
    if organization is not None:
        qs = qs.filter(organization=organization)
    qs = qs.filter(name_search_q(q))
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs.order_by("organization__path", "name")


def post_list(*, user, organization=None, department=None, q: str = "", active: bool | None = True) -> QuerySet[Post]:
    qs = Post.objects.visible_to(user).select_related("organization", "department")
    if organization is not None:
        qs = qs.filter(organization=organization)
    if department is not None:
        qs = qs.filter(department=department)
    qs = qs.filter(name_search_q(q))
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs.order_by("organization__path", "department__name", "name")
