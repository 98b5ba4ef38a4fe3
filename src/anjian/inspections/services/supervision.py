"""The regulator's supervision inspections (督导检查), the problems they found, and interviews (约谈)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.core import audit
from anjian.core.audit import AuditVerb
from anjian.core.errors import DomainError
from anjian.core.numbering import next_number
from anjian.core.permissions import Action
from anjian.core.roles import Role
from anjian.core.scoping import get_visible_or_404
from anjian.core.services import require_action, validated_save
from anjian.hazards import services as hazard_services
from anjian.hazards.choices import HazardSource
from anjian.inspections.models import (
    Interview,
    SupervisionFinding,
    SupervisionInspection,
)
from anjian.orgs.models import Organization

SUPERVISION_PREFIX = "DD"


def _supervised_institution(by, institution: Organization) -> Organization:
    require_action(by, Action.SUPERVISION_MANAGE)
    institution = get_visible_or_404(Organization, by, pk=institution.pk)
    if not institution.is_institution:
        raise DomainError(_("请选择被检查的医疗卫生机构。"), field="institution")
    return institution


def _engaged_inspectors(institution: Organization, inspectors) -> list:
    """The team's inspectors must be engaged (in force today) for the institution: orgs.Engagement."""
    inspectors = list(inspectors or [])
    for user in inspectors:
        if user.role != Role.INSPECTOR or not Organization.objects.visible_to(user).filter(pk=institution.pk).exists():
            raise DomainError(
                _("%(u)s 未受委托检查“%(i)s”：请先在“委托检查员”中委托。") % {"u": user.name, "i": institution.name},
                field="inspectors",
            )
    return inspectors


@transaction.atomic
def supervision_record(
    *, by, institution: Organization, data: dict[str, Any], inspectors=(), at: dt.datetime | None = None
) -> SupervisionInspection:
    """Record a supervision; ``inspectors``: engaged inspectors on the team, who may then fill its
    checklists and findings. ``at``: when it was recorded, if not now (the demo's dated history)."""
    institution = _supervised_institution(by, institution)
    if not (data.get("team") or "").strip():
        raise DomainError(_("请填写检查组成员。"), field="team")
    if data.get("date") and data["date"] > timezone.localdate():
        raise DomainError(_("检查日期不能晚于今天。"), field="date")
    inspectors = _engaged_inspectors(institution, inspectors)
    supervision = SupervisionInspection(
        regulator=by.organization,
        institution=institution,
        created_by=by,
        number=next_number(SUPERVISION_PREFIX, timezone.localdate().year),
        **data,
    )
    validated_save(supervision)
    if at is not None:  # created_at (登记时间) is stamped on creation
        SupervisionInspection.objects.filter(pk=supervision.pk).update(created_at=at)
        supervision.created_at = at
    supervision.inspectors.set(inspectors)
    changes = audit.diff({}, audit.snapshot(supervision, ["date", "subject", "leader", "team", "summary"]))
    if inspectors:
        changes["inspectors"] = [None, "、".join(u.name for u in inspectors)]
    audit.record(
        actor=by,
        verb=AuditVerb.SUPERVISION_RECORDED,
        target=supervision,
        organization=institution,
        changes=changes,
        at=at,
    )
    return supervision


@transaction.atomic
def supervision_add_finding(
    *, by, supervision: SupervisionInspection, data: dict[str, Any], photos=(), at: dt.datetime | None = None
) -> SupervisionFinding:
    """A problem found: entered in the institution's ledger as a hazard with source 督导检查. An
    inspector on the team (engaged for the institution) may add one too, under their own name.
    ``at``: when it was entered, if not now (the demo's dated history)."""
    require_action(by, Action.SUPERVISION_FILL)
    supervision = get_visible_or_404(SupervisionInspection.objects.select_related("institution"), by, pk=supervision.pk)
    data = {**data, "source": HazardSource.SUPERVISION}
    # the supervision's day at 10:00, or now when that is still ahead (recorded on the day, early)
    day_at_ten = timezone.make_aware(dt.datetime.combine(supervision.date, dt.time(10, 0)))
    data.setdefault("found_at", min(day_at_ten, timezone.now()))
    if by.role == Role.INSPECTOR:
        data.setdefault("found_by_name", f"{by.name}（{by.organization.name}）"[:100])
    data.setdefault("found_by_name", supervision.leader or by.name)
    hazard = hazard_services.hazard_report(
        by=by, organization=supervision.institution, data=data, photos=photos, note=str(supervision), at=at
    )
    finding = SupervisionFinding.objects.create(supervision=supervision, hazard=hazard)
    if at is not None:
        SupervisionFinding.objects.filter(pk=finding.pk).update(created_at=at)
        finding.created_at = at
    audit.record(
        actor=by,
        verb=AuditVerb.SUPERVISION_FINDING_ADDED,
        target=supervision,
        organization=supervision.institution,
        changes={"hazard": [None, str(hazard)]},
        at=at,
    )
    return finding


@transaction.atomic
def interview_record(*, by, institution: Organization, data: dict[str, Any]) -> Interview:
    institution = _supervised_institution(by, institution)
    for name, label in (("reason", _("约谈事由")), ("attendees", _("参加人员"))):
        if not (data.get(name) or "").strip():
            raise DomainError(_("请填写%(f)s。") % {"f": label}, field=name)
    interview = Interview(regulator=by.organization, institution=institution, created_by=by, **data)
    validated_save(interview)
    audit.record(
        actor=by,
        verb=AuditVerb.INTERVIEW_RECORDED,
        target=interview,
        organization=institution,
        changes=audit.diff({}, audit.snapshot(interview, ["date", "reason", "attendees", "place", "outcome"])),
    )
    return interview
