"""Plans and their tasks: created by hand, edited one by one or many at once (a regulator's day),
withdrawn; each task assigned to the units it names."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from anjian.action_plans import parsing
from anjian.action_plans.models import Assignment, Plan, PlanAction, Task
from anjian.action_plans.rules import jurisdiction_institutions
from anjian.action_plans.services.checks import own_regulator, require_role
from anjian.core import audit, uploads
from anjian.core.audit import AuditVerb
from anjian.core.errors import DomainError
from anjian.core.permissions import Action
from anjian.core.services import create_with_audit, update_with_audit, validated_save
from anjian.orgs.models import Organization

PLAN_FIELDS = ["title", "document_number", "issued_on", "start_year", "end_year"]


@transaction.atomic
def plan_create(*, by, data: dict[str, Any], organization: Organization | None = None) -> Plan:
    require_role(by, Action.PLAN_MANAGE, _("您的角色不能新建任务清单。"))
    regulator = own_regulator(by, organization)
    plan = Plan(organization=regulator, created_by=by, **{k: v for k, v in data.items() if k in PLAN_FIELDS})
    if data.get("document"):
        uploads.check_upload(data["document"], field="document")
        plan.document = data["document"]
    return create_with_audit(plan, by=by, verb=AuditVerb.PLAN_CREATED, fields=PLAN_FIELDS)


@transaction.atomic
def plan_update(*, by, plan: Plan, data: dict[str, Any]) -> Plan:
    require_role(by, Action.PLAN_MANAGE, _("您的角色不能修改任务清单。"))
    own_regulator(by, plan.organization)
    document = data.pop("document", None)
    if document:
        uploads.check_upload(document, field="document")
        plan.document = document
        plan.save(update_fields=["document"])
    return update_with_audit(plan, by=by, verb=AuditVerb.PLAN_UPDATED, data=data, fields=PLAN_FIELDS)


@transaction.atomic
def plan_set_active(*, by, plan: Plan, active: bool, note: str = "") -> Plan:
    """Withdraw a plan (停用: off the lists and 我的任务, kept with its history) or restore it."""
    from anjian.core.services import set_active_with_audit

    require_role(by, Action.PLAN_MANAGE, _("您的角色不能停用任务清单。"))
    own_regulator(by, plan.organization)
    return set_active_with_audit(
        plan, by=by, active=active, verbs=(AuditVerb.PLAN_UPDATED, AuditVerb.PLAN_UPDATED), note=note
    )


TASK_FIELDS = ["title", "content", "measures", "deadline", "is_standing", "result_form", "cooperating_text", "notes"]


@transaction.atomic
def task_update(*, by, task: Task, data: dict[str, Any]) -> Task:
    """Edit a task (a deadline the import could not read, say); fixing the deadline clears the flag."""
    require_role(by, Action.PLAN_MANAGE, _("您的角色不能修改任务。"))
    own_regulator(by, task.plan.organization)
    if "deadline" in data or "is_standing" in data:
        deadline = data.get("deadline", task.deadline)
        standing = data.get("is_standing", task.is_standing)
        if deadline is None and not standing:
            raise DomainError(_("请填写完成时限，或勾选“长期坚持”。"), field="deadline")
        task.deadline_unclear = False
        task.save(update_fields=["deadline_unclear"])
    update_with_audit(task, by=by, verb=AuditVerb.TASK_UPDATED, data=data, fields=TASK_FIELDS)
    return task


@transaction.atomic
def task_create(
    *, by, plan: Plan, data: dict[str, Any], action_title: str = "", unit_groups=(), named_units=()
) -> Task:
    """Add a task by hand (a plan typed in rather than imported) and assign it to its units."""
    require_role(by, Action.PLAN_MANAGE, _("您的角色不能新增任务。"))
    regulator = own_regulator(by, plan.organization)
    content = (data.get("content") or "").strip()
    if not content:
        raise DomainError(_("请填写任务内容。"), field="content")
    if data.get("deadline") is None and not data.get("is_standing"):
        raise DomainError(_("请填写完成时限，或勾选“长期坚持”。"), field="deadline")
    if not unit_groups and not named_units:
        raise DomainError(_("请选择责任单位。"), field="unit_groups")
    action = None
    if action_title.strip():
        action = PlanAction.objects.filter(plan=plan, title=action_title.strip()).first()
        if action is None:
            number = (plan.actions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
            action = PlanAction.objects.create(plan=plan, number=number, title=action_title.strip()[:200])
    last = plan.tasks.order_by("-sort_order").values_list("sort_order", flat=True).first() or 0
    task = Task(
        plan=plan,
        action=action,
        number=str(data.get("number") or plan.tasks.count() + 1)[:20],
        sort_order=last + 1,
        title=(data.get("title") or "")[:200],
        content=content,
        lead_offices=parsing.split_names(data.get("offices", "")),
        units_text="、".join([g.name for g in unit_groups] + [o.name for o in named_units]),
        cooperating_text=data.get("cooperating_text", ""),
        deadline=data.get("deadline"),
        is_standing=bool(data.get("is_standing")),
        result_form=data.get("result_form", ""),
    )
    validated_save(task)
    task.unit_groups.set(unit_groups)
    task.named_units.set([o for o in named_units if o.path.startswith(regulator.path)])
    count = assign_units(task=task)
    audit.record(
        actor=by,
        verb=AuditVerb.TASK_UPDATED,
        target=task,
        changes=audit.diff({}, {**audit.snapshot(task, TASK_FIELDS), "分派单位数": count}),
        note=_("新增任务"),
    )
    return task


def units_for(task: Task) -> list[Organization]:
    regulator = task.plan.organization
    q = Q(pk__in=[o.pk for o in task.named_units.all()])
    for group in task.unit_groups.all():
        q |= group.institutions_q()
    return list(jurisdiction_institutions(regulator).filter(q).order_by("path"))


def assign_units(*, task: Task) -> int:
    """One assignment per responsible unit of the task (existing ones kept). Called inside services."""
    existing = set(task.assignments.values_list("organization_id", flat=True))
    new = [Assignment(task=task, organization=org) for org in units_for(task) if org.pk not in existing]
    Assignment.objects.bulk_create(new)
    return len(new)


# --- bulk changes (a regulator's day: many tasks at once) ----------------------------------------
BULK_TASK_FIELDS = [*TASK_FIELDS, "lead_offices"]


@transaction.atomic
def task_bulk_update(
    *,
    by,
    plan: Plan,
    tasks,
    deadline: dt.date | None = None,
    standing: str = "",
    offices: str = "",
    offices_mode: str = "replace",
    result_form: str = "",
) -> int:
    """Set a deadline, the standing flag, the lead offices or the result form of many tasks of one
    plan at once; each task changed gets its own audit event. ``standing``: "set", "clear" or ""
    (leave); ``offices_mode``: "replace" or "add". All or nothing: a task that would be left with
    neither a deadline nor "长期坚持" stops the whole change. Returns how many tasks changed."""
    require_role(by, Action.PLAN_MANAGE, _("您的角色不能修改任务。"))
    own_regulator(by, plan.organization)
    ids = [t.pk for t in tasks]
    if not ids:
        raise DomainError(_("请至少勾选一项任务。"), field="tasks")
    office_list = parsing.split_names(offices) if offices.strip() else []
    result_form = (result_form or "").strip()[:200]
    if deadline is None and standing not in ("set", "clear") and not office_list and not result_form:
        raise DomainError(_("请填写要批量修改的内容（完成时限、长期坚持、责任处室或成果形式）。"))
    locked = list(Task.objects.select_for_update().filter(pk__in=ids, plan=plan).order_by("sort_order", "pk"))
    if len(locked) != len(set(ids)):
        raise DomainError(_("所选任务不属于本清单。"), field="tasks")
    changed = 0
    for task in locked:
        data: dict[str, Any] = {}
        if deadline is not None:
            data["deadline"] = deadline
        if standing == "set":
            data["is_standing"] = True
        elif standing == "clear":
            data["is_standing"] = False
        if office_list:
            if offices_mode == "add":
                data["lead_offices"] = task.lead_offices + [o for o in office_list if o not in task.lead_offices]
            else:
                data["lead_offices"] = office_list
        if result_form:
            data["result_form"] = result_form
        if data.get("deadline", task.deadline) is None and not data.get("is_standing", task.is_standing):
            raise DomainError(
                _("任务%(n)s将既无完成时限也非长期坚持，请同时填写完成时限。") % {"n": task.number}, field="deadline"
            )
        before = audit.snapshot(task, list(data))
        if ("deadline" in data or "is_standing" in data) and task.deadline_unclear:
            task.deadline_unclear = False
            task.save(update_fields=["deadline_unclear"])
        update_with_audit(
            task, by=by, verb=AuditVerb.TASK_UPDATED, data=data, fields=BULK_TASK_FIELDS, note=_("批量修改")
        )
        if audit.diff(before, audit.snapshot(task, list(data))):
            changed += 1
    return changed
