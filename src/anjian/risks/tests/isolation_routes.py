"""The risks routes for the isolation test (anjian.core.testing.isolation).

``extend_world`` gives hospital_b (the victim) a risk point with a rated risk, a control measure at
its ward nurses' post, the post's cards, a floor plan with an area. Creating routes are posted with
a body naming the victim's objects, which an attacker cannot choose."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from anjian.core.testing.isolation import Route
from anjian.core.testing.world import VICTIM


def _jpeg() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 200, 200)).save(out, format="JPEG")
    return SimpleUploadedFile("plan.jpg", out.getvalue(), content_type="image/jpeg")


def extend_world(world) -> None:
    from anjian.risks import services
    from anjian.risks.defaults import ensure_defaults

    if "risk_b" in world.extra:
        return
    ensure_defaults()
    w = world
    point = services.risk_point_create(
        by=w.officer_b, data={"name": f"{VICTIM}液氧站", "kind": "equipment", "building": f"{VICTIM}住院楼"}
    )
    risk = services.risk_create(
        by=w.officer_b,
        risk_point=point,
        data={"name": f"{VICTIM}液氧储罐超压", "accident_type": "vessel"},
        method="LEC",
        factors={"l": 3, "e": 6, "c": 40},
    )
    measure = services.measure_add(
        by=w.officer_b,
        risk=risk,
        data={"type": "management", "tier": "post", "text": f"{VICTIM}每班巡检压力表", "responsible_post": w.post_b},
    )
    card = services.post_card_save(
        by=w.officer_b,
        post=w.post_b,
        data={"duties": f"{VICTIM}职责一", "operation_steps": f"{VICTIM}步骤一"},
        emergencies=[
            {
                "incident": f"{VICTIM}火灾",
                "alarm": "119",
                "isolate": "关门",
                "rescue": "疏散",
                "report": "报告",
                "phones": "8888",
            }
        ],
    )
    plan = services.floor_plan_upload(by=w.officer_b, building=f"{VICTIM}住院楼", floor="1F", image=_jpeg())
    area = services.map_area_save(
        by=w.officer_b,
        plan=plan,
        name=f"{VICTIM}液氧站区域",
        points=[[0.1, 0.1], [0.5, 0.1], [0.5, 0.5]],
        risk_points=[point],
    )
    w.extra.update(risk_point_b=point, risk_b=risk, measure_b=measure, card_b=card, plan_b=plan, area_b=area)


def _x(name: str):
    def get(w):
        extend_world(w)
        return w.extra[name]

    return get


point_b, risk_b, measure_b, card_b, plan_b, area_b = (
    _x(n) for n in ("risk_point_b", "risk_b", "measure_b", "card_b", "plan_b", "area_b")
)


def _pk(getter):
    return lambda w: {"pk": getter(w).pk}


API_ROUTES = [
    Route(
        "api:risk-point-list",
        "scoped",
        post=True,
        json=True,
        data=lambda w: {"name": "冒名风险点", "department": w.dept_b.pk},
    ),
    Route("api:risk-point-detail", "scoped", kwargs=_pk(point_b)),
    Route(
        "api:risk-list",
        "scoped",
        post=True,
        json=True,
        data=lambda w: {"risk_point": point_b(w).pk, "name": "冒名", "method": "LS", "l": 5, "s": 5},
    ),
    Route("api:risk-detail", "scoped", kwargs=_pk(risk_b)),
    Route(
        "api:risk-reassess",
        "scoped",
        kwargs=_pk(risk_b),
        post=True,
        json=True,
        data=lambda w: {"method": "LS", "l": 1, "s": 1},
    ),
    Route(
        "api:risk-measure-list",
        "scoped",
        post=True,
        json=True,
        data=lambda w: {"risk": risk_b(w).pk, "type": "management", "tier": "unit", "text": "冒名"},
    ),
    Route("api:risk-measure-detail", "scoped", kwargs=_pk(measure_b)),
    Route("api:post-card-list", "scoped"),
    Route("api:post-card-detail", "scoped", kwargs=_pk(card_b)),
    Route("api:post-card-acknowledge", "scoped", kwargs=_pk(card_b), post=True, json=True, data=lambda w: {}),
]

PAGE_ROUTES: list[Route] = []

ROUTES: list[Route] = [*API_ROUTES, *PAGE_ROUTES]
