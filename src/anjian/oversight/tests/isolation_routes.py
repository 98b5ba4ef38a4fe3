"""The oversight routes for the isolation test (anjian.core.testing.isolation).

``extend_world`` gives district_b (the victim's regulator) a tip about hospital_b with a photo and a
contact, and an internal tip by hospital_b's staff. The public pages (the form, its search, the
status page and the public API) show no organization's data unless asked by name or by receipt code."""

from __future__ import annotations

from anjian.core.testing.isolation import Route
from anjian.core.testing.world import VICTIM


def extend_world(world) -> None:
    import datetime as dt

    from django.utils import timezone

    from anjian.hazards.defaults import ensure_defaults
    from anjian.oversight import services
    from anjian.oversight.tests.helpers import gps_jpeg, submit

    if "tip_b" in world.extra:
        return
    ensure_defaults()
    tip = submit(
        world.hospital_b, description=f"{VICTIM}配电室堆放杂物", contact=f"{VICTIM}13900000000", photos=[gps_jpeg()]
    )
    world.extra["tip_b"] = tip
    world.extra["tip_photo_b"] = tip.photos.get()
    world.extra["internal_tip_b"] = services.tip_submit_internal(
        by=world.staff_b, data={"description": f"{VICTIM}药库灭火器过期", "contact": f"{VICTIM}13900000001"}
    )
    world.extra["accident_b"] = services.accident_report(
        by=world.officer_b,
        organization=world.hospital_b,
        data={
            "occurred_at": timezone.now() - dt.timedelta(hours=2),
            "place": f"{VICTIM}锅炉房",
            "kind": "scald",
            "injuries": 1,
            "description": f"{VICTIM}蒸汽管道泄漏烫伤",
        },
    )
    from anjian.oversight.services import assessment

    world.extra["indicator_b"] = assessment.indicator_save(
        by=world.regulator_b, data={"name": f"{VICTIM}培训", "kind": "manual", "weight": 0}
    )
    world.extra["assessment_b"] = assessment.assessment_create(by=world.regulator_b, year=timezone.localdate().year)
    _documents(world)


def _tip(w) -> dict:
    return {"pk": w.extra["tip_b"].pk}


def _accept(w) -> dict:
    from anjian.hazards.models import HazardCategory

    return {"title": "x", "description": "x", "category": HazardCategory.objects.get(code="fire").pk, "location": "x"}


ROUTES = [
    Route("oversight:tip-new", "public"),
    Route("oversight:tip-targets", "public"),
    Route("oversight:tip-status", "public"),
    Route("api:public-tip-create", "public"),
    Route("api:public-tip-challenge", "public"),
    Route("api:public-tip-status", "public", kwargs=lambda w: {"receipt_code": "AAAAAAAAAAAA"}),
    Route("oversight:tip-poster", "scoped", kwargs=lambda w: {"pk": w.hospital_b.pk}),
    Route("oversight:tip-internal", "self"),  # a blank form about the user's own institution
    Route("oversight:tip-mine", "self"),  # the user's own internal tips (hospital_b's staff has one)
    Route("api:tip-internal", "self"),
    Route("api:tip-mine", "self"),
    Route("oversight:tip-queue", "scoped"),
    Route("oversight:tip-detail", "scoped", kwargs=_tip),
    Route("oversight:tip-contact", "scoped", kwargs=_tip, post=True),
    Route("oversight:tip-accept", "scoped", kwargs=_tip, post=True, data=_accept),
    Route("oversight:tip-dismiss", "scoped", kwargs=_tip, post=True, data=lambda w: {"reason": "x"}),
    Route("oversight:tip-reply", "scoped", kwargs=_tip, post=True, data=lambda w: {"reply": "x"}),
    Route("oversight:tip-reward", "scoped", kwargs=_tip, post=True, data=lambda w: {"amount": "100"}),
    Route("oversight:tip-reward-decide", "scoped", kwargs=_tip, post=True, data=lambda w: {"decision": "approve"}),
    Route("oversight:tip-photo", "scoped", kwargs=lambda w: {"pk": w.extra["tip_photo_b"].pk}),
    Route("api:tip-list", "scoped"),
    Route("api:tip-detail", "scoped", kwargs=_tip),
    Route("api:tip-accept", "scoped", kwargs=_tip, post=True, json=True, data=_accept),
    Route("api:tip-dismiss", "scoped", kwargs=_tip, post=True, json=True, data=lambda w: {"reason": "x"}),
    Route("api:tip-reply", "scoped", kwargs=_tip, post=True, json=True, data=lambda w: {"reply": "x"}),
    Route("api:tip-contact", "scoped", kwargs=_tip, post=True, json=True),
]


def _accident(w) -> dict:
    return {"pk": w.extra["accident_b"].pk}


ROUTES += [
    Route("oversight:accident-list", "scoped"),
    Route("oversight:accident-new", "scoped", witness=False),
    Route("oversight:accident-detail", "scoped", kwargs=_accident),
    Route(
        "oversight:accident-complete",
        "scoped",
        kwargs=_accident,
        post=True,
        data=lambda w: {"cause": "x", "measures": "x"},
    ),
    Route("oversight:accident-void", "scoped", kwargs=_accident, post=True, data=lambda w: {"reason": "x"}),
    Route("api:accident-list", "scoped"),
    Route("api:accident-detail", "scoped", kwargs=_accident),
    Route(
        "api:accident-complete",
        "scoped",
        kwargs=_accident,
        post=True,
        json=True,
        data=lambda w: {"cause": "x", "measures": "x"},
    ),
    Route("api:accident-void", "scoped", kwargs=_accident, post=True, json=True, data=lambda w: {"reason": "x"}),
    Route("api:stats-accidents", "scoped", witness=False),  # figures only, no names
]


def _assessment(w) -> dict:
    return {"pk": w.extra["assessment_b"].pk}


ROUTES += [
    Route("oversight:assessment-list", "scoped"),
    Route("oversight:assessment-new", "scoped", witness=False),
    Route("oversight:assessment-detail", "scoped", kwargs=_assessment),
    Route(
        "oversight:assessment-score",
        "scoped",
        kwargs=lambda w: {**_assessment(w), "org": w.hospital_b.pk},
        post=True,
        data=lambda w: {f"evidence_{w.extra['indicator_b'].pk}": "x"},
    ),
    Route("oversight:assessment-publish", "scoped", kwargs=_assessment, post=True),
    Route("oversight:assessment-export", "scoped", kwargs=_assessment),
    Route("oversight:assessment-sheet-docx", "scoped", kwargs=lambda w: {**_assessment(w), "org": w.hospital_b.pk}),
    Route("oversight:indicator-list", "scoped"),
    Route("oversight:indicator-new", "scoped", witness=False),
    Route(
        "oversight:indicator-edit",
        "scoped",
        kwargs=lambda w: {"pk": w.extra["indicator_b"].pk},
        post=True,
        data=lambda w: {"name": "x", "kind": "manual", "weight": "0", "is_active": "on"},
    ),
    Route("api:assessment-list", "scoped"),
    Route("api:assessment-detail", "scoped", kwargs=_assessment),
]


def _documents(world) -> None:
    from anjian.core.roles import Role
    from anjian.core.testing import factories as f
    from anjian.hazards.models import HazardCategory
    from anjian.hazards.services import hazard_report
    from anjian.oversight.services import documents

    if "document_b" in world.extra:
        return
    staff_b = f.make_user(
        organization=world.district_b, role=Role.REGULATOR_STAFF, username="reg_staff_b", name=f"{VICTIM}科员"
    )
    draft = documents.document_draft(
        by=staff_b,
        data={"kind": "circular", "title": f"{VICTIM}通报", "addressee": "各机构", "body": f"{VICTIM}正文"},
        institutions=[world.hospital_b],
    )
    world.extra["document_b"] = documents.document_decide(by=world.regulator_b, document=draft, approve=True)
    hazard = hazard_report(
        by=world.officer_b,
        organization=world.hospital_b,
        data={"title": f"{VICTIM}消防通道堵塞", "location": "x", "category": HazardCategory.objects.get(code="fire")},
    )
    world.extra["exposure_b"] = documents.exposure_propose(by=staff_b, hazard=hazard)


def _document(w) -> dict:
    _documents(w)
    return {"pk": w.extra["document_b"].pk}


def _exposure(w) -> dict:
    _documents(w)
    return {"pk": w.extra["exposure_b"].pk}


ROUTES += [
    Route("oversight:document-list", "scoped"),
    Route("oversight:document-new", "scoped", witness=False),
    Route("oversight:document-detail", "scoped", kwargs=_document),
    Route("oversight:document-decide", "scoped", kwargs=_document, post=True, data=lambda w: {"decision": "approve"}),
    Route("oversight:document-docx", "scoped", kwargs=_document),
    Route("oversight:exposure-public", "public"),
    Route("oversight:exposure-propose", "scoped", witness=False),
    Route("oversight:exposure-decide", "scoped", kwargs=_exposure, post=True, data=lambda w: {"decision": "approve"}),
    Route("oversight:exposure-withdraw", "scoped", kwargs=_exposure, post=True, data=lambda w: {"reason": "x"}),
    Route("oversight:document-received", "scoped"),  # hospital_b receives the victim's circular
    Route("oversight:document-received-detail", "scoped", kwargs=_document),
    Route("oversight:document-received-docx", "scoped", kwargs=_document),
    Route("api:circular-received", "scoped"),
    Route("api:circular-list", "scoped"),
    Route("api:circular-detail", "scoped", kwargs=_document),
]
