"""Hazardous chemicals: storage places (their spot on a floor plan of the four-colour map: the
一张图), the inventory of each place (quantity, unit, the most it may hold) and the in/out ledger
with two-person sign-off (双人收发): one person enters a movement, a second, different person of the
same institution confirms it, and only then does the stock change (under a row lock: two
confirmations of the same stock queue and see each other's result)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.core import audit
from anjian.core.audit import AuditVerb
from anjian.core.errors import ConflictError, DomainError, NotPermittedError
from anjian.core.permissions import Action
from anjian.core.scoping import get_visible_or_404
from anjian.core.services import require_action, set_active_with_audit, update_with_audit, validated_save
from anjian.registers.choices import MovementDirection, MovementStatus, Unit
from anjian.registers.models import Chemical, ChemicalMovement, ChemicalStock, StoragePlace
from anjian.registers.services.common import institution_of, own, text
from anjian.risks.models import FloorPlan

PLACE_FIELDS = ["name", "risk_point", "keepers"]
SPOT_FIELDS = ["floor_plan", "plan_x", "plan_y"]
SPOT_STEP = Decimal("0.0001")
STOCK_FIELDS = ["place", "chemical", "quantity", "unit", "max_quantity"]
LIMIT = Decimal("9999999999.99")


def quantity(value, *, field: str, allow_zero: bool = False) -> Decimal:
    try:
        number = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError, TypeError) as exc:
        raise DomainError(_("请填写数量（数字）。"), field=field) from exc
    if not number.is_finite() or number > LIMIT:
        raise DomainError(_("数量超出范围。"), field=field)
    if number < 0 or (number == 0 and not allow_zero):
        raise DomainError(_("数量须大于0。") if not allow_zero else _("数量不能为负数。"), field=field)
    return number


def _place_data(org, data: dict[str, Any], place: StoragePlace | None = None) -> dict[str, Any]:
    """A place's name, risk point and keepers, checked: a name of its own within the institution,
    the risk point the institution's."""
    data = {k: v for k, v in data.items() if k in PLACE_FIELDS}
    if "name" in data:
        data["name"] = text(data["name"], 100)
        if not data["name"]:
            raise DomainError(_("请填写储存地点。"), field="name")
        others = StoragePlace.objects.filter(organization=org, name=data["name"])
        if others.exclude(pk=place.pk if place is not None else None).exists():
            raise DomainError(_("本机构已有同名储存地点。"), field="name")
    point = data.get("risk_point")
    if point is not None and point.organization_id != org.pk:
        raise DomainError(_("风险点须属于本机构。"), field="risk_point")
    if "keepers" in data:
        data["keepers"] = text(data["keepers"], 100)
    return data


def _place_for_write(by, place: StoragePlace) -> StoragePlace:
    require_action(by, Action.REGISTER_MANAGE)
    place = get_visible_or_404(StoragePlace.objects.select_for_update(of=("self",)), by, pk=place.pk)
    own(by, place)
    return place


@transaction.atomic
def storage_place_create(*, by, data: dict[str, Any]) -> StoragePlace:
    require_action(by, Action.REGISTER_MANAGE)
    org = institution_of(by)
    data = _place_data(org, {"name": "", **data})
    place = StoragePlace(organization=org, **data)
    validated_save(place)
    audit.record(
        actor=by,
        verb=AuditVerb.STORAGE_PLACE_CREATED,
        target=place,
        changes=audit.diff({}, audit.snapshot(place, PLACE_FIELDS)),
    )
    return place


@transaction.atomic
def storage_place_update(*, by, place: StoragePlace, data: dict[str, Any]) -> StoragePlace:
    """Rename a place, change its risk point or keepers."""
    place = _place_for_write(by, place)
    data = _place_data(place.organization, data, place)
    return update_with_audit(place, by=by, verb=AuditVerb.STORAGE_PLACE_UPDATED, data=data, fields=PLACE_FIELDS)


def _spot(value, field: str) -> Decimal:
    try:
        number = Decimal(str(value)).quantize(SPOT_STEP)
    except (InvalidOperation, ValueError, TypeError) as exc:
        raise DomainError(_("请在平面图上点选储存地点的位置。"), field=field) from exc
    if not number.is_finite() or not Decimal(0) <= number <= Decimal(1):
        raise DomainError(_("位置须在平面图范围内。"), field=field)
    return number


@transaction.atomic
def storage_place_locate(*, by, place: StoragePlace, floor_plan: FloorPlan | None, x=None, y=None) -> StoragePlace:
    """Mark the place on a floor plan of the institution's four-colour map (the 一张图): ``x`` and
    ``y`` are 0–1 of the plan's width and height from its top left corner, as the map's areas.
    ``floor_plan=None`` takes the mark off."""
    place = _place_for_write(by, place)
    if floor_plan is None:
        data = {"floor_plan": None, "plan_x": None, "plan_y": None}
    else:
        plan = FloorPlan.objects.filter(pk=floor_plan.pk, organization_id=place.organization_id, is_active=True).first()
        if plan is None:
            raise DomainError(_("请选择本机构在用的楼层平面图（风险四色图）。"), field="floor_plan")
        if x is None or y is None:
            raise DomainError(_("请在平面图上点选储存地点的位置。"), field="plan_x" if x is None else "plan_y")
        data = {"floor_plan": plan, "plan_x": _spot(x, "plan_x"), "plan_y": _spot(y, "plan_y")}
    return update_with_audit(place, by=by, verb=AuditVerb.STORAGE_PLACE_LOCATED, data=data, fields=SPOT_FIELDS)


@transaction.atomic
def storage_place_set_active(*, by, place: StoragePlace, active: bool, note: str = "") -> StoragePlace:
    """Stop using a place (nothing is deleted): only once it holds nothing and no movement of it
    waits for confirmation. A place out of use takes no new stock and no movement."""
    place = _place_for_write(by, place)
    if not active and place.is_active:
        held = [
            s.chemical.name
            for s in ChemicalStock.objects.filter(place=place, quantity__gt=0).select_related("chemical")
        ]
        if held:
            raise DomainError(
                _("储存地点“%(p)s”仍存有%(c)s，请先出库清空后再停用。") % {"p": place, "c": "、".join(held)}
            )
        if ChemicalMovement.objects.filter(stock__place=place, status=MovementStatus.PENDING).exists():
            raise DomainError(_("储存地点“%(p)s”尚有待复核的出入库记录，请先复核或作废。") % {"p": place})
    verbs = (AuditVerb.STORAGE_PLACE_REACTIVATED, AuditVerb.STORAGE_PLACE_DEACTIVATED)
    return set_active_with_audit(place, by=by, active=active, verbs=verbs, note=text(note, 500))


@transaction.atomic
def stock_create(
    *, by, place: StoragePlace, chemical: Chemical, unit: str, max_quantity, initial_quantity=0
) -> ChemicalStock:
    """Register a chemical at a storage place with its limit and the quantity counted there now (盘点)."""
    require_action(by, Action.REGISTER_MANAGE)
    place = get_visible_or_404(StoragePlace, by, pk=place.pk)
    own(by, place)
    if not place.is_active:
        raise DomainError(_("储存地点“%(p)s”已停用。") % {"p": place}, field="place")
    if not chemical.is_active:
        raise DomainError(_("“%(c)s”已停用。") % {"c": chemical}, field="chemical")
    if unit not in Unit.values:
        raise DomainError(_("请选择单位。"), field="unit")
    stock = ChemicalStock(
        organization=place.organization,
        place=place,
        chemical=chemical,
        unit=unit,
        max_quantity=quantity(max_quantity, field="max_quantity"),
        quantity=quantity(initial_quantity or 0, field="quantity", allow_zero=True),
    )
    validated_save(stock)
    audit.record(
        actor=by,
        verb=AuditVerb.STOCK_CREATED,
        target=stock,
        changes=audit.diff({}, audit.snapshot(stock, STOCK_FIELDS)),
    )
    return stock


@transaction.atomic
def stock_update_limit(*, by, stock: ChemicalStock, max_quantity) -> ChemicalStock:
    require_action(by, Action.REGISTER_MANAGE)
    stock = get_visible_or_404(ChemicalStock.objects.select_for_update(), by, pk=stock.pk)
    own(by, stock)
    return update_with_audit(
        stock,
        by=by,
        verb=AuditVerb.STOCK_UPDATED,
        data={"max_quantity": quantity(max_quantity, field="max_quantity")},
        fields=["max_quantity"],
    )


@transaction.atomic
def movement_record(
    *, by, stock: ChemicalStock, direction: str, amount, moved_on: dt.date | None = None, purpose: str = ""
) -> ChemicalMovement:
    """Enter a movement (入库 / 出库); it waits for a second person's confirmation."""
    require_action(by, Action.CHEMICAL_MOVE)
    stock = get_visible_or_404(ChemicalStock.objects.select_related("place"), by, pk=stock.pk)
    own(by, stock)
    if not stock.place.is_active:
        raise DomainError(_("储存地点“%(p)s”已停用。") % {"p": stock.place}, field="stock")
    if direction not in MovementDirection.values:
        raise DomainError(_("请选择入库或出库。"), field="direction")
    amount = quantity(amount, field="quantity")
    moved_on = moved_on or timezone.localdate()
    if moved_on > timezone.localdate():
        raise DomainError(_("出入库日期不能晚于今天。"), field="moved_on")
    if direction == MovementDirection.OUT and amount > stock.quantity:
        raise DomainError(
            _("出库数量（%(q)s）超过库存（%(s)s）。") % {"q": f"{amount:f}", "s": f"{stock.quantity:f}"},
            field="quantity",
        )
    movement = ChemicalMovement.objects.create(
        organization=stock.organization,
        stock=stock,
        direction=direction,
        quantity=amount,
        moved_on=moved_on,
        purpose=text(purpose, 200),
        recorded_by=by,
    )
    audit.record(
        actor=by,
        verb=AuditVerb.MOVEMENT_RECORDED,
        target=movement,
        changes=audit.diff({}, audit.snapshot(movement, ["direction", "quantity", "moved_on", "purpose"])),
    )
    return movement


def _pending(by, movement: ChemicalMovement) -> ChemicalMovement:
    movement = get_visible_or_404(ChemicalMovement.objects.select_for_update(), by, pk=movement.pk)
    own(by, movement)
    if movement.status != MovementStatus.PENDING:
        raise ConflictError(_("该出入库记录已%(s)s。") % {"s": movement.get_status_display()})
    return movement


@transaction.atomic
def movement_confirm(*, by, movement: ChemicalMovement) -> ChemicalMovement:
    """The second person confirms: the stock changes now. The person who entered the movement may
    not confirm it; an issue beyond what the stock holds now is refused."""
    require_action(by, Action.CHEMICAL_MOVE)
    movement = _pending(by, movement)
    if movement.recorded_by_id == by.pk:
        raise NotPermittedError(_("双人收发：须由登记人以外的另一人复核。"))
    stock = ChemicalStock.objects.select_for_update().get(pk=movement.stock_id)
    before = stock.quantity
    if movement.direction == MovementDirection.OUT:
        if movement.quantity > stock.quantity:
            raise ConflictError(
                _("出库数量（%(q)s）超过当前库存（%(s)s），不能复核。")
                % {"q": f"{movement.quantity:f}", "s": f"{stock.quantity:f}"}
            )
        stock.quantity -= movement.quantity
    else:
        stock.quantity += movement.quantity
    stock.save(update_fields=["quantity", "updated_at"])
    movement.status = MovementStatus.CONFIRMED
    movement.confirmed_by = by
    movement.confirmed_at = timezone.now()
    movement.balance_after = stock.quantity
    movement.save(update_fields=["status", "confirmed_by", "confirmed_at", "balance_after"])
    audit.record(
        actor=by,
        verb=AuditVerb.MOVEMENT_CONFIRMED,
        target=movement,
        changes={
            "status": [MovementStatus.PENDING.label, MovementStatus.CONFIRMED.label],
            "stock": [before, stock.quantity],
        },
    )
    return movement


@transaction.atomic
def movement_cancel(*, by, movement: ChemicalMovement, reason: str) -> ChemicalMovement:
    """Void a movement not yet confirmed (entered by mistake), with the reason."""
    require_action(by, Action.CHEMICAL_MOVE)
    movement = _pending(by, movement)
    reason = text(reason, 200)
    if not reason:
        raise DomainError(_("请填写作废原因。"), field="reason")
    movement.status = MovementStatus.CANCELLED
    movement.cancel_reason = reason
    movement.save(update_fields=["status", "cancel_reason"])
    audit.record(
        actor=by,
        verb=AuditVerb.MOVEMENT_CANCELLED,
        target=movement,
        changes={"status": [MovementStatus.PENDING.label, MovementStatus.CANCELLED.label]},
        note=reason,
    )
    return movement
