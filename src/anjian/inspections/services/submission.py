"""A filled checklist submitted: the inspection record and its results.

``inspection_submit`` finds what the record is filed against (a ``Filing``, one function per target:
the record a correction corrects, a schedule's period, a supervision), locks the place (the point,
or the institution), checks every answer, then writes the record, its results
(``results.results_write``: hazards raised or linked, photos), its number (last, when no item
failed: ``_number_last``) and its audit event."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.core import audit, db, precompiled
from anjian.core.audit import AuditVerb
from anjian.core.errors import DomainError
from anjian.core.numbering import next_number
from anjian.core.permissions import Action
from anjian.core.scoping import get_visible_or_404
from anjian.core.services import require_action, validated_insert
from anjian.inspections import labels, workflow
from anjian.inspections.choices import Result
from anjian.inspections.models import (
    ChecklistTemplate,
    InspectionPoint,
    InspectionRecord,
    InspectionResult,
    Schedule,
    SupervisionInspection,
)
from anjian.inspections.services.answers import answers_refusal, clean_results
from anjian.inspections.services.filling import (
    check_fillable,
    check_slot_free,
    locked_point,
    visible_schedule,
)
from anjian.inspections.services.results import Written, results_write
from anjian.orgs.models import Organization

RECORD_PREFIX = "XJ"


@dataclass
class Filing:
    """What a record is filed against, and what it takes from it: the inspected institution, the
    checklist version, the schedule's period (and its point, or its department) or the supervision,
    the time it was done; for a correction, the record it corrects (and the problems found so far,
    told with the answers')."""

    organization: Organization
    template: ChecklistTemplate
    performed_at: dt.datetime
    schedule: Schedule | None = None
    point: InspectionPoint | None = None
    point_locked: bool = False
    supervision: SupervisionInspection | None = None
    department_id: int | None = None
    period_start: dt.datetime | None = None
    corrects: InspectionRecord | None = None
    errors: dict[str, list] = field(default_factory=dict)


@db.prepared_statements()  # the same dozen statements every time (core.db)
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
    if corrects is not None:
        filing = _filing_for_correction(by, corrects, correction_reason)
    elif schedule is not None:
        filing = _filing_for_schedule(by, schedule, point, now)
    elif supervision is not None:
        filing = _filing_for_supervision(by, supervision, template, point, now)
    else:
        raise DomainError(_("请选择排查计划。"), field="schedule")
    workflow.require(filing.template, "use", by)
    _lock_place(by, filing)
    if filing.corrects is None and filing.schedule is not None:
        check_slot_free(by, filing.schedule, filing.point, filing.period_start)  # under the lock just taken
    cleaned, item_errors = clean_results(filing.template, results)
    errors = {**filing.errors, **item_errors}
    if errors:
        raise answers_refusal(errors)
    record = _record_create(
        by, filing, cleaned, scan_token=scan_token, note=note, correction_reason=correction_reason, at=at
    )
    written = results_write(by=by, record=record, cleaned=cleaned, at=at)
    _keep_results(record, written.results)
    _number_last(record)
    _record_audit(by, record, written, at=at)
    return record


# --- what the record is filed against --------------------------------------------------------------
def _filing_for_correction(by, corrects: InspectionRecord, reason: str) -> Filing:
    """A correction: a new record of what the original was filed against (its schedule, period,
    point, department, checklist version, supervision, time), by the original inspector or the
    unit's leaders, with a reason."""
    corrects = get_visible_or_404(InspectionRecord.objects.select_for_update(), by, pk=corrects.pk)
    workflow.require(workflow.Inspection(record=corrects), "correct", by)
    errors = {}
    if not (reason or "").strip():
        errors["correction_reason"] = [_("更正记录须填写更正原因。")]
    return Filing(
        schedule=corrects.schedule,
        point=corrects.point,
        template=corrects.template,
        supervision=corrects.supervision,
        organization=corrects.organization,
        department_id=corrects.department_id,
        period_start=corrects.period_start,
        performed_at=corrects.performed_at,
        corrects=corrects,
        errors=errors,
    )


def _filing_for_schedule(by, schedule: Schedule, point: InspectionPoint | None, now: dt.datetime) -> Filing:
    """A schedule's period now, at the caller's point or (a schedule without points) for the
    schedule's department, else the inspector's; with the checklist's current version."""
    # one statement for the schedule, its organization, its checklist, the checklist's current
    # version and whether it names points (rather than one each)
    schedule = visible_schedule.get_or_404(by, schedule.pk)
    # the institution's own schedule: its organization is the user's, already read with the user
    organization = by.organization if by.organization_id == schedule.organization_id else schedule.organization
    if point is not None:  # the caller's point, locked: one inspection of a place at a time
        point = locked_point.get_or_404(by, schedule.pk, point.pk)
    slot = check_fillable(by, schedule, point, now)
    if schedule.current_version_id == schedule.template_id:
        template = schedule.template
    else:
        template = ChecklistTemplate.objects.get(pk=schedule.current_version_id)
    department_id = schedule.department_id or (by.department_id if by.organization_id == organization.pk else None)
    return Filing(
        organization=organization,
        template=template,
        performed_at=now,
        schedule=schedule,
        point=point,
        point_locked=point is not None,
        department_id=department_id,
        period_start=slot.start,
    )


def _filing_for_supervision(
    by, supervision: SupervisionInspection, template: ChecklistTemplate | None, point, now: dt.datetime
) -> Filing:
    """A supervision's checklist, filled by the regulator's team at the institution (at the caller's
    point, if any)."""
    supervision = get_visible_or_404(SupervisionInspection, by, pk=supervision.pk)
    workflow.require(workflow.Inspection(supervision=supervision), "submit", by)
    if template is None:
        raise DomainError(_("请选择检查表。"), field="template")
    template = get_visible_or_404(ChecklistTemplate, by, pk=template.pk)
    return Filing(
        organization=supervision.institution, template=template, performed_at=now, point=point, supervision=supervision
    )


def _lock_place(by, filing: Filing) -> None:
    """One inspection of a place at a time: the point, locked (it must belong to the inspected
    institution, and its department is the record's); without a point, the institution."""
    if filing.point is None:
        # one inspection at a time per institution raises hazards: no duplicate for the same item
        Organization.objects.select_for_update().filter(pk=filing.organization.pk).first()
        return
    if not filing.point_locked:
        filing.point = get_visible_or_404(InspectionPoint.objects.select_for_update(), by, pk=filing.point.pk)
    if filing.point.organization_id != filing.organization.pk:
        raise DomainError(_("巡检点须属于被检查机构。"), field="point")
    filing.department_id = filing.point.department_id or filing.department_id


# --- the record written ----------------------------------------------------------------------------
def _record_create(
    by, filing: Filing, cleaned: list, *, scan_token: str, note: str, correction_reason: str, at
) -> InspectionRecord:
    """The record with its counts, numbered now if an item failed (its hazards name the record), else
    by ``_number_last``; "scanned at the point" only with the token of the point's current label,
    and never for a correction (written afterwards, not at the point)."""
    point, corrects = filing.point, filing.corrects
    scanned = point is not None and corrects is None and labels.check_token(point, scan_token).scanned
    fail_count = sum(1 for _i, r in cleaned if r["result"] == Result.FAIL)
    record = InspectionRecord(
        # a failed item's hazard names the record: numbered now; otherwise last (``_number_last``)
        number=next_number(RECORD_PREFIX, timezone.localdate().year) if fail_count else _unnumbered(),
        organization=filing.organization,
        schedule=filing.schedule,
        template=filing.template,
        point=point,
        department_id=filing.department_id,
        supervision=filing.supervision,
        performed_by=by,
        performed_at=filing.performed_at,
        period_start=filing.period_start,
        scanned=scanned,
        note=(note or "").strip(),
        corrects=corrects,
        correction_reason=(correction_reason or "").strip(),
        pass_count=sum(1 for _i, r in cleaned if r["result"] == Result.PASS),
        fail_count=fail_count,
        na_count=sum(1 for _i, r in cleaned if r["result"] == Result.NA),
    )
    # the objects it points to were fetched in scope above, its number comes from the counter and its
    # slot was checked just before: full_clean's lookups would repeat them (the database keeps both unique)
    validated_insert(record)
    if at is not None:  # created_at (提交时间) is stamped on creation
        InspectionRecord.objects.filter(pk=record.pk).update(created_at=at)
        record.created_at = at
    return record


UNNUMBERED = "~"  # the start of a record's number until it is numbered (never committed)


def _unnumbered() -> str:
    return UNNUMBERED + secrets.token_hex(8)  # unique among the records being written at the same time


def _number_last(record: InspectionRecord) -> None:
    """Number a record written without its number, just before its audit event. The counter's row
    lock orders every submission until its transaction ends: taken here, it is held for two short
    statements and the audit event (whose chain lock orders every write anyway) rather than for the
    whole write of the record and its results, which took a submission's throughput from two
    workers below 100 a second."""
    if record.number.startswith(UNNUMBERED):
        record.number = next_number(RECORD_PREFIX, timezone.localdate().year)
        precompiled.update(record, "number")


def _record_audit(by, record: InspectionRecord, written: Written, *, at) -> None:
    """The record's audit event: submitted or corrected, its counts, the hazards raised or linked."""
    point = record.point
    changes = {
        "template": [None, str(record.template)],
        "point": [None, point.name if point else None],
        "pass_count": [None, record.pass_count],
        "fail_count": [None, record.fail_count],
        "na_count": [None, record.na_count],
    }
    if point is not None:
        changes["scanned"] = [None, record.scanned]
    notes = [record.correction_reason if record.corrects else record.note]
    if written.raised:
        notes.append(str(_("不合格项登记隐患：%(h)s")) % {"h": "、".join(written.raised)})
    if written.linked:
        notes.append(str(_("不合格项关联未销号隐患：%(h)s")) % {"h": "、".join(written.linked)})
    audit.record(
        actor=by,
        verb=AuditVerb.INSPECTION_CORRECTED if record.corrects else AuditVerb.INSPECTION_SUBMITTED,
        target=record,
        changes=changes,
        note="；".join(n for n in notes if n),
        at=at,
    )


def _keep_results(record: InspectionRecord, results: list[InspectionResult]) -> None:
    """record.results.all() answers from memory, in the model's order, as after prefetch_related("results")
    (the API answers with the record without a query); other uses of record.results still query"""
    saved = record.results.all()
    saved._result_cache = sorted(results, key=lambda r: (r.item.section.order, r.item.order, r.pk))
    saved._prefetch_done = True
    record._prefetched_objects_cache = {"results": saved}
