"""The default rhythms (DOMAIN.md §3): which apply to an institution, the schedules made from them,
and the regulator's edits of them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.core import audit
from anjian.core.audit import AuditVerb
from anjian.core.errors import DomainError
from anjian.core.permissions import Action
from anjian.core.roles import INSTITUTION_ROLES
from anjian.core.scoping import get_visible_or_404
from anjian.core.services import require_action, validated_save
from anjian.inspections.choices import TemplateStatus
from anjian.inspections.models import (
    ChecklistTemplate,
    RhythmDefault,
    Schedule,
)
from anjian.inspections.services.common import only_fields
from anjian.inspections.services.schedules import schedule_create
from anjian.orgs.choices import OrganizationType
from anjian.orgs.models import Organization


def defaults_for(organization: Organization) -> list[RhythmDefault]:
    """The default rhythms that apply to an institution: its kind (or any), its flags (or none)."""
    rows = RhythmDefault.objects.filter(is_active=True).order_by("sort_order", "pk")
    return [
        r for r in rows if r.kind in ("", organization.kind) and (not r.flag or getattr(organization, r.flag, False))
    ]


def effective_defaults(organization: Organization) -> list[RhythmDefault]:
    """The rule that applies for each duty (role and checklist): the most specific one, a flag's
    before a kind's before the general one (a fire key unit's principal inspects monthly)."""
    best: dict[tuple, RhythmDefault] = {}
    for rule in defaults_for(organization):
        key = (rule.role, rule.template_code)
        score = 2 * bool(rule.flag) + bool(rule.kind)
        if key not in best or score > 2 * bool(best[key].flag) + bool(best[key].kind):
            best[key] = rule
    return sorted(best.values(), key=lambda r: (r.sort_order, r.pk))


def _default_checklist(by, organization: Organization, code: str) -> ChecklistTemplate | None:
    """The checklist a default rhythm names by code, the most specific first: the institution's own
    copy, then its regulators' (the nearest first), then the platform's library."""
    found = list(
        ChecklistTemplate.objects.visible_to(by)
        .filter(code=code, status=TemplateStatus.PUBLISHED)
        .filter(Q(owner__isnull=True) | Q(owner=organization) | Q(owner__type=OrganizationType.REGULATOR))
        .select_related("owner")
    )

    def rank(t: ChecklistTemplate) -> tuple:
        if t.owner_id == organization.pk:
            return (0, 0, -t.version)
        if t.owner_id is not None:
            return (1, -len(t.owner.path), -t.version)
        return (2, 0, -t.version)

    return min(found, key=rank, default=None)


@transaction.atomic
def schedules_from_defaults(*, by, organization: Organization, starts_on: dt.date | None = None) -> list[Schedule]:
    """Create the institution's schedules from the default rhythms (DOMAIN.md §3), skipping those it
    already has (same name). A flag's rhythm replaces the plain one of the same role and checklist."""
    require_action(by, Action.SCHEDULE_MANAGE)
    get_visible_or_404(Organization, by, pk=organization.pk)
    created = []
    for rule in effective_defaults(organization):
        if Schedule.objects.filter(organization=organization, name=rule.name).exists():
            continue
        template = _default_checklist(by, organization, rule.template_code)
        if template is None:
            continue
        created.append(
            schedule_create(
                by=by,
                organization=organization,
                data={
                    "name": rule.name,
                    "template": template,
                    "role": rule.role,
                    "rhythm": rule.rhythm,
                    "every_hours": rule.every_hours,
                    "day_start": rule.day_start,
                    "day_end": rule.day_end,
                    "starts_on": starts_on or timezone.localdate(),
                },
            )
        )
    return created


RHYTHM_FIELDS = ["name", "kind", "flag", "role", "rhythm", "every_hours", "day_start", "day_end", "template_code"]


def _check_rule(rule: RhythmDefault) -> None:
    """A default names a published checklist of the library (or a district's) by code, a role
    inside an institution, and is the only one for its kind, flag, role and checklist."""
    if rule.role and rule.role not in INSTITUTION_ROLES:
        raise DomainError(_("“由谁检查”须为机构内的角色。"), field="role")
    shared = Q(owner__isnull=True) | Q(owner__type=OrganizationType.REGULATOR)
    if not ChecklistTemplate.objects.filter(shared, code=rule.template_code, status=TemplateStatus.PUBLISHED).exists():
        raise DomainError(_("没有编码为“%(c)s”的已发布通用检查表。") % {"c": rule.template_code}, field="template_code")
    same = RhythmDefault.objects.filter(
        kind=rule.kind, flag=rule.flag, role=rule.role, template_code=rule.template_code
    ).exclude(pk=rule.pk)
    if same.exists():
        raise DomainError(
            _("已有相同机构类别、标识、角色和检查表的默认频次“%(n)s”，请修改那一条。") % {"n": same.first().name}
        )


@transaction.atomic
def rhythm_default_create(*, by, data: dict[str, Any]) -> RhythmDefault:
    """A new default rhythm (e.g. for a kind of institution the defaults do not cover yet)."""
    require_action(by, Action.RHYTHM_MANAGE)
    only_fields(data, [*RHYTHM_FIELDS, "is_active"])
    last = RhythmDefault.objects.order_by("-sort_order").values_list("sort_order", flat=True).first() or 0
    rule = RhythmDefault(sort_order=last + 10, **data)
    _check_rule(rule)
    validated_save(rule)
    audit.record(
        actor=by,
        verb=AuditVerb.RHYTHM_DEFAULT_CREATED,
        target=rule,
        organization=by.organization,
        changes=audit.diff({}, audit.snapshot(rule, RHYTHM_FIELDS)),
    )
    return rule


@transaction.atomic
def rhythm_default_update(*, by, rule: RhythmDefault, data: dict[str, Any]) -> RhythmDefault:
    require_action(by, Action.RHYTHM_MANAGE)
    only_fields(data, [*RHYTHM_FIELDS, "is_active"])
    rule = RhythmDefault.objects.select_for_update().get(pk=rule.pk)
    before = audit.snapshot(rule, list(data))
    for k, v in data.items():
        setattr(rule, k, v)
    _check_rule(rule)
    validated_save(rule)
    audit.record(
        actor=by,
        verb=AuditVerb.RHYTHM_DEFAULT_UPDATED,
        target=rule,
        organization=by.organization,
        changes=audit.diff(before, audit.snapshot(rule, list(data))),
    )
    return rule
