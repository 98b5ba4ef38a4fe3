"""The registers routes for the isolation test (anjian.core.testing.isolation).

``extend_world`` gives hospital_b (the victim) an overdue pressure vessel with an inspection record
and its report, a storage place marked on a floor plan with a stock of ethanol and a pending
movement entered by its staff, and a waste handover. Creating routes are posted with a body naming
the victim's objects."""

from __future__ import annotations

from anjian.core.testing.isolation import Route
from anjian.core.testing.world import VICTIM


def extend_world(world) -> None:
    from anjian.registers import services
    from anjian.registers.defaults import ensure_defaults
    from anjian.registers.tests.helpers import floor_plan, make_stock, overdue_vessel, pdf, today

    if "equipment_b" in world.extra:
        return
    ensure_defaults()
    w = world
    from anjian.risks import services as risk_services

    point = risk_services.risk_point_create(by=w.officer_b, data={"name": f"{VICTIM}锅炉房", "kind": "place"})
    vessel = overdue_vessel(w.officer_b, name=f"{VICTIM}液氧储罐")
    record = services.equipment_record(
        by=w.officer_b, equipment=vessel, performed_on=today(), result="failed", report=pdf(f"{VICTIM}报告.pdf")
    )
    stock = make_stock(w.officer_b, place=f"{VICTIM}危化品库")
    plan = floor_plan(w.officer_b, building=f"{VICTIM}住院楼")
    services.storage_place_locate(by=w.officer_b, place=stock.place, floor_plan=plan, x="0.4", y="0.5")
    movement = services.movement_record(
        by=w.staff_b, stock=stock, direction="out", amount=1, purpose=f"{VICTIM}病区领用"
    )
    waste = services.waste_handover_record(
        by=w.officer_b,
        data={"handed_on": today(), "category": "infectious", "weight_kg": 12, "receiver": f"{VICTIM}医废处置公司"},
    )
    w.extra.update(
        point_b=point,
        equipment_b=vessel,
        record_b=record,
        stock_b=stock,
        place_b=stock.place,
        plan_b=plan,
        movement_b=movement,
        waste_b=waste,
    )


def _pk(name: str):
    def get(w):
        extend_world(w)
        return {"pk": w.extra[name].pk}

    return get


def _id(name: str):
    def get(w):
        extend_world(w)
        return w.extra[name].pk

    return get


API_ROUTES = [
    Route(
        "api:equipment-list",
        "scoped",
        query="?due_before=2099-01-01",
        post=True,
        json=True,
        data=lambda w: {"name": "冒名电梯", "kind": "lift", "risk_point": _id("point_b")(w)},
    ),
    Route("api:equipment-detail", "scoped", kwargs=_pk("equipment_b")),
    Route(
        "api:equipment-inspections",
        "scoped",
        kwargs=_pk("equipment_b"),
        post=True,
        data=lambda w: {"inspected_on": "2020-01-01", "result": "passed", "kind": "maintenance"},
    ),
    Route(
        "api:chemical-storage-place-list",
        "scoped",
        post=True,
        json=True,
        data=lambda w: {"name": "冒名库", "risk_point": _id("point_b")(w)},
    ),
    Route("api:chemical-storage-place-detail", "scoped", kwargs=_pk("place_b")),
    Route(
        "api:chemical-list",
        "scoped",
        post=True,
        json=True,
        data=lambda w: {"place": w.extra["stock_b"].place_id, "chemical": 1, "unit": "L", "max_quantity": 5},
    ),
    Route("api:chemical-detail", "scoped", kwargs=_pk("stock_b")),
    Route(
        "api:chemical-movement-list",
        "scoped",
        post=True,
        json=True,
        data=lambda w: {"stock": _id("stock_b")(w), "direction": "in", "quantity": 1},
    ),
    Route("api:chemical-movement-detail", "scoped", kwargs=_pk("movement_b")),
    Route("api:chemical-movement-confirm", "scoped", kwargs=_pk("movement_b"), post=True, json=True, data=lambda w: {}),
    Route(
        "api:chemical-movement-cancel",
        "scoped",
        kwargs=_pk("movement_b"),
        post=True,
        json=True,
        data=lambda w: {"reason": "冒名"},
    ),
    Route(
        "api:waste-handover-list",
        "scoped",
        post=True,
        json=True,
        # nothing of the victim's to name: a body the service refuses (weight 0), nothing may be written
        data=lambda w: {"handed_on": "2026-01-01", "category": "sharps", "weight_kg": 0, "receiver": "冒名"},
    ),
    Route("api:waste-handover-detail", "scoped", kwargs=_pk("waste_b")),
    Route(
        "api:waste-handover-void", "scoped", kwargs=_pk("waste_b"), post=True, json=True, data=lambda w: {"reason": "x"}
    ),
]

PAGE_ROUTES = [
    Route("registers:equipment-list", "scoped", query="?q=乙方"),
    Route(
        "registers:equipment-create",
        "scoped",
        post=True,
        data=lambda w: {"name": "冒名", "kind": 1, "risk_point": _id("point_b")(w)},
        witness=False,
    ),
    Route("registers:equipment-detail", "scoped", kwargs=_pk("equipment_b")),
    Route(
        "registers:equipment-edit",
        "scoped",
        kwargs=_pk("equipment_b"),
        post=True,
        data=lambda w: {"name": "改名", "kind": w.extra["equipment_b"].kind_id},
    ),
    Route(
        "registers:equipment-record",
        "scoped",
        kwargs=_pk("equipment_b"),
        post=True,
        data=lambda w: {"kind": "maintenance", "performed_on": "2020-01-01", "result": "passed"},
    ),
    Route(
        "registers:equipment-hazard",
        "scoped",
        kwargs=_pk("equipment_b"),
        post=True,
        data=lambda w: {"title": "冒名隐患", "level": "general"},
    ),
    Route(
        "registers:equipment-deactivate", "scoped", kwargs=_pk("equipment_b"), post=True, data=lambda w: {"note": "x"}
    ),
    Route(
        "registers:equipment-reactivate", "scoped", kwargs=_pk("equipment_b"), post=True, data=lambda w: {"note": "x"}
    ),
    Route("registers:record-report", "scoped", kwargs=_pk("record_b")),
    Route("registers:stock-list", "scoped", query="?q=乙醇"),
    Route(
        "registers:stock-create",
        "scoped",
        post=True,
        data=lambda w: {"place": w.extra["stock_b"].place_id, "chemical": 2, "unit": "L", "max_quantity": "5"},
        witness=False,
    ),
    Route(
        "registers:place-create",
        "scoped",
        post=True,
        data=lambda w: {"name": "冒名库", "risk_point": _id("point_b")(w)},
        witness=False,
    ),
    Route("registers:place-detail", "scoped", kwargs=_pk("place_b")),
    Route("registers:place-edit", "scoped", kwargs=_pk("place_b"), post=True, data=lambda w: {"name": "改名"}),
    Route(
        "registers:place-locate",
        "scoped",
        kwargs=_pk("place_b"),
        post=True,
        data=lambda w: {"floor_plan": "", "plan_x": "", "plan_y": ""},
    ),
    Route("registers:place-deactivate", "scoped", kwargs=_pk("place_b"), post=True, data=lambda w: {"note": "x"}),
    Route("registers:place-reactivate", "scoped", kwargs=_pk("place_b"), post=True, data=lambda w: {"note": "x"}),
    Route("registers:chemical-map", "scoped"),
    Route("registers:chemical-table", "scoped"),
    Route("registers:stock-detail", "scoped", kwargs=_pk("stock_b")),
    Route("registers:stock-limit", "scoped", kwargs=_pk("stock_b"), post=True, data=lambda w: {"max_quantity": "1"}),
    Route(
        "registers:movement-create",
        "scoped",
        kwargs=_pk("stock_b"),
        post=True,
        data=lambda w: {"direction": "in", "quantity": "1", "moved_on": "2026-01-01"},
    ),
    Route("registers:movement-confirm", "scoped", kwargs=_pk("movement_b"), post=True, data=lambda w: {}),
    Route("registers:movement-cancel", "scoped", kwargs=_pk("movement_b"), post=True, data=lambda w: {"reason": "x"}),
    Route("registers:waste-list", "scoped"),
    Route(
        "registers:waste-create",
        "scoped",
        post=True,
        data=lambda w: {"handed_on": "2026-01-01", "category": "sharps", "weight_kg": "0", "receiver": "冒名"},
        witness=False,
    ),
    Route("registers:waste-void", "scoped", kwargs=_pk("waste_b"), post=True, data=lambda w: {"reason": "x"}),
    Route("registers:overview", "scoped"),
    Route("registers:fire-file", "scoped"),
    # the appointment names no victim object: a body the service refuses (no name), nothing written
    Route(
        "registers:fire-person",
        "scoped",
        post=True,
        data=lambda w: {"duty": "manager", "name": "", "appointed_on": "2026-01-01"},
        witness=False,
    ),
]

SHARED_ROUTES = [
    Route("registers:kind-list", "shared"),
    Route("registers:kind-edit", "shared", kwargs=lambda w: {"pk": 1}),
    Route("registers:chemical-catalogue", "shared"),
]

ROUTES: list[Route] = [*API_ROUTES, *PAGE_ROUTES, *SHARED_ROUTES]
