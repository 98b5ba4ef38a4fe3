"""Every change of the registers, one module per register: ``equipment`` (kinds, items, their
inspection records, overdue inspections entered as hazards), ``chemicals`` (places, inventory, the
two-person in/out ledger), ``waste`` (handovers). Callers use the package."""

from anjian.registers.services.chemicals import (
    movement_cancel,
    movement_confirm,
    movement_record,
    stock_create,
    stock_update_limit,
    storage_place_create,
    storage_place_locate,
    storage_place_set_active,
    storage_place_update,
)
from anjian.registers.services.equipment import (
    equipment_create,
    equipment_kind_update,
    equipment_raise_hazard,
    equipment_record,
    equipment_set_active,
    equipment_update,
    open_overdue_hazard,
    overdue_proposal,
)
from anjian.registers.services.fire import fire_person_appoint
from anjian.registers.services.waste import waste_handover_record, waste_handover_void

__all__ = [
    "equipment_create",
    "equipment_kind_update",
    "equipment_raise_hazard",
    "equipment_record",
    "equipment_set_active",
    "equipment_update",
    "fire_person_appoint",
    "movement_cancel",
    "movement_confirm",
    "movement_record",
    "open_overdue_hazard",
    "overdue_proposal",
    "stock_create",
    "stock_update_limit",
    "storage_place_create",
    "storage_place_locate",
    "storage_place_set_active",
    "storage_place_update",
    "waste_handover_record",
    "waste_handover_void",
]
