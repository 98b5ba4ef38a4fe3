"""Periodic reports (报送): the regulator sets them, each owing unit fills and submits its own, the
platform's count kept beside the figures given."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.action_plans import due, figures
from anjian.action_plans.choices import SubmissionStatus
from anjian.action_plans.models import ReportDefinition, ReportSubmission
from anjian.action_plans.services.checks import own_regulator, own_unit, require_role
from anjian.core import audit
from anjian.core.audit import AuditVerb
from anjian.core.errors import ConflictError, DomainError, NotPermittedError
from anjian.core.permissions import Action
from anjian.core.services import create_with_audit, update_with_audit
from anjian.orgs.models import Organization

MAX_REASON_CHARS = 200


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
    require_role(by, Action.REPORT_MANAGE, _("您的角色不能设置报表。"))
    regulator = own_regulator(by, organization)
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
    require_role(by, Action.REPORT_MANAGE, _("您的角色不能修改报表。"))
    own_regulator(by, definition.organization)
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
    require_role(by, Action.REPORT_SUBMIT, _("您的角色不能填报报表。"))
    org = organization or by.organization
    own_unit(by, org)
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
