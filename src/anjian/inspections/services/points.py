"""Inspection points (巡检点) and their QR labels."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from anjian.core import audit
from anjian.core.audit import AuditVerb
from anjian.core.errors import NotPermittedError
from anjian.core.permissions import Action
from anjian.core.scoping import get_visible_or_404
from anjian.core.services import require_action, validated_save
from anjian.inspections.models import (
    InspectionPoint,
    new_label_secret,
)
from anjian.inspections.services.common import institution_of, only_fields

POINT_FIELDS = ["name", "location", "department", "is_active"]


@transaction.atomic
def point_create(*, by, data: dict[str, Any]) -> InspectionPoint:
    require_action(by, Action.SCHEDULE_MANAGE)
    only_fields(data, POINT_FIELDS)
    point = InspectionPoint(organization=institution_of(by), **data)
    validated_save(point)
    audit.record(
        actor=by,
        verb=AuditVerb.INSPECTION_POINT_CREATED,
        target=point,
        changes=audit.diff({}, audit.snapshot(point, ["name", "location", "department"])),
    )
    return point


@transaction.atomic
def point_update(*, by, point: InspectionPoint, data: dict[str, Any]) -> InspectionPoint:
    require_action(by, Action.SCHEDULE_MANAGE)
    point = get_visible_or_404(InspectionPoint.objects.select_for_update(), by, pk=point.pk)
    if point.organization_id != by.organization_id:
        raise NotPermittedError(_("只能修改本单位的巡检点。"))
    only_fields(data, POINT_FIELDS)
    before = audit.snapshot(point, list(data))
    for k, v in data.items():
        setattr(point, k, v)
    changes = audit.diff(before, audit.snapshot(point, list(data)))
    if changes:
        validated_save(point)
        audit.record(actor=by, verb=AuditVerb.INSPECTION_POINT_UPDATED, target=point, changes=changes)
    return point


@transaction.atomic
def point_reissue_label(*, by, point: InspectionPoint) -> InspectionPoint:
    """重新生成标签: a new secret for the point's QR label, when a label was lost, copied or
    photographed, or at a routine change. The labels printed before stop proving presence (a scan of
    one is not "scanned at the point"); print the new one and put it up in their place."""
    require_action(by, Action.SCHEDULE_MANAGE)
    point = get_visible_or_404(InspectionPoint.objects.select_for_update(), by, pk=point.pk)
    if point.organization_id != by.organization_id:
        raise NotPermittedError(_("只能重新生成本单位巡检点的标签。"))
    before = point.label_version
    point.label_secret = new_label_secret()
    point.label_version = before + 1
    point.save(update_fields=["label_secret", "label_version"])
    audit.record(
        actor=by,
        verb=AuditVerb.INSPECTION_POINT_UPDATED,
        target=point,
        changes={"label_version": [before, point.label_version]},
        note=str(_("重新生成二维码标签（第%(n)s版），此前打印的标签作废")) % {"n": point.label_version},
    )
    return point
