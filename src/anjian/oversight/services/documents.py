"""The regulator's documents (通报, 督促函, 移交函) and the public 隐患曝光台: each drafted or proposed
by one regulator user and approved by another before it is issued (numbered) or shown to the
public; a rejected draft stays with its reason, an exposure can be withdrawn. All audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.core import audit
from anjian.core.audit import AuditVerb
from anjian.core.errors import ConflictError, DomainError, NotPermittedError
from anjian.core.numbering import next_value
from anjian.core.permissions import Action, can
from anjian.core.scoping import get_visible_or_404
from anjian.hazards.models import Hazard
from anjian.orgs.choices import InstitutionKind
from anjian.oversight.choices import ApprovalStatus, DocumentKind
from anjian.oversight.models import Exposure, RegulatorDocument

NUMBER_WORD = {DocumentKind.CIRCULAR: "通", DocumentKind.URGE: "督", DocumentKind.TRANSFER: "移"}


def _regulator(by, action: Action):
    if not can(by, action):
        raise NotPermittedError(_("您的角色无权执行此操作：%(action)s") % {"action": action.label})
    org = by.organization
    if org is None or not org.is_regulator:
        raise NotPermittedError(_("监管文书由监管部门出具。"))
    return org


def document_number(document: RegulatorDocument, day: dt.date) -> str:
    """安宁卫健通〔2026〕3号: the regulator's short name, the kind's word, the year, the next number."""
    regulator = document.regulator
    n = next_value(f"OVD-{document.kind}-{regulator.pk}-{day.year}")
    return f"{regulator.short_name or regulator.name}{NUMBER_WORD[document.kind]}〔{day.year}〕{n}号"


@transaction.atomic
def document_draft(*, by, data: dict[str, Any], institutions=()) -> RegulatorDocument:
    regulator = _regulator(by, Action.OVERSIGHT_DOCUMENT_DRAFT)
    kind = data.get("kind")
    if kind not in DocumentKind.values:
        raise DomainError(_("请选择文书类型。"), field="kind")
    fields = {}
    for name, label in (("title", _("标题")), ("addressee", _("主送")), ("body", _("正文"))):
        fields[name] = (data.get(name) or "").strip()
        if not fields[name]:
            raise DomainError(_("请填写%(f)s。") % {"f": label}, field=name)
    receiving = (data.get("receiving_body") or "").strip()
    handed = data.get("handed_over_on")
    if kind == DocumentKind.TRANSFER and (not receiving or handed is None):
        raise DomainError(_("移交函须填写接收单位和移交日期。"), field="receiving_body")
    institutions = list(institutions or [])
    if kind == DocumentKind.CIRCULAR and not institutions:
        raise DomainError(_("通报须选择被通报的机构。"), field="institutions")
    if kind == DocumentKind.URGE and not institutions:  # a 督促函 reaches only the institutions it names
        raise DomainError(_("督促函须选择被督促的机构。"), field="institutions")
    audience = data.get("audience_kind") or ""
    if audience not in InstitutionKind.values and audience != "":
        raise DomainError(_("通报范围须为一个机构类别，或不选（辖区全部机构）。"), field="audience_kind")
    if kind != DocumentKind.CIRCULAR:
        audience = ""  # only a circular goes to a district or kind; the others to whom they name
    for org in institutions:
        get_visible_or_404(type(org), by, pk=org.pk)
    document = RegulatorDocument.objects.create(
        regulator=regulator,
        kind=kind,
        title=fields["title"][:200],
        addressee=fields["addressee"][:200],
        body=fields["body"],
        receiving_body=receiving[:200],
        handed_over_on=handed,
        audience_kind=audience,
        drafted_by=by,
    )
    document.institutions.set(institutions)
    changes = {"title": [None, document.title], "institutions": [None, [o.name for o in institutions]]}
    if kind == DocumentKind.CIRCULAR:
        changes["audience"] = [None, document.audience_label]
    audit.record(
        actor=by, verb=AuditVerb.OVERSIGHT_DOCUMENT_DRAFTED, target=document, organization=regulator, changes=changes
    )
    return document


@transaction.atomic
def document_decide(*, by, document: RegulatorDocument, approve: bool, note: str = "") -> RegulatorDocument:
    """Approve (issue, with its number and today's date) or reject a draft: not by its drafter."""
    _regulator(by, Action.OVERSIGHT_DOCUMENT_APPROVE)
    get_visible_or_404(RegulatorDocument, by, pk=document.pk)
    document = RegulatorDocument.objects.select_for_update(of=("self",)).select_related("regulator").get(pk=document.pk)
    if document.status != ApprovalStatus.PENDING:
        raise ConflictError(_("该文书已%(s)s。") % {"s": document.get_status_display()})
    if document.drafted_by_id == by.pk:
        raise NotPermittedError(_("文书须由拟稿人以外的人审批。"))
    note = (note or "").strip()
    if not approve and not note:
        raise DomainError(_("不批准须填写意见。"), field="note")
    document.decided_by, document.decision_note = by, note
    if approve:
        today = timezone.localdate()
        document.status, document.issued_on = ApprovalStatus.APPROVED, today
        document.number = document_number(document, today)
    else:
        document.status = ApprovalStatus.REJECTED
    document.save()
    audit.record(
        actor=by,
        verb=AuditVerb.OVERSIGHT_DOCUMENT_ISSUED if approve else AuditVerb.OVERSIGHT_DOCUMENT_REJECTED,
        target=document,
        organization=document.regulator,
        changes={"number": [None, document.number]} if approve else {},
        note=note,
    )
    return document


@transaction.atomic
def exposure_propose(*, by, hazard: Hazard, problem: str = "") -> Exposure:
    regulator = _regulator(by, Action.OVERSIGHT_DOCUMENT_DRAFT)
    hazard = get_visible_or_404(Hazard, by, pk=hazard.pk)
    if hazard.status == "dismissed":
        raise DomainError(_("已撤销的隐患不能曝光。"), field="hazard")
    if Exposure.objects.filter(hazard=hazard, status__in=[ApprovalStatus.PENDING, ApprovalStatus.APPROVED]).exists():
        raise ConflictError(_("该隐患已在曝光台或待审批。"), field="hazard")
    problem = (problem or hazard.title).strip()[:300]
    exposure = Exposure.objects.create(regulator=regulator, hazard=hazard, problem=problem, proposed_by=by)
    audit.record(
        actor=by, verb=AuditVerb.EXPOSURE_PROPOSED, target=exposure, organization=regulator, note=hazard.number
    )
    return exposure


@transaction.atomic
def exposure_decide(*, by, exposure: Exposure, approve: bool) -> Exposure:
    _regulator(by, Action.OVERSIGHT_DOCUMENT_APPROVE)
    get_visible_or_404(Exposure, by, pk=exposure.pk)
    exposure = Exposure.objects.select_for_update().get(pk=exposure.pk)
    if exposure.status != ApprovalStatus.PENDING:
        raise ConflictError(_("该曝光已%(s)s。") % {"s": exposure.get_status_display()})
    if exposure.proposed_by_id == by.pk:
        raise NotPermittedError(_("曝光须由提出人以外的人审批。"))
    exposure.status = ApprovalStatus.APPROVED if approve else ApprovalStatus.REJECTED
    exposure.decided_by = by
    exposure.published_at = timezone.now() if approve else None
    exposure.save()
    verb = AuditVerb.EXPOSURE_APPROVED if approve else AuditVerb.EXPOSURE_REJECTED
    audit.record(actor=by, verb=verb, target=exposure, organization=exposure.regulator)
    return exposure


@transaction.atomic
def exposure_withdraw(*, by, exposure: Exposure, reason: str) -> Exposure:
    _regulator(by, Action.OVERSIGHT_DOCUMENT_DRAFT)
    get_visible_or_404(Exposure, by, pk=exposure.pk)
    exposure = Exposure.objects.select_for_update().get(pk=exposure.pk)
    if exposure.status != ApprovalStatus.APPROVED:
        raise ConflictError(_("只有已曝光的隐患可以撤下。"))
    if not (reason or "").strip():
        raise DomainError(_("请填写撤下理由。"), field="reason")
    exposure.status = ApprovalStatus.WITHDRAWN
    exposure.save(update_fields=["status"])
    audit.record(
        actor=by, verb=AuditVerb.EXPOSURE_WITHDRAWN, target=exposure, organization=exposure.regulator, note=reason
    )
    return exposure
