"""Equipment and fire facilities: the kinds' intervals (reference data), registering an item,
its inspection and maintenance records (a passed statutory inspection moves the next due date),
and an overdue statutory inspection entered as a hazard (source ``equipment_check``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.core import audit, uploads
from anjian.core.audit import AuditVerb
from anjian.core.errors import ConflictError, DomainError
from anjian.core.permissions import Action
from anjian.core.scoping import get_visible_or_404
from anjian.core.services import require_action, set_active_with_audit, update_with_audit, validated_save
from anjian.hazards import services as hazard_services
from anjian.hazards.choices import OPEN_STATUSES, HazardLevel, HazardSource
from anjian.hazards.defaults import MEDICAL_SET
from anjian.hazards.models import Criterion, Hazard, HazardCategory
from anjian.registers.choices import PASSING_RESULTS, DueState, EquipmentGroup, RecordKind, RecordResult
from anjian.registers.models import Equipment, EquipmentHazard, EquipmentKind, EquipmentRecord
from anjian.registers.services.common import institution_of, own, text

KIND_FIELDS = ["name", "interval_months", "inspection_name", "regulation", "is_active"]
EQUIPMENT_FIELDS = [
    "kind",
    "name",
    "registration_number",
    "risk_point",
    "area",
    "maintenance_contractor",
    "interval_months",
    "last_inspected_on",
]
# 《医疗机构重大事故隐患判定清单（试行）》 item 2: equipment "未按规定登记、检验检测或检验不合格"
OVERDUE_CRITERION_CODE = "2"


@transaction.atomic
def equipment_kind_update(*, by, kind: EquipmentKind, data: dict[str, Any]) -> EquipmentKind:
    """Change a kind's interval or the rule cited (an administrator's; applies to every item's next
    due date from its next inspection on, and to items whose date it recomputes now)."""
    require_action(by, Action.REGISTER_KIND_MANAGE)
    kind = EquipmentKind.objects.select_for_update().get(pk=kind.pk)
    before = kind.interval_months
    kind = update_with_audit(kind, by=by, verb=AuditVerb.EQUIPMENT_KIND_SAVED, data=data, fields=KIND_FIELDS)
    if kind.interval_months != before:
        items = Equipment.objects.select_for_update().filter(kind=kind, interval_months__isnull=True)
        for item in items.exclude(last_inspected_on=None):
            item.kind = kind
            item.next_due_on = item.compute_next_due()
            item.save(update_fields=["next_due_on", "updated_at"])
    return kind


def _check_equipment(by, data: dict[str, Any]) -> dict[str, Any]:
    data = {k: v for k, v in data.items() if k in EQUIPMENT_FIELDS}
    if "name" in data:
        data["name"] = text(data["name"], 100)
        if not data["name"]:
            raise DomainError(_("请填写设备名称。"), field="name")
    kind = data.get("kind")
    if kind is not None and not kind.is_active:
        raise DomainError(_("设备种类“%(k)s”已停用。") % {"k": kind}, field="kind")
    point = data.get("risk_point")
    if point is not None and point.organization_id != by.organization_id:
        raise DomainError(_("风险点须属于本机构。"), field="risk_point")
    months = data.get("interval_months")
    if months is not None and not 1 <= months <= 120:
        raise DomainError(_("检验周期须在1至120个月之间。"), field="interval_months")
    for name in ("registration_number", "area", "maintenance_contractor"):
        if name in data:
            data[name] = text(data[name], 200)
    return data


@transaction.atomic
def equipment_create(*, by, data: dict[str, Any]) -> Equipment:
    require_action(by, Action.REGISTER_MANAGE)
    org = institution_of(by)
    data = _check_equipment(by, data)
    if data.get("kind") is None:
        raise DomainError(_("请选择设备种类。"), field="kind")
    item = Equipment(organization=org, **data)
    item.next_due_on = item.compute_next_due()
    validated_save(item)
    audit.record(
        actor=by,
        verb=AuditVerb.EQUIPMENT_CREATED,
        target=item,
        changes={**audit.diff({}, audit.snapshot(item, EQUIPMENT_FIELDS)), "next_due_on": [None, item.next_due_on]},
    )
    return item


@transaction.atomic
def equipment_update(*, by, equipment: Equipment, data: dict[str, Any]) -> Equipment:
    require_action(by, Action.REGISTER_MANAGE)
    item = get_visible_or_404(
        Equipment.objects.select_for_update(of=("self",)).select_related("kind"), by, pk=equipment.pk
    )
    own(by, item)
    data = _check_equipment(by, data)
    item = update_with_audit(item, by=by, verb=AuditVerb.EQUIPMENT_UPDATED, data=data, fields=EQUIPMENT_FIELDS)
    due = item.compute_next_due()
    if due != item.next_due_on:
        item.next_due_on = due
        item.save(update_fields=["next_due_on", "updated_at"])
    return item


@transaction.atomic
def equipment_set_active(*, by, equipment: Equipment, active: bool, note: str = "") -> Equipment:
    require_action(by, Action.REGISTER_MANAGE)
    item = get_visible_or_404(Equipment.objects.select_for_update(), by, pk=equipment.pk)
    own(by, item)
    verbs = (AuditVerb.EQUIPMENT_REACTIVATED, AuditVerb.EQUIPMENT_DEACTIVATED)
    return set_active_with_audit(item, by=by, active=active, verbs=verbs, note=note)


@transaction.atomic
def equipment_record(
    *,
    by,
    equipment: Equipment,
    performed_on: dt.date,
    result: str,
    kind: str = RecordKind.INSPECTION,
    report=None,
    agency: str = "",
    report_number: str = "",
    note: str = "",
) -> EquipmentRecord:
    """Record an inspection, detection or maintenance. A statutory inspection needs its report
    (checked like every upload); if it passed, the equipment's last inspection becomes this one
    (never moving back) and the next due date follows by the kind's interval."""
    require_action(by, Action.REGISTER_MANAGE)
    item = get_visible_or_404(
        Equipment.objects.select_for_update(of=("self",)).select_related("kind"), by, pk=equipment.pk
    )
    own(by, item)
    if not item.is_active:
        raise DomainError(_("设备“%(e)s”已停用。") % {"e": item})
    if kind not in RecordKind.values:
        raise DomainError(_("请选择记录类型。"), field="kind")
    if result not in RecordResult.values:
        raise DomainError(_("请选择检验结论。"), field="result")
    if performed_on is None:
        raise DomainError(_("请填写检验/维保日期。"), field="performed_on")
    if performed_on > timezone.localdate():
        raise DomainError(_("检验/维保日期不能晚于今天。"), field="performed_on")
    if kind == RecordKind.INSPECTION and not report:
        raise DomainError(_("法定检验/检测须上传检验报告。"), field="report")
    if report:
        uploads.check_upload(report, field="report")
    record = EquipmentRecord(
        organization=item.organization,
        equipment=item,
        kind=kind,
        performed_on=performed_on,
        result=result,
        agency=text(agency, 100),
        report_number=text(report_number, 60),
        note=text(note, 2000),
        recorded_by=by,
    )
    if report:
        record.report = report
        record.report_name = uploads.clean_filename(report.name)[:200]
    record.save()
    before = {"last_inspected_on": item.last_inspected_on, "next_due_on": item.next_due_on}
    moves = kind == RecordKind.INSPECTION and result in PASSING_RESULTS
    if moves and (item.last_inspected_on is None or performed_on >= item.last_inspected_on):
        item.last_inspected_on = performed_on
        item.next_due_on = item.compute_next_due()
        item.save(update_fields=["last_inspected_on", "next_due_on", "updated_at"])
    after = {"last_inspected_on": item.last_inspected_on, "next_due_on": item.next_due_on}
    summary = " ".join(
        x
        for x in (
            performed_on.isoformat(),
            record.get_kind_display(),
            record.get_result_display(),
            record.agency,
            record.report_number,
            record.report_name,
        )
        if x
    )
    audit.record(
        actor=by,
        verb=AuditVerb.EQUIPMENT_RECORDED,
        target=item,
        changes={"records": [None, summary], **audit.diff(before, after)},  # "records": 检验维保记录
        note=record.note,
    )
    return record


def open_overdue_hazard(item: Equipment) -> Hazard | None:
    """The open hazard already entered for the equipment's overdue inspection, if any."""
    link = (
        EquipmentHazard.objects.filter(equipment=item, hazard__status__in=OPEN_STATUSES)
        .select_related("hazard")
        .order_by("-pk")
        .first()
    )
    return link.hazard if link else None


def overdue_criterion() -> Criterion | None:
    name, _number, version = MEDICAL_SET
    return Criterion.objects.filter(
        criterion_set__name=name, criterion_set__version=version, code=OVERDUE_CRITERION_CODE, is_active=True
    ).first()


def overdue_proposal(item: Equipment) -> dict[str, Any]:
    """What the hazard of an overdue statutory inspection says, for the confirmation page."""
    group = EquipmentGroup(item.kind.group)
    return {
        "title": str(_("%(kind)s“%(name)s”逾期未%(check)s（应于 %(due)s 前）"))
        % {"kind": item.kind.name, "name": item.name, "check": item.kind.inspection_name, "due": item.next_due_on},
        "description": str(_("使用登记证编号：%(reg)s；上次检验：%(last)s；依据：%(rule)s"))
        % {
            "reg": item.registration_number or "—",
            "last": item.last_inspected_on or "—",
            "rule": item.kind.regulation,
        },
        "level": HazardLevel.MAJOR if group == EquipmentGroup.SPECIAL else HazardLevel.GENERAL,
    }


@transaction.atomic
def equipment_raise_hazard(*, by, equipment: Equipment, title: str, description: str = "", level: str) -> Hazard:
    """Enter the overdue statutory inspection in the hazard ledger (source 设施设备检验), linked to
    the equipment; only its own institution may. Refused unless the inspection is overdue, or while
    an open hazard for it exists. A major hazard cites item 2 of the medical determination list
    (未按规定检验检测)."""
    require_action(by, Action.HAZARD_REPORT)
    item = get_visible_or_404(
        Equipment.objects.select_for_update(of=("self",)).select_related("kind", "risk_point__department"),
        by,
        pk=equipment.pk,
    )
    own(by, item)  # the institution enters its own overdue equipment; a regulator reads it
    if item.due_state != DueState.OVERDUE or not item.is_active:
        raise DomainError(_("“%(e)s”的法定检验未逾期，不能登记为逾期隐患。") % {"e": item})
    existing = open_overdue_hazard(item)
    if existing is not None:
        raise ConflictError(_("“%(e)s”的逾期隐患已登记：%(n)s。") % {"e": item, "n": existing.number})
    title = text(title, 200)
    if not title:
        raise DomainError(_("请填写隐患名称。"), field="title")
    if level not in HazardLevel.values:
        raise DomainError(_("请选择隐患等级。"), field="level")
    criterion = overdue_criterion() if level == HazardLevel.MAJOR else None
    code = "special_equipment" if item.kind.group == EquipmentGroup.SPECIAL else "fire"
    category = HazardCategory.objects.filter(code=code).first() or HazardCategory.objects.get(code="other")
    point = item.risk_point
    hazard = hazard_services.hazard_report(
        by=by,
        organization=item.organization,
        data={
            "title": title,
            "description": text(description, 4000),
            "location": (item.location or item.name)[:200],
            "department": point.department if point else None,
            "category": category,
            "level": level,
            "criterion": criterion,
            "source": HazardSource.EQUIPMENT_CHECK,
        },
        note=str(_("设备设施“%(e)s”法定检验逾期（应检日期 %(d)s）")) % {"e": item, "d": item.next_due_on},
    )
    EquipmentHazard.objects.create(
        organization=item.organization, equipment=item, hazard=hazard, due_on=item.next_due_on
    )
    audit.record(
        actor=by,
        verb=AuditVerb.EQUIPMENT_HAZARD_RAISED,
        target=item,
        changes={"hazard_links": [None, f"{hazard.number} {hazard.title}"]},  # 设备逾期隐患
    )
    return hazard
