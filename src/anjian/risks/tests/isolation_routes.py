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

_RATING = {"method": "LS", "ls_l": "1", "ls_s": "1", "name": "冒名", "accident_type": "fire"}

PAGE_ROUTES = [
    Route("risks:point-list", "scoped", query="?q=乙方"),
    Route(
        "risks:point-create",
        "scoped",
        post=True,
        data=lambda w: {"name": "冒名", "department": w.dept_b.pk},
        witness=False,
    ),
    Route("risks:point-detail", "scoped", kwargs=_pk(point_b)),
    Route(
        "risks:point-edit", "scoped", kwargs=_pk(point_b), post=True, data=lambda w: {"name": "改名", "kind": "place"}
    ),
    Route("risks:point-deactivate", "scoped", kwargs=_pk(point_b), post=True, data=lambda w: {"note": "x"}),
    Route("risks:point-reactivate", "scoped", kwargs=_pk(point_b), post=True, data=lambda w: {"note": "x"}),
    Route(
        "risks:risk-edit",
        "scoped",
        kwargs=_pk(risk_b),
        post=True,
        data=lambda w: {"name": "改", "accident_type": "fire"},
    ),
    Route(
        "risks:risk-hazard",
        "scoped",
        kwargs=_pk(risk_b),
        post=True,
        data=lambda w: {"title": "冒名隐患", "category": 1},
    ),
    Route("risks:risk-deactivate", "scoped", kwargs=_pk(risk_b), post=True, data=lambda w: {"note": "x"}),
    Route("risks:risk-reactivate", "scoped", kwargs=_pk(risk_b), post=True, data=lambda w: {"note": "x"}),
    Route("risks:measure-deactivate", "scoped", kwargs=_pk(measure_b), post=True, data=lambda w: {"note": "x"}),
    Route("risks:measure-reactivate", "scoped", kwargs=_pk(measure_b), post=True, data=lambda w: {"note": "x"}),
    Route("risks:point-checklist", "scoped", kwargs=_pk(point_b), post=True, data=lambda w: {}),
    Route("risks:risk-create", "scoped", kwargs=_pk(point_b), post=True, data=lambda w: _RATING),
    Route("risks:risk-table", "scoped", query="?q=乙方"),
    Route("risks:overview", "scoped"),
    Route("risks:risk-detail", "scoped", kwargs=_pk(risk_b)),
    Route("risks:risk-reassess", "scoped", kwargs=_pk(risk_b), post=True, data=lambda w: _RATING),
    Route(
        "risks:measure-add",
        "scoped",
        kwargs=_pk(risk_b),
        post=True,
        data=lambda w: {"text": "冒名", "type": "management", "tier": "unit"},
    ),
    Route("risks:card-list", "scoped"),
    Route(
        "risks:card-edit",
        "scoped",
        kwargs=lambda w: {"pk": w.post_b.pk},
        post=True,
        data=lambda w: {
            "duties": "改",
            "operation_steps": "改",
            "e1_incident": "火",
            "e1_alarm": "a",
            "e1_isolate": "b",
            "e1_rescue": "c",
            "e1_report": "d",
            "e1_phones": "119",
        },
    ),
    Route("risks:card-detail", "scoped", kwargs=_pk(card_b)),
    Route("risks:card-acknowledge", "scoped", kwargs=_pk(card_b), post=True, data=lambda w: {}),
    Route("risks:card-scan", "scoped", kwargs=lambda w: {"code": card_b(w).code}),
    Route("risks:plan-list", "scoped"),
    Route(
        "risks:plan-upload", "scoped", post=True, data=lambda w: {"building": "冒名楼", "floor": "1F"}, witness=False
    ),
    Route("risks:plan-detail", "scoped", kwargs=_pk(plan_b)),
    Route("risks:plan-image", "scoped", kwargs=_pk(plan_b)),
    Route(
        "risks:area-create",
        "scoped",
        kwargs=_pk(plan_b),
        post=True,
        data=lambda w: {"name": "冒名区域", "points": "[[0,0],[1,0],[1,1]]"},
    ),
    Route("risks:area-notice", "scoped", kwargs=_pk(area_b)),
]

# The methods' tables are the platform's reference data, owned by no organization.
SHARED_ROUTES = [
    Route("risks:method-list", "shared"),
    Route("risks:method-version", "shared", kwargs=lambda w: {"code": "LEC"}),
]

ROUTES: list[Route] = [*API_ROUTES, *PAGE_ROUTES, *SHARED_ROUTES]
