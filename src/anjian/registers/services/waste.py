"""Medical and hazardous waste handed to a licensed receiver: entered, or voided with a reason."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.core import audit
from anjian.core.audit import AuditVerb
from anjian.core.errors import ConflictError, DomainError
from anjian.core.permissions import Action
from anjian.core.scoping import get_visible_or_404
from anjian.core.services import require_action, validated_save
from anjian.registers.choices import WasteCategory
from anjian.registers.models import WasteHandover
from anjian.registers.services.chemicals import quantity
from anjian.registers.services.common import institution_of, own, text

WASTE_FIELDS = ["handed_on", "category", "weight_kg", "receiver", "form_number", "handed_by_name", "note"]


@transaction.atomic
def waste_handover_record(*, by, data: dict[str, Any]) -> WasteHandover:
    require_action(by, Action.REGISTER_MANAGE)
    org = institution_of(by)
    handed_on: dt.date | None = data.get("handed_on")
    if handed_on is None:
        raise DomainError(_("请填写交接日期。"), field="handed_on")
    if handed_on > timezone.localdate():
        raise DomainError(_("交接日期不能晚于今天。"), field="handed_on")
    if data.get("category") not in WasteCategory.values:
        raise DomainError(_("请选择废物类别。"), field="category")
    receiver = text(data.get("receiver"), 100)
    if not receiver:
        raise DomainError(_("请填写接收单位。"), field="receiver")
    handover = WasteHandover(
        organization=org,
        handed_on=handed_on,
        category=data["category"],
        weight_kg=quantity(data.get("weight_kg"), field="weight_kg"),
        receiver=receiver,
        form_number=text(data.get("form_number"), 60),
        handed_by_name=text(data.get("handed_by_name"), 60),
        note=text(data.get("note"), 200),
        recorded_by=by,
    )
    validated_save(handover)
    audit.record(
        actor=by,
        verb=AuditVerb.WASTE_RECORDED,
        target=handover,
        changes=audit.diff({}, audit.snapshot(handover, WASTE_FIELDS)),
    )
    return handover


@transaction.atomic
def waste_handover_void(*, by, handover: WasteHandover, reason: str) -> WasteHandover:
    require_action(by, Action.REGISTER_MANAGE)
    handover = get_visible_or_404(WasteHandover.objects.select_for_update(), by, pk=handover.pk)
    own(by, handover)
    if handover.is_void:
        raise ConflictError(_("该记录已作废。"))
    reason = text(reason, 200)
    if not reason:
        raise DomainError(_("请填写作废原因。"), field="reason")
    handover.is_void = True
    handover.void_reason = reason
    handover.save(update_fields=["is_void", "void_reason"])
    audit.record(
        actor=by, verb=AuditVerb.WASTE_VOIDED, target=handover, changes={"is_void": [False, True]}, note=reason
    )
    return handover
