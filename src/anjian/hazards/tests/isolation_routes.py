"""The hazards routes for the isolation test (anjian.core.testing.isolation).

``extend_world`` gives hospital_b (the victim) a hazard, ``hazard_b``; its photo is made only
for the routes that serve one (``photo_b``), so the other checks write no files. Every route
that changes something is posted by each attacker with a body that would work for a user of
hospital_b, and must be refused with nothing changed.
"""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from anjian.core.testing.isolation import Route
from anjian.core.testing.world import VICTIM


def _jpeg() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (200, 30, 30)).save(out, format="JPEG")
    return SimpleUploadedFile("victim.jpg", out.getvalue(), content_type="image/jpeg")


def extend_world(world) -> None:
    """hazard_b: a hazard of hospital_b, reported by its safety officer through the service."""
    from anjian.hazards import services
    from anjian.hazards.models import HazardCategory

    if "hazard_b" in world.extra:
        return
    world.extra["hazard_b"] = services.hazard_report(
        by=world.officer_b,
        organization=world.hospital_b,
        data={
            "title": f"{VICTIM}液氧站漏气",
            "location": f"{VICTIM}液氧站",
            "department": world.dept_b,
            "category": HazardCategory.objects.order_by("sort_order", "pk").first(),
        },
    )


def hazard_b(w):
    extend_world(w)
    return w.extra["hazard_b"]


def photo_b(w):
    """hazard_b's before-photo (a real file: the witness must be able to fetch it)."""
    from anjian.hazards import services

    if "photo_b" not in w.extra:
        w.extra["photo_b"] = services.hazard_add_photo(
            hazard=hazard_b(w), by=w.officer_b, phase="before", image=_jpeg()
        )
    return w.extra["photo_b"]


def _pk(w) -> dict:
    return {"pk": hazard_b(w).pk}


def _criterion_pk() -> int:
    from anjian.hazards.models import Criterion

    return Criterion.objects.order_by("pk").values_list("pk", flat=True).first()


def _category_pk() -> int:
    from anjian.hazards.models import HazardCategory

    return HazardCategory.objects.order_by("pk").values_list("pk", flat=True).first()


def _later(days: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


def _action(name: str, data) -> Route:
    return Route(f"api:hazard-{name}", "scoped", kwargs=_pk, post=True, data=data, json=True)


API_ROUTES = [
    Route(
        "api:hazard-list",
        "scoped",
        query="?q=乙方",
        post=True,
        data=lambda w: {
            "organization": w.hospital_b.pk,
            "department": w.dept_b.pk,
            "title": "冒名登记的隐患",
            "location": "门诊",
            "category": "fire",
        },
        json=True,
    ),
    Route("api:hazard-detail", "scoped", kwargs=_pk),
    Route("api:hazard-events", "scoped", kwargs=_pk),
    Route("api:hazard-photos", "scoped", kwargs=_pk, post=True, data=lambda w: {"image": _jpeg(), "phase": "before"}),
    Route(
        "api:hazard-photo-file",
        "scoped",
        kwargs=lambda w: {"pk": hazard_b(w).pk, "photo_id": photo_b(w).pk, "size": "image"},
    ),
    _action(
        "confirm",
        lambda w: {"responsible": w.officer_b.pk, "measures": "更换阀门", "deadline": _later(7)},
    ),
    _action("dismiss", lambda w: {"reason": "误报"}),
    _action("submit", lambda w: {"rectification_note": "已整改"}),
    _action("change-plan", lambda w: {"measures": "更换阀门并加装报警器", "reason": "方案调整"}),
    _action("endorse", lambda w: {"note": "同意"}),
    _action("accept", lambda w: {"note": "同意销号"}),
    _action("reject", lambda w: {"reason": "不合格"}),
    _action("postpone", lambda w: {"new_deadline": _later(30), "reason": "等待配件"}),
    _action("approve-postponement", lambda w: {"note": "同意"}),
    _action("refuse-postponement", lambda w: {"note": "不同意"}),
    _action("reclassify", lambda w: {"level": "major", "reason": "涉及医用气体", "criterion": _criterion_pk()}),
    _action("supervise", lambda w: {"level": "district", "deadline": _later(30), "notice_number": "督1号"}),
    _action("unsupervise", lambda w: {"note": "解除"}),
]


def _page_action(name: str, data) -> Route:
    return Route("hazards:hazard-action", "scoped", kwargs=lambda w: {**_pk(w), "action": name}, post=True, data=data)


PAGE_ROUTES = [
    Route("hazards:hazard-list", "scoped", query="?q=乙方"),
    Route("hazards:hazard-export", "scoped", query="?q=乙方"),
    Route("hazards:hazard-detail", "scoped", kwargs=_pk),
    Route(
        "hazards:hazard-report",
        "scoped",
        post=True,
        data=lambda w: {
            "photos": _jpeg(),
            "organization": w.hospital_b.pk,
            "department": w.dept_b.pk,
            "category": _category_pk(),
            "location": "门诊",
            "title": "冒名登记的隐患",
            "level": "general",
        },
        witness=False,
    ),
    Route("hazards:hazard-photo", "scoped", kwargs=lambda w: {"pk": photo_b(w).pk, "size": "thumb"}),
    _page_action("confirm", lambda w: {"responsible": w.officer_b.pk, "measures": "更换阀门", "deadline": _later(7)}),
]


def _first(model_name: str):
    def kwargs(w) -> dict:
        from django.apps import apps

        return {"pk": apps.get_model("hazards", model_name).objects.order_by("pk").values_list("pk", flat=True)[0]}

    return kwargs


# The library (categories, determination standards) belongs to no organization: "shared".
LIBRARY_ROUTES = [
    Route("hazards:library", "shared"),
    Route("api:hazard-category-list", "shared"),
    Route("api:hazard-criterion-list", "shared"),
    Route("hazards:category-create", "shared"),
    Route("hazards:category-edit", "shared", kwargs=_first("HazardCategory")),
    Route("hazards:criterion-set-create", "shared"),
    Route("hazards:criterion-set-detail", "shared", kwargs=_first("CriterionSet")),
    Route("hazards:criterion-set-edit", "shared", kwargs=_first("CriterionSet")),
    Route("hazards:criterion-create", "shared", kwargs=lambda w: {"set_pk": _first("CriterionSet")(w)["pk"]}),
    Route("hazards:criterion-edit", "shared", kwargs=_first("Criterion")),
]

ROUTES: list[Route] = [*API_ROUTES, *PAGE_ROUTES, *LIBRARY_ROUTES]
