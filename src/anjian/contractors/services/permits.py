"""The life of a work permit: fill in, submit, approve step by step or reject, gas tests, start,
suspend and resume, close with site photos, cancel. Every transition locks the permit's row
(``select_for_update``) and checks ``workflow.require`` after the lock, so two approvers acting at
once make exactly one transition: the second waits, re-reads and is refused (409)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.contractors import rules, workflow
from anjian.contractors.choices import ApprovalStep, PermitStatus
from anjian.contractors.models import (
    Contractor,
    GasTest,
    PermitApproval,
    PermitHazard,
    PermitKind,
    PermitPhoto,
    Worker,
    WorkPermit,
)
from anjian.core import audit, numbering
from anjian.core.audit import AuditVerb
from anjian.core.errors import ConflictError, DomainError, NotPermittedError
from anjian.core.images import process_upload
from anjian.core.permissions import Action, can
from anjian.core.scoping import get_visible_or_404
from anjian.core.services import validated_save
from anjian.hazards import services as hazard_services
from anjian.hazards.choices import HazardSource
from anjian.hazards.models import Hazard

PERMIT_FIELDS = [
    "kind",
    "risk_point",
    "location",
    "contractor",
    "department",
    "worker_names",
    "planned_start",
    "planned_end",
    "content",
    "hazards_identified",
    "measures",
    "guardian",
]
MAX_PHOTOS = 9


def _lock(by, permit: WorkPermit) -> WorkPermit:
    """The permit's row, locked until the transaction ends, re-read after the lock."""
    return get_visible_or_404(
        WorkPermit.objects.select_for_update(of=("self",)).select_related("kind", "contractor"), by, pk=permit.pk
    )


def _transition(permit: WorkPermit, by, *, verb: AuditVerb, fields: list[str], before: str, note: str = "", extra=None):
    permit.save(update_fields=[*fields, "updated_at"])
    changes = {"status": [PermitStatus(before).label, permit.get_status_display()], **(extra or {})}
    audit.record(actor=by, verb=verb, target=permit, changes=changes, note=note)
    return permit


def _lock_decision(by, permit: WorkPermit) -> WorkPermit:
    """Lock for an approval decision. The caller's copy says which step the approver saw: if
    someone else decided that step meanwhile (two approvers at once), the loser is told so (409)
    rather than that the next step is not theirs."""
    seen_status, seen_step = permit.status, permit.pending_step
    locked = _lock(by, permit)
    moved = (seen_status, seen_step) != (locked.status, locked.pending_step)
    decided_step = None
    if moved and seen_status == PermitStatus.APPROVING and workflow.step_approver(seen_step, locked, by):
        decided_step = seen_step
    elif locked.status == PermitStatus.APPROVING and not workflow.approver(locked, by):
        # The caller read the permit after the other approver's commit (a request that arrived a
        # moment later): a step of theirs decided by someone else is still "handled by another".
        decided_step = next(
            (a.step for a in locked.approvals.exclude(decided_by=by) if workflow.step_approver(a.step, locked, by)),
            None,
        )
    if decided_step:
        raise ConflictError(
            _("“%(step)s”已由他人处理，作业票当前为“%(status)s”，请刷新后查看。")
            % {"step": ApprovalStep(decided_step).label, "status": locked.get_status_display()}
        )
    return locked


# --- create --------------------------------------------------------------------------------------
def _check_parts(by, data: dict[str, Any]) -> None:
    """Everything the permit names belongs to the applicant's institution."""
    org_id = by.organization_id
    kind = data.get("kind")
    if not isinstance(kind, PermitKind) or not kind.is_active:
        raise DomainError(_("请选择启用的作业类别。"), field="kind")
    for name in ("contractor", "department", "risk_point", "guardian"):
        obj = data.get(name)
        if obj is not None and obj.organization_id != org_id:
            raise DomainError(
                _("%(f)s须属于本单位。") % {"f": WorkPermit._meta.get_field(name).verbose_name}, field=name
            )
    guardian = data.get("guardian")
    if guardian is not None and not guardian.is_active:
        raise DomainError(_("监护人账号已停用。"), field="guardian")
    if data.get("contractor") is None and data.get("department") is None:
        raise DomainError(_("请选择作业单位（相关方）或本单位作业科室。"), field="contractor")
    start, end = data.get("planned_start"), data.get("planned_end")
    if not start or not end:
        raise DomainError(_("请填写计划开始和结束时间。"), field="planned_start" if not start else "planned_end")
    if end <= start:
        raise DomainError(_("计划结束时间须晚于计划开始时间。"), field="planned_end")
    if end - start > dt.timedelta(hours=kind.max_hours):
        raise DomainError(
            _("%(kind)s作业票有效期最长 %(h)s 小时，请分段办理。") % {"kind": kind.name, "h": kind.max_hours},
            field="planned_end",
        )
    if not (data.get("location") or "").strip():
        raise DomainError(_("请填写作业地点。"), field="location")
    if not (data.get("measures") or "").strip():
        raise DomainError(_("请填写安全措施。"), field="measures")


@transaction.atomic
def permit_create(*, by, data: dict[str, Any], workers: list[Worker] | None = None) -> WorkPermit:
    """Fill in a permit (draft). A contractor whose qualification, agreement or insurance has
    expired gets no new permit."""
    if not can(by, Action.WORK_PERMIT_APPLY):
        raise NotPermittedError(_("您的角色无权执行此操作：%(action)s") % {"action": Action.WORK_PERMIT_APPLY.label})
    org = by.organization
    if org is None or not org.is_institution:
        raise DomainError(_("危险作业票由医疗卫生机构自行办理。"))
    data = {k: v for k, v in data.items() if k in PERMIT_FIELDS}
    _check_parts(by, data)
    contractor: Contractor | None = data.get("contractor")
    workers = list(workers or [])
    if contractor is not None:
        contractor = Contractor.objects.prefetch_related("agreements", "qualifications").get(pk=contractor.pk)
        blockers = rules.contractor_blockers(contractor)
        if blockers:
            raise DomainError(" ".join(blockers), field="contractor")
    for w in workers:
        if contractor is None or w.contractor_id != contractor.pk:
            raise DomainError(_("作业人员须为所选相关方的在场人员。"), field="workers")
        if not w.is_active:
            raise DomainError(_("作业人员%(n)s已离场。") % {"n": w.name}, field="workers")
    year = timezone.localdate().year
    permit = WorkPermit(organization=org, applicant=by, number=numbering.next_number("ZY", year), **data)
    for name in ("worker_names", "content", "hazards_identified"):
        if getattr(permit, name) is None:
            setattr(permit, name, "")
    validated_save(permit)
    if workers:
        permit.workers.set(workers)
    changes = audit.diff({}, audit.snapshot(permit, [f for f in PERMIT_FIELDS if f in data]))
    if workers:
        changes["workers"] = [None, "、".join(str(w) for w in workers)]
    audit.record(actor=by, verb=AuditVerb.WORK_PERMIT_CREATED, target=permit, changes=changes)
    return permit


# --- approval ------------------------------------------------------------------------------------
@transaction.atomic
def permit_submit(*, permit: WorkPermit, by) -> WorkPermit:
    permit = _lock(by, permit)
    workflow.require(permit, "submit", by)
    before = permit.status
    permit.status = PermitStatus.APPROVING
    permit.pending_step = permit.kind.steps[0]
    permit.submitted_at = timezone.now()
    return _transition(
        permit,
        by,
        verb=AuditVerb.WORK_PERMIT_SUBMITTED,
        fields=["status", "pending_step", "submitted_at"],
        before=before,
    )


def _reason(reason: str, message) -> str:
    """The reason an action needs (reject, cancel, suspend), stripped; refused when empty."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(message, field="reason")
    return reason


def _decide(by, permit: WorkPermit, action: str, comment: str) -> WorkPermit:
    """An approver's decision on the pending step (``action``: approve or reject), after the lock
    and the workflow's check: the step's PermitApproval, then the permit moves on (the next step,
    approved after the last) or is rejected. A rejection needs its reason."""
    permit = _lock_decision(by, permit)
    workflow.require(permit, action, by)
    approved = action == "approve"
    comment = (comment or "").strip() if approved else _reason(comment, _("请填写驳回理由。"))
    before, step = permit.status, permit.pending_step
    PermitApproval.objects.create(permit=permit, step=step, approved=approved, comment=comment, decided_by=by)
    if approved:
        steps = permit.kind.steps
        following = steps[steps.index(step) + 1 :] if step in steps else []
        if following:
            permit.pending_step = following[0]
        else:
            permit.pending_step = ""
            permit.status = PermitStatus.APPROVED
            permit.approved_at = timezone.now()
        verb, fields = AuditVerb.WORK_PERMIT_APPROVED, ["status", "pending_step", "approved_at"]
    else:
        permit.status = PermitStatus.REJECTED
        permit.pending_step = ""
        permit.cancel_reason = comment
        verb, fields = AuditVerb.WORK_PERMIT_REJECTED, ["status", "pending_step", "cancel_reason"]
    return _transition(
        permit,
        by,
        verb=verb,
        fields=fields,
        before=before,
        note=comment,
        extra={"step": [None, str(ApprovalStep(step).label)]},
    )


@transaction.atomic
def permit_approve(*, permit: WorkPermit, by, comment: str = "") -> WorkPermit:
    """The pending step agrees; after the kind's last step the permit is approved."""
    return _decide(by, permit, "approve", comment)


@transaction.atomic
def permit_reject(*, permit: WorkPermit, by, reason: str) -> WorkPermit:
    """The pending step refuses, with the reason: the permit ends (rejected)."""
    return _decide(by, permit, "reject", reason)


@transaction.atomic
def permit_cancel(*, permit: WorkPermit, by, reason: str) -> WorkPermit:
    permit = _lock(by, permit)
    workflow.require(permit, "cancel", by)
    reason = _reason(reason, _("请填写取消原因。"))
    before = permit.status
    permit.status = PermitStatus.CANCELLED
    permit.pending_step = ""
    permit.cancel_reason = reason
    return _transition(
        permit,
        by,
        verb=AuditVerb.WORK_PERMIT_CANCELLED,
        fields=["status", "pending_step", "cancel_reason"],
        before=before,
        note=reason,
    )


# --- on site -------------------------------------------------------------------------------------
@transaction.atomic
def permit_gas_test(*, permit: WorkPermit, by, data: dict[str, Any]) -> GasTest:
    """Record a gas test. Oxygen outside 19.5–23.5 % or combustibles above 10 %LEL never pass,
    whatever the tester ticked; a test cannot be dated in the future."""
    permit = _lock(by, permit)
    workflow.require(permit, "gas-test", by)
    now = timezone.now()
    tested_at = data.get("tested_at") or now
    if tested_at > now + dt.timedelta(minutes=1):
        raise DomainError(_("分析时间不能晚于现在。"), field="tested_at")
    for name in ("oxygen_percent", "combustible_lel_percent"):
        if data.get(name) is None:
            raise DomainError(_("请填写%(f)s。") % {"f": GasTest._meta.get_field(name).verbose_name}, field=name)
    oxygen, lel = Decimal(str(data["oxygen_percent"])), Decimal(str(data["combustible_lel_percent"]))
    if not Decimal(0) <= oxygen <= Decimal(100) or not Decimal(0) <= lel <= Decimal(100):
        raise DomainError(_("读数须在 0–100 之间。"), field="oxygen_percent")
    if not (data.get("tester_name") or "").strip():
        raise DomainError(_("请填写分析人。"), field="tester_name")
    within = Decimal(str(GasTest.O2_MIN)) <= oxygen <= Decimal(str(GasTest.O2_MAX)) and lel <= GasTest.LEL_MAX
    test = GasTest(
        permit=permit,
        tested_at=tested_at,
        oxygen_percent=oxygen,
        combustible_lel_percent=lel,
        toxic=(data.get("toxic") or "").strip(),
        passed=bool(data.get("passed")) and within,
        tester_name=data["tester_name"].strip(),
        recorded_by=by,
    )
    validated_save(test)
    audit.record(
        actor=by,
        verb=AuditVerb.WORK_PERMIT_GAS_TESTED,
        target=permit,
        changes={
            "tested_at": [None, tested_at],
            "oxygen_percent": [None, str(oxygen)],
            "combustible_lel_percent": [None, str(lel)],
            "toxic": [None, test.toxic],
            "passed": [None, test.passed],
        },
    )
    return test


@transaction.atomic
def permit_start(*, permit: WorkPermit, by, checks: list[int] | None = None) -> WorkPermit:
    """Start the work: approvals complete, a fresh passing gas test where the kind needs one, the
    contractor's documents valid, and every safety check of the kind confirmed (``checks``: their
    indexes)."""
    permit = _lock(by, permit)
    workflow.require(permit, "start", by)
    required = permit.kind.checks
    confirmed = sorted({int(i) for i in (checks or []) if str(i).lstrip("-").isdigit()})
    missing = [text for i, text in enumerate(required) if i not in confirmed]
    if missing:
        raise DomainError(
            _("请逐项确认安全措施，尚未确认：%(items)s。") % {"items": "；".join(missing)}, field="checks"
        )
    before = permit.status
    permit.status = PermitStatus.ACTIVE
    permit.started_at = timezone.now()
    permit.started_by = by
    permit.checks_confirmed = required
    return _transition(
        permit,
        by,
        verb=AuditVerb.WORK_PERMIT_STARTED,
        fields=["status", "started_at", "started_by", "checks_confirmed"],
        before=before,
    )


@transaction.atomic
def permit_suspend(*, permit: WorkPermit, by, reason: str) -> WorkPermit:
    permit = _lock(by, permit)
    workflow.require(permit, "suspend", by)
    reason = _reason(reason, _("请填写暂停原因。"))
    before = permit.status
    permit.status = PermitStatus.SUSPENDED
    permit.suspended_at = timezone.now()
    permit.suspend_reason = reason
    return _transition(
        permit,
        by,
        verb=AuditVerb.WORK_PERMIT_SUSPENDED,
        fields=["status", "suspended_at", "suspend_reason"],
        before=before,
        note=reason,
    )


@transaction.atomic
def permit_resume(*, permit: WorkPermit, by) -> WorkPermit:
    """Resume after a suspension: where the kind needs a gas test, a passing one made after the
    suspension and within its validity."""
    permit = _lock(by, permit)
    workflow.require(permit, "resume", by)
    before = permit.status
    permit.status = PermitStatus.ACTIVE
    return _transition(permit, by, verb=AuditVerb.WORK_PERMIT_RESUMED, fields=["status"], before=before)


@transaction.atomic
def permit_close(*, permit: WorkPermit, by, note: str, photos: list) -> WorkPermit:
    """Close out: the site checked (no fire left, tools and materials removed) with at least one
    photo. Photos are decoded and re-encoded (core.images) before anything is written."""
    permit = _lock(by, permit)
    workflow.require(permit, "close", by)
    if not (note or "").strip():
        raise DomainError(_("请填写完工验收意见。"), field="note")
    photos = [p for p in photos or [] if p]
    if not photos:
        raise DomainError(_("完工验收须上传至少一张现场照片。"), field="photos")
    if len(photos) > MAX_PHOTOS:
        raise DomainError(_("现场照片最多 %(n)s 张。") % {"n": MAX_PHOTOS}, field="photos")
    processed = []
    for upload in photos:
        try:
            processed.append(process_upload(upload))
        except DomainError as exc:
            raise DomainError(exc.message, field="photos") from exc
    for p in processed:
        PermitPhoto.objects.create(permit=permit, image=p.image, thumbnail=p.thumbnail, uploaded_by=by)
    before = permit.status
    permit.status = PermitStatus.CLOSED
    permit.closed_at = timezone.now()
    permit.closed_by = by
    permit.close_note = note.strip()
    return _transition(
        permit,
        by,
        verb=AuditVerb.WORK_PERMIT_CLOSED,
        fields=["status", "closed_at", "closed_by", "close_note"],
        before=before,
        note=note,
        extra={"photos": [None, len(processed)]},
    )


@transaction.atomic
def permit_report_hazard(*, permit: WorkPermit, by, data: dict[str, Any], photos) -> Hazard:
    """A hazard found on site during the work: entered in the ledger (source 作业许可检查, the
    permit's number as reference) and linked to the permit."""
    permit = get_visible_or_404(WorkPermit.objects.select_related("organization", "department"), by, pk=permit.pk)
    if permit.organization_id != by.organization_id:
        raise NotPermittedError(_("只能在本单位的作业票上登记隐患。"))
    hazard = hazard_services.hazard_report(
        by=by,
        organization=permit.organization,
        data={
            "title": data.get("title", ""),
            "description": data.get("description", ""),
            "category": data.get("category"),
            "location": permit.location,
            "department": permit.department,
            "source": HazardSource.WORK_PERMIT,
            "source_reference": permit.number,
        },
        photos=photos,
    )
    PermitHazard.objects.create(permit=permit, hazard=hazard)
    audit.record(
        actor=by, verb=AuditVerb.WORK_PERMIT_HAZARD_REPORTED, target=permit, changes={"hazard": [None, hazard.number]}
    )
    return hazard
