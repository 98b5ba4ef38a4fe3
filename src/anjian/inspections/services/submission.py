"""A filled checklist submitted: the inspection record and its results."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.core import audit
from anjian.core.audit import AuditVerb
from anjian.core.errors import DomainError, NotPermittedError
from anjian.core.numbering import next_number
from anjian.core.permissions import Action
from anjian.core.roles import REGULATOR_ROLES, Role
from anjian.core.scoping import get_visible_or_404
from anjian.core.services import validated_insert
from anjian.inspections import labels
from anjian.inspections.choices import Result, TemplateStatus
from anjian.inspections.models import (
    ChecklistTemplate,
    InspectionPoint,
    InspectionRecord,
    InspectionResult,
    ResultPhoto,
    Schedule,
    SupervisionInspection,
)
from anjian.inspections.services.answers import answers_refusal, clean_results
from anjian.inspections.services.common import require_action
from anjian.inspections.services.filling import (
    check_fillable,
    check_may_correct,
    check_slot_free,
    point_for_submit,
    schedule_for_submit,
)
from anjian.inspections.services.results import _open_hazards_for, _raise_hazard, _risks_checked_by
from anjian.orgs.models import Organization

RECORD_PREFIX = "XJ"


@transaction.atomic
def inspection_submit(
    *,
    by,
    results: list[dict],
    schedule: Schedule | None = None,
    point: InspectionPoint | None = None,
    template: ChecklistTemplate | None = None,
    supervision: SupervisionInspection | None = None,
    scan_token: str = "",
    note: str = "",
    corrects: InspectionRecord | None = None,
    correction_reason: str = "",
    performed_at: dt.datetime | None = None,
    at: dt.datetime | None = None,
) -> InspectionRecord:
    """Submit a filled checklist. ``results``: ``[{"item": id, "result": "pass"|"fail"|"na", "note":
    "…", "photos": [uploads]}]``, one per item of the checklist's version. Each failed item becomes a
    hazard (source self-inspection, or supervision), unless a hazard raised by the same item at the
    same place is still open: then the result is linked to that one.

    ``scan_token``: the token of the point's QR label (``labels.scan_token``), when the inspector
    scanned it; the record is "scanned at the point" only when it is the point's current label's.

    A refusal tells every problem of the answers at once (``DomainError.errors``, by
    ``result_error_key``) and writes nothing: no record, hazard, photo file or audit event.

    ``at``: when the record was submitted, if not now, for replaying a dated history (the demo): the
    record's submission time, its audit event and the hazards it raises carry it. Views never pass it.

    The record returned carries its results (``record.results.all()`` without a query), each with
    its item and hazard."""
    require_action(by, Action.INSPECTION_PERFORM)
    now = performed_at or timezone.now()  # earlier: a paper record entered afterwards (补录)
    if now > timezone.now() + dt.timedelta(minutes=5):
        raise DomainError(_("检查时间不能晚于现在。"), field="performed_at")
    department_id = None
    locked_point = False
    errors: dict[str, list] = {}
    if corrects is not None:
        corrects = get_visible_or_404(InspectionRecord.objects.select_for_update(), by, pk=corrects.pk)
        check_may_correct(by, corrects)
        if not (correction_reason or "").strip():
            errors["correction_reason"] = [_("更正记录须填写更正原因。")]
        schedule, point, template, supervision = (
            corrects.schedule,
            corrects.point,
            corrects.template,
            corrects.supervision,
        )
        organization = corrects.organization
        department_id = corrects.department_id
        period_start = corrects.period_start
        performed_at = corrects.performed_at
    elif schedule is not None:
        # one statement for the schedule, its organization, its checklist, the checklist's current
        # version and whether it names points (rather than one each)
        schedule = get_visible_or_404(schedule_for_submit(), by, pk=schedule.pk)
        # the institution's own schedule: its organization is the user's, already read with the user
        organization = by.organization if by.organization_id == schedule.organization_id else schedule.organization
        if point is not None:  # the caller's point, locked: one inspection of a place at a time
            point = get_visible_or_404(point_for_submit(schedule), by, pk=point.pk)
            locked_point = True
        slot = check_fillable(by, schedule, point, now)
        if schedule.current_version_id == schedule.template_id:
            template = schedule.template
        else:
            template = ChecklistTemplate.objects.get(pk=schedule.current_version_id)
        department_id = schedule.department_id or (by.department_id if by.organization_id == organization.pk else None)
        period_start = slot.start
        performed_at = now
    elif supervision is not None:
        supervision = get_visible_or_404(SupervisionInspection, by, pk=supervision.pk)
        if by.role not in REGULATOR_ROLES and by.role != Role.INSPECTOR:
            raise NotPermittedError(_("督导检查记录由监管部门或其委托的检查人员填写。"))
        if template is None:
            raise DomainError(_("请选择检查表。"), field="template")
        template = get_visible_or_404(ChecklistTemplate, by, pk=template.pk)
        organization = supervision.institution
        period_start, performed_at = None, now
    else:
        raise DomainError(_("请选择排查计划。"), field="schedule")

    if template.status == TemplateStatus.DRAFT:
        raise DomainError(_("检查表尚未发布，不能用于检查。"), field="template")
    if point is not None:
        if not locked_point:
            point = get_visible_or_404(InspectionPoint.objects.select_for_update(), by, pk=point.pk)
        if point.organization_id != organization.pk:
            raise DomainError(_("巡检点须属于被检查机构。"), field="point")
        department_id = point.department_id or department_id
    else:
        # one inspection at a time per institution raises hazards: no duplicate for the same item
        Organization.objects.select_for_update().filter(pk=organization.pk).first()
    if corrects is None and schedule is not None:
        check_slot_free(schedule, point, period_start)  # under the lock just taken
    cleaned, item_errors = clean_results(template, results)
    errors.update(item_errors)
    if errors:
        raise answers_refusal(errors)

    scanned = point is not None and corrects is None and labels.check_token(point, scan_token).scanned
    record = InspectionRecord(
        number=next_number(RECORD_PREFIX, timezone.localdate().year),
        organization=organization,
        schedule=schedule,
        template=template,
        point=point,
        department_id=department_id,
        supervision=supervision,
        performed_by=by,
        performed_at=performed_at,
        period_start=period_start,
        scanned=scanned,
        note=(note or "").strip(),
        corrects=corrects,
        correction_reason=(correction_reason or "").strip(),
        pass_count=sum(1 for _i, r in cleaned if r["result"] == Result.PASS),
        fail_count=sum(1 for _i, r in cleaned if r["result"] == Result.FAIL),
        na_count=sum(1 for _i, r in cleaned if r["result"] == Result.NA),
    )
    # the objects it points to were fetched in scope above, its number comes from the counter and its
    # slot was checked just before: full_clean's lookups would repeat them (the database keeps both unique)
    validated_insert(record)
    if at is not None:  # created_at (提交时间) is stamped on creation
        InspectionRecord.objects.filter(pk=record.pk).update(created_at=at)
        record.created_at = at
    raised, linked = [], []
    results, photos = [], []
    failed = [item for item, row in cleaned if row["result"] == Result.FAIL]
    open_hazards = _open_hazards_for(failed, record)
    risks = _risks_checked_by(failed)
    for item, row in cleaned:
        result = InspectionResult(record=record, item=item, result=row["result"], note=row["note"])
        if row["result"] == Result.FAIL:
            hazard, created = _raise_hazard(
                by,
                record,
                item,
                row["note"],
                row["photos"],
                existing=open_hazards.get(item.key),
                risk=risks.get(item.key),
                at=at,
            )
            result.hazard, result.hazard_created = hazard, created
            (raised if created else linked).append(hazard.number)
        results.append(result)
        photos.append(row["processed"])
    # one INSERT for all the results (ids returned on PostgreSQL and SQLite ≥ 3.35): a submission
    # holds the record-number counter's row lock for a few statements, not one per item
    InspectionResult.objects.bulk_create(results)
    for result, processed in zip(results, photos, strict=True):
        for p in processed:
            photo = ResultPhoto(result=result, uploaded_by=by, width=p.width, height=p.height)
            photo.image.save(p.image.name, p.image, save=False)
            photo.thumbnail.save(p.thumbnail.name, p.thumbnail, save=False)
            photo.save()
    changes = {
        "template": [None, str(template)],
        "point": [None, point.name if point else None],
        "pass_count": [None, record.pass_count],
        "fail_count": [None, record.fail_count],
        "na_count": [None, record.na_count],
    }
    if point is not None:
        changes["scanned"] = [None, record.scanned]
    notes = [record.correction_reason if corrects else record.note]
    if raised:
        notes.append(str(_("不合格项登记隐患：%(h)s")) % {"h": "、".join(raised)})
    if linked:
        notes.append(str(_("不合格项关联未销号隐患：%(h)s")) % {"h": "、".join(linked)})
    audit.record(
        actor=by,
        verb=AuditVerb.INSPECTION_CORRECTED if corrects else AuditVerb.INSPECTION_SUBMITTED,
        target=record,
        changes=changes,
        note="；".join(n for n in notes if n),
        at=at,
    )
    # record.results.all() answers from memory, in the model's order, as after prefetch_related("results")
    # (the API answers with the record without a query); other uses of record.results still query
    saved = record.results.all()
    saved._result_cache = sorted(results, key=lambda r: (r.item.section.order, r.item.order, r.pk))
    saved._prefetch_done = True
    record._prefetched_objects_cache = {"results": saved}
    return record
