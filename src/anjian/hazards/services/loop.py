"""The closed loop (闭环) after entry: confirm with a plan, rectify, endorse, accept or reject;
dismiss, change the plan, postpone, reclassify, supervise. Each transition locks the hazard, checks
its rule in ``workflow``, changes it and records its audit event in the same transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.core import audit
from anjian.core.audit import AuditVerb
from anjian.core.errors import DomainError
from anjian.core.services import validated_save
from anjian.hazards import workflow
from anjian.hazards.choices import HazardLevel, HazardStatus, PhotoPhase, PostponementDecision, SupervisionLevel
from anjian.hazards.models import Criterion, Hazard, Postponement
from anjian.hazards.services.common import for_update
from anjian.hazards.services.photos import store_photos
from anjian.hazards.services.plan import clean_plan, missing_plan_parts, require_plan_complete


def today() -> dt.date:
    return timezone.localdate()


def _transition(
    hazard: Hazard,
    by,
    action: str,
    verb: AuditVerb,
    changes_fields: list[str],
    note: str = "",
    mutate=None,
    at: dt.datetime | None = None,
) -> Hazard:
    """Lock, check the rule, apply ``mutate``, move to the rule's target, save and record the event."""
    hazard = for_update(hazard)
    rule = workflow.require(hazard, action, by)
    tracked = ["status", *changes_fields]
    before = audit.snapshot(hazard, tracked)
    if mutate is not None:
        mutate(hazard)
    if rule.target is not None:
        hazard.status = rule.target
    validated_save(hazard)
    audit.record(
        actor=by,
        verb=verb,
        target=hazard,
        changes=audit.diff(before, audit.snapshot(hazard, tracked)),
        note=note,
        at=at,
    )
    return hazard


@transaction.atomic
def hazard_confirm(
    *, hazard: Hazard, by, plan: dict[str, Any], note: str = "", at: dt.datetime | None = None
) -> Hazard:
    """Confirm the hazard with its rectification plan: rectification begins."""
    data = clean_plan(hazard, plan)

    def mutate(h: Hazard) -> None:
        for name, value in data.items():
            setattr(h, name, value)
        require_plan_complete(h)
        if h.original_deadline is None:
            h.original_deadline = h.deadline
        h.confirmed_at = at or timezone.now()
        h.confirmed_by = by

    return _transition(hazard, by, "confirm", AuditVerb.HAZARD_CONFIRMED, list(data), note, mutate, at)


@transaction.atomic
def hazard_dismiss(*, hazard: Hazard, by, reason: str, at: dt.datetime | None = None) -> Hazard:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("撤销须填写理由。"), field="reason")

    def mutate(h: Hazard) -> None:
        h.dismissed_reason = reason

    return _transition(hazard, by, "dismiss", AuditVerb.HAZARD_DISMISSED, [], reason, mutate, at)


@transaction.atomic
def hazard_submit(
    *, hazard: Hazard, by, rectification_note: str, after_photos=(), at: dt.datetime | None = None
) -> Hazard:
    """Report the rectification done; with at least one photo after when the institution requires
    it (``Organization.require_after_photo``, on by default)."""
    text = (rectification_note or "").strip()
    if not text:
        raise DomainError(_("请填写整改情况。"), field="rectification_note")
    locked = for_update(hazard)
    workflow.require(locked, "submit", by)
    required = locked.organization.require_after_photo
    if required and not after_photos and not locked.photos.filter(phase=PhotoPhase.AFTER).exists():
        raise DomainError(_("本单位要求提交整改结果时上传整改后照片，请至少上传一张。"), field="after_photos")
    store_photos(hazard, by, PhotoPhase.AFTER, after_photos, at)

    def mutate(h: Hazard) -> None:
        h.rectification_note = text
        h.rectified_at = at or timezone.now()
        h.rectified_by = by
        h.endorsed_at = None
        h.endorsed_by = None

    return _transition(hazard, by, "submit", AuditVerb.HAZARD_SUBMITTED, ["rectification_note"], "", mutate, at)


@transaction.atomic
def hazard_change_plan(
    *, hazard: Hazard, by, plan: dict[str, Any], reason: str, at: dt.datetime | None = None
) -> Hazard:
    """Change the rectification plan after confirmation (the responsible person, the measures, the
    funds …), with a reason; the audit event keeps each changed part before and after. The deadline
    is not among them: it moves only by a postponement (hazard_postpone), which is approved above."""
    locked = for_update(hazard)
    workflow.require(locked, "change-plan", by)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("变更整改方案须填写变更理由。"), field="reason")
    data = clean_plan(locked, plan)
    deadline = data.pop("deadline", locked.deadline)
    if deadline != locked.deadline:
        raise DomainError(
            _("整改期限不能在变更整改方案时修改：需要延长期限的，请申请延期，经审批后生效。"), field="deadline"
        )

    def mutate(h: Hazard) -> None:
        before = audit.snapshot(h, list(data))
        for name, value in data.items():
            setattr(h, name, value)
        if before == audit.snapshot(h, list(data)):
            raise DomainError(_("整改方案没有变化。"), field="plan")
        require_plan_complete(h)

    return _transition(hazard, by, "change-plan", AuditVerb.HAZARD_PLAN_CHANGED, list(data), reason, mutate, at)


@transaction.atomic
def hazard_endorse(*, hazard: Hazard, by, note: str = "", at: dt.datetime | None = None) -> Hazard:
    """The principal endorses a major hazard's rectification before the regulator's review."""

    def mutate(h: Hazard) -> None:
        h.endorsed_at = at or timezone.now()
        h.endorsed_by = by

    return _transition(hazard, by, "endorse", AuditVerb.HAZARD_ENDORSED, ["endorsed_by"], note, mutate, at)


@transaction.atomic
def hazard_accept(*, hazard: Hazard, by, note: str = "", at: dt.datetime | None = None) -> Hazard:
    """Verify the rectification and close the hazard (销号)."""

    def mutate(h: Hazard) -> None:
        h.accepted_at = at or timezone.now()
        h.accepted_by = by
        h.acceptance_note = note

    return _transition(hazard, by, "accept", AuditVerb.HAZARD_ACCEPTED, ["accepted_by"], note, mutate, at)


@transaction.atomic
def hazard_reject(*, hazard: Hazard, by, reason: str) -> Hazard:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("验收不通过须填写理由。"), field="reason")

    def mutate(h: Hazard) -> None:
        h.acceptance_note = reason
        h.endorsed_at = None
        h.endorsed_by = None

    return _transition(hazard, by, "reject", AuditVerb.HAZARD_REJECTED, [], reason, mutate)


@transaction.atomic
def hazard_postpone(
    *, hazard: Hazard, by, new_deadline: dt.date, reason: str, at: dt.datetime | None = None
) -> Postponement:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("申请延期须填写理由。"), field="reason")
    hazard = for_update(hazard)
    workflow.require(hazard, "postpone", by)
    if new_deadline is None or (hazard.deadline and new_deadline <= hazard.deadline):
        raise DomainError(_("延期后的期限须晚于当前整改期限（%(d)s）。") % {"d": hazard.deadline}, field="new_deadline")
    request = Postponement.objects.create(
        hazard=hazard, requested_deadline=new_deadline, reason=reason, requested_by=by
    )
    if at is not None:  # requested_at is stamped on creation
        Postponement.objects.filter(pk=request.pk).update(requested_at=at)
        request.requested_at = at
    audit.record(
        actor=by,
        verb=AuditVerb.HAZARD_POSTPONE_REQUESTED,
        target=hazard,
        changes={"deadline": [str(hazard.deadline), str(new_deadline)]},
        note=reason,
        at=at,
    )
    return request


@transaction.atomic
def hazard_decide_postponement(
    *, hazard: Hazard, by, approve: bool, note: str = "", at: dt.datetime | None = None
) -> Hazard:
    action = "approve-postponement" if approve else "refuse-postponement"
    verb = AuditVerb.HAZARD_POSTPONE_APPROVED if approve else AuditVerb.HAZARD_POSTPONE_REFUSED
    if not approve and not (note or "").strip():
        raise DomainError(_("不批准延期须填写理由。"), field="note")

    def mutate(h: Hazard) -> None:
        request = h.postponements.select_for_update().get(decision=PostponementDecision.PENDING)
        request.decision = PostponementDecision.APPROVED if approve else PostponementDecision.REFUSED
        request.decided_by = by
        request.decided_at = at or timezone.now()
        request.decision_note = note
        request.save()
        if approve:
            h.deadline = request.requested_deadline

    return _transition(hazard, by, action, verb, ["deadline"], note, mutate, at)


@transaction.atomic
def hazard_reclassify(*, hazard: Hazard, by, level: str, reason: str, criterion: Criterion | None = None) -> Hazard:
    """General ↔ major. Becoming major needs a criterion, and the six-part plan before rectification
    goes on: a hazard being rectified without it returns to 待确认 to have its plan completed."""
    reason = (reason or "").strip()
    if level not in HazardLevel.values:
        raise DomainError(_("隐患等级无效。"), field="level")
    if not reason:
        raise DomainError(_("调整隐患等级须填写理由。"), field="reason")
    if level == hazard.level:
        raise DomainError(_("隐患已是%(level)s。") % {"level": HazardLevel(level).label}, field="level")
    if level == HazardLevel.MAJOR and criterion is None:
        raise DomainError(_("调整为重大事故隐患须选择判定依据。"), field="criterion")

    def mutate(h: Hazard) -> None:
        h.level = level
        h.criterion = criterion if level == HazardLevel.MAJOR else None
        h.endorsed_at = None
        h.endorsed_by = None
        if level == HazardLevel.MAJOR:
            h.fixed_on_spot = False
            if h.status in (HazardStatus.RECTIFYING, HazardStatus.AWAITING_ACCEPTANCE) and missing_plan_parts(h):
                h.status = HazardStatus.REPORTED
        elif h.is_supervised:
            h.is_supervised = False

    return _transition(hazard, by, "reclassify", AuditVerb.HAZARD_RECLASSIFIED, ["level", "criterion"], reason, mutate)


@transaction.atomic
def hazard_supervise(
    *, hazard: Hazard, by, level: str, deadline: dt.date, notice_number: str, at: dt.datetime | None = None
) -> Hazard:
    """List a major hazard for supervision (挂牌督办) with a notice number and a deadline."""
    notice_number = (notice_number or "").strip()
    if not notice_number:
        raise DomainError(_("挂牌督办须填写督办通知书文号。"), field="notice_number")
    if deadline is None or deadline < (timezone.localdate(at) if at else today()):
        raise DomainError(_("督办期限不能早于今天。"), field="deadline")
    if level not in SupervisionLevel.values:
        raise DomainError(_("督办级别无效。"), field="level")

    def mutate(h: Hazard) -> None:
        h.is_supervised = True
        h.supervision_level = level
        h.supervision_deadline = deadline
        h.supervision_notice_number = notice_number
        h.supervised_at = at or timezone.now()
        h.supervised_by = by

    return _transition(
        hazard,
        by,
        "supervise",
        AuditVerb.HAZARD_SUPERVISED,
        ["is_supervised", "supervision_level", "supervision_deadline", "supervision_notice_number"],
        "",
        mutate,
        at,
    )


@transaction.atomic
def hazard_unsupervise(*, hazard: Hazard, by, note: str = "") -> Hazard:
    def mutate(h: Hazard) -> None:
        h.is_supervised = False

    return _transition(hazard, by, "unsupervise", AuditVerb.HAZARD_UNSUPERVISED, ["is_supervised"], note, mutate)
