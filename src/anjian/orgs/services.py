"""Every change to organizations, departments and posts: validated, saved, audited."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext_lazy as _

from anjian.core import audit
from anjian.core.audit import AuditVerb
from anjian.core.errors import DomainError
from anjian.core.permissions import Action, require
from anjian.core.pinyin import initials
from anjian.core.scoping import get_visible_or_404
from anjian.core.services import create_with_audit, set_active_with_audit, update_with_audit, validated_save
from anjian.orgs.models import Department, Engagement, Organization, Post
from anjian.orgs.provider_evaluations import engagement_refusal
from anjian.orgs.signals import organization_moved

ORGANIZATION_FIELDS = [
    "type",
    "name",
    "short_name",
    "parent",
    "regulator_level",
    "kind",
    "hospital_grade",
    "is_specialty",
    "ownership",
    "is_fire_key_unit",
    "is_fire_high_risk",
    "is_elderly_care",
    "credit_code",
    "division_code",
    "address",
    "legal_representative",
    "contact_person",
    "contact_phone",
    "bed_count",
    "staff_count",
    "require_after_photo",
]
DEPARTMENT_FIELDS = ["name", "parent", "code", "location", "phone"]
POST_FIELDS = ["name", "department", "is_front_line", "requires_certificate", "description"]


def _require_parent_in_scope(parent: Organization | None, by) -> None:
    if parent is None:
        if by is not None and getattr(by, "role", None) != "system_admin":
            raise DomainError(_("须选择上级监管部门。"), field="parent")
        return
    if by is not None and not Organization.objects.visible_to(by).filter(pk=parent.pk).exists():
        raise DomainError(_("上级单位不在您的管辖范围内。"), field="parent")


def _require_unique_credit_code(code: str | None, *, exclude_pk: int | None = None) -> None:
    """One organization per 统一社会信用代码, said plainly (the database constraint would say it in SQL terms).

    The message does not name the other organization: it may be outside the actor's scope.
    """
    code = (code or "").strip().upper()
    if code and Organization.objects.filter(credit_code=code).exclude(pk=exclude_pk).exists():
        raise DomainError(_("统一社会信用代码“%(code)s”已登记在其他机构名下。") % {"code": code}, field="credit_code")


def _require_unique_department_name(organization: Organization, parent, name: str, *, exclude_pk=None) -> None:
    """No two departments of the same name side by side (also at the top level, where the parent is empty)."""
    siblings = Department.objects.filter(organization=organization, parent=parent, name=(name or "").strip())
    if name and siblings.exclude(pk=exclude_pk).exists():
        raise DomainError(_("同一上级科室下已有名为“%(name)s”的科室。") % {"name": name.strip()}, field="name")


def _require_unique_post_name(department, name: str, *, exclude_pk=None) -> None:
    if department is None or not name:
        return
    if Post.objects.filter(department=department, name=name.strip()).exclude(pk=exclude_pk).exists():
        raise DomainError(
            _("科室“%(dept)s”已有名为“%(name)s”的岗位。") % {"dept": department.name, "name": name.strip()},
            field="name",
        )


@transaction.atomic
def organization_create(*, by, data: dict[str, Any], note: str = "") -> Organization:
    """Create an organization below a regulator the actor administers (``by=None``: the system)."""
    if by is not None:
        require(by, Action.ORGANIZATION_MANAGE)
    _require_parent_in_scope(data.get("parent"), by)
    _require_unique_credit_code(data.get("credit_code"))
    org = Organization(**data)
    org.name_initials = initials(org.name)
    create_with_audit(org, by=by, verb=AuditVerb.ORGANIZATION_CREATED, fields=ORGANIZATION_FIELDS, note=note)
    _set_path(org)
    return org


def _set_path(org: Organization) -> None:
    parent_path = org.parent.path if org.parent_id else "/"
    org.path = f"{parent_path}{org.pk}/"
    org.depth = org.path.count("/") - 2
    org.save(update_fields=["path", "depth"])


@transaction.atomic
def organization_update(*, organization: Organization, by, data: dict[str, Any], note: str = "") -> Organization:
    """Change an organization's profile; moving it re-roots its whole subtree."""
    own = by is not None and by.organization_id == organization.pk
    if by is not None:
        require(by, Action.ORGANIZATION_EDIT_OWN if own else Action.ORGANIZATION_MANAGE)
        get_visible_or_404(Organization, by, pk=organization.pk)
    if "parent" in data and data["parent"] != organization.parent:
        if own:
            raise DomainError(_("不能修改本单位的上级单位。"), field="parent")
        _require_parent_in_scope(data["parent"], by)
    if own and "type" in data and data["type"] != organization.type:
        raise DomainError(_("不能修改本单位的类型。"), field="type")
    if "credit_code" in data:
        _require_unique_credit_code(data["credit_code"], exclude_pk=organization.pk)
    old_path, old_kind = organization.path, organization.kind
    if "name" in data:
        organization.name_initials = initials(data["name"])
    update_with_audit(
        organization, by=by, verb=AuditVerb.ORGANIZATION_UPDATED, data=data, fields=ORGANIZATION_FIELDS, note=note
    )
    organization.save(update_fields=["name_initials"])
    new_path = f"{organization.parent.path if organization.parent_id else '/'}{organization.pk}/"
    if new_path != old_path:  # moved (also up to an ancestor, whose path is a prefix of the old one)
        _set_path(organization)
        shift = organization.depth - (old_path.count("/") - 2)
        Organization.objects.filter(path__startswith=old_path).exclude(pk=organization.pk).update(
            path=Concat(Value(organization.path), Substr(F("path"), len(old_path) + 1)), depth=F("depth") + shift
        )
    if new_path != old_path or organization.kind != old_kind:
        organization_moved.send(sender=Organization, organization=organization, path_was=old_path, kind_was=old_kind)
    return organization


def organization_set_active(*, organization: Organization, by, active: bool, note: str = "") -> Organization:
    if by is not None:
        require(by, Action.ORGANIZATION_MANAGE)
        get_visible_or_404(Organization, by, pk=organization.pk)
        if by.organization_id == organization.pk:
            raise DomainError(_("不能停用本单位。"))
    return set_active_with_audit(
        organization,
        by=by,
        active=active,
        verbs=(AuditVerb.ORGANIZATION_REACTIVATED, AuditVerb.ORGANIZATION_DEACTIVATED),
        note=note,
    )


def _require_department_manager(by, organization: Organization) -> None:
    if by is None:
        return
    require(by, Action.DEPARTMENT_MANAGE)
    get_visible_or_404(Organization, by, pk=organization.pk)
    if not organization.is_institution:
        raise DomainError(_("只有医疗卫生机构设置科室和岗位。"))


@transaction.atomic
def department_create(*, by, organization: Organization, data: dict[str, Any], note: str = "") -> Department:
    _require_department_manager(by, organization)
    _require_unique_department_name(organization, data.get("parent"), data.get("name", ""))
    dept = Department(organization=organization, **data)
    dept.name_initials = initials(dept.name)
    return create_with_audit(dept, by=by, verb=AuditVerb.DEPARTMENT_CREATED, fields=DEPARTMENT_FIELDS, note=note)


@transaction.atomic
def department_update(*, department: Department, by, data: dict[str, Any], note: str = "") -> Department:
    _require_department_manager(by, department.organization)
    _require_unique_department_name(
        department.organization,
        data.get("parent", department.parent),
        data.get("name", department.name),
        exclude_pk=department.pk,
    )
    if "name" in data:
        department.name_initials = initials(data["name"])
    update_with_audit(
        department, by=by, verb=AuditVerb.DEPARTMENT_UPDATED, data=data, fields=DEPARTMENT_FIELDS, note=note
    )
    validated_save(department, update_fields=["name_initials"])
    return department


def department_set_active(*, department: Department, by, active: bool, note: str = "") -> Department:
    _require_department_manager(by, department.organization)
    return set_active_with_audit(
        department,
        by=by,
        active=active,
        verbs=(AuditVerb.DEPARTMENT_REACTIVATED, AuditVerb.DEPARTMENT_DEACTIVATED),
        note=note,
    )


@transaction.atomic
def post_create(*, by, organization: Organization, data: dict[str, Any], note: str = "") -> Post:
    _require_department_manager(by, organization)
    _require_unique_post_name(data.get("department"), data.get("name", ""))
    post = Post(organization=organization, **data)
    post.name_initials = initials(post.name)
    return create_with_audit(post, by=by, verb=AuditVerb.POST_CREATED, fields=POST_FIELDS, note=note)


@transaction.atomic
def post_update(*, post: Post, by, data: dict[str, Any], note: str = "") -> Post:
    _require_department_manager(by, post.organization)
    _require_unique_post_name(data.get("department", post.department), data.get("name", post.name), exclude_pk=post.pk)
    if "name" in data:
        post.name_initials = initials(data["name"])
    update_with_audit(post, by=by, verb=AuditVerb.POST_UPDATED, data=data, fields=POST_FIELDS, note=note)
    validated_save(post, update_fields=["name_initials"])
    return post


def post_set_active(*, post: Post, by, active: bool, note: str = "") -> Post:
    _require_department_manager(by, post.organization)
    return set_active_with_audit(
        post, by=by, active=active, verbs=(AuditVerb.POST_REACTIVATED, AuditVerb.POST_DEACTIVATED), note=note
    )


# --- engagements (委托/聘请 of third-party inspectors and experts) --------------------------------
ENGAGEMENT_FIELDS = ["purpose", "starts_on", "ends_on", "whole_jurisdiction"]


def _engagement_scope(by, data: dict[str, Any], institutions) -> list[Organization]:
    """Check the engagement's people and places against the regulator's own scope."""
    User = get_user_model()  # accounts is above orgs (docs/architecture.md)
    from anjian.core.roles import Role

    regulator = by.organization
    if regulator is None or not regulator.is_regulator:
        raise DomainError(_("只有监管部门可以委托检查员。"))
    inspector = data.get("inspector")
    if inspector is None or (
        inspector.role != Role.INSPECTOR
        or not inspector.is_active
        or not User.objects.visible_to(by).filter(pk=inspector.pk).exists()
    ):
        raise DomainError(_("请选择本辖区第三方服务机构或专家库的检查员。"), field="inspector")
    institutions = list(institutions or [])
    visible = set(
        Organization.objects.visible_to(by)
        .filter(pk__in=[o.pk for o in institutions], type="institution", is_active=True)
        .values_list("pk", flat=True)
    )
    outside = [o for o in institutions if o.pk not in visible]
    if outside:
        raise DomainError(_("委托检查的机构须为本辖区内启用的医疗卫生机构。"), field="institutions")
    if not data.get("whole_jurisdiction") and not institutions:
        raise DomainError(_("请选择委托检查的机构，或选择“辖区内全部机构”。"), field="institutions")
    if data.get("whole_jurisdiction"):
        institutions = []
    return institutions


def _institution_names(institutions) -> str:
    return "、".join(sorted(o.name for o in institutions))


@transaction.atomic
def engagement_create(*, by, data: dict[str, Any], institutions=(), note: str = "") -> Engagement:
    """Engage an inspector (委托/聘请) for institutions of the regulator's jurisdiction, for a period."""
    require(by, Action.ENGAGEMENT_MANAGE)
    institutions = _engagement_scope(by, data, institutions)
    refused = engagement_refusal(regulator=by.organization, provider=data["inspector"].organization)
    if refused:
        raise DomainError(refused, field="inspector")
    engagement = Engagement(regulator=by.organization, created_by=by, **data)
    validated_save(engagement)
    engagement.institutions.set(institutions)
    changes = audit.diff({}, audit.snapshot(engagement, ["inspector", *ENGAGEMENT_FIELDS]))
    if institutions:
        changes["institutions"] = [None, _institution_names(institutions)]
    audit.record(
        actor=by,
        verb=AuditVerb.ENGAGEMENT_CREATED,
        target=engagement,
        organization=by.organization,
        changes=changes,
        note=note,
    )
    return engagement


def _engagement_for_change(by, engagement: Engagement) -> Engagement:
    require(by, Action.ENGAGEMENT_MANAGE)
    engagement = get_visible_or_404(Engagement.objects.select_for_update(), by, pk=engagement.pk)
    if engagement.regulator_id != by.organization_id:
        raise DomainError(_("只能修改本单位的委托。"))
    if not engagement.is_active:
        raise DomainError(_("该委托已结束，不能再修改；如需继续，请新建委托。"))
    return engagement


def _engagement_widened(engagement: Engagement, merged: dict[str, Any], before_orgs, institutions) -> str:
    """The field by which the change gives the inspector more (a later end, an earlier start, the
    whole jurisdiction, another institution), "" when it gives nothing more: only a change that
    gives more is checked against the provider's vetoes, as a new engagement would be."""
    ends_on, starts_on = merged.get("ends_on"), merged.get("starts_on")
    if ends_on and ends_on > engagement.ends_on:
        return "ends_on"
    if starts_on and starts_on < engagement.starts_on:
        return "starts_on"
    if engagement.whole_jurisdiction:
        return ""
    if merged["whole_jurisdiction"]:
        return "whole_jurisdiction"
    if {o.pk for o in institutions} - {o.pk for o in before_orgs}:
        return "institutions"
    return ""


@transaction.atomic
def engagement_update(
    *, by, engagement: Engagement, data: dict[str, Any], institutions=None, note: str = ""
) -> Engagement:
    """Change the purpose, dates or institutions of an engagement in force (the inspector stays)."""
    engagement = _engagement_for_change(by, engagement)
    unknown = set(data) - set(ENGAGEMENT_FIELDS)
    if unknown:
        raise DomainError(_("不能修改这些字段：%(f)s") % {"f": "、".join(sorted(unknown))})
    before_orgs = list(engagement.institutions.all())
    if institutions is None:
        institutions = before_orgs
    merged = {**{f: getattr(engagement, f) for f in ENGAGEMENT_FIELDS}, "inspector": engagement.inspector, **data}
    institutions = _engagement_scope(by, merged, institutions)
    widened = _engagement_widened(engagement, merged, before_orgs, institutions)
    if widened:
        refused = engagement_refusal(regulator=by.organization, provider=engagement.inspector.organization)
        if refused:
            raise DomainError(refused, field=widened)
    before = audit.snapshot(engagement, ENGAGEMENT_FIELDS)
    for name, value in data.items():
        setattr(engagement, name, value)
    changes = audit.diff(before, audit.snapshot(engagement, ENGAGEMENT_FIELDS))
    if {o.pk for o in before_orgs} != {o.pk for o in institutions}:
        changes["institutions"] = [_institution_names(before_orgs), _institution_names(institutions)]
    if not changes:
        return engagement
    validated_save(engagement)
    engagement.institutions.set(institutions)
    audit.record(
        actor=by,
        verb=AuditVerb.ENGAGEMENT_UPDATED,
        target=engagement,
        organization=by.organization,
        changes=changes,
        note=note,
    )
    return engagement


@transaction.atomic
def engagement_end(*, by, engagement: Engagement, note: str = "") -> Engagement:
    """End an engagement now: from this moment the inspector no longer sees its institutions."""
    engagement = _engagement_for_change(by, engagement)
    engagement.is_active = False
    engagement.end_note = (note or "").strip()[:200]
    validated_save(engagement, update_fields=["is_active", "end_note", "updated_at"])
    audit.record(
        actor=by,
        verb=AuditVerb.ENGAGEMENT_ENDED,
        target=engagement,
        organization=by.organization,
        changes={"is_active": [True, False]},
        note=note,
    )
    return engagement
