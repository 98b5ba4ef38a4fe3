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
from anjian.action_plans.rules import jurisdiction_institutions
from anjian.action_plans.services.checks import own_regulator, require_role
from anjian.action_plans.services.plans import PLAN_FIELDS, assign_units
from anjian.core import audit, uploads
from anjian.core.audit import AuditVerb
from anjian.core.errors import ConflictError, DomainError
from anjian.core.permissions import Action
from anjian.core.services import validated_save
from anjian.core.xlsx import XlsxError
from anjian.orgs.models import Department, Organization


def unit_lookup(regulator: Organization) -> tuple[list[UnitGroup], list[Organization]]:
    groups = list(UnitGroup.objects.all())
    institutions = list(jurisdiction_institutions(regulator).only("pk", "name", "short_name"))
    return groups, institutions


def _checks(regulator: Organization) -> dict:
    """What the parser checks a table against: the unit groups, the jurisdiction's institutions,
    the regulator's own offices (科室, when it keeps a list) and the institutions elsewhere."""
    groups, institutions = unit_lookup(regulator)
    offices = list(Department.objects.filter(organization=regulator, is_active=True).values_list("name", flat=True))

    def outside(names: list[str]) -> list[Organization]:
        return list(
            Organization.objects.filter(Q(name__in=names) | Q(short_name__in=names), type="institution")
            .exclude(path__startswith=regulator.path)
            .only("pk", "name", "short_name")
        )

    return {"groups": groups, "institutions": institutions, "offices": offices, "outside": outside}


IMPORT_KINDS = ("xlsx", "docx")


@transaction.atomic
def plan_import_preview(*, by, file, name: str, organization: Organization | None = None) -> ImportDraft:
    """Read an uploaded task table (xlsx, or the table of a docx) and keep it as a draft for the
    user to check; no plan yet."""
    require_role(by, Action.PLAN_MANAGE, _("您的角色不能导入任务清单。"))
    regulator = own_regulator(by, organization)
    parsing.file_kind(name)  # .doc/.wps/.xls: what to do, before anything is read
    try:  # the kind by its content too, before openpyxl or python-docx reads it
        uploads.check_upload(
            file, name=name or "", allowed=IMPORT_KINDS, max_size=settings.IMPORT_MAX_BYTES, field="file"
        )
    except XlsxError:
        raise
    except DomainError as exc:
        raise XlsxError(exc.message, field="file") from exc
    table = parsing.read_task_table(file, name=name, **_checks(regulator))
    return ImportDraft.objects.create(
        organization=regulator,
        created_by=by,
        file_name=name[:200],
        layout=table.layout,
        title=table.title[:200],
        parsed=table.as_json(),
    )


@transaction.atomic
def plan_import_remap(*, by, draft: ImportDraft, roles: dict) -> ImportDraft:
    """Read a draft's table again with the columns' meanings as the user corrected them (the
    header words guessed wrong): ``roles`` maps a column's index to a field ("" to leave it out).
    Only the draft changes (no plan yet), as with the upload itself: nothing to audit."""
    require_role(by, Action.PLAN_MANAGE, _("您的角色不能导入任务清单。"))
    draft = ImportDraft.objects.select_for_update().get(pk=draft.pk)
    if draft.status != DraftStatus.PENDING:
        raise ConflictError(_("这份导入已经确认过了。"))
    regulator = own_regulator(by, draft.organization)
    if not draft.parsed.get("source"):
        raise DomainError(_("这份导入是旧版读取的，请重新上传后再调整列。"), field="columns")
    width = max((len(row) for row in draft.parsed["source"].get("rows") or []), default=0)
    roles = {_column_index(k, width): v for k, v in roles.items() if v}
    unknown = {v for v in roles.values() if v not in parsing.FIELDS}
    if unknown:
        raise DomainError(_("不认识的列含义：%(f)s") % {"f": "、".join(sorted(unknown))}, field="columns")
    if list(roles.values()).count("number") > 1:
        raise DomainError(_("只能有一列是序号。"), field="columns")
    if "content" not in roles.values():
        raise DomainError(_("请指定哪一列是任务内容。"), field="columns")
    parsed = parsing.reparse(draft.parsed, roles=roles, **_checks(regulator))
    for key in ("title", "document_number"):  # what the user may have read differently stays as read
        parsed[key] = draft.parsed.get(key, parsed[key])
    draft.parsed = parsed
    draft.layout = parsed["layout"]
    draft.save(update_fields=["parsed", "layout"])
    return draft


def _column_index(key, width: int) -> int:
    """A column's index as the user sent it ("3"): one of the table's columns, else refused."""
    try:
        index = int(str(key).strip())
    except ValueError:
        index = -1
    if not 0 <= index < width:
        raise DomainError(_("表格中没有第“%(k)s”列。") % {"k": str(key)[:20]}, field="columns")
    return index


def draft_counts(draft: ImportDraft) -> dict[str, int]:
    """How many assignments each task of a draft would get (none for a heading: its sub-tasks are assigned)."""
    groups = {g.pk: g for g in UnitGroup.objects.all()}
    base = jurisdiction_institutions(draft.organization)
    counts = {}
    for task in draft.parsed.get("tasks", []):
        q = Q(pk__in=task["named_units"])
        for gid in task["unit_groups"]:
            if gid in groups:
                q |= groups[gid].institutions_q()
        reaches = (task["named_units"] or task["unit_groups"]) and not task.get("has_subtasks")
        counts[task["number"]] = base.filter(q).count() if reaches else 0
    return counts


@transaction.atomic
def plan_import_confirm(
    *,
    by,
    draft: ImportDraft,
    title: str = "",
    document_number: str = "",
    fixes: dict[str, str] | None = None,
    unit_fixes: dict[str, dict] | None = None,
) -> Plan:
    """Store the draft as a plan with its actions, tasks (and sub-tasks) and one assignment per
    task × unit; a numbered task split into sub-tasks is their heading, assigned through them.

    ``fixes`` maps a task's 序号 to a corrected deadline text; a deadline still not understood is
    stored empty and marked 时限待确认, with the original text kept. ``unit_fixes`` maps a task's
    序号 to the units chosen for it in the preview ({"groups": [ids], "institutions": [ids]}),
    for a task that reached none, say; they replace what was read."""
    require_role(by, Action.PLAN_MANAGE, _("您的角色不能导入任务清单。"))
    draft = ImportDraft.objects.select_for_update().get(pk=draft.pk)
    if draft.status != DraftStatus.PENDING:
        raise ConflictError(_("这份导入已经确认过了。"))
    regulator = own_regulator(by, draft.organization)
    parsed = draft.parsed
    year = parsing.single_year(parsed)  # none when the title spans years: "12月底前" is then asked
    numbers = {t["number"] for t in parsed["tasks"]}
    if len(numbers) != len(parsed["tasks"]):  # a draft read before repeated numbers were made unique
        raise DomainError(_("这份导入中有重复的序号，请重新上传后再导入。"))
    fixes = {str(k): v for k, v in (fixes or {}).items() if str(v).strip()}
    for number, text in fixes.items():
        if parsing.parse_deadline(text, year=year).problem:
            raise DomainError(
                _("序号%(n)s的完成时限“%(t)s”仍无法识别，请填写如“2024年12月前”或“长期坚持”。")
                % {"n": number, "t": text},
                field="fixes",
            )
    groups = {g.pk: g for g in UnitGroup.objects.all()}
    jurisdiction = jurisdiction_institutions(regulator)
    chosen: dict[str, tuple[list[UnitGroup], list[Organization]]] = {}
    for number, units in (unit_fixes or {}).items():
        number = str(number)
        group_ids = [int(g) for g in units.get("groups") or []]
        org_ids = [int(o) for o in units.get("institutions") or []]
        if not group_ids and not org_ids:
            continue
        if number not in numbers:
            raise DomainError(_("没有序号为%(n)s的任务。") % {"n": number}, field="unit_fixes")
        orgs = list(jurisdiction.filter(pk__in=org_ids))
        if len(orgs) != len(set(org_ids)) or any(g not in groups for g in group_ids):
            raise DomainError(_("序号%(n)s选择的责任单位不在本辖区或不存在。") % {"n": number}, field="unit_fixes")
        chosen[number] = ([groups[g] for g in group_ids], orgs)
    title = (title or parsed.get("title") or draft.file_name).strip()[:200]
    years = [int(t["deadline"][:4]) for t in parsed["tasks"] if t.get("deadline")]
    years += [y for y in (parsed.get("year"), parsed.get("end_year")) if y]
    plan = Plan(
        organization=regulator,
        title=title,
        document_number=(document_number or parsed.get("document_number") or "").strip()[:60],
        start_year=parsed.get("year") or (min(years) if years else None),
        end_year=max(years) if years else None,
        source_name=draft.file_name,
        created_by=by,
    )
    validated_save(plan)
    actions: dict[str, PlanAction] = {}
    created: dict[str, Task] = {}
    for order, item in enumerate(parsed["tasks"], start=1):
        action = None
        if item.get("action"):
            action = actions.get(item["action"])
            if action is None:
                action = PlanAction.objects.create(plan=plan, number=len(actions) + 1, title=item["action"][:200])
                actions[item["action"]] = action
        deadline_text = fixes.get(item["number"], item["deadline_text"])
        parsed_deadline = parsing.parse_deadline(deadline_text, year=year)
        if item["number"] not in fixes and item.get("deadline_unclear"):  # asked in the preview, not fixed
            parsed_deadline.date, parsed_deadline.problem = None, parsed_deadline.problem or "unclear"
        notes = "\n".join(
            p
            for p in (
                _("工作进展：%(t)s") % {"t": item["progress"]} if item.get("progress") else "",
                item.get("notes", ""),
            )
            if p
        )
        task = Task.objects.create(
            plan=plan,
            action=action,
            parent=created.get(item.get("parent") or ""),
            number=item["number"][:20],
            sort_order=order,
            title=item.get("title", "")[:200],
            content=item["content"] or item.get("title", "") or item.get("measures", ""),
            measures=item.get("measures", "") if item["content"] else "",
            notes=notes,
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
        created[item["number"]] = task
        if item.get("has_subtasks"):
            continue  # a heading: its sub-tasks are assigned
        if item["number"] in chosen:
            unit_groups, named = chosen[item["number"]]
            task.unit_groups.set(unit_groups)
            task.named_units.set(named)
        else:
            task.unit_groups.set([groups[g] for g in item["unit_groups"] if g in groups])
            task.named_units.set(jurisdiction.filter(pk__in=item["named_units"]))
        assign_units(task=task)
    draft.status = DraftStatus.CONFIRMED
    draft.plan = plan
    draft.save(update_fields=["status", "plan"])
    assignable = sum(1 for t in parsed["tasks"] if not t.get("has_subtasks"))  # headings are not tasks to do
    audit.record(
        actor=by,
        verb=AuditVerb.PLAN_IMPORTED,
        target=plan,
        changes=audit.diff({}, {**audit.snapshot(plan, PLAN_FIELDS), "任务数": assignable}),
        note=draft.file_name,
    )
    return plan
