"""Accident reports (事故报告): the quick report (快报: time, place, kind, casualties, what happened)
as soon as it is known, then the full report (cause, measures, the hazards behind it), or voided
with a reason. Nothing is deleted; each step is an audit event."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.core import audit
from anjian.core.api import scoped_refs
from anjian.core.audit import AuditVerb
from anjian.core.errors import ConflictError, DomainError, NotPermittedError
from anjian.core.numbering import next_number
from anjian.core.permissions import Action, can
from anjian.core.scoping import get_visible_or_404
from anjian.core.services import require_action
from anjian.hazards.models import Hazard
from anjian.orgs.models import Organization
from anjian.oversight.choices import AccidentStage
from anjian.oversight.models import Accident
from anjian.risks.choices import AccidentType

NUMBER_PREFIX = "SG"
EARLIEST = dt.date(2000, 1, 1)
QUICK_FIELDS = ["occurred_at", "place", "kind", "deaths", "injuries", "direct_loss", "description"]
FULL_FIELDS = [*QUICK_FIELDS, "cause", "measures"]


def _require(by) -> None:
    require_action(by, Action.ACCIDENT_REPORT)


def _checked(data: dict[str, Any]) -> dict[str, Any]:
    """The quick report's fields, or the first rule they break raised."""
    occurred_at = data.get("occurred_at")
    if occurred_at is None:
        raise DomainError(_("请填写事故发生时间。"), field="occurred_at")
    if occurred_at > timezone.now() + dt.timedelta(minutes=5):
        raise DomainError(_("事故发生时间不能晚于现在。"), field="occurred_at")
    if timezone.localdate(occurred_at) < EARLIEST:
        raise DomainError(_("事故发生时间不能早于 2000 年。"), field="occurred_at")
    place = (data.get("place") or "").strip()
    if not place:
        raise DomainError(_("请填写事故发生地点。"), field="place")
    if data.get("kind") not in AccidentType.values:
        raise DomainError(_("请选择事故类别。"), field="kind")
    description = (data.get("description") or "").strip()
    if not description:
        raise DomainError(_("请填写事故简要经过。"), field="description")
    out = {"occurred_at": occurred_at, "place": place[:200], "kind": data["kind"], "description": description}
    for name, label in (("deaths", _("死亡人数")), ("injuries", _("受伤人数"))):
        value = data.get(name) or 0
        if not isinstance(value, int) or value < 0 or value > 100000:
            raise DomainError(_("%(f)s须为 0 或正整数。") % {"f": label}, field=name)
        out[name] = value
    loss = Decimal(str(data.get("direct_loss") or 0))
    if loss < 0 or loss >= Decimal("10000000000"):
        raise DomainError(_("直接经济损失须为 0 或正数（万元）。"), field="direct_loss")
    out["direct_loss"] = loss
    return out


@transaction.atomic
def accident_report(*, by, organization: Organization, data: dict[str, Any]) -> Accident:
    """The quick report (快报) of an accident at an institution the reporter sees."""
    _require(by)
    organization = get_visible_or_404(Organization, by, pk=organization.pk)
    if not organization.is_institution:
        raise DomainError(_("事故须报告在医疗卫生机构名下。"), field="organization")
    fields = _checked(data)
    now = timezone.now()
    accident = Accident.objects.create(
        number=next_number(NUMBER_PREFIX, timezone.localdate(now).year, width=4),
        organization=organization,
        reported_by=by,
        reported_at=now,
        **fields,
    )
    audit.record(
        actor=by,
        verb=AuditVerb.ACCIDENT_REPORTED,
        target=accident,
        changes=audit.diff({}, audit.snapshot(accident, QUICK_FIELDS)),
    )
    return accident


def _locked(accident: Accident, by) -> Accident:
    _require(by)
    get_visible_or_404(Accident, by, pk=accident.pk)
    accident = Accident.objects.select_for_update().get(pk=accident.pk)
    if accident.is_void:
        raise ConflictError(_("该事故报告已作废。"))
    return accident


@transaction.atomic
def accident_complete(*, by, accident: Accident, data: dict[str, Any], hazards=()) -> Accident:
    """The full report: cause and measures (required), the casualties and loss as finally known,
    the hazards behind the accident (of the same institution). May be sent again to correct it."""
    accident = _locked(accident, by)
    before = audit.snapshot(accident, FULL_FIELDS)
    merged = {name: data.get(name, getattr(accident, name)) for name in QUICK_FIELDS}
    fields = _checked(merged)
    for name, label in (("cause", _("事故原因")), ("measures", _("整改和防范措施"))):
        fields[name] = (data.get(name) or "").strip()
        if not fields[name]:
            raise DomainError(_("完整报告须填写%(f)s。") % {"f": label}, field=name)
    hazards = list(hazards or [])
    if any(h.organization_id != accident.organization_id for h in hazards):
        raise DomainError(_("关联隐患须属于发生事故的机构。"), field="hazards")
    first = accident.stage == AccidentStage.QUICK
    for name, value in fields.items():
        setattr(accident, name, value)
    accident.stage = AccidentStage.FULL
    accident.completed_by, accident.completed_at = by, timezone.now()
    accident.save()
    accident.hazards.set(hazards)
    audit.record(
        actor=by,
        verb=AuditVerb.ACCIDENT_COMPLETED,
        target=accident,
        changes={
            **audit.diff(before, audit.snapshot(accident, FULL_FIELDS)),
            "hazards": [None, [h.number for h in hazards]],
        },
        note="" if first else str(_("更正完整报告")),
    )
    return accident


def may_void(user) -> bool:
    """Only a regulator voids an accident report: an institution cannot take its own accident out
    of the regulator's count."""
    org = getattr(user, "organization", None)
    return org is not None and org.is_regulator and can(user, Action.ACCIDENT_REPORT)


@transaction.atomic
def accident_void(*, by, accident: Accident, reason: str) -> Accident:
    """Void a report (a duplicate, a mistake): by a regulator over the institution; it no longer counts."""
    if not may_void(by):
        raise NotPermittedError(_("事故报告只能由监管部门作废；如报告有误，请提交更正的完整报告或联系监管部门。"))
    accident = _locked(accident, by)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写作废理由。"), field="reason")
    accident.is_void, accident.void_reason = True, reason[:1000]
    accident.save(update_fields=["is_void", "void_reason"])
    audit.record(actor=by, verb=AuditVerb.ACCIDENT_VOIDED, target=accident, note=reason)
    return accident


def hazards_of(accident: Accident, by, ids) -> list[Hazard]:
    """The hazards named by id in a request's body: each one the user sees, of the accident's
    institution (400 on ``hazards`` otherwise, one query)."""
    return scoped_refs(Hazard, by, ids, field="hazards", organization_id=accident.organization_id)
