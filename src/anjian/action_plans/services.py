"""Every change to plans, assignments and periodic reports: one transaction each, audited.

The rules: a regulator imports and edits the plans of its own jurisdiction and reviews the
assignments in it; a responsible unit reports progress on its own assignments and fills and
submits its own periodic reports. Out-of-scope objects never reach these functions (views and
API fetch them with ``visible_to``); a role that may see but not act gets ``NotPermittedError``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.action_plans import due, figures, parsing, workflow
from anjian.action_plans.choices import AssignmentStatus, DraftStatus, ReviewState, SubmissionStatus
from anjian.action_plans.models import (
    Assignment,
    ImportDraft,
    Plan,
    PlanAction,
    ProgressAttachment,
    ProgressReport,
    ReportDefinition,
    ReportSubmission,
    Task,
    UnitGroup,
)
from anjian.core import audit, uploads
from anjian.core.audit import AuditVerb
from anjian.core.errors import ConflictError, DomainError, NotPermittedError
from anjian.core.permissions import Action, can
from anjian.core.services import create_with_audit, update_with_audit, validated_save
from anjian.core.xlsx import XlsxError
from anjian.orgs.models import Organization

PLAN_FIELDS = ["title", "document_number", "issued_on", "start_year", "end_year"]
MAX_REASON_CHARS = 200


def _require(user, action: Action, message: str) -> None:
    if user is not None and not can(user, action):
        raise NotPermittedError(message)


def _own_regulator(user, organization: Organization | None = None) -> Organization:
    org = organization or getattr(user, "organization", None)
    if org is None or not org.is_regulator:
        raise NotPermittedError(_("只有监管部门可以下达任务清单。"))
    if user is not None and user.organization_id and not org.path.startswith(user.organization.path):
        raise NotPermittedError(_("只能为本辖区下达任务清单。"))
    return org


def _own_unit(user, org: Organization) -> None:
    if user is not None and user.organization_id != org.pk:
        raise NotPermittedError(_("只有责任单位本单位的人员可以填报。"))


# --- import --------------------------------------------------------------------------------------
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
    _require(by, Action.PLAN_MANAGE, _("您的角色不能导入任务清单。"))
    regulator = _own_regulator(by, organization)
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
    _require(by, Action.PLAN_MANAGE, _("您的角色不能导入任务清单。"))
    draft = ImportDraft.objects.select_for_update().get(pk=draft.pk)
    if draft.status != DraftStatus.PENDING:
        raise ConflictError(_("这份导入已经确认过了。"))
    regulator = _own_regulator(by, draft.organization)
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


def units_for(task: Task) -> list[Organization]:
    regulator = task.plan.organization
    q = Q(pk__in=[o.pk for o in task.named_units.all()])
    for group in task.unit_groups.all():
        q |= group.institutions_q()
    return list(Organization.objects.filter(path__startswith=regulator.path).filter(q).order_by("path"))


def assign_units(*, task: Task) -> int:
    """One assignment per responsible unit of the task (existing ones kept). Called inside services."""
    existing = set(task.assignments.values_list("organization_id", flat=True))
    new = [Assignment(task=task, organization=org) for org in units_for(task) if org.pk not in existing]
    Assignment.objects.bulk_create(new)
    return len(new)


# --- plans and tasks -----------------------------------------------------------------------------
@transaction.atomic
def plan_create(*, by, data: dict[str, Any], organization: Organization | None = None) -> Plan:
    _require(by, Action.PLAN_MANAGE, _("您的角色不能新建任务清单。"))
    regulator = _own_regulator(by, organization)
    plan = Plan(organization=regulator, created_by=by, **{k: v for k, v in data.items() if k in PLAN_FIELDS})
    if data.get("document"):
        uploads.check_upload(data["document"], field="document")
        plan.document = data["document"]
    return create_with_audit(plan, by=by, verb=AuditVerb.PLAN_CREATED, fields=PLAN_FIELDS)


@transaction.atomic
def plan_update(*, by, plan: Plan, data: dict[str, Any]) -> Plan:
    _require(by, Action.PLAN_MANAGE, _("您的角色不能修改任务清单。"))
    _own_regulator(by, plan.organization)
    document = data.pop("document", None)
    if document:
        uploads.check_upload(document, field="document")
        plan.document = document
        plan.save(update_fields=["document"])
    return update_with_audit(plan, by=by, verb=AuditVerb.PLAN_UPDATED, data=data, fields=PLAN_FIELDS)


TASK_FIELDS = ["title", "content", "deadline", "is_standing", "result_form", "cooperating_text"]


@transaction.atomic
def task_update(*, by, task: Task, data: dict[str, Any]) -> Task:
    """Edit a task (a deadline the import could not read, say); fixing the deadline clears the flag."""
    _require(by, Action.PLAN_MANAGE, _("您的角色不能修改任务。"))
    _own_regulator(by, task.plan.organization)
    if "deadline" in data or "is_standing" in data:
        deadline = data.get("deadline", task.deadline)
        standing = data.get("is_standing", task.is_standing)
        if deadline is None and not standing:
            raise DomainError(_("请填写完成时限，或勾选“长期坚持”。"), field="deadline")
        task.deadline_unclear = False
        task.save(update_fields=["deadline_unclear"])
    update_with_audit(task, by=by, verb=AuditVerb.TASK_UPDATED, data=data, fields=TASK_FIELDS)
    return task


# --- progress and review -------------------------------------------------------------------------
@transaction.atomic
def progress_report(
    *,
    by,
    assignment: Assignment,
    text: str,
    reported_on: dt.date | None = None,
    result_form: str = "",
    claims_done: bool = False,
    attachments=(),
) -> ProgressReport:
    """The responsible unit reports what it did (``workflow`` "report"); with ``claims_done`` it asks
    the regulator to confirm the task as done ("claim")."""
    assignment = Assignment.objects.select_for_update().select_related("task").get(pk=assignment.pk)
    rule = workflow.require(assignment, "claim" if claims_done else "report", by)
    text = (text or "").strip()
    if not text:
        raise DomainError(_("请填写工作进展。"), field="text")
    if len(text) > 4000:
        raise DomainError(_("工作进展不能超过4000字。"), field="text")
    today = timezone.localdate()
    reported_on = reported_on or today
    if reported_on > today:
        raise DomainError(_("报告日期不能晚于今天。"), field="reported_on")
    uploads.check_uploads(attachments, field="attachments")  # every file, before anything is written
    before = audit.snapshot(assignment, ["status", "review_state"])
    report = ProgressReport.objects.create(
        assignment=assignment,
        text=text,
        reported_on=reported_on,
        result_form=(result_form or "").strip()[:200],
        claims_done=claims_done,
        reported_by=by,
    )
    for f in attachments:
        ProgressAttachment.objects.create(report=report, file=f, name=f.name[:200])
    workflow.apply(assignment, rule)
    assignment.last_reported_on = max(filter(None, [assignment.last_reported_on, reported_on]))
    assignment.report_count += 1
    assignment.version += 1
    assignment.save(update_fields=["status", "review_state", "last_reported_on", "report_count", "version"])
    audit.record(
        actor=by,
        verb=AuditVerb.PROGRESS_REPORTED,
        target=assignment,
        changes=audit.diff(before, audit.snapshot(assignment, ["status", "review_state"])),
        note=text[:500],
    )
    return report


@transaction.atomic
def assignment_review(*, by, assignment: Assignment, accept: bool, comment: str = "") -> Assignment:
    """The regulator confirms the task as done (``workflow`` "accept"), or sends the progress back
    with a comment ("return")."""
    assignment = Assignment.objects.select_for_update().select_related("organization").get(pk=assignment.pk)
    rule = workflow.require(assignment, "accept" if accept else "return", by)
    comment = (comment or "").strip()
    if not accept and not comment:
        raise DomainError(_("退回时请写明意见。"), field="comment")
    before = audit.snapshot(assignment, ["status", "review_state", "review_comment"])
    workflow.apply(assignment, rule)
    assignment.review_comment = comment
    assignment.reviewed_at = timezone.now()
    assignment.version += 1
    assignment.save(update_fields=["status", "review_state", "review_comment", "reviewed_at", "version"])
    audit.record(
        actor=by,
        verb=AuditVerb.ASSIGNMENT_ACCEPTED if accept else AuditVerb.ASSIGNMENT_RETURNED,
        target=assignment,
        changes=audit.diff(before, audit.snapshot(assignment, ["status", "review_state", "review_comment"])),
        note=comment,
    )
    return assignment


# --- periodic reports ----------------------------------------------------------------------------
DEFINITION_FIELDS = [
    "name",
    "description",
    "fields",
    "max_chars",
    "frequency",
    "due_day",
    "months_after",
    "holiday_shift",
    "is_active",
]


def _check_fields(fields) -> None:
    if not isinstance(fields, list) or not fields:
        raise DomainError(_("请至少设置一个填报项。"), field="fields")
    names = set()
    for item in fields:
        if not isinstance(item, dict) or not item.get("name") or not item.get("label"):
            raise DomainError(_("每个填报项都须有名称和标题。"), field="fields")
        if item.get("type", "text") not in ("text", "int"):
            raise DomainError(_("填报项类型只能是文字（text）或整数（int）。"), field="fields")
        if item["name"] in names:
            raise DomainError(_("填报项名称“%(n)s”重复。") % {"n": item["name"]}, field="fields")
        if item.get("source") and (item.get("type") != "int" or item["source"] not in figures.BY_KEY):
            raise DomainError(_("填报项“%(l)s”的统计口径无效。") % {"l": item["label"]}, field="fields")
        if item.get("filled_by", figures.INSTITUTION) not in figures.FILLED_BY:
            raise DomainError(_("填报项“%(l)s”的填报单位无效。") % {"l": item["label"]}, field="fields")
        names.add(item["name"])


@transaction.atomic
def report_definition_create(
    *, by, organization: Organization, data: dict[str, Any], unit_groups=(), template_key: str = ""
) -> ReportDefinition:
    _require(by, Action.REPORT_MANAGE, _("您的角色不能设置报表。"))
    regulator = _own_regulator(by, organization)
    _check_fields(data.get("fields"))
    definition = ReportDefinition(organization=regulator, template_key=template_key)
    for name in DEFINITION_FIELDS:
        if name in data:
            setattr(definition, name, data[name])
    create_with_audit(definition, by=by, verb=AuditVerb.REPORT_DEFINITION_CREATED, fields=DEFINITION_FIELDS)
    definition.unit_groups.set(unit_groups)
    return definition


@transaction.atomic
def report_definition_update(*, by, definition: ReportDefinition, data: dict[str, Any], unit_groups=None):
    _require(by, Action.REPORT_MANAGE, _("您的角色不能修改报表。"))
    _own_regulator(by, definition.organization)
    if "fields" in data:
        _check_fields(data["fields"])
    update_with_audit(definition, by=by, verb=AuditVerb.REPORT_DEFINITION_UPDATED, data=data, fields=DEFINITION_FIELDS)
    if unit_groups is not None:
        definition.unit_groups.set(unit_groups)
    return definition


def owing_units(definition: ReportDefinition):
    """The institutions of the regulator's jurisdiction that owe this report."""
    q = Q(pk__in=[])
    for group in definition.unit_groups.all():
        q |= group.institutions_q()
    return Organization.objects.filter(path__startswith=definition.organization.path).filter(q).order_by("path")


def _consistency_errors(fields: list[dict], cleaned: dict[str, Any]) -> dict[str, list[str]]:
    """The figures that cannot all be true, by the relations of ``figures``: a part more than its
    whole, more rectified than found, the levels not adding up to the total."""
    by_source = {f["source"]: f for f in fields if f.get("source") and cleaned.get(f["name"]) is not None}
    errors: dict[str, list[str]] = {}

    def label(key):
        return by_source[key]["label"]

    def value(key):
        return cleaned[by_source[key]["name"]]

    for part, whole in figures.NOT_MORE_THAN:
        if part in by_source and whole in by_source and value(part) > value(whole):
            errors.setdefault(by_source[part]["name"], []).append(
                _("“%(a)s”（%(x)s）不能大于“%(b)s”（%(y)s）。")
                % {"a": label(part), "x": value(part), "b": label(whole), "y": value(whole)}
            )
    for parts, total in figures.SUMS:
        if total not in by_source or not all(p in by_source for p in parts):
            continue
        given = sum(value(p) for p in parts)
        if given != value(total):
            errors.setdefault(by_source[total]["name"], []).append(
                _("“%(parts)s”之和（%(sum)s）应等于“%(total)s”（%(t)s）。")
                % {
                    "parts": "”与“".join(str(label(p)) for p in parts),
                    "sum": given,
                    "total": label(total),
                    "t": value(total),
                }
            )
    return errors


def clean_values(
    definition: ReportDefinition,
    values: dict[str, Any],
    *,
    complete: bool,
    counted: dict[str, int] | None = None,
    reasons: dict[str, Any] | None = None,
) -> tuple[dict[str, Any], dict[str, str]]:
    """Values keyed by the fields an institution fills: integers checked, text trimmed, the length
    limit kept, the figures consistent with each other; and the reasons for the figures that differ
    from what the platform ``counted`` (required when submitting). ``complete``: every field must be
    filled (submitting; a draft may be partial). A value for a column the regulator fills itself is
    refused."""
    counted = counted or {}
    reasons = reasons or {}
    cleaned: dict[str, Any] = {}
    kept_reasons: dict[str, str] = {}
    total = 0
    errors: dict[str, list[str]] = {}
    fields = figures.specs(definition)
    for item in fields:
        raw = values.get(item["name"], "")
        raw = "" if raw is None else str(raw).strip()
        if item["filled_by"] == figures.REGULATOR:
            if raw != "":
                errors[item["name"]] = [_("“%(l)s”由监管部门填写，医疗机构不填报。") % {"l": item["label"]}]
            continue
        if item.get("type") == "int":
            if raw == "":
                cleaned[item["name"]] = None
            else:
                try:
                    number = int(raw)
                except ValueError:
                    errors[item["name"]] = [_("“%(l)s”须填写整数。") % {"l": item["label"]}]
                    continue
                if number < 0:
                    errors[item["name"]] = [_("“%(l)s”不能为负数。") % {"l": item["label"]}]
                    continue
                cleaned[item["name"]] = number
        else:
            cleaned[item["name"]] = raw
            total += len(raw)
        if complete and raw == "":
            errors.setdefault(item["name"], []).append(_("请填写“%(l)s”。") % {"l": item["label"]})
    for name, messages in _consistency_errors(fields, cleaned).items():
        errors.setdefault(name, []).extend(messages)
    for item in fields:
        name = item["name"]
        if name not in counted or cleaned.get(name) is None or cleaned[name] == counted[name]:
            continue  # as counted (or not given): no reason to give
        reason = str(reasons.get(name) or "").strip()
        if len(reason) > MAX_REASON_CHARS:
            errors.setdefault(f"{name}__reason", []).append(
                _("“%(l)s”的更正原因不能超过%(n)s字。") % {"l": item["label"], "n": MAX_REASON_CHARS}
            )
        elif reason:
            kept_reasons[name] = reason
        elif complete:
            errors.setdefault(f"{name}__reason", []).append(
                _("“%(l)s”填写%(v)s，与平台按台账统计的%(c)s不一致，请填写更正原因。")
                % {"l": item["label"], "v": cleaned[name], "c": counted[name]}
            )
    if definition.max_chars and total > definition.max_chars:
        errors.setdefault("__all__", []).append(
            _("全文共%(n)s字，超过了%(m)s字的上限。") % {"n": total, "m": definition.max_chars}
        )
    if errors:
        first = next(iter(errors.values()))[0]
        raise DomainError(first, errors=errors)
    return cleaned, kept_reasons


@transaction.atomic
def submission_save(
    *,
    by,
    definition: ReportDefinition,
    period: dt.date,
    values: dict[str, Any],
    reasons: dict[str, Any] | None = None,
    submit: bool = False,
    organization: Organization | None = None,
) -> ReportSubmission:
    """Save a unit's report for a period as a draft, or submit it (which checks it is complete).

    The figures the platform counts (``figures.counted_for``: the hazard ledger, the inspection
    records) are counted again here and kept with the report; a figure that differs from the count
    needs a reason (``reasons``, by field name) to be submitted, and the regulator reads both."""
    _require(by, Action.REPORT_SUBMIT, _("您的角色不能填报报表。"))
    org = organization or by.organization
    _own_unit(by, org)
    if not definition.is_active:
        raise DomainError(_("该报表已停用。"))
    if not owing_units(definition).filter(pk=org.pk).exists():
        raise NotPermittedError(_("本单位不在该报表的报送范围内。"))
    if period != due.period_start(period, definition.frequency):
        raise DomainError(_("所属期无效。"), field="period")
    counted = figures.counted_for(definition, user=by, organization=org, period=period)
    cleaned, kept_reasons = clean_values(definition, values, complete=submit, counted=counted, reasons=reasons)
    submission, _created = ReportSubmission.objects.select_for_update().get_or_create(
        definition=definition, organization=org, period=period
    )
    if submission.status == SubmissionStatus.SUBMITTED:
        raise ConflictError(_("该期报表已报送，不能再修改。"))
    before = {**submission.values, "更正原因": dict(submission.reasons)}
    submission.values = cleaned
    submission.counted = counted
    submission.reasons = kept_reasons
    if submit:
        submission.status = SubmissionStatus.SUBMITTED
        submission.submitted_at = timezone.now()
        submission.submitted_by = by
    submission.save()
    audit.record(
        actor=by,
        verb=AuditVerb.SUBMISSION_SUBMITTED if submit else AuditVerb.SUBMISSION_SAVED,
        target=submission,
        changes=audit.diff(before, {**cleaned, "更正原因": kept_reasons}),
        note=due.period_label(period, definition.frequency),
    )
    return submission


# --- unit groups ---------------------------------------------------------------------------------
UNIT_GROUP_FIELDS = ["name", "keywords", "kinds", "ownership", "all_institutions", "sort_order"]


def _check_group(data: dict[str, Any]) -> dict[str, Any]:
    from anjian.orgs.choices import InstitutionKind

    keywords = [k.strip() for k in data.get("keywords", []) if k and k.strip()]
    if not keywords:
        raise DomainError(_("请至少填写一个对应的表述。"), field="keywords")
    kinds = list(data.get("kinds", []))
    unknown = [k for k in kinds if k not in InstitutionKind.values]
    if unknown:
        raise DomainError(_("未知的机构类别：%(k)s") % {"k": "、".join(unknown)}, field="kinds")
    if not kinds and not data.get("all_institutions"):
        raise DomainError(_("请选择机构类别，或勾选“辖区全部机构”。"), field="kinds")
    return {**data, "keywords": keywords, "kinds": kinds}


@transaction.atomic
def unit_group_create(*, by, data: dict[str, Any]) -> UnitGroup:
    _require(by, Action.UNIT_GROUP_MANAGE, _("您的角色不能维护单位分组。"))
    group = UnitGroup(**{k: v for k, v in _check_group(data).items() if k in UNIT_GROUP_FIELDS})
    return create_with_audit(group, by=by, verb=AuditVerb.UNIT_GROUP_CREATED, fields=UNIT_GROUP_FIELDS)


@transaction.atomic
def unit_group_update(*, by, group: UnitGroup, data: dict[str, Any]) -> UnitGroup:
    """Change what words a group answers to and which institutions it holds. Tasks already imported
    keep their assignments (new ones come with the next import)."""
    _require(by, Action.UNIT_GROUP_MANAGE, _("您的角色不能维护单位分组。"))
    return update_with_audit(
        group, by=by, verb=AuditVerb.UNIT_GROUP_UPDATED, data=_check_group(data), fields=UNIT_GROUP_FIELDS
    )


@transaction.atomic
def task_create(
    *, by, plan: Plan, data: dict[str, Any], action_title: str = "", unit_groups=(), named_units=()
) -> Task:
    """Add a task by hand (a plan typed in rather than imported) and assign it to its units."""
    _require(by, Action.PLAN_MANAGE, _("您的角色不能新增任务。"))
    regulator = _own_regulator(by, plan.organization)
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


@transaction.atomic
def plan_set_active(*, by, plan: Plan, active: bool, note: str = "") -> Plan:
    """Withdraw a plan (停用: off the lists and 我的任务, kept with its history) or restore it."""
    from anjian.core.services import set_active_with_audit

    _require(by, Action.PLAN_MANAGE, _("您的角色不能停用任务清单。"))
    _own_regulator(by, plan.organization)
    return set_active_with_audit(
        plan, by=by, active=active, verbs=(AuditVerb.PLAN_UPDATED, AuditVerb.PLAN_UPDATED), note=note
    )


# --- bulk changes (a regulator's day: many tasks, many reviews at once) ----------------------------
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
    _require(by, Action.PLAN_MANAGE, _("您的角色不能修改任务。"))
    _own_regulator(by, plan.organization)
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


@transaction.atomic
def assignment_bulk_review(*, by, assignments, accept: bool, comment: str = "") -> int:
    """Review many progress reports at once with the same decision (and comment): confirm them as
    done, or send them back. All or nothing; one audit event per assignment. Returns the count."""
    _require(by, Action.PLAN_REVIEW, _("您的角色不能审核任务进展。"))
    items = list(assignments)
    if not items:
        raise DomainError(_("请至少勾选一项待审核的任务。"), field="assignments")
    if not accept and not (comment or "").strip():
        raise DomainError(_("退回时请写明意见。"), field="comment")
    ids = {a.pk for a in items}
    pending = set(
        Assignment.objects.select_for_update()
        .filter(pk__in=ids, review_state=ReviewState.PENDING)
        .exclude(status=AssignmentStatus.DONE)
        .values_list("pk", flat=True)
    )
    if pending != ids:
        raise ConflictError(_("所选任务中有的已不在待审核状态（可能已被他人审核），请刷新后重试。"))
    for assignment in items:
        assignment_review(by=by, assignment=assignment, accept=accept, comment=comment)
    return len(items)
