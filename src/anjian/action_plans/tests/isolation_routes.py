"""The action-plans routes for the isolation test (anjian.core.testing.isolation).

``extend_world`` gives district_b (the victim's regulator) a plan with one task assigned to
hospital_b, a progress report with an attachment, a pending import, and a monthly report that
hospital_b has submitted. Every route that changes something is posted by each attacker with a
body that would work for the victim's side, and must be refused with nothing changed.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from anjian.core.testing.isolation import Route
from anjian.core.testing.world import VICTIM


def extend_world(world) -> None:
    from anjian.action_plans import services
    from anjian.action_plans.defaults import ensure_defaults
    from anjian.action_plans.models import ImportDraft, Plan, PlanAction, Task, UnitGroup
    from anjian.action_plans.tests.helpers import seed_003_xlsx

    if "plan_b" in world.extra:
        return
    ensure_defaults()
    plan = Plan.objects.create(
        organization=world.district_b, title=f"{VICTIM}三年行动方案", document_number="乙卫〔2024〕1号"
    )
    plan.document.save("victim.txt", ContentFile(f"{VICTIM}方案原文".encode()), save=True)
    action = PlanAction.objects.create(plan=plan, number=1, title=f"{VICTIM}安全素养提升行动")
    task = Task.objects.create(
        plan=plan,
        action=action,
        number="1",
        sort_order=1,
        content=f"{VICTIM}组织全员安全培训",
        units_text="局属各单位",
        deadline=dt.date(2020, 12, 31),
    )
    task.named_units.add(world.hospital_b)
    services.assign_units(task=task)
    assignment = task.assignments.get()
    report = services.progress_report(
        by=world.officer_b,
        assignment=assignment,
        text=f"{VICTIM}已完成第一轮培训",
        claims_done=True,  # awaiting review: the bulk review queue of district_b shows it
        attachments=[
            SimpleUploadedFile("victim.pdf", f"%PDF-1.4\n{VICTIM}\n%%EOF".encode(), content_type="application/pdf")
        ],
    )
    draft = ImportDraft.objects.create(
        organization=world.district_b,
        created_by=world.regulator_b,
        file_name=f"{VICTIM}.xlsx",
        title=f"{VICTIM}清单",
        parsed={"title": f"{VICTIM}清单", "year": 2024, "tasks": [], "problems": []},
    )
    definition = services.report_definition_create(
        by=world.regulator_b,
        organization=world.district_b,
        data={"name": f"{VICTIM}月报", "fields": [{"name": "text", "label": "情况", "type": "text"}], "due_day": 25},
        unit_groups=list(UnitGroup.objects.filter(all_institutions=True)),
    )
    period = dt.date(2025, 5, 1)
    submission = services.submission_save(
        by=world.officer_b, definition=definition, period=period, values={"text": f"{VICTIM}本月情况"}, submit=True
    )
    world.extra.update(
        plan_b=plan,
        task_b=task,
        assignment_b=assignment,
        attachment_b=report.attachments.get(),
        draft_b=draft,
        definition_b=definition,
        submission_b=submission,
        seed_xlsx=seed_003_xlsx,
    )


def _first_group() -> int:
    from anjian.action_plans.defaults import ensure_defaults
    from anjian.action_plans.models import UnitGroup

    ensure_defaults()
    return UnitGroup.objects.order_by("pk").values_list("pk", flat=True)[0]


def _x(name: str):
    def kwargs(w) -> dict:
        extend_world(w)
        return {"pk": w.extra[name].pk}

    return kwargs


def _xlsx(w):
    return SimpleUploadedFile("t.xlsx", w.extra["seed_xlsx"]().read())


PAGE_ROUTES = [
    Route("action_plans:plan-list", "scoped", query="?q=三年"),
    Route("action_plans:plan-import", "scoped", witness=False),
    Route("action_plans:plan-create", "scoped", witness=False),
    Route(
        "action_plans:task-create",
        "scoped",
        kwargs=_x("plan_b"),
        post=True,
        data=lambda w: {"content": "冒名任务", "is_standing": "on", "named_units": [w.hospital_b.pk]},
    ),
    Route(
        "action_plans:task-bulk-edit",
        "scoped",
        kwargs=_x("plan_b"),
        post=True,
        data=lambda w: {"tasks": [w.extra["task_b"].pk], "result_form": "冒名成果", "offices_mode": "replace"},
    ),
    Route(
        "action_plans:assignment-bulk-review",
        "scoped",
        post=True,
        data=lambda w: {"assignments": [_x("assignment_b")(w)["pk"]], "decision": "accept", "comment": ""},
    ),
    Route("action_plans:plan-import-template", "shared"),
    Route(
        "action_plans:plan-import-preview",
        "scoped",
        kwargs=_x("draft_b"),
        post=True,
        data=lambda w: {"title": "冒名导入", "document_number": ""},
    ),
    Route("action_plans:plan-detail", "scoped", kwargs=_x("plan_b")),
    Route("action_plans:plan-edit", "scoped", kwargs=_x("plan_b"), post=True, data=lambda w: {"title": "改名"}),
    Route("action_plans:plan-deactivate", "scoped", kwargs=_x("plan_b"), post=True, data=lambda w: {"note": "x"}),
    Route("action_plans:plan-reactivate", "scoped", kwargs=_x("plan_b"), post=True, data=lambda w: {"note": "x"}),
    Route("action_plans:plan-matrix", "scoped", kwargs=_x("plan_b")),
    Route("action_plans:plan-matrix-export", "scoped", kwargs=_x("plan_b")),
    Route("action_plans:plan-timeline", "scoped", kwargs=_x("plan_b")),
    Route("action_plans:plan-export", "scoped", kwargs=_x("plan_b")),
    Route("action_plans:plan-document", "scoped", kwargs=_x("plan_b")),
    Route("action_plans:task-detail", "scoped", kwargs=_x("task_b")),
    Route("action_plans:task-edit", "scoped", kwargs=_x("task_b"), post=True, data=lambda w: {"content": "改"}),
    Route("action_plans:assignment-list", "scoped", query="?q=培训"),
    Route("action_plans:assignment-detail", "scoped", kwargs=_x("assignment_b")),
    Route(
        "action_plans:assignment-report",
        "scoped",
        kwargs=_x("assignment_b"),
        post=True,
        data=lambda w: {"text": "冒名报告", "reported_on": "2025-01-01"},
    ),
    Route(
        "action_plans:assignment-review",
        "scoped",
        kwargs=_x("assignment_b"),
        post=True,
        data=lambda w: {"decision": "accept", "comment": ""},
    ),
    Route("action_plans:attachment", "scoped", kwargs=_x("attachment_b")),
    Route("action_plans:unit-detail", "scoped", kwargs=lambda w: {"pk": w.hospital_b.pk}),
    Route("action_plans:report-list", "scoped"),
    # unit groups are the platform's shared vocabulary, owned by no organization
    Route("action_plans:unit-group-list", "shared"),
    Route("action_plans:unit-group-create", "shared"),
    Route("action_plans:unit-group-edit", "shared", kwargs=lambda w: {"pk": _first_group()}),
    Route("action_plans:report-create", "scoped", witness=False),
    Route("action_plans:report-detail", "scoped", kwargs=_x("definition_b"), query="?period=2025-05"),
    Route("action_plans:report-edit", "scoped", kwargs=_x("definition_b"), post=True, data=lambda w: {"name": "改"}),
    Route(
        "action_plans:report-fill",
        "scoped",
        kwargs=_x("definition_b"),
        query="?period=2025-06",
        post=True,
        data=lambda w: {"text": "冒名", "submit": "1"},
    ),
    Route("action_plans:report-export", "scoped", kwargs=_x("definition_b"), query="?period=2025-05"),
    Route("action_plans:submission-detail", "scoped", kwargs=_x("submission_b")),
]

API_ROUTES = [
    Route("api:plan-list", "scoped", query="?q=三年"),
    Route("api:plan-detail", "scoped", kwargs=_x("plan_b")),
    Route("api:plan-tasks", "scoped", kwargs=_x("plan_b")),
    Route("api:plan-import-preview", "scoped", witness=False),
    Route(
        "api:plan-import-confirm",
        "scoped",
        kwargs=lambda w: {"draft_id": _x("draft_b")(w)["pk"]},
        post=True,
        data=lambda w: {"title": "冒名"},
        json=True,
    ),
    Route("api:plan-task-list", "scoped"),
    Route("api:plan-task-detail", "scoped", kwargs=_x("task_b")),
    Route("api:assignment-list", "scoped"),
    Route("api:assignment-detail", "scoped", kwargs=_x("assignment_b")),
    Route(
        "api:assignment-progress",
        "scoped",
        kwargs=_x("assignment_b"),
        post=True,
        data=lambda w: {"text": "冒名报告"},
        json=True,
    ),
    Route(
        "api:assignment-review",
        "scoped",
        kwargs=_x("assignment_b"),
        post=True,
        data=lambda w: {"accept": True},
        json=True,
    ),
    Route("api:progress-report-list", "scoped"),
    Route(
        "api:progress-report-detail",
        "scoped",
        kwargs=lambda w: {"pk": _x("attachment_b")(w) and w.extra["attachment_b"].report_id},
    ),
    Route("api:report-definition-list", "scoped"),
    Route("api:report-definition-detail", "scoped", kwargs=_x("definition_b")),
    Route("api:report-definition-prefill", "scoped", kwargs=_x("definition_b"), query="?period=2025-06-01"),
    Route(
        "api:report-submission-list",
        "scoped",
        post=True,
        data=lambda w: {"definition": w.extra["definition_b"].pk, "period": "2025-06-01", "values": {"text": "冒名"}},
        json=True,
    ),
    Route("api:report-submission-detail", "scoped", kwargs=_x("submission_b")),
]

ROUTES: list[Route] = [*PAGE_ROUTES, *API_ROUTES]
