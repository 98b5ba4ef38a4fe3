"""Reads of organizations, departments and posts, always from the user's scope."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Case, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from anjian.core.scoping import get_visible_or_404
from anjian.orgs.choices import InstitutionKind, OrganizationType
from anjian.orgs.models import Department, Organization, Post

# The flags that change an institution's obligations (DOMAIN §1), in the order the UI shows them.
ORGANIZATION_FLAGS = ("is_fire_key_unit", "is_fire_high_risk", "is_elderly_care")


def name_search_q(q: str, *, field_prefix: str = "") -> Q:
    """Match a name by its characters or by its pinyin initials ("rmyy" finds 人民医院)."""
    q = (q or "").strip()
    if not q:
        return Q()
    match = Q(**{f"{field_prefix}name__icontains": q})
    if q.isascii() and q.isalnum():
        match |= Q(**{f"{field_prefix}name_initials__contains": q.lower()})
    return match


def name_matches(obj, q: str) -> bool:
    """``name_search_q`` for an object already in memory (the department tree)."""
    q = (q or "").strip()
    if not q:
        return True
    if q.lower() in obj.name.lower():
        return True
    return q.isascii() and q.isalnum() and q.lower() in (obj.name_initials or "")


def _active_count(model, *, field: str = "organization"):
    """A correlated count of the active rows of ``model`` pointing at the outer row (no join fan-out)."""
    rows = (
        model.objects.filter(**{field: OuterRef("pk")}, is_active=True)
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def organization_list(
    *,
    user,
    q: str = "",
    type: str = "",
    kind: str = "",
    flag: str = "",
    parent: Organization | None = None,
    active: bool | None = True,
    with_counts: bool = False,
) -> QuerySet[Organization]:
    """Organizations in the user's scope: search by name, short name, pinyin initials or credit code.

    ``flag`` is one of ``ORGANIZATION_FLAGS``; ``active=None`` means active and inactive alike.
    ``with_counts`` annotates ``department_count`` and ``user_count`` (active ones) in the same query.
    """
    qs = Organization.objects.visible_to(user).select_related("parent")
    q = (q or "").strip()
    if q:
        match = name_search_q(q) | Q(short_name__icontains=q)
        if q.isascii() and q.isalnum() and len(q) >= 6:
            match |= Q(credit_code__istartswith=q)
        qs = qs.filter(match)
    if type:
        qs = qs.filter(type=type)
    if kind:
        qs = qs.filter(kind=kind)
    if flag in ORGANIZATION_FLAGS:
        qs = qs.filter(**{flag: True})
    if parent is not None:
        qs = qs.filter(parent=parent)
    if active is not None:
        qs = qs.filter(is_active=active)
    if with_counts:
        User = get_user_model()  # accounts is above orgs (docs/architecture.md)

        qs = qs.annotate(department_count=_active_count(Department), user_count=_active_count(User))
    return qs.order_by(*DIRECTORY_ORDER)


# Regulators from the top down, then institutions by kind and name, then providers and the expert pool:
# the order of a directory. (Ordering by ``path`` would sort ids as text: /1/2/10/ before /1/2/3/.)
TYPE_ORDER = Case(
    *(When(type=t, then=Value(i)) for i, t in enumerate(OrganizationType.values)), output_field=IntegerField()
)
KIND_ORDER = Case(
    *(When(kind=k, then=Value(i)) for i, k in enumerate(InstitutionKind.values)),
    default=Value(99),
    output_field=IntegerField(),
)
DIRECTORY_ORDER = (TYPE_ORDER, "depth", KIND_ORDER, "name_initials", "pk")


def organization_get(*, user, pk) -> Organization:
    """One organization in the user's scope (404 otherwise, exactly like a missing one)."""
    return get_visible_or_404(Organization.objects.select_related("parent"), user, pk=pk)


def organization_summary(*, organization: Organization) -> dict[str, int]:
    """The counts on an organization's page: its active departments, posts, people and children."""
    User = get_user_model()  # accounts is above orgs (docs/architecture.md)

    return {
        "department_count": Department.objects.filter(organization=organization, is_active=True).count(),
        "post_count": Post.objects.filter(organization=organization, is_active=True).count(),
        "user_count": User.objects.filter(organization=organization, is_active=True).count(),
        "child_count": Organization.objects.filter(parent=organization, is_active=True).count(),
    }


def institution_list(*, user, q: str = "", active: bool | None = True, with_counts: bool = False):
    return organization_list(user=user, q=q, type=OrganizationType.INSTITUTION, active=active, with_counts=with_counts)


def regulator_choices(*, user, exclude: Organization | None = None) -> QuerySet[Organization]:
    """The regulators the user may put an organization under; ``exclude`` drops an organization's
    own subtree (it cannot move below itself)."""
    qs = Organization.objects.visible_to(user).filter(type=OrganizationType.REGULATOR, is_active=True)
    if exclude is not None and exclude.path:
        qs = qs.exclude(path__startswith=exclude.path)
    return qs.order_by("path")


def department_list(*, user, organization=None, q: str = "", active: bool | None = True) -> QuerySet[Department]:
    qs = Department.objects.visible_to(user).select_related("organization", "parent")
    if organization is not None:
        qs = qs.filter(organization=organization)
    qs = qs.filter(name_search_q(q))
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs.order_by("organization__path", "name")


def department_choices(
    *, user, organization: Organization, exclude: Department | None = None, keep: int | None = None
) -> QuerySet[Department]:
    """Departments of one institution to pick from: the active ones, plus ``keep`` (the current value,
    even if deactivated since), minus ``exclude`` and everything below it (no cycles)."""
    qs = Department.objects.visible_to(user).filter(organization=organization)
    qs = qs.filter(Q(is_active=True) | Q(pk=keep)) if keep else qs.filter(is_active=True)
    if exclude is not None and exclude.pk:
        qs = qs.exclude(pk__in=_subtree_ids(organization, exclude.pk))
    return qs.select_related("parent").order_by("name")


def _subtree_ids(organization: Organization, root_id: int) -> set[int]:
    children: dict[int | None, list[int]] = defaultdict(list)
    for pk, parent_id in Department.objects.filter(organization=organization).values_list("pk", "parent_id"):
        children[parent_id].append(pk)
    found, stack = set(), [root_id]
    while stack:
        pk = stack.pop()
        if pk not in found:
            found.add(pk)
            stack.extend(children[pk])
    return found


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


def post_choices(*, user, organization: Organization, department=None, keep: int | None = None) -> QuerySet[Post]:
    """Posts to pick from: the active ones of an institution (of one department when given), plus ``keep``."""
    qs = Post.objects.visible_to(user).filter(organization=organization)
    if department is not None:
        qs = qs.filter(department=department)
    qs = qs.filter(Q(is_active=True) | Q(pk=keep)) if keep else qs.filter(is_active=True)
    return qs.select_related("department").order_by("department__name", "name")


@dataclass
class DepartmentNode:
    """One department in the tree of an institution, with its posts, as the tree page shows it."""

    department: Department
    level: int
    posts: list[Post] = field(default_factory=list)
    matched: bool = True  # the department itself matches the search (else it is context for a match)


def department_tree(
    *, user, organization: Organization, q: str = "", include_inactive: bool = False
) -> list[DepartmentNode]:
    """The departments of one institution depth first (each with its level and posts): two queries.

    With a search ``q`` (name or pinyin initials), a department stays if it matches, has a matching
    post or a matching department below it; under a department that does not match itself only the
    matching posts are listed. A department whose parent is left out (deactivated) becomes a root.
    """
    depts = Department.objects.visible_to(user).filter(organization=organization)
    posts = Post.objects.visible_to(user).filter(organization=organization)
    if not include_inactive:
        depts, posts = depts.filter(is_active=True), posts.filter(is_active=True)
    depts = list(depts.annotate(user_count=Count("users", filter=Q(users__is_active=True))).order_by("name"))
    posts = list(posts.annotate(user_count=Count("users", filter=Q(users__is_active=True))).order_by("name"))

    ids = {d.pk for d in depts}
    children: dict[int | None, list[Department]] = defaultdict(list)
    for d in depts:
        children[d.parent_id if d.parent_id in ids else None].append(d)
    posts_of: dict[int, list[Post]] = defaultdict(list)
    for p in posts:
        posts_of[p.department_id].append(p)

    nodes: list[DepartmentNode] = []

    def walk(parent_id: int | None, level: int, seen: frozenset) -> bool:
        """Append the kept nodes below ``parent_id``; True if any was kept."""
        kept_any = False
        for dept in children[parent_id]:
            if dept.pk in seen:  # a cycle cannot be saved, but never loop on bad data
                continue
            matched = name_matches(dept, q)
            shown_posts = posts_of[dept.pk] if matched else [p for p in posts_of[dept.pk] if name_matches(p, q)]
            node = DepartmentNode(department=dept, level=level, posts=shown_posts, matched=matched)
            position = len(nodes)
            nodes.append(node)
            below = walk(dept.pk, level + 1, seen | {dept.pk})
            if matched or shown_posts or below:
                kept_any = True
            else:
                del nodes[position:]
        return kept_any

    walk(None, 0, frozenset())
    return nodes
