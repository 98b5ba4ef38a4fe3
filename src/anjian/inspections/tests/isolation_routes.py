"""The inspections routes for the isolation test (anjian.core.testing.isolation).

``extend_world`` gives hospital_b (the victim) its own published checklist, a point, a schedule
of its ward nurses' post, a record whose failed item raised a hazard (with a photo), and a
supervision inspection and an interview by district_b. Routes that create something in the
user's own organization are posted with a body that cannot succeed for an attacker (a victim's
object they cannot choose, or nothing), so nothing anywhere changes."""

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
    from anjian.hazards.models import HazardCategory
    from anjian.inspections import services
    from anjian.inspections.defaults import ensure_defaults

    if "inspection_record_b" in world.extra:
        return
    ensure_defaults()
    w = world
    template = services.template_create(by=w.officer_b, data={"name": f"{VICTIM}病区巡查表", "applies_to": "病区"})
    services.item_add(
        by=w.officer_b,
        template=template,
        section_title=f"{VICTIM}疏散",
        data={"text": f"{VICTIM}安全出口畅通", "category": HazardCategory.objects.get(code="fire")},
    )
    services.template_publish(by=w.officer_b, template=template)
    point = services.point_create(by=w.officer_b, data={"name": f"{VICTIM}东侧安全出口", "department": w.dept_b})
    schedule = services.schedule_create(
        by=w.officer_b,
        data={
            "name": f"{VICTIM}病区日查",
            "template": template,
            "post": w.post_b,
            "rhythm": "daily",
            "starts_on": timezone.localdate() - dt.timedelta(days=3),
        },
        points=[point],
    )
    item = template.items.get()
    record = services.inspection_submit(
        by=w.staff_b,
        schedule=schedule,
        point=point,
        performed_at=timezone.now() - dt.timedelta(days=1),
        results=[{"item": item.pk, "result": "fail", "note": f"{VICTIM}杂物堵塞", "photos": [_jpeg()]}],
    )
    supervision = services.supervision_record(
        by=w.regulator_b,
        institution=w.hospital_b,
        data={"date": timezone.localdate(), "subject": f"{VICTIM}季度督导", "team": f"{VICTIM}检查组"},
    )
    services.interview_record(
        by=w.regulator_b,
        institution=w.hospital_b,
        data={"date": timezone.localdate(), "reason": f"{VICTIM}逾期未整改", "attendees": f"{VICTIM}院长"},
    )
    w.extra.update(
        inspection_template_b=template,
        inspection_item_b=item,
        inspection_point_b=point,
        inspection_schedule_b=schedule,
        inspection_record_b=record,
        inspection_photo_b=record.results.get().photos.get(),
        supervision_b=supervision,
    )


def _x(name: str):
    def get(w):
        extend_world(w)
        return w.extra[name]

    return get


template_b, point_b, schedule_b, record_b, photo_b, supervision_b = (
    _x(n)
    for n in (
        "inspection_template_b",
        "inspection_point_b",
        "inspection_schedule_b",
        "inspection_record_b",
        "inspection_photo_b",
        "supervision_b",
    )
)


def _pk(getter):
    return lambda w: {"pk": getter(w).pk}


def _results(w) -> list[dict]:
    return [{"item": _x("inspection_item_b")(w).pk, "result": "pass", "note": ""}]


def _form_results(w) -> dict:
    return {f"r_{_x('inspection_item_b')(w).pk}": "pass", "point": point_b(w).pk}


THIS_YEAR = f"?period={dt.date.today().year}"

API_ROUTES = [
    Route(
        "api:inspection-list",
        "scoped",
        post=True,
        json=True,
        data=lambda w: {"schedule": schedule_b(w).pk, "point": point_b(w).pk, "results": _results(w)},
    ),
    Route("api:inspection-detail", "scoped", kwargs=_pk(record_b)),
    Route("api:inspection-due", "self"),
    Route("api:inspection-compliance", "scoped", query=THIS_YEAR),
    # writing: a body that cannot succeed for an attacker (no name, or the victim's department,
    # post or checklist); PATCH and DELETE are proven in test_api_write.py
    Route("api:inspection-template-list", "scoped", post=True, json=True, data=lambda w: {"name": ""}),
    Route("api:inspection-template-detail", "scoped", kwargs=_pk(template_b)),
    Route("api:inspection-template-copy", "scoped", kwargs=_pk(template_b), post=True),
    Route("api:inspection-template-new-version", "scoped", kwargs=_pk(template_b), post=True),
    Route("api:inspection-template-publish", "scoped", kwargs=_pk(template_b), post=True),
    Route(
        "api:inspection-template-items",
        "scoped",
        kwargs=_pk(template_b),
        post=True,
        json=True,
        data=lambda w: {"section": "冒名", "text": "冒名检查项"},
    ),
    Route(
        "api:inspection-template-item",
        "scoped",
        kwargs=lambda w: {"pk": template_b(w).pk, "item_id": _x("inspection_item_b")(w).pk},
    ),
    Route(
        "api:inspection-point-list",
        "scoped",
        post=True,
        json=True,
        data=lambda w: {"name": "冒名巡检点", "department": w.dept_b.pk},
    ),
    Route("api:inspection-point-detail", "scoped", kwargs=_pk(point_b)),
    Route("api:inspection-point-reissue-label", "scoped", kwargs=_pk(point_b), post=True),
    Route(
        "api:inspection-schedule-list",
        "scoped",
        post=True,
        json=True,
        data=lambda w: {"name": "冒名计划", "template": template_b(w).pk, "post": w.post_b.pk, "rhythm": "daily"},
    ),
    Route("api:inspection-schedule-detail", "scoped", kwargs=_pk(schedule_b)),
    # creates the caller's own schedules only: GET answers 405 (not POSTed here, as the page route)
    Route("api:inspection-schedule-from-defaults", "scoped", witness=False),
]

PAGE_ROUTES = [
    Route("inspections:due", "self"),
    Route("inspections:point-scan", "scoped", kwargs=lambda w: {"code": point_b(w).code}),
    Route("inspections:record-create", "scoped", kwargs=_pk(schedule_b), post=True, data=_form_results),
    Route("inspections:record-list", "scoped", query="?q=乙方"),
    Route("inspections:record-detail", "scoped", kwargs=_pk(record_b)),
    Route(
        "inspections:record-correct",
        "scoped",
        kwargs=_pk(record_b),
        post=True,
        data=lambda w: {**_form_results(w), "correction_reason": "改"},
    ),
    Route("inspections:result-photo", "scoped", kwargs=lambda w: {"pk": photo_b(w).pk, "size": "thumb"}),
    Route("inspections:template-list", "scoped"),
    Route("inspections:template-create", "scoped", post=True, data=lambda w: {}, witness=False),
    Route("inspections:template-detail", "scoped", kwargs=_pk(template_b)),
    Route("inspections:template-edit", "scoped", kwargs=_pk(template_b), post=True, data=lambda w: {"name": "改"}),
    Route(
        "inspections:template-action",
        "scoped",
        kwargs=lambda w: {"pk": template_b(w).pk, "action": "new-version"},
        post=True,
    ),
    Route(
        "inspections:item-edit",
        "scoped",
        kwargs=lambda w: {"pk": template_b(w).pk, "item_pk": _x("inspection_item_b")(w).pk},
        post=True,
        data=lambda w: {"text": "冒名修改"},
    ),
    Route("inspections:point-list", "scoped"),
    Route("inspections:point-create", "scoped", post=True, data=lambda w: {}, witness=False),
    Route("inspections:point-labels", "scoped"),
    Route("inspections:point-edit", "scoped", kwargs=_pk(point_b), post=True, data=lambda w: {"name": "改名"}),
    Route("inspections:point-reissue-label", "scoped", kwargs=_pk(point_b), post=True),
    Route("inspections:schedule-list", "scoped"),
    Route(
        "inspections:schedule-create",
        "scoped",
        post=True,
        data=lambda w: {"name": "冒名计划", "template": template_b(w).pk, "post": w.post_b.pk, "rhythm": "daily"},
        witness=False,
    ),
    Route("inspections:schedule-defaults", "scoped", witness=False),
    Route("inspections:schedule-edit", "scoped", kwargs=_pk(schedule_b), post=True, data=lambda w: {"name": "改"}),
    Route("inspections:compliance", "scoped", query=THIS_YEAR),
    Route("inspections:supervision-list", "scoped"),
    Route(
        "inspections:supervision-create",
        "scoped",
        post=True,
        data=lambda w: {"institution": w.hospital_b.pk, "date": "2026-01-05", "subject": "冒名", "team": "x"},
        witness=False,
    ),
    Route("inspections:supervision-detail", "scoped", kwargs=_pk(supervision_b)),
    Route(
        "inspections:supervision-finding",
        "scoped",
        kwargs=_pk(supervision_b),
        post=True,
        data=lambda w: {"title": "冒名问题", "location": "门诊", "category": 1},
    ),
    Route(
        "inspections:supervision-checklist",
        "scoped",
        kwargs=lambda w: {"pk": supervision_b(w).pk, "template_pk": template_b(w).pk},
        post=True,
        data=lambda w: {f"r_{_x('inspection_item_b')(w).pk}": "pass"},
    ),
    Route(
        "inspections:interview-create",
        "scoped",
        post=True,
        data=lambda w: {"institution": w.hospital_b.pk, "date": "2026-01-05", "reason": "x", "attendees": "y"},
        witness=False,
    ),
]


def _first_rhythm(w) -> dict:
    from anjian.inspections.models import RhythmDefault

    return {"pk": RhythmDefault.objects.order_by("pk").values_list("pk", flat=True)[0]}


# The default rhythms are the platform's configuration, owned by no organization: "shared".
SHARED_ROUTES = [
    Route("inspections:rhythm-list", "shared"),
    Route("inspections:rhythm-create", "shared"),
    Route("inspections:rhythm-edit", "shared", kwargs=_first_rhythm),
]

ROUTES: list[Route] = [*API_ROUTES, *PAGE_ROUTES, *SHARED_ROUTES]
