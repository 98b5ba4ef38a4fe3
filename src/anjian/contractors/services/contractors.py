"""The contractor register: contractors, their qualification certificates and safety agreements,
their workers (ID numbers encrypted, only the mask ever shown or audited), evaluations after a
job; and the kinds of dangerous work (shared reference data)."""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from anjian.contractors.models import Contractor, Evaluation, PermitKind, Qualification, SafetyAgreement, Worker
from anjian.core import audit, crypto, uploads
from anjian.core.audit import AuditVerb
from anjian.core.errors import ConflictError, DomainError, NotPermittedError
from anjian.core.permissions import Action
from anjian.core.scoping import get_visible_or_404
from anjian.core.services import require_action as _require
from anjian.core.services import set_active_with_audit, update_with_audit, validated_save

CONTRACTOR_FIELDS = [
    "name",
    "credit_code",
    "services",
    "contact_person",
    "contact_phone",
    "insurance_expires_on",
    "note",
]
QUALIFICATION_FIELDS = ["name", "number", "expires_on"]
AGREEMENT_FIELDS = ["title", "starts_on", "ends_on", "institution_signatory", "contractor_signatory"]
WORKER_FIELDS = ["name", "work_type", "certificate", "certificate_expires_on", "briefed_on"]
KIND_FIELDS = [
    "name",
    "required_checks",
    "gas_test_required",
    "gas_test_valid_minutes",
    "needs_principal",
    "max_hours",
    "is_active",
]

_ID_NUMBER = re.compile(r"^\d{17}[\dX]$", re.ASCII)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def _institution_of(by):
    org = by.organization
    if org is None or not org.is_institution:
        raise DomainError(_("相关方由医疗卫生机构自行登记管理。"))
    return org


def _own(by, contractor: Contractor) -> None:
    if contractor.organization_id != by.organization_id:
        raise NotPermittedError(_("只能维护本单位的相关方信息。"))


def _contractor_for_write(by, contractor: Contractor) -> Contractor:
    _require(by, Action.CONTRACTOR_MANAGE)
    contractor = get_visible_or_404(Contractor.objects.select_for_update(), by, pk=contractor.pk)
    _own(by, contractor)
    return contractor


def normalize_id_number(value: str) -> str:
    """A resident ID number (GB 11643-1999: 18 characters, ISO 7064 MOD 11-2 check) in capitals,
    or a DomainError that never repeats the number."""
    code = (value or "").strip().upper()
    if not _ID_NUMBER.match(code):
        raise DomainError(_("身份证号应为18位（前17位为数字，末位为数字或X）。"), field="id_number")
    expected = _ID_CHECK[sum(int(c) * w for c, w in zip(code[:17], _ID_WEIGHTS, strict=True)) % 11]
    if code[17] != expected:
        raise DomainError(_("身份证号校验位错误，请核对。"), field="id_number")
    return code


def _attach(obj, field: str, upload) -> None:
    if upload:
        uploads.check_upload(upload, field=field)
        getattr(obj, field).save(upload.name.rsplit("/", 1)[-1], upload, save=False)


# --- contractors ---------------------------------------------------------------------------------
@transaction.atomic
def contractor_create(*, by, data: dict[str, Any]) -> Contractor:
    _require(by, Action.CONTRACTOR_MANAGE)
    org = _institution_of(by)
    data = {k: v for k, v in data.items() if k in CONTRACTOR_FIELDS}
    data["credit_code"] = (data.get("credit_code") or "").strip().upper()
    if Contractor.objects.filter(organization=org, credit_code=data["credit_code"]).exists():
        raise DomainError(_("本机构已登记该统一社会信用代码的相关方。"), field="credit_code")
    contractor = Contractor(organization=org, **data)
    validated_save(contractor)
    audit.record(
        actor=by,
        verb=AuditVerb.CONTRACTOR_CREATED,
        target=contractor,
        changes=audit.diff({}, audit.snapshot(contractor, CONTRACTOR_FIELDS)),
    )
    return contractor


@transaction.atomic
def contractor_update(*, by, contractor: Contractor, data: dict[str, Any]) -> Contractor:
    contractor = _contractor_for_write(by, contractor)
    if "credit_code" in data:
        data = {**data, "credit_code": (data["credit_code"] or "").strip().upper()}
    return update_with_audit(contractor, by=by, verb=AuditVerb.CONTRACTOR_UPDATED, data=data, fields=CONTRACTOR_FIELDS)


@transaction.atomic
def contractor_set_active(*, by, contractor: Contractor, active: bool, note: str = "") -> Contractor:
    contractor = _contractor_for_write(by, contractor)
    verbs = (AuditVerb.CONTRACTOR_REACTIVATED, AuditVerb.CONTRACTOR_DEACTIVATED)
    return set_active_with_audit(contractor, by=by, active=active, verbs=verbs, note=note)


@transaction.atomic
def qualification_add(*, by, contractor: Contractor, data: dict[str, Any], file=None) -> Qualification:
    contractor = _contractor_for_write(by, contractor)
    if not (data.get("name") or "").strip():
        raise DomainError(_("请填写证书名称。"), field="name")
    if not data.get("expires_on"):
        raise DomainError(_("请填写证书有效期。"), field="expires_on")
    q = Qualification(contractor=contractor, created_by=by, **{k: data.get(k) or "" for k in ("name", "number")})
    q.expires_on = data["expires_on"]
    _attach(q, "file", file)
    validated_save(q)
    audit.record(
        actor=by,
        verb=AuditVerb.CONTRACTOR_QUALIFICATION_ADDED,
        target=contractor,
        changes=audit.diff({}, audit.snapshot(q, QUALIFICATION_FIELDS)),
    )
    return q


@transaction.atomic
def qualification_retire(*, by, qualification: Qualification, reason: str) -> Qualification:
    """Retire a certificate (replaced, withdrawn, entered by mistake): it no longer counts for the
    contractor's blockers and warnings; the row stays, with the reason in the audit trail."""
    _require(by, Action.CONTRACTOR_MANAGE)
    qualification = get_visible_or_404(
        Qualification.objects.select_for_update(of=("self",)).select_related("contractor"), by, pk=qualification.pk
    )
    _own(by, qualification.contractor)
    if not qualification.is_active:
        raise ConflictError(_("“%(c)s”已停用。") % {"c": qualification})
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写停用原因。"), field="reason")
    qualification.is_active = False
    validated_save(qualification, update_fields=["is_active"])
    audit.record(
        actor=by,
        verb=AuditVerb.CONTRACTOR_QUALIFICATION_RETIRED,
        target=qualification.contractor,
        changes={"qualification": [str(qualification), None], "is_active": [True, False]},
        note=reason,
    )
    return qualification


@transaction.atomic
def agreement_add(*, by, contractor: Contractor, data: dict[str, Any], file=None) -> SafetyAgreement:
    contractor = _contractor_for_write(by, contractor)
    missing = [f for f in AGREEMENT_FIELDS if not data.get(f)]
    if missing:
        field = missing[0]
        label = SafetyAgreement._meta.get_field(field).verbose_name
        raise DomainError(_("请填写%(f)s。") % {"f": label}, field=field)
    a = SafetyAgreement(contractor=contractor, created_by=by, **{k: data[k] for k in AGREEMENT_FIELDS})
    if a.ends_on < a.starts_on:
        raise DomainError(_("协议到期日期不能早于生效日期。"), field="ends_on")
    _attach(a, "file", file)
    validated_save(a)
    audit.record(
        actor=by,
        verb=AuditVerb.CONTRACTOR_AGREEMENT_ADDED,
        target=contractor,
        changes=audit.diff({}, audit.snapshot(a, AGREEMENT_FIELDS)),
    )
    return a


# --- workers -------------------------------------------------------------------------------------
def _worker_snapshot(w: Worker) -> dict:
    """What the audit trail keeps of a worker: the ID number only as its mask."""
    return {**audit.snapshot(w, WORKER_FIELDS), "id_number": w.id_number_masked}


@transaction.atomic
def worker_add(*, by, contractor: Contractor, data: dict[str, Any]) -> Worker:
    contractor = _contractor_for_write(by, contractor)
    if not (data.get("name") or "").strip():
        raise DomainError(_("请填写姓名。"), field="name")
    id_number = normalize_id_number(data.get("id_number") or "")
    index = crypto.blind_index(id_number)
    if Worker.objects.filter(contractor=contractor, id_number_index=index).exists():
        raise DomainError(_("该相关方已登记此身份证号的人员。"), field="id_number")
    worker = Worker(
        contractor=contractor,
        id_number_encrypted=crypto.encrypt(id_number),
        id_number_index=index,
        id_number_masked=crypto.mask(id_number),
        **{k: data.get(k) for k in WORKER_FIELDS if k in data},
    )
    for name in ("work_type", "certificate"):
        if getattr(worker, name) is None:
            setattr(worker, name, "")
    validated_save(worker)
    audit.record(
        actor=by,
        verb=AuditVerb.CONTRACTOR_WORKER_ADDED,
        target=contractor,
        changes=audit.diff({}, _worker_snapshot(worker)),
    )
    return worker


@transaction.atomic
def worker_update(*, by, worker: Worker, data: dict[str, Any]) -> Worker:
    """Change a worker's details (briefing date, certificate, on site or not); the ID number stays."""
    _require(by, Action.CONTRACTOR_MANAGE)
    worker = get_visible_or_404(
        Worker.objects.select_for_update(of=("self",)).select_related("contractor"), by, pk=worker.pk
    )
    _own(by, worker.contractor)
    allowed = [*WORKER_FIELDS, "is_active"]
    unknown = set(data) - set(allowed)
    if unknown:
        raise DomainError(_("不能修改这些字段：%(f)s") % {"f": "、".join(sorted(unknown))})
    before = audit.snapshot(worker, list(data))
    for name, value in data.items():
        setattr(worker, name, "" if value is None and name in ("work_type", "certificate") else value)
    changes = audit.diff(before, audit.snapshot(worker, list(data)))
    if changes:
        validated_save(worker)
        audit.record(actor=by, verb=AuditVerb.CONTRACTOR_WORKER_UPDATED, target=worker.contractor, changes=changes)
    return worker


# --- evaluations ---------------------------------------------------------------------------------
@transaction.atomic
def contractor_evaluate(
    *, by, contractor: Contractor, job: str, score: int, comment: str = "", permit=None
) -> Evaluation:
    contractor = _contractor_for_write(by, contractor)
    if not (job or "").strip():
        raise DomainError(_("请填写作业/服务内容。"), field="job")
    if score is None or not 0 <= int(score) <= 100:
        raise DomainError(_("评分为 0–100 分。"), field="score")
    if permit is not None and permit.contractor_id != contractor.pk:
        raise DomainError(_("作业票不属于该相关方。"), field="permit")
    evaluation = Evaluation(
        contractor=contractor,
        permit=permit,
        job=job.strip(),
        score=int(score),
        comment=(comment or "").strip(),
        evaluated_by=by,
    )
    validated_save(evaluation)
    audit.record(
        actor=by,
        verb=AuditVerb.CONTRACTOR_EVALUATED,
        target=contractor,
        changes={"job": [None, evaluation.job], "score": [None, evaluation.score]},
        note=evaluation.comment,
    )
    return evaluation


# --- kinds of work (shared) ----------------------------------------------------------------------
@transaction.atomic
def permit_kind_update(*, by, kind: PermitKind, data: dict[str, Any]) -> PermitKind:
    _require(by, Action.WORK_PERMIT_KIND_MANAGE)
    kind = PermitKind.objects.select_for_update().get(pk=kind.pk)
    if "required_checks" in data and not [
        line for line in (data["required_checks"] or "").splitlines() if line.strip()
    ]:
        raise DomainError(_("请至少填写一项安全措施确认项。"), field="required_checks")
    return update_with_audit(kind, by=by, verb=AuditVerb.WORK_PERMIT_KIND_UPDATED, data=data, fields=KIND_FIELDS)
