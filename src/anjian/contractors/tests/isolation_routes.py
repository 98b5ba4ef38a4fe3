"""The contractors routes for the isolation test (anjian.core.testing.isolation).

``extend_world`` gives hospital_b (the victim) a contractor with an agreement (a file), a
certificate, a worker and an evaluation; a work permit waiting for approval and one closed with a
site photo. Creating routes are posted with a body naming the victim's objects (or incomplete),
which an attacker's service refuses without writing anything."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from anjian.core.testing.isolation import Route
from anjian.core.testing.world import VICTIM


def extend_world(world) -> None:
    from anjian.contractors import services
    from anjian.contractors.tests.helpers import ID_NUMBERS, jpeg, kind, pdf
    from anjian.core.roles import Role
    from anjian.core.testing import factories as f
    from anjian.core.testing.factories import credit_code

    if "contractor_b" in world.extra:
        return
    w = world
    today = timezone.localdate()
    head_b = f.make_user(
        organization=w.hospital_b, role=Role.DEPARTMENT_HEAD, username="contractors_dh_b", department=w.dept_b
    )
    contractor = services.contractor_create(
        by=w.officer_b,
        data={"name": f"{VICTIM}建安公司", "credit_code": credit_code(8801), "services": f"{VICTIM}基建"},
    )
    agreement = services.agreement_add(
        by=w.officer_b,
        contractor=contractor,
        data={
            "title": f"{VICTIM}安全协议",
            "starts_on": today - dt.timedelta(days=10),
            "ends_on": today + dt.timedelta(days=300),
            "institution_signatory": "乙院长",
            "contractor_signatory": "乙经理",
        },
        file=pdf(),
    )
    qualification = services.qualification_add(
        by=w.officer_b,
        contractor=contractor,
        data={"name": f"{VICTIM}资质", "expires_on": today + dt.timedelta(days=9)},
    )
    worker = services.worker_add(
        by=w.officer_b,
        contractor=contractor,
        data={"name": f"{VICTIM}焊工", "id_number": ID_NUMBERS[2], "briefed_on": today},
    )
    services.contractor_evaluate(by=w.officer_b, contractor=contractor, job=f"{VICTIM}维修", score=90)
    now = timezone.now()
    height = kind("height")

    def permit():
        return services.permit_create(
            by=w.staff_b,
            data={
                "kind": height,
                "location": f"{VICTIM}外墙",
                "department": w.dept_b,
                "contractor": contractor,
                "planned_start": now - dt.timedelta(minutes=30),
                "planned_end": now + dt.timedelta(hours=5),
                "measures": f"{VICTIM}系安全带",
                "guardian": w.officer_b,
            },
            workers=[worker],
        )

    waiting = services.permit_submit(permit=permit(), by=w.staff_b)
    closed = services.permit_submit(permit=permit(), by=w.staff_b)
    closed = services.permit_approve(permit=closed, by=head_b)
    closed = services.permit_approve(permit=closed, by=w.officer_b)
    closed = services.permit_start(permit=closed, by=w.officer_b, checks=list(range(len(height.checks))))
    closed = services.permit_close(permit=closed, by=w.officer_b, note=f"{VICTIM}完工", photos=[jpeg()])
    w.extra.update(
        contractor_b=contractor,
        agreement_b=agreement,
        qualification_b=qualification,
        worker_b=worker,
        permit_b=waiting,
        permit_closed_b=closed,
        photo_b=closed.photos.first(),
    )


def _x(name: str):
    def get(w):
        extend_world(w)
        return w.extra[name]

    return get


contractor_b, agreement_b, qualification_b, worker_b, permit_b, photo_b = (
    _x(n) for n in ("contractor_b", "agreement_b", "qualification_b", "worker_b", "permit_b", "photo_b")
)


def _pk(getter):
    return lambda w: {"pk": getter(w).pk}


def _act(action: str):
    return lambda w: {"pk": permit_b(w).pk, "action": action}


def _permit_body(w) -> dict:
    now = timezone.now()
    return {
        "kind": "height",
        "location": "冒名",
        "contractor": contractor_b(w).pk,
        "planned_start": now.isoformat(),
        "planned_end": (now + dt.timedelta(hours=2)).isoformat(),
        "measures": "冒名",
    }


API_ROUTES = [
    Route(
        "api:contractor-list",
        "scoped",
        query="?q=乙方",
        post=True,
        json=True,
        data=lambda w: {"name": "冒名", "credit_code": "bad", "services": "x"},
    ),
    Route("api:contractor-detail", "scoped", kwargs=_pk(contractor_b)),
    Route(
        "api:contractor-workers",
        "scoped",
        kwargs=_pk(contractor_b),
        post=True,
        json=True,
        data=lambda w: {"name": "冒名", "id_number": "110101199003071234"},
    ),
    Route(
        "api:contractor-qualifications",
        "scoped",
        kwargs=_pk(contractor_b),
        post=True,
        json=True,
        data=lambda w: {"name": "冒名资质", "expires_on": "2030-01-01"},
    ),
    Route("api:contractor-qualification-list", "scoped", query="?active=true"),
    Route("api:contractor-qualification-detail", "scoped", kwargs=_pk(qualification_b)),
    Route(
        "api:contractor-qualification-retire",
        "scoped",
        kwargs=_pk(qualification_b),
        post=True,
        json=True,
        data=lambda w: {"reason": "冒名"},
    ),
    Route("api:work-permit-kind-list", "shared"),
    Route("api:work-permit-kind-detail", "shared", kwargs=lambda w: {"pk": 1}),
    Route("api:work-permit-list", "scoped", post=True, json=True, data=_permit_body),
    Route("api:work-permit-detail", "scoped", kwargs=_pk(permit_b)),
    *[
        Route(
            f"api:work-permit-{a}", "scoped", kwargs=_pk(permit_b), post=True, json=True, data=lambda w, body=body: body
        )
        for a, body in (
            ("submit", {}),
            ("approve", {"comment": "x"}),
            ("reject", {"reason": "x"}),
            ("cancel", {"reason": "x"}),
            ("start", {"checks": [0, 1, 2, 3, 4]}),
            ("suspend", {"reason": "x"}),
            ("resume", {}),
            ("close", {"note": "x"}),
        )
    ],
    Route(
        "api:work-permit-gas-tests",
        "scoped",
        kwargs=_pk(permit_b),
        post=True,
        json=True,
        data=lambda w: {"oxygen_percent": "20.9", "combustible_lel_percent": "0", "passed": True, "tester_name": "x"},
    ),
]

PAGE_ROUTES = [
    Route("contractors:contractor-list", "scoped", query="?q=乙方"),
    Route("contractors:contractor-create", "scoped", post=True, data=lambda w: {"name": "冒名"}, witness=False),
    Route("contractors:contractor-detail", "scoped", kwargs=_pk(contractor_b)),
    Route(
        "contractors:contractor-edit",
        "scoped",
        kwargs=_pk(contractor_b),
        post=True,
        data=lambda w: {"name": "改名", "credit_code": contractor_b(w).credit_code, "services": "x"},
    ),
    Route(
        "contractors:contractor-deactivate", "scoped", kwargs=_pk(contractor_b), post=True, data=lambda w: {"note": "x"}
    ),
    Route(
        "contractors:contractor-reactivate", "scoped", kwargs=_pk(contractor_b), post=True, data=lambda w: {"note": "x"}
    ),
    Route(
        "contractors:qualification-add",
        "scoped",
        kwargs=_pk(contractor_b),
        post=True,
        data=lambda w: {"name": "冒名", "expires_on": "2030-01-01"},
    ),
    Route(
        "contractors:qualification-retire",
        "scoped",
        kwargs=_pk(qualification_b),
        post=True,
        data=lambda w: {"reason": "冒名"},
    ),
    Route(
        "contractors:agreement-add",
        "scoped",
        kwargs=_pk(contractor_b),
        post=True,
        data=lambda w: {
            "title": "冒名",
            "starts_on": "2026-01-01",
            "ends_on": "2030-01-01",
            "institution_signatory": "a",
            "contractor_signatory": "b",
        },
    ),
    Route("contractors:agreement-file", "scoped", kwargs=_pk(agreement_b)),
    Route(
        "contractors:worker-add",
        "scoped",
        kwargs=_pk(contractor_b),
        post=True,
        data=lambda w: {"name": "冒名", "id_number": "110101199003071234"},
    ),
    Route("contractors:worker-export", "scoped"),
    Route("contractors:worker-edit", "scoped", kwargs=_pk(worker_b), post=True, data=lambda w: {"work_type": "改"}),
    Route(
        "contractors:evaluation-add",
        "scoped",
        kwargs=_pk(contractor_b),
        post=True,
        data=lambda w: {"job": "冒名", "score": "10"},
    ),
    Route("contractors:permit-list", "scoped", query="?q=乙方"),
    Route(
        "contractors:permit-create",
        "scoped",
        post=True,
        data=lambda w: {**_permit_body(w), "kind": 1, "department": w.dept_b.pk},
        witness=False,
    ),
    Route("contractors:permit-detail", "scoped", kwargs=_pk(permit_b)),
    Route(
        "contractors:permit-hazard",
        "scoped",
        kwargs=_pk(permit_b),
        post=True,
        data=lambda w: {"title": "冒名隐患", "category": 1},
    ),
    Route("contractors:permit-print", "scoped", kwargs=_pk(permit_b)),
    Route("contractors:permit-action", "scoped", kwargs=_act("approve"), post=True, data=lambda w: {"comment": "x"}),
    Route("contractors:permit-photo", "scoped", kwargs=_pk(photo_b)),
    Route("contractors:permit-photo-thumb", "scoped", kwargs=_pk(photo_b)),
]

# The kinds of work are the platform's reference data, owned by no organization.
SHARED_ROUTES = [
    Route("contractors:kind-list", "shared"),
    Route("contractors:kind-edit", "shared", kwargs=lambda w: {"pk": 1}),
]

ROUTES: list[Route] = [*API_ROUTES, *PAGE_ROUTES, *SHARED_ROUTES]
