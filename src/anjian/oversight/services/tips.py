"""Every change to a tip-off: received from the public (or staff), its contact read by a handler,
accepted into the institution's ledger as a hazard with source 举报, or dismissed with a reason,
answered, rewarded with a second regulator's approval. Each records its audit event in the same
transaction; the contact never appears in an event."""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.core import audit, crypto
from anjian.core.audit import AuditVerb
from anjian.core.errors import ConflictError, DomainError, NotPermittedError
from anjian.core.images import process_upload
from anjian.core.numbering import next_number
from anjian.core.permissions import Action
from anjian.core.scoping import get_visible_or_404
from anjian.core.services import require_action as _require
from anjian.hazards import services as hazard_services
from anjian.hazards.choices import HazardSource
from anjian.orgs.models import Organization
from anjian.oversight.choices import RewardStatus, TipStatus
from anjian.oversight.models import Tip, TipPhoto

# no 0/O, 1/I/L: read aloud and typed from a slip of paper without doubt; 31^12 ≈ 8·10^17 codes
RECEIPT_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
RECEIPT_LENGTH = 12
MAX_PHOTOS = 6
NUMBER_PREFIX = "JB"


def new_receipt_code() -> str:
    return "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))


def normalized_code(text: str) -> str:
    return "".join(c for c in (text or "").upper() if c.isalnum())


def regulator_of(organization: Organization) -> Organization | None:
    """The regulator that handles tips about ``organization``: itself, or its nearest regulator above."""
    node = organization
    while node is not None:
        if node.is_regulator and node.is_active:
            return node
        node = node.parent
    return None


def _text(data: dict[str, Any], name: str, label, *, required: bool = False, limit: int = 200) -> str:
    value = (data.get(name) or "").strip()
    if required and not value:
        raise DomainError(_("请填写%(f)s。") % {"f": label}, field=name)
    if len(value) > limit:
        raise DomainError(_("%(f)s不能超过 %(n)d 个字。") % {"f": label, "n": limit}, field=name)
    return value


@transaction.atomic
def tip_submit(*, data: dict[str, Any], photos=(), reporter=None) -> Tip:
    """Receive a tip. ``data``: ``organization`` (an active institution, or a district's regulator
    when the place is given by ``address``), ``address``, ``location``, ``description``, ``contact``.
    Photos are decoded and re-encoded (``core.images``): EXIF, GPS included, is not kept. Anonymous
    unless ``reporter`` (a signed-in staff member reporting internally)."""
    target = data.get("organization")
    if target is None or not target.is_active:
        raise DomainError(_("请选择被举报的机构，或选择所在辖区的卫生健康委员会并填写地址。"), field="organization")
    description = _text(data, "description", _("举报内容"), required=True, limit=2000)
    if len(description) < 5:
        raise DomainError(_("请把看到的问题描述清楚（至少 5 个字）。"), field="description")
    address = _text(data, "address", _("地址"))
    location = _text(data, "location", _("具体位置"))
    contact = _text(data, "contact", _("联系方式"), limit=100)
    if target.is_regulator:
        regulator, institution = target, None
        if not address:
            raise DomainError(_("未选择具体机构时，请填写问题所在的地址。"), field="address")
    elif target.is_institution:
        regulator, institution = regulator_of(target), target
    else:
        raise DomainError(_("请选择医疗卫生机构或辖区卫生健康委员会。"), field="organization")
    if regulator is None:
        raise DomainError(_("该机构暂无受理举报的监管部门，请选择所在辖区的卫生健康委员会。"), field="organization")
    photos = list(photos or [])
    if len(photos) > MAX_PHOTOS:
        raise DomainError(_("最多上传 %(n)d 张照片。") % {"n": MAX_PHOTOS}, field="photos")
    processed = []
    for upload in photos:
        try:
            processed.append(process_upload(upload))
        except DomainError as exc:
            raise DomainError(exc.message, field="photos") from exc
    code = new_receipt_code()
    while Tip.objects.filter(receipt_code=code).exists():  # pragma: no cover - 1 in 10^17
        code = new_receipt_code()
    tip = Tip.objects.create(
        receipt_code=code,
        number=next_number(NUMBER_PREFIX, timezone.localdate().year),
        regulator=regulator,
        organization=institution,
        address=address,
        location=location,
        description=description,
        contact_encrypted=crypto.encrypt(contact),
        is_internal=reporter is not None,
        reporter=reporter,
    )
    for image in processed:
        photo = TipPhoto(tip=tip, width=image.width, height=image.height)
        photo.image.save(image.image.name, image.image, save=False)
        photo.thumbnail.save(image.thumbnail.name, image.thumbnail, save=False)
        photo.save()
    audit.record(
        actor=reporter,
        verb=AuditVerb.TIP_RECEIVED,
        target=tip,
        organization=regulator,
        changes={"place": [None, tip.place], "photos": [None, len(processed)], "contact": [None, bool(contact)]},
    )
    return tip


@transaction.atomic
def tip_submit_internal(*, by, data: dict[str, Any], photos=()) -> Tip:
    """A tip by a signed-in member of an institution about their own institution (内部职工举报, seed
    002 #23: 从业人员内部隐患报告和奖励机制): the same path as the public's, to the same regulator,
    with the same reward. The account is recorded as the reporter (``Tip.reporter``) for the
    regulator's tip handlers (a read audited like the contact) and the reporter's own list; the
    institution never sees the tip, and the hazard it becomes says 群众举报 like any other."""
    org = getattr(by, "organization", None) if getattr(by, "is_authenticated", False) else None
    if org is None or not org.is_institution or not org.is_active:
        raise NotPermittedError(_("内部举报由医疗卫生机构的职工登录后提交；其他情况请使用公众举报页面。"))
    return tip_submit(data={**data, "organization": org, "address": ""}, photos=photos, reporter=by)


def _handled(tip: Tip, by) -> Tip:
    """The tip re-read in the handler's scope under a row lock (404 outside it)."""
    _require(by, Action.TIP_HANDLE)
    get_visible_or_404(Tip, by, pk=tip.pk)
    return (
        Tip.objects.select_for_update(of=("self",))
        .select_related("organization", "regulator", "reporter__organization")
        .get(pk=tip.pk)
    )


@transaction.atomic
def tip_reporter(*, tip: Tip, by) -> dict[str, str]:
    """Who tipped off, for a tip handler: the contact given (decrypted) and, for an internal tip, the
    staff member's account (name, phone, institution). Every read is an audit event."""
    tip = _handled(tip, by)
    contact = crypto.decrypt(tip.contact_encrypted)
    reporter = ""
    if tip.reporter_id:
        person = tip.reporter
        parts = [f"{person.name}（{person.username}）", person.phone, getattr(person.organization, "name", "")]
        reporter = " · ".join(p for p in parts if p)
    audit.record(actor=by, verb=AuditVerb.TIP_CONTACT_VIEWED, target=tip, organization=tip.regulator)
    return {"contact": contact, "reporter": reporter}


def tip_contact(*, tip: Tip, by) -> str:
    """The reporter's contact, for a tip handler (``tip_reporter``: the read is audited)."""
    return tip_reporter(tip=tip, by=by)["contact"]


def _found_at(tip: Tip, when: dt.datetime) -> dt.datetime:
    """When the hazard was found: when it was tipped off, unless that is before the months whose
    forms are sent (hazards.services.earliest_found_on): then the day it is accepted."""
    earliest = hazard_services.earliest_found_on(when)
    return tip.created_at if timezone.localdate(tip.created_at) >= earliest else when


@transaction.atomic
def tip_accept(*, tip: Tip, by, data: dict[str, Any], reply: str = "") -> Tip:
    """Accept the tip: a hazard in the institution's ledger with source 举报, the tip's number as its
    source reference and the tip's photos as its before-photos (re-encoded on receipt, without EXIF).
    ``data``: ``title``, ``description`` (the hazard as the handler words it: the institution never
    sees the tip itself, whose text may name the reporter), ``category``, ``level``, ``criterion``
    (a major hazard), ``location``, and ``organization`` when the tip gave only an address."""
    tip = _handled(tip, by)
    if tip.status != TipStatus.RECEIVED:
        raise ConflictError(_("该举报已%(s)s，不能再受理。") % {"s": tip.get_status_display()})
    institution = tip.organization or data.get("organization")
    if institution is None:
        raise DomainError(_("请选择隐患所在的机构。"), field="organization")
    if not tip.organization_id:
        get_visible_or_404(Organization, by, pk=institution.pk)
    now = timezone.now()
    hazard_data = {
        "title": _text(data, "title", _("隐患名称"), required=True),
        "location": (data.get("location") or tip.location or tip.address or "").strip()[:200],
        "description": _text(data, "description", _("隐患描述"), required=True, limit=2000),
        "category": data.get("category"),
        "level": data.get("level") or "general",
        "criterion": data.get("criterion"),
        "source": HazardSource.TIP_OFF,
        "source_reference": tip.number,
        "found_at": _found_at(tip, now),
        "found_by_name": str(_("群众举报")),
    }
    if hazard_data["category"] is None:
        raise DomainError(_("请选择隐患类别。"), field="category")
    if not hazard_data["location"]:
        raise DomainError(_("请填写隐患部位。"), field="location")
    photos = [p.image.open("rb") for p in tip.photos.all()]
    try:
        hazard = hazard_services.hazard_report(
            by=by, organization=institution, data=hazard_data, photos=photos, note=str(tip), photo_required=True
        )
    finally:
        for handle in photos:
            handle.close()
    tip.status, tip.hazard, tip.handled_by, tip.handled_at = TipStatus.ACCEPTED, hazard, by, now
    if not tip.organization_id:
        tip.organization = institution
    fields = ["status", "hazard", "handled_by", "handled_at", "organization", "updated_at"]
    if reply.strip():
        tip.reply, tip.replied_at = reply.strip()[:1000], now
        fields += ["reply", "replied_at"]
    tip.save(update_fields=fields)
    audit.record(
        actor=by,
        verb=AuditVerb.TIP_ACCEPTED,
        target=tip,
        organization=tip.regulator,
        changes={"status": [TipStatus.RECEIVED.label, TipStatus.ACCEPTED.label], "hazard": [None, hazard.number]},
    )
    return tip


@transaction.atomic
def tip_dismiss(*, tip: Tip, by, reason: str, reply: str = "") -> Tip:
    tip = _handled(tip, by)
    if tip.status != TipStatus.RECEIVED:
        raise ConflictError(_("该举报已%(s)s，不能再处理。") % {"s": tip.get_status_display()})
    reason = _text({"reason": reason}, "reason", _("不予受理理由"), required=True, limit=1000)
    now = timezone.now()
    tip.status, tip.dismiss_reason, tip.handled_by, tip.handled_at = TipStatus.DISMISSED, reason, by, now
    tip.reply = (reply or "").strip()[:1000] or tip.reply
    tip.replied_at = now if reply.strip() else tip.replied_at
    tip.save(
        update_fields=["status", "dismiss_reason", "handled_by", "handled_at", "reply", "replied_at", "updated_at"]
    )
    audit.record(
        actor=by,
        verb=AuditVerb.TIP_DISMISSED,
        target=tip,
        organization=tip.regulator,
        changes={"status": [TipStatus.RECEIVED.label, TipStatus.DISMISSED.label]},
        note=reason,
    )
    return tip


@transaction.atomic
def tip_reply(*, tip: Tip, by, reply: str) -> Tip:
    """The answer the reporter reads with the receipt code (it replaces the previous one)."""
    tip = _handled(tip, by)
    text = _text({"reply": reply}, "reply", _("答复内容"), required=True, limit=1000)
    before = tip.reply
    tip.reply, tip.replied_at = text, timezone.now()
    tip.save(update_fields=["reply", "replied_at", "updated_at"])
    audit.record(
        actor=by, verb=AuditVerb.TIP_REPLIED, target=tip, organization=tip.regulator, changes={"reply": [before, text]}
    )
    return tip


@transaction.atomic
def tip_reward_propose(*, tip: Tip, by, amount: Decimal, note: str = "") -> Tip:
    """Propose a reward (兑现举报奖励) for an accepted tip; it waits for a second regulator's approval."""
    tip = _handled(tip, by)
    if tip.status != TipStatus.ACCEPTED:
        raise ConflictError(_("只有已受理的举报才能提出奖励。"))
    if tip.reward_status in (RewardStatus.PROPOSED, RewardStatus.APPROVED):
        raise ConflictError(_("该举报的奖励%(s)s。") % {"s": tip.get_reward_status_display()})
    if amount is None or amount <= 0 or amount > Decimal("1000000"):
        raise DomainError(_("奖励金额须大于 0 元、不超过 100 万元。"), field="amount")
    tip.reward_status, tip.reward_amount, tip.reward_note = RewardStatus.PROPOSED, amount, (note or "").strip()
    tip.reward_proposed_by, tip.reward_decided_by, tip.reward_decided_at = by, None, None
    tip.save(
        update_fields=[
            "reward_status",
            "reward_amount",
            "reward_note",
            "reward_proposed_by",
            "reward_decided_by",
            "reward_decided_at",
            "updated_at",
        ]
    )
    audit.record(
        actor=by,
        verb=AuditVerb.TIP_REWARD_PROPOSED,
        target=tip,
        organization=tip.regulator,
        changes={"reward_amount": [None, str(amount)]},
        note=tip.reward_note,
    )
    return tip


@transaction.atomic
def tip_reward_decide(*, tip: Tip, by, approve: bool, note: str = "") -> Tip:
    """Approve or refuse a proposed reward: by a regulator other than the one who proposed it."""
    _require(by, Action.TIP_REWARD_APPROVE)
    tip = _handled(tip, by)
    if tip.reward_status != RewardStatus.PROPOSED:
        raise ConflictError(_("没有待审批的奖励。"))
    if tip.reward_proposed_by_id == by.pk:
        raise NotPermittedError(_("奖励须由提出人以外的监管人员审批。"))
    tip.reward_status = RewardStatus.APPROVED if approve else RewardStatus.REFUSED
    tip.reward_decided_by, tip.reward_decided_at = by, timezone.now()
    tip.save(update_fields=["reward_status", "reward_decided_by", "reward_decided_at", "updated_at"])
    audit.record(
        actor=by,
        verb=AuditVerb.TIP_REWARD_APPROVED if approve else AuditVerb.TIP_REWARD_REFUSED,
        target=tip,
        organization=tip.regulator,
        changes={"reward_status": [RewardStatus.PROPOSED.label, tip.get_reward_status_display()]},
        note=(note or "").strip(),
    )
    return tip
