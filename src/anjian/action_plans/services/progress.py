"""Progress and review: the unit reports on its assignment, the regulator confirms it as done or
sends it back, one by one or many at once; each step as ``workflow`` allows."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.action_plans import workflow
from anjian.action_plans.choices import AssignmentStatus, ReviewState
from anjian.action_plans.models import Assignment, ProgressAttachment, ProgressReport
from anjian.action_plans.services.checks import require_role
from anjian.core import audit, uploads
from anjian.core.audit import AuditVerb
from anjian.core.errors import ConflictError, DomainError
from anjian.core.permissions import Action


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


# --- bulk review (a regulator's day: many reviews at once) ---------------------------------------
@transaction.atomic
def assignment_bulk_review(*, by, assignments, accept: bool, comment: str = "") -> int:
    """Review many progress reports at once with the same decision (and comment): confirm them as
    done, or send them back. All or nothing; one audit event per assignment. Returns the count."""
    require_role(by, Action.PLAN_REVIEW, _("您的角色不能审核任务进展。"))
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
