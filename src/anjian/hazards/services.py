"""Every change to a hazard: one service per action, each checking its rule in ``workflow`` and
recording its audit event in the same transaction. Views, API, imports and jobs call these."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.core import audit
from anjian.core.audit import AuditVerb
from anjian.core.errors import DomainError, NotPermittedError
from anjian.core.images import process_upload
from anjian.core.numbering import next_number
from anjian.core.permissions import Action, require
from anjian.core.roles import INSPECTOR_ROLES, REGULATOR_ROLES, Role
from anjian.core.scoping import get_visible_or_404
from anjian.core.services import validated_insert, validated_save
from anjian.hazards import workflow
from anjian.hazards.choices import HazardLevel, HazardSource, HazardStatus, PhotoPhase, PostponementDecision
from anjian.hazards.models import Criterion, Hazard, HazardPhoto, Postponement
from anjian.orgs.models import Organization

NUMBER_PREFIX = "YH"
PLAN_FIELDS = [
    "goal",
    "measures",
    "funds",
    "materials",
    "responsible_unit",
    "responsible",
    "deadline",
    "requirements",
    "safety_measures",
]
# The six parts of a major hazard's plan (16号令): each needs at least one of its fields filled.
SIX_PARTS = [
    (_("整改目标和任务"), ("goal",)),
    (_("整改方法和措施"), ("measures",)),
    (_("经费和物资"), ("funds", "materials")),
    (_("负责整改的机构和人员"), ("responsible_unit", "responsible")),
    (_("整改时限和要求"), ("deadline",)),
    (_("安全措施和应急预案"), ("safety_measures",)),
]
GENERAL_PLAN_REQUIRED = [
    (_("整改责任人"), ("responsible",)),
    (_("整改措施"), ("measures",)),
    (_("整改期限"), ("deadline",)),
]
# The plan's parts that can be changed after confirmation (hazard_change_plan): the deadline moves
# only by a postponement, which someone above the rectifier approves.
CHANGEABLE_PLAN_FIELDS = [f for f in PLAN_FIELDS if f != "deadline"]
# A hazard known from a numbered document may be entered before anyone has photographed it: a
# tip-off taken by telephone (its acceptance number), a superior's assignment (its document number).
PHOTO_EXEMPT_SOURCES = (HazardSource.TIP_OFF, HazardSource.ASSIGNED)
PHOTO_REQUIRED = _("请上传至少一张隐患现场照片（举报、上级交办的隐患填写来源编号后可暂不上传）。")
# what a hazard says of itself, reported today or entered from an old record
DESCRIPTION_FIELDS = ["title", "location", "description", "department", "category", "level", "source", "criterion"]
REPORT_FIELDS = [*DESCRIPTION_FIELDS, "found_at", "found_by_name", "fixed_on_spot", "risk", "source_reference"]


def today() -> dt.date:
    return timezone.localdate()


def _locked(hazard: Hazard) -> Hazard:
    """The hazard re-read under a row lock: concurrent actions queue here and see each other's result."""
    return Hazard.objects.select_for_update().select_related("organization").get(pk=hazard.pk)


def _default_source(user) -> str:
    if user.role in REGULATOR_ROLES:
        return HazardSource.SUPERVISION
    if user.role in INSPECTOR_ROLES:
        return HazardSource.THIRD_PARTY
    return HazardSource.SELF_INSPECTION


def _missing(hazard: Hazard, parts) -> list[str]:
    missing = []
    for label, fields in parts:
        if not any(getattr(hazard, f) not in (None, "") for f in fields):
            missing.append(str(label))
    return missing


def missing_plan_parts(hazard: Hazard) -> list[str]:
    """What the rectification plan still lacks: the six parts for a major hazard."""
    return _missing(hazard, SIX_PARTS if hazard.is_major else GENERAL_PLAN_REQUIRED)


def _require_plan_complete(hazard: Hazard) -> None:
    missing = missing_plan_parts(hazard)
    if missing:
        if hazard.is_major:
            message = _("重大事故隐患的整改方案须包含六项内容，尚缺：%(parts)s。")
        else:
            message = _("整改方案尚缺：%(parts)s。")
        raise DomainError(message % {"parts": "、".join(missing)}, field="plan")


def _clean_plan(hazard: Hazard, plan: dict[str, Any]) -> dict[str, Any]:
    unknown = set(plan) - set(PLAN_FIELDS)
    if unknown:
        raise DomainError(_("整改方案不含这些字段：%(f)s") % {"f": "、".join(sorted(unknown))})
    data = dict(plan)
    if data.get("funds") not in (None, ""):
        try:
            data["funds"] = Decimal(str(data["funds"]))
        except InvalidOperation as exc:
            raise DomainError(_("整改资金须为数字（元）。"), field="funds") from exc
        if data["funds"] < 0:
            raise DomainError(_("整改资金不能为负数。"), field="funds")
    elif "funds" in data:
        data["funds"] = None
    responsible = data.get("responsible")
    if responsible is not None and responsible.organization_id != hazard.organization_id:
        raise DomainError(_("整改责任人须为本单位人员。"), field="responsible")
    if responsible is not None and not responsible.is_active:
        raise DomainError(_("整改责任人的账号已停用。"), field="responsible")
    deadline = data.get("deadline")
    if deadline is not None and deadline < hazard.found_at.astimezone(timezone.get_current_timezone()).date():
        raise DomainError(_("整改期限不能早于发现日期。"), field="deadline")
    return data


def _photos(hazard: Hazard, by, phase: str, files, at: dt.datetime | None = None) -> list[HazardPhoto]:
    photos = []
    for upload in files or []:
        processed = process_upload(upload)
        photo = HazardPhoto(hazard=hazard, phase=phase, uploaded_by=by, width=processed.width, height=processed.height)
        photo.image.save(processed.image.name, processed.image, save=False)
        photo.thumbnail.save(processed.thumbnail.name, processed.thumbnail, save=False)
        photo.save()
        if at is not None:  # uploaded_at is stamped on creation
            HazardPhoto.objects.filter(pk=photo.pk).update(uploaded_at=at)
            photo.uploaded_at = at
        photos.append(photo)
    return photos


def earliest_found_on(when: dt.datetime) -> dt.date:
    """The earliest day a hazard entered at ``when`` may have been found: the first day of the
    previous month. Months before it have had their monthly forms sent; a hazard found then would
    rewrite them."""
    first = timezone.localdate(when).replace(day=1)
    return (first - dt.timedelta(days=1)).replace(day=1)


def photo_exempt(data: dict[str, Any]) -> bool:
    """Whether a report may come without a photo of the scene: a tip-off or an assignment with its
    number (来源编号). Everything seen on site (self-inspection, a regulator's supervision, a third
    party's inspection) comes with its photo."""
    return data.get("source") in PHOTO_EXEMPT_SOURCES and bool((data.get("source_reference") or "").strip())


def _check_found_at(found_at: dt.datetime, when: dt.datetime) -> None:
    if found_at > timezone.now() + dt.timedelta(minutes=5):
        raise DomainError(_("发现时间不能晚于现在。"), field="found_at")
    earliest = earliest_found_on(when)
    if timezone.localdate(found_at) < earliest:
        raise DomainError(
            _(
                "发现时间不能早于 %(day)s（上月1日）：此前各月的统计报表已报送，更早发现的隐患不能在此登记，"
                "请由安全管理员或监管部门通过“批量导入 → 历史隐患台账（补录）”补录。"
            )
            % {"day": earliest.isoformat()},
            field="found_at",
        )


@transaction.atomic
def hazard_report(
    *,
    by,
    organization: Organization,
    data: dict[str, Any],
    photos=(),
    after_photos=(),
    note: str = "",
    at: dt.datetime | None = None,
    photo_required: bool = False,
) -> Hazard:
    """Enter a hazard in the ledger. ``data['fixed_on_spot']`` with an after-photo: fixed on the spot
    (即查即改), straight to acceptance.

    ``photo_required``: a report made directly (随手拍, ``POST /api/v1/hazards/``) needs at least one
    photo of the scene, whoever reports it, unless it is known from a numbered document
    (``photo_exempt``). Hazards raised from a record that is their evidence (an inspection's failed
    item, a supervision's finding) are entered by their own services without it.

    ``at`` (every service here takes it): when the step happened, if not now, for replaying a dated
    history (the demo); the step's own time fields and its audit event carry it. Views never pass it."""
    when = at or timezone.now()
    get_visible_or_404(Organization, by, pk=organization.pk)
    if not organization.is_institution:
        raise DomainError(_("隐患须登记在医疗卫生机构名下。"), field="organization")
    if by.role == Role.SYSTEM_ADMIN:
        raise NotPermittedError(_("系统管理员不登记隐患。"))
    data = dict(data)
    data.setdefault("source", _default_source(by))
    data.setdefault("found_at", timezone.now())
    data.setdefault("level", HazardLevel.GENERAL)
    department = data.get("department")
    if department is not None and department.organization_id != organization.pk:
        raise DomainError(_("科室须属于该机构。"), field="department")
    risk = data.get("risk")
    if risk is not None and risk.organization_id != organization.pk:
        raise DomainError(_("关联风险须属于该机构。"), field="risk")
    if data.get("level") == HazardLevel.MAJOR and data.get("criterion") is None:
        raise DomainError(_("重大事故隐患须选择判定依据（判定标准条目）。"), field="criterion")
    _check_found_at(data["found_at"], when)
    if photo_required and not photos and not photo_exempt(data):
        raise DomainError(PHOTO_REQUIRED, field="photos")
    on_spot = bool(data.get("fixed_on_spot"))
    if on_spot:
        if data.get("level") == HazardLevel.MAJOR:
            raise DomainError(_("重大事故隐患不能即查即改，须制定整改方案。"), field="fixed_on_spot")
        if not after_photos:
            raise DomainError(_("即查即改须上传整改后照片。"), field="after_photos")
    hazard = Hazard(organization=organization, found_by=by, **data)
    if not hazard.found_by_name:
        hazard.found_by_name = by.name
    hazard.number = next_number(NUMBER_PREFIX, timezone.localdate(when).year)
    # its organization checked in scope above, the objects in ``data`` read by the caller, the number
    # from the counter: full_clean's existence and uniqueness lookups would only repeat them
    validated_insert(hazard)
    if at is not None:  # created_at (登记时间) is stamped on creation
        Hazard.objects.filter(pk=hazard.pk).update(created_at=at)
        hazard.created_at = at
    _photos(hazard, by, PhotoPhase.BEFORE, photos, at)
    audit.record(
        actor=by,
        verb=AuditVerb.HAZARD_REPORTED,
        target=hazard,
        changes=audit.diff({}, audit.snapshot(hazard, REPORT_FIELDS)),
        note=note,
        at=when,
    )
    if on_spot:
        _photos(hazard, by, PhotoPhase.AFTER, after_photos, at)
        hazard.status = HazardStatus.AWAITING_ACCEPTANCE
        hazard.rectification_note = note or str(_("现场即查即改。"))
        hazard.rectified_at = when
        hazard.rectified_by = by
        hazard.save(update_fields=["status", "rectification_note", "rectified_at", "rectified_by", "updated_at"])
        audit.record(
            actor=by,
            verb=AuditVerb.HAZARD_SUBMITTED,
            target=hazard,
            changes={"status": [HazardStatus.REPORTED.label, hazard.get_status_display()]},
            note=str(_("即查即改")),
            at=when,
        )
    return hazard


# --- historical backfill (历史补录) -----------------------------------------------------------------
# A hazard found before ``earliest_found_on`` cannot be reported: the months it belongs to have had
# their forms sent. It enters only here (the ledger import of old records), marked 历史补录 and dated
# when it is entered: ``found_at`` is the entry time, and a hazard closed on the old record is closed
# (``accepted_at``) at the entry time too. So every statistic counts it in the month it was entered,
# with no rule of its own, and a month already reported never changes. The old record's dates are
# kept in ``original_found_on`` / ``original_closed_on`` and shown wherever a person reads the hazard.
BACKFILL_FIELDS = [
    *DESCRIPTION_FIELDS,
    "source_reference",
    "found_by_name",
    "original_found_on",
    "original_closed_on",
    "status",
    "rectification_note",
    "acceptance_note",
]
# what the old record may say about its state: still open (it enters as 待确认 and goes round the
# loop: a plan with a responsible person and a deadline from now on), or closed
BACKFILL_STATUSES = (HazardStatus.REPORTED, HazardStatus.CLOSED)
EARLIEST_BACKFILL_DATE = dt.date(2000, 1, 1)


def _backfill_problems(by, organization: Organization, data: dict[str, Any], on: dt.date) -> dict[str, list[str]]:
    """Every reason the old record cannot be entered, by field (an import reports them all at once)."""
    errors: dict[str, list[str]] = {}

    def refuse(name: str, message) -> None:
        errors.setdefault(name, []).append(str(message))

    for name in ("title", "location"):
        if not (data.get(name) or "").strip():
            refuse(name, _("必填，不能为空。"))
    if data.get("category") is None:
        refuse("category", _("请选择隐患类别。"))
    department = data.get("department")
    if department is not None and department.organization_id != organization.pk:
        refuse("department", _("科室须属于该机构。"))
    level = data.get("level")
    if level not in HazardLevel.values:
        refuse("level", _("隐患等级无效。"))
    elif level == HazardLevel.MAJOR and data.get("criterion") is None:
        refuse("criterion", _("重大事故隐患须选择判定依据（判定标准条目）。"))
    elif level == HazardLevel.GENERAL and data.get("criterion") is not None:
        refuse("criterion", _("一般事故隐患不填判定依据；是重大事故隐患的，隐患等级请选“重大事故隐患”。"))
    if data.get("source") not in HazardSource.values:
        refuse("source", _("隐患来源无效。"))
    status = data.get("status")
    if status not in BACKFILL_STATUSES:
        refuse("status", _("历史补录的隐患只能是未销号（导入后为“待确认”）或已销号。"))

    found_on, closed_on = data.get("original_found_on"), data.get("original_closed_on")
    if found_on is None:
        refuse("original_found_on", _("须填写原发现日期。"))
    elif found_on > on:
        refuse("original_found_on", _("原发现日期不能晚于今天。"))
    elif found_on < EARLIEST_BACKFILL_DATE:
        refuse("original_found_on", _("原发现日期不能早于 %(day)s。") % {"day": EARLIEST_BACKFILL_DATE.isoformat()})
    if found_on is not None and data.get("title"):
        # the same file uploaded twice must not enter its hazards twice
        earlier = (
            Hazard.objects.filter(
                organization=organization,
                is_backfill=True,
                original_found_on=found_on,
                title=data["title"],
                location=data.get("location", ""),
            )
            .values_list("number", flat=True)
            .first()
        )
        if earlier:
            refuse(
                "title",
                _("该隐患已补录过（隐患编号 %(number)s）：同一单位、名称、部位和原发现日期的隐患不重复补录。")
                % {"number": earlier},
            )
    if status == HazardStatus.CLOSED:
        if closed_on is None:
            refuse("original_closed_on", _("已销号的隐患须填写原销号日期。"))
        elif closed_on > on:
            refuse("original_closed_on", _("原销号日期不能晚于今天。"))
        elif found_on is not None and closed_on < found_on:
            refuse(
                "original_closed_on",
                _("原销号日期不能早于原发现日期（%(day)s）。") % {"day": found_on.isoformat()},
            )
        # a major hazard is closed by the regulator's review (workflow.acceptor): the past closure of
        # one is entered only by a regulator over the institution, who vouches for it
        if level == HazardLevel.MAJOR and not (
            by.role in REGULATOR_ROLES and organization.path.startswith(by.organization.path)
        ):
            refuse(
                "status",
                _("重大事故隐患的销号须经监管部门审核：已销号的历史重大事故隐患须由属地监管部门补录。"),
            )
    elif status == HazardStatus.REPORTED:
        if closed_on is not None:
            refuse("original_closed_on", _("未销号的隐患不填原销号日期。"))
        for name, label in (("rectification_note", _("整改情况")), ("acceptance_note", _("验收意见"))):
            if (data.get(name) or "").strip():
                refuse(
                    name,
                    _("未销号的隐患不填%(what)s：导入后为“待确认”，按闭环流程确认整改方案、提交整改情况。")
                    % {"what": label},
                )
    return errors


@transaction.atomic
def hazard_backfill(
    *,
    by,
    organization: Organization,
    data: dict[str, Any],
    batch: str = "",
    note: str = "",
    at: dt.datetime | None = None,
) -> Hazard:
    """Enter a hazard from an old ledger (历史补录), found before the months whose forms were sent.

    ``data``: the fields of ``BACKFILL_FIELDS``; ``original_found_on`` (required, in the past, not
    before 2000) and, for ``status`` closed, ``original_closed_on`` are the old record's dates.
    ``status`` is ``reported`` (still open on the old record: it enters as 待确认 and goes round the
    loop from here) or ``closed``. A closed major hazard is entered only by a regulator over the
    institution (the closure of a major hazard is the regulator's). No photo is asked for: the old
    records are on paper. ``batch`` names the import it came with (``backfill_batch``).

    The hazard is dated ``at`` (default now), the time it is entered: ``found_at``, and for a closed
    one ``accepted_at`` (closed by ``by``), so it counts in the statistics of the month it was entered
    and never in a month already reported."""
    require(by, Action.HAZARD_BACKFILL)
    when = at or timezone.now()
    get_visible_or_404(Organization, by, pk=organization.pk)
    if not organization.is_institution:
        raise DomainError(_("隐患须登记在医疗卫生机构名下。"), field="organization")
    unknown = set(data) - set(BACKFILL_FIELDS)
    if unknown:
        raise DomainError(_("历史补录不含这些字段：%(f)s") % {"f": "、".join(sorted(unknown))})
    data = dict(data)
    # left out: the default; given but None (an unreadable cell): refused below
    data.setdefault("status", HazardStatus.REPORTED)
    data.setdefault("level", HazardLevel.GENERAL)
    data.setdefault("source", _default_source(by))
    for name in ("title", "location", "description", "source_reference", "found_by_name"):
        data[name] = (data.get(name) or "").strip()
    for name in ("rectification_note", "acceptance_note"):
        data[name] = (data.get(name) or "").strip()
    errors = _backfill_problems(by, organization, data, timezone.localdate(when))
    if errors:
        raise DomainError(next(iter(errors.values()))[0], errors=errors)

    hazard = Hazard(organization=organization, found_at=when, is_backfill=True, backfill_batch=batch, **data)
    if hazard.status == HazardStatus.CLOSED:
        hazard.accepted_at = when
        hazard.accepted_by = by
    hazard.number = next_number(NUMBER_PREFIX, timezone.localdate(when).year)
    validated_insert(hazard)
    if at is not None:  # created_at (登记时间) is stamped on creation
        Hazard.objects.filter(pk=hazard.pk).update(created_at=at)
        hazard.created_at = at
    dates = _("原发现日期 %(found)s") % {"found": hazard.original_found_on.isoformat()}
    if hazard.original_closed_on:
        dates += "，" + _("原销号日期 %(closed)s") % {"closed": hazard.original_closed_on.isoformat()}
    text = _("历史补录：%(dates)s") % {"dates": dates}
    if batch:
        text += "；" + _("批次 %(batch)s") % {"batch": batch}
    if note:
        text += "；" + str(note)
    audit.record(
        actor=by,
        verb=AuditVerb.HAZARD_BACKFILLED,
        target=hazard,
        changes=audit.diff({}, audit.snapshot(hazard, BACKFILL_FIELDS)),
        note=text,
        at=when,
    )
    return hazard


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
    hazard = _locked(hazard)
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
    data = _clean_plan(hazard, plan)

    def mutate(h: Hazard) -> None:
        for name, value in data.items():
            setattr(h, name, value)
        _require_plan_complete(h)
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
    locked = _locked(hazard)
    workflow.require(locked, "submit", by)
    required = locked.organization.require_after_photo
    if required and not after_photos and not locked.photos.filter(phase=PhotoPhase.AFTER).exists():
        raise DomainError(_("本单位要求提交整改结果时上传整改后照片，请至少上传一张。"), field="after_photos")
    _photos(hazard, by, PhotoPhase.AFTER, after_photos, at)

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
    locked = _locked(hazard)
    workflow.require(locked, "change-plan", by)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("变更整改方案须填写变更理由。"), field="reason")
    data = _clean_plan(locked, plan)
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
        _require_plan_complete(h)

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
    hazard = _locked(hazard)
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
    from anjian.hazards.choices import SupervisionLevel

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


@transaction.atomic
def hazard_add_photo(*, hazard: Hazard, by, phase: str, image) -> HazardPhoto:
    """Add a photo to an open hazard: before-photos by anyone who may see it, after-photos by a rectifier."""
    hazard = _locked(hazard)
    if phase not in PhotoPhase.values:
        raise DomainError(_("照片阶段须为 before（整改前）或 after（整改后）。"), field="phase")
    if not hazard.is_open:
        raise DomainError(_("隐患已%(status)s，不能再上传照片。") % {"status": hazard.get_status_display()})
    if phase == PhotoPhase.AFTER and not workflow.rectifier(hazard, by):
        raise NotPermittedError(_("整改后照片只能由整改责任人、所在科室负责人或本单位负责人上传。"))
    (photo,) = _photos(hazard, by, phase, [image])
    audit.record(actor=by, verb=AuditVerb.HAZARD_PHOTO_ADDED, target=hazard, note=photo.get_phase_display())
    return photo
