"""Import of a task table: read and kept as a draft to check, then stored as a plan with its
actions, tasks and assignments."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from anjian.action_plans import parsing
from anjian.action_plans.choices import DraftStatus
from anjian.action_plans.models import ImportDraft, Plan, PlanAction, Task, UnitGroup
from anjian.action_plans.services.checks import own_regulator, require_role
from anjian.action_plans.services.plans import PLAN_FIELDS, assign_units
from anjian.core import audit, uploads
from anjian.core.audit import AuditVerb
from anjian.core.errors import ConflictError, DomainError
from anjian.core.permissions import Action
from anjian.core.services import validated_save
from anjian.core.xlsx import XlsxError
from anjian.orgs.models import Organization


def unit_lookup(regulator: Organization) -> tuple[list[UnitGroup], list[Organization]]:
    groups = list(UnitGroup.objects.all())
    institutions = list(
        Organization.objects.filter(path__startswith=regulator.path, type="institution", is_active=True).only(
            "pk", "name", "short_name"
        )
    )
    return groups, institutions


@transaction.atomic
def plan_import_preview(*, by, file, name: str, organization: Organization | None = None) -> ImportDraft:
    """Read an uploaded task table and keep it as a draft for the user to check; no plan yet."""
    require_role(by, Action.PLAN_MANAGE, _("您的角色不能导入任务清单。"))
    regulator = own_regulator(by, organization)
    if name and uploads.extension(name) != ".xlsx":
        raise XlsxError(_("请上传 .xlsx 格式的 Excel 文件（旧版 .xls 请先另存为 .xlsx）。"), field="file")
    try:  # an xlsx by its content too, before openpyxl reads it
        uploads.check_upload(
            file, name=name or "", allowed=uploads.XLSX_KINDS, max_size=settings.IMPORT_MAX_BYTES, field="file"
        )
    except XlsxError:
        raise
    except DomainError as exc:
        raise XlsxError(exc.message, field="file") from exc
    groups, institutions = unit_lookup(regulator)
    table = parsing.read_task_table(file, name=name, groups=groups, institutions=institutions)
    return ImportDraft.objects.create(
        organization=regulator,
        created_by=by,
        file_name=name[:200],
        layout=table.layout,
        title=table.title[:200],
        parsed=table.as_json(),
    )


def draft_counts(draft: ImportDraft) -> dict[str, int]:
    """How many assignments each task of a draft would get."""
    groups = {g.pk: g for g in UnitGroup.objects.all()}
    base = Organization.objects.filter(path__startswith=draft.organization.path)
    counts = {}
    for task in draft.parsed.get("tasks", []):
        q = Q(pk__in=task["named_units"])
        for gid in task["unit_groups"]:
            if gid in groups:
                q |= groups[gid].institutions_q()
        counts[task["number"]] = base.filter(q).count() if (task["named_units"] or task["unit_groups"]) else 0
    return counts


@transaction.atomic
def plan_import_confirm(
    *,
    by,
    draft: ImportDraft,
    title: str = "",
    document_number: str = "",
    fixes: dict[str, str] | None = None,
) -> Plan:
    """Store the draft as a plan with its actions, tasks and one assignment per task × unit.

    ``fixes`` maps a task's 序号 to a corrected deadline text; a deadline still not understood is
    stored empty and marked 时限待确认, with the original text kept."""
    require_role(by, Action.PLAN_MANAGE, _("您的角色不能导入任务清单。"))
    draft = ImportDraft.objects.select_for_update().get(pk=draft.pk)
    if draft.status != DraftStatus.PENDING:
        raise ConflictError(_("这份导入已经确认过了。"))
    regulator = own_regulator(by, draft.organization)
    parsed = draft.parsed
    fixes = {str(k): v for k, v in (fixes or {}).items() if str(v).strip()}
    for number, text in fixes.items():
        if parsing.parse_deadline(text, year=parsed.get("year")).problem:
            raise DomainError(
                _("序号%(n)s的完成时限“%(t)s”仍无法识别，请填写如“2024年12月前”或“长期坚持”。")
                % {"n": number, "t": text},
                field="fixes",
            )
    title = (title or parsed.get("title") or draft.file_name).strip()[:200]
    years = [int(t["deadline"][:4]) for t in parsed["tasks"] if t.get("deadline")]
    plan = Plan(
        organization=regulator,
        title=title,
        document_number=document_number.strip(),
        start_year=parsed.get("year") or (min(years) if years else None),
        end_year=max(years) if years else parsed.get("year"),
        source_name=draft.file_name,
        created_by=by,
    )
    validated_save(plan)
    actions: dict[str, PlanAction] = {}
    groups = {g.pk: g for g in UnitGroup.objects.all()}
    for order, item in enumerate(parsed["tasks"], start=1):
        action = None
        if item.get("action"):
            action = actions.get(item["action"])
            if action is None:
                action = PlanAction.objects.create(plan=plan, number=len(actions) + 1, title=item["action"][:200])
                actions[item["action"]] = action
        deadline_text = fixes.get(item["number"], item["deadline_text"])
        parsed_deadline = parsing.parse_deadline(deadline_text, year=parsed.get("year"))
        task = Task.objects.create(
            plan=plan,
            action=action,
            number=item["number"][:20],
            sort_order=order,
            title=item.get("title", "")[:200],
            content=item["content"] or item.get("title", ""),
            targets=item.get("targets") or {},
            lead_offices=item["offices"],
            units_text=item["units_text"],
            unmatched_units=item["unmatched_units"],
            cooperating_text=item["cooperating"],
            deadline=parsed_deadline.date,
            deadline_text=deadline_text[:100],
            is_standing=parsed_deadline.standing,
            rhythm=parsed_deadline.rhythm,
            deadline_unclear=bool(parsed_deadline.problem),
            result_form=item.get("result_form", "")[:200],
        )
        task.unit_groups.set([groups[g] for g in item["unit_groups"] if g in groups])
        task.named_units.set(Organization.objects.filter(pk__in=item["named_units"], path__startswith=regulator.path))
        assign_units(task=task)
    draft.status = DraftStatus.CONFIRMED
    draft.plan = plan
    draft.save(update_fields=["status", "plan"])
    audit.record(
        actor=by,
        verb=AuditVerb.PLAN_IMPORTED,
        target=plan,
        changes=audit.diff({}, {**audit.snapshot(plan, PLAN_FIELDS), "任务数": len(parsed["tasks"])}),
        note=draft.file_name,
    )
    return plan
