"""The training routes for the isolation test (anjian.core.testing.isolation).

``extend_world`` gives hospital_b (the victim) a certificate of its nurse, a fire-control room
shift today, a training session with attendance and a quiz paper (and the nurse's attempt), a
plan, a bank, an emergency plan, a drill with a finding (a hazard), and a post requirement.
Creating routes are posted with a body naming the victim's objects, which an attacker cannot
choose; forms that name nothing of anyone's (a plan's year, a bank's title) are read only."""

from __future__ import annotations

import datetime as dt

from anjian.core.testing.isolation import Route
from anjian.core.testing.world import VICTIM

EMERGENCY = {
    "incident": "火灾",
    "alarm": "报警",
    "isolate": "隔离",
    "rescue": "救援",
    "report": "报告",
    "phones": "119",
}


def _jpeg():
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 60, 60)).save(out, format="JPEG")
    return SimpleUploadedFile("drill.jpg", out.getvalue(), content_type="image/jpeg")


def extend_world(world) -> None:
    from django.utils import timezone

    from anjian.hazards.defaults import ensure_defaults as hazard_defaults
    from anjian.training import services
    from anjian.training.defaults import ensure_defaults
    from anjian.training.models import CertificateKind, TrainingCategory

    if "session_b" in world.extra:
        return
    hazard_defaults()
    ensure_defaults()
    w, today = world, timezone.localdate()
    by = w.officer_b
    fire = CertificateKind.objects.get(code="fire_operator")
    cert = services.certificate_add(
        by=by,
        data={
            "holder": w.staff_b,
            "kind": fire,
            "number": f"{VICTIM}-001",
            "issuer": f"{VICTIM}消防",
            "issued_on": today - dt.timedelta(days=300),
            "expires_on": today + dt.timedelta(days=20),
        },
    )
    shift = services.duty_shift_save(
        by=by, day=today, name="白班", starts_at=dt.time(8), ends_at=dt.time(20), people=[w.staff_b, w.officer_b]
    )
    bank = services.question_bank_create(by=by, title=f"{VICTIM}消防题库")
    services.question_add(by=by, bank=bank, kind="true_false", text=f"{VICTIM}灭火器每月检查", options=[], answer=[0])
    paper = services.paper_create(by=by, bank=bank, data={"title": f"{VICTIM}随堂测验"}, count=1)
    category = TrainingCategory.objects.get(code="fire")
    session = services.training_session_create(
        by=by,
        data={"title": f"{VICTIM}消防培训", "held_on": today, "hours": 2, "category": category, "quiz": paper},
        attendees=[w.staff_b],
    )
    attempt = services.attempt_start(by=w.staff_b, paper=paper, session=session)
    plan = services.training_plan_create(by=by, year=today.year, title=f"{VICTIM}年度培训计划")
    services.training_plan_item_add(
        by=by, plan=plan, data={"topic": f"{VICTIM}消防", "category": category, "month": 3, "hours": 2}
    )
    eplan = services.emergency_plan_create(
        by=by,
        data={
            "kind": "special",
            "title": f"{VICTIM}火灾专项预案",
            "effective_on": today - dt.timedelta(days=30),
            "review_on": today + dt.timedelta(days=300),
        },
    )
    drill = services.drill_record(
        by=by,
        data={"title": f"{VICTIM}消防演练", "held_on": today, "emergency_plan": eplan, "place": f"{VICTIM}住院楼"},
        participants=[w.staff_b],
        findings=[{"description": f"{VICTIM}疏散通道堵塞", "level": "general"}],
    )
    photo = services.drill_add_photo(by=by, drill=drill, image=_jpeg())
    planned = services.drill_plan(
        by=by,
        data={"title": f"{VICTIM}计划演练", "held_on": today, "emergency_plan": eplan, "scenario": f"{VICTIM}情景"},
        participants=[w.staff_b],
    )
    from anjian.risks import services as risk_services

    card = risk_services.post_card_save(
        by=by,
        post=w.post_b,
        data={"duties": f"{VICTIM}职责", "operation_steps": f"{VICTIM}步骤"},
        emergencies=[EMERGENCY],
    )
    services.card_quiz_set(by=by, card=card, paper=paper)
    services.post_requirement_set(by=by, post=w.post_b, kind=fire)
    services.post_requirement_set(by=by, post=w.post_b, category=category)
    w.extra.update(
        cert_b=cert,
        shift_b=shift,
        bank_b=bank,
        paper_b=paper,
        session_b=session,
        attempt_b=attempt,
        tplan_b=plan,
        eplan_b=eplan,
        drill_b=drill,
        planned_b=planned,
        fire_kind=fire,
        photo_b=photo,
        card_b=card,
    )


def _x(name: str):
    def get(w):
        extend_world(w)
        return w.extra[name]

    return get


cert_b, bank_b, paper_b, session_b, attempt_b, tplan_b, eplan_b, drill_b, planned_b = (
    _x(n)
    for n in ("cert_b", "bank_b", "paper_b", "session_b", "attempt_b", "tplan_b", "eplan_b", "drill_b", "planned_b")
)


def _pk(getter):
    return lambda w: {"pk": getter(w).pk}


def _today() -> str:
    from django.utils import timezone

    return timezone.localdate().isoformat()


API_ROUTES = [
    Route(
        "api:training-list",
        "scoped",
        post=True,
        json=True,
        data=lambda w: {"title": "冒名", "held_on": _today(), "hours": "1.0", "attendees": [w.staff_b.pk]},
    ),
    Route("api:training-detail", "scoped", kwargs=_pk(session_b)),
    Route(
        "api:training-void",
        "scoped",
        kwargs=_pk(session_b),
        post=True,
        json=True,
        data=lambda w: {"reason": "冒名作废"},
    ),
    Route("api:person-training", "scoped", kwargs=lambda w: (extend_world(w), {"pk": w.staff_b.pk})[1]),
    Route(
        "api:certificate-list",
        "scoped",
        post=True,
        json=True,
        data=lambda w: {
            "holder": w.staff_b.pk,
            "kind": _x("fire_kind")(w).pk,
            "number": "X-1",
            "issued_on": "2026-01-01",
            "expires_on": "2027-01-01",
        },
    ),
    Route("api:certificate-detail", "scoped", kwargs=_pk(cert_b)),
    Route(
        "api:drill-list",
        "scoped",
        post=True,
        json=True,
        data=lambda w: {"title": "冒名", "held_on": _today(), "emergency_plan": eplan_b(w).pk, "findings": []},
    ),
    Route("api:drill-detail", "scoped", kwargs=_pk(drill_b)),
    Route(
        "api:drill-plan",
        "scoped",
        post=True,
        json=True,
        data=lambda w: {
            "title": "冒名",
            "held_on": _today(),
            "emergency_plan": eplan_b(w).pk,
            "participants": [w.staff_b.pk],
        },
        witness=False,
    ),
    Route(
        "api:drill-record",
        "scoped",
        kwargs=_pk(planned_b),
        post=True,
        json=True,
        data=lambda w: {"held_on": _today(), "findings": [{"description": "冒名", "level": "general"}]},
    ),
    Route("api:drill-cancel", "scoped", kwargs=_pk(planned_b), post=True, json=True, data=lambda w: {"reason": "冒名"}),
    Route("api:emergency-plan-list", "scoped"),
    Route("api:emergency-plan-detail", "scoped", kwargs=_pk(eplan_b)),
    Route("api:exam-paper-list", "scoped"),
    Route("api:exam-paper-detail", "scoped", kwargs=_pk(paper_b)),
    Route("api:exam-attempt-list", "scoped"),
    Route("api:exam-attempt-detail", "scoped", kwargs=_pk(attempt_b)),
    Route(
        "api:exam-paper-void", "scoped", kwargs=_pk(paper_b), post=True, json=True, data=lambda w: {"reason": "冒名"}
    ),
]

PAGE_ROUTES = [
    Route("training:session-list", "scoped"),
    Route(
        "training:session-create",
        "scoped",
        post=True,
        data=lambda w: {"title": "冒名", "held_on": _today(), "hours": "1", "attendees": [w.staff_b.pk]},
        witness=False,
    ),
    Route("training:session-detail", "scoped", kwargs=_pk(session_b)),
    Route(
        "training:session-attend",
        "scoped",
        kwargs=_pk(session_b),
        post=True,
        data=lambda w: {"attendees": [w.staff_b.pk]},
    ),
    Route("training:session-materials", "scoped", kwargs=_pk(session_b), witness=False),
    Route("training:session-void", "scoped", kwargs=_pk(session_b), post=True, data=lambda w: {"reason": "冒名"}),
    Route(
        "training:session-scan", "scoped", kwargs=lambda w: {"code": session_b(w).code}, post=True, data=lambda w: {}
    ),
    Route("training:plan-list", "scoped"),
    Route("training:plan-create", "scoped", witness=False),
    Route("training:plan-detail", "scoped", kwargs=_pk(tplan_b)),
    Route(
        "training:plan-item-add",
        "scoped",
        kwargs=_pk(tplan_b),
        post=True,
        data=lambda w: {"topic": "冒名", "category": 1, "month": 1, "hours": "1"},
    ),
    Route("training:my-file", "self"),
    Route("training:person-file", "scoped", kwargs=lambda w: (extend_world(w), {"pk": w.staff_b.pk})[1]),
    Route("training:person-file-xlsx", "scoped", kwargs=lambda w: (extend_world(w), {"pk": w.staff_b.pk})[1]),
    Route("training:register-xlsx", "scoped"),
    Route("training:rules", "scoped", witness=False),
    Route("training:requirement-list", "scoped"),
    Route(
        "training:requirement-create",
        "scoped",
        post=True,
        data=lambda w: {"post": w.post_b.pk, "kind": _x("fire_kind")(w).pk},
        witness=False,
    ),
    Route("training:certificate-list", "scoped"),
    Route(
        "training:certificate-create",
        "scoped",
        post=True,
        data=lambda w: {
            "holder": w.staff_b.pk,
            "kind": _x("fire_kind")(w).pk,
            "number": "X-2",
            "issued_on": "2026-01-01",
            "expires_on": "2027-01-01",
        },
        witness=False,
    ),
    Route("training:certificate-detail", "scoped", kwargs=_pk(cert_b)),
    Route("training:certificate-scan", "scoped", kwargs=_pk(cert_b), witness=False),
    Route("training:certificate-void", "scoped", kwargs=_pk(cert_b), post=True, data=lambda w: {"reason": "冒名"}),
    Route(
        "training:roster",
        "scoped",
        post=True,
        data=lambda w: {
            "day": _today(),
            "name": "夜班",
            "starts_at": "20:00",
            "ends_at": "08:00",
            "people": [w.staff_b.pk],
        },
    ),
    # the import reads a file of the user's own institution (nobody can name another's people); the
    # confirm with nothing previewed writes nothing
    Route("training:roster-import", "scoped", post=True, data=lambda w: {"confirm": "1"}, witness=False),
    Route("training:roster-template", "scoped"),
    Route("training:overview", "scoped"),
    Route("training:bank-list", "scoped"),
    Route("training:bank-create", "scoped", witness=False),
    Route("training:bank-detail", "scoped", kwargs=_pk(bank_b)),
    Route("training:bank-import", "scoped", kwargs=_pk(bank_b), post=True, data=lambda w: {"confirm": "1"}),
    Route(
        "training:question-add",
        "scoped",
        kwargs=_pk(bank_b),
        post=True,
        data=lambda w: {"kind": "true_false", "text": "冒名", "answer": "正确"},
    ),
    Route(
        "training:paper-create",
        "scoped",
        kwargs=_pk(bank_b),
        post=True,
        data=lambda w: {"title": "冒名", "count": 1, "time_limit_minutes": 5, "pass_mark": 60, "max_attempts": 1},
    ),
    Route("training:paper-list", "scoped"),
    Route("training:paper-detail", "scoped", kwargs=_pk(paper_b)),
    Route("training:paper-void", "scoped", kwargs=_pk(paper_b), post=True, data=lambda w: {"reason": "冒名"}),
    Route(
        "training:card-quiz",
        "scoped",
        post=True,
        data=lambda w: {"card": _x("card_b")(w).pk, "paper": paper_b(w).pk},
    ),
    Route("training:paper-start", "scoped", kwargs=_pk(paper_b), post=True, data=lambda w: {}),
    Route("training:attempt", "scoped", kwargs=_pk(attempt_b), post=True, data=lambda w: {}),
    Route("training:drill-list", "scoped"),
    Route(
        "training:drill-create",
        "scoped",
        post=True,
        data=lambda w: {"title": "冒名", "held_on": _today(), "participants": [w.staff_b.pk]},
        witness=False,
    ),
    Route(
        "training:drill-plan",
        "scoped",
        post=True,
        data=lambda w: {"title": "冒名", "held_on": _today(), "participants": [w.staff_b.pk]},
        witness=False,
    ),
    Route("training:drill-detail", "scoped", kwargs=_pk(drill_b)),
    Route(
        "training:drill-record",
        "scoped",
        kwargs=_pk(planned_b),
        post=True,
        data=lambda w: {"held_on": _today(), "participants": [w.staff_b.pk], "findings": "冒名"},
    ),
    Route("training:drill-cancel", "scoped", kwargs=_pk(planned_b), post=True, data=lambda w: {"reason": "冒名"}),
    Route("training:drill-docx", "scoped", kwargs=_pk(drill_b)),
    Route("training:drill-scan", "scoped", kwargs=lambda w: {"code": drill_b(w).code}, post=True, data=lambda w: {}),
    Route("training:drill-photo-add", "scoped", kwargs=_pk(drill_b), post=True, data=lambda w: {}),
    Route("training:drill-photo", "scoped", kwargs=_pk(_x("photo_b")), witness=False),
    Route(
        "training:drill-finding-add",
        "scoped",
        kwargs=_pk(drill_b),
        post=True,
        data=lambda w: {"description": "冒名", "level": "general"},
    ),
    Route("training:eplan-list", "scoped"),
    Route(
        "training:eplan-create",
        "scoped",
        post=True,
        data=lambda w: {
            "kind": "special",
            "title": "冒名",
            "effective_on": "2026-01-01",
            "review_on": "2027-01-01",
            "posts": [w.post_b.pk],
        },
        witness=False,
    ),
    Route("training:eplan-detail", "scoped", kwargs=_pk(eplan_b)),
    Route(
        "training:eplan-revise",
        "scoped",
        kwargs=_pk(eplan_b),
        post=True,
        data=lambda w: {"effective_on": "2026-01-01", "review_on": "2027-01-01", "note": "冒名"},
    ),
    Route("training:eplan-document", "scoped", kwargs=_pk(eplan_b), witness=False),
]

# Certificate kinds and training categories are the platform's reference data, owned by no one.
SHARED_ROUTES = [
    Route("training:kind-list", "shared"),
    Route("training:kind-create", "shared"),
    Route("training:category-create", "shared"),
]

ROUTES: list[Route] = [*API_ROUTES, *PAGE_ROUTES, *SHARED_ROUTES]
