"""Every change of the risk register: risk points, risks and their ratings, control measures and
the checklists that check them, the post cards and their acknowledgements, floor plans and map
areas, new versions of the assessment methods. Each service checks its permission and rules,
writes, and records its audit event in one transaction."""

from __future__ import annotations

import itertools
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.core import audit
from anjian.core.audit import AuditVerb
from anjian.core.errors import DomainError, NotPermittedError
from anjian.core.images import process_upload
from anjian.core.permissions import Action
from anjian.core.scoping import get_visible_or_404
from anjian.core.services import require_action as _require
from anjian.core.services import set_active_with_audit, update_with_audit, validated_save
from anjian.orgs.models import Organization, Post
from anjian.risks import scoring
from anjian.risks.choices import FACTORS, RANK_OF, MethodCode, RiskLevel
from anjian.risks.models import (
    AssessmentMethod,
    CardAcknowledgement,
    ControlMeasure,
    EmergencyProcedure,
    FloorPlan,
    MapArea,
    MethodBand,
    MethodFactor,
    PostCard,
    Risk,
    RiskAssessment,
    RiskPoint,
)

POINT_FIELDS = ["name", "kind", "department", "building", "floor", "area", "description"]
RISK_FIELDS = ["name", "accident_type", "description", "review_on"]
MEASURE_FIELDS = ["type", "tier", "text", "responsible_post", "responsible_person"]
CARD_FIELDS = ["duties", "operation_steps"]
EMERGENCY_FIELDS = ["incident", "alarm", "isolate", "rescue", "report", "phones"]


def _institution_of(by) -> Organization:
    org = by.organization
    if org is None or not org.is_institution:
        raise DomainError(_("风险分级管控由医疗卫生机构自行开展。"))
    return org


def _own(by, obj) -> None:
    """Writes stay within the user's own institution (a regulator reads, never edits, the register)."""
    if obj.organization_id != by.organization_id:
        raise NotPermittedError(_("只能维护本单位的风险分级管控信息。"))


def current_method(code: str) -> AssessmentMethod:
    try:
        code = MethodCode(code)
    except ValueError as exc:
        raise DomainError(_("评价方法须为 LEC 或 LS。"), field="method") from exc
    method = AssessmentMethod.objects.prefetch_related("factors", "bands").filter(code=code, is_current=True).first()
    if method is None:
        raise DomainError(_("评价方法“%(m)s”没有现行版本。") % {"m": code.label}, field="method")
    return method


# --- risk points ---------------------------------------------------------------------------------
@transaction.atomic
def risk_point_create(*, by, data: dict[str, Any]) -> RiskPoint:
    _require(by, Action.RISK_MANAGE)
    org = _institution_of(by)
    if not (data.get("name") or "").strip():
        raise DomainError(_("请填写风险点名称。"), field="name")
    point = RiskPoint(organization=org, **{k: v for k, v in data.items() if k in POINT_FIELDS})
    validated_save(point)
    audit.record(
        actor=by,
        verb=AuditVerb.RISK_POINT_CREATED,
        target=point,
        changes=audit.diff({}, audit.snapshot(point, POINT_FIELDS)),
    )
    return point


@transaction.atomic
def risk_point_update(*, by, point: RiskPoint, data: dict[str, Any]) -> RiskPoint:
    _require(by, Action.RISK_MANAGE)
    point = get_visible_or_404(RiskPoint.objects.select_for_update(), by, pk=point.pk)
    _own(by, point)
    return update_with_audit(point, by=by, verb=AuditVerb.RISK_POINT_UPDATED, data=data, fields=POINT_FIELDS)


@transaction.atomic
def risk_point_set_active(*, by, point: RiskPoint, active: bool, note: str = "") -> RiskPoint:
    _require(by, Action.RISK_MANAGE)
    point = get_visible_or_404(RiskPoint.objects.select_for_update(), by, pk=point.pk)
    _own(by, point)
    verbs = (AuditVerb.RISK_POINT_REACTIVATED, AuditVerb.RISK_POINT_DEACTIVATED)
    return set_active_with_audit(point, by=by, active=active, verbs=verbs, note=note)


# --- risks and their ratings ---------------------------------------------------------------------
def _apply(risk: Risk, rating: scoring.Rating, by, now) -> None:
    risk.method = rating.method
    risk.factors = rating.factors
    risk.score = rating.score
    risk.level = rating.level
    risk.rank = RANK_OF[rating.level]
    risk.assessed_by = by
    risk.assessed_at = now


def _assessment(risk: Risk, rating: scoring.Rating, by, now, note: str) -> RiskAssessment:
    return RiskAssessment.objects.create(
        risk=risk,
        method=rating.method,
        factors=rating.factors,
        score=rating.score,
        level=rating.level,
        note=(note or "").strip(),
        assessed_by=by,
        assessed_at=now,
    )


@transaction.atomic
def risk_create(*, by, risk_point: RiskPoint, data: dict[str, Any], method: str, factors: dict, note: str = "") -> Risk:
    """Identify a risk at a point and rate it with the current version of ``method`` (LEC / LS)."""
    _require(by, Action.RISK_MANAGE)
    point = get_visible_or_404(RiskPoint, by, pk=risk_point.pk)
    _own(by, point)
    if not point.is_active:
        raise DomainError(_("风险点“%(p)s”已停用。") % {"p": point.name}, field="risk_point")
    if not (data.get("name") or "").strip():
        raise DomainError(_("请填写危险源/风险名称。"), field="name")
    rating = scoring.rate(current_method(method), factors)
    now = timezone.now()
    risk = Risk(
        organization=point.organization, risk_point=point, **{k: v for k, v in data.items() if k in RISK_FIELDS}
    )
    _apply(risk, rating, by, now)
    validated_save(risk)
    _assessment(risk, rating, by, now, note)
    audit.record(
        actor=by,
        verb=AuditVerb.RISK_ASSESSED,
        target=risk,
        changes={
            **audit.diff({}, audit.snapshot(risk, ["name", "accident_type", "level"])),
            "risk_point": [None, point.name],
            "method": [None, str(rating.method)],
            "factors": [None, risk.factors_text],
            "score": [None, scoring.plain(rating.score)],
        },
        note=note,
    )
    return risk


@transaction.atomic
def risk_reassess(*, by, risk: Risk, method: str, factors: dict, note: str = "") -> Risk:
    """Rate the risk again (with the method's current version); the earlier rating is kept."""
    _require(by, Action.RISK_MANAGE)
    risk = get_visible_or_404(Risk.objects.select_for_update(), by, pk=risk.pk)
    _own(by, risk)
    rating = scoring.rate(current_method(method), factors)
    before = {"level": risk.get_level_display(), "score": scoring.plain(risk.score), "method": str(risk.method)}
    now = timezone.now()
    _apply(risk, rating, by, now)
    validated_save(risk)
    _assessment(risk, rating, by, now, note)
    after = {"level": risk.get_level_display(), "score": scoring.plain(risk.score), "method": str(risk.method)}
    audit.record(actor=by, verb=AuditVerb.RISK_REASSESSED, target=risk, changes=audit.diff(before, after), note=note)
    return risk


@transaction.atomic
def risk_update(*, by, risk: Risk, data: dict[str, Any]) -> Risk:
    _require(by, Action.RISK_MANAGE)
    risk = get_visible_or_404(Risk.objects.select_for_update(), by, pk=risk.pk)
    _own(by, risk)
    return update_with_audit(risk, by=by, verb=AuditVerb.RISK_UPDATED, data=data, fields=RISK_FIELDS)


@transaction.atomic
def risk_set_active(*, by, risk: Risk, active: bool, note: str = "") -> Risk:
    _require(by, Action.RISK_MANAGE)
    risk = get_visible_or_404(Risk.objects.select_for_update(), by, pk=risk.pk)
    _own(by, risk)
    verbs = (AuditVerb.RISK_REACTIVATED, AuditVerb.RISK_DEACTIVATED)
    return set_active_with_audit(risk, by=by, active=active, verbs=verbs, note=note)


# --- control measures, and the checklist that checks them ----------------------------------------
@transaction.atomic
def measure_add(*, by, risk: Risk, data: dict[str, Any]) -> ControlMeasure:
    _require(by, Action.RISK_MANAGE)
    risk = get_visible_or_404(Risk, by, pk=risk.pk)
    _own(by, risk)
    if not (data.get("text") or "").strip():
        raise DomainError(_("请填写管控措施。"), field="text")
    measure = ControlMeasure(risk=risk, **{k: v for k, v in data.items() if k in MEASURE_FIELDS})
    validated_save(measure)
    audit.record(
        actor=by,
        verb=AuditVerb.CONTROL_MEASURE_ADDED,
        target=risk,
        changes=audit.diff({}, audit.snapshot(measure, MEASURE_FIELDS)),
    )
    return measure


@transaction.atomic
def measure_set_active(*, by, measure: ControlMeasure, active: bool, note: str = "") -> ControlMeasure:
    _require(by, Action.RISK_MANAGE)
    measure = get_visible_or_404(ControlMeasure.objects.select_for_update().select_related("risk"), by, pk=measure.pk)
    _own(by, measure.risk)
    if measure.is_active == active:
        return measure
    measure.is_active = active
    measure.save(update_fields=["is_active"])
    audit.record(
        actor=by,
        verb=AuditVerb.CONTROL_MEASURE_REACTIVATED if active else AuditVerb.CONTROL_MEASURE_DEACTIVATED,
        target=measure.risk,
        changes={"measure": [measure.text, measure.text], "is_active": [not active, active]},
        note=note,
    )
    return measure


@transaction.atomic
def risk_point_checklist(*, by, risk_point: RiskPoint):
    """Turn the point's active control measures into the items of its checklist (检查表), one section
    per risk, and publish it: a first version, or the next version of the same checklist (so the
    schedules that use it follow). Each item carries its measure's key, so a failed item in an
    inspection leads back to the measure and its risk."""
    from anjian.inspections import services as inspection_services
    from anjian.inspections.models import ChecklistTemplate

    _require(by, Action.RISK_MANAGE)
    point = get_visible_or_404(RiskPoint.objects.select_for_update(), by, pk=risk_point.pk)
    _own(by, point)
    measures = list(
        ControlMeasure.objects.filter(risk__risk_point=point, risk__is_active=True, is_active=True)
        .select_related("risk")
        .order_by("-risk__rank", "risk_id", "pk")
    )
    if not measures:
        raise DomainError(_("风险点“%(p)s”还没有启用的管控措施，无法生成检查表。") % {"p": point.name})
    latest = None
    if point.checklist_family:
        latest = ChecklistTemplate.objects.filter(family=point.checklist_family).order_by("-version").first()
    if latest is None:
        draft = inspection_services.template_create(
            by=by,
            data={
                "name": (str(_("风险点管控措施检查表：%(p)s")) % {"p": point.name})[:100],
                "description": str(_("由风险点“%(p)s”的管控措施生成，检查管控措施是否落实。")) % {"p": point.name},
                "applies_to": (point.place or point.name)[:200],
            },
        )
        point.checklist_family = draft.family
        point.save(update_fields=["checklist_family", "updated_at"])
    elif latest.is_draft:
        draft = latest
    else:
        draft = inspection_services.template_new_version(by=by, template=latest)
    present = set(draft.items.values_list("key", flat=True))
    added = []
    for measure in measures:
        if measure.key in present:
            continue
        inspection_services.item_add(
            by=by,
            template=draft,
            section_title=measure.risk.name[:100],
            data={
                "text": measure.text,
                "basis": str(_("风险管控措施（%(l)s）")) % {"l": measure.risk.get_level_display()},
                "suggests_major": measure.risk.level == RiskLevel.MAJOR,
            },
            # the measure's key: the same in every later version, and the way back from a failed
            # item to the measure and its risk
            key=measure.key,
        )
        added.append(measure.text)
    if not added and latest is not None and not latest.is_draft:
        raise DomainError(_("检查表已包含全部管控措施，无需生成新版本。"))
    template = inspection_services.template_publish(by=by, template=draft)
    audit.record(
        actor=by,
        verb=AuditVerb.RISK_CHECKLIST_GENERATED,
        target=point,
        changes={"checklist": [None, str(template)], "items": [None, added]},
    )
    return template


# --- 两单两卡 -------------------------------------------------------------------------------------
def _clean_emergencies(rows) -> list[dict]:
    cleaned = []
    for n, row in enumerate(rows or [], start=1):
        values = {k: (row.get(k) or "").strip() for k in EMERGENCY_FIELDS}
        if not any(values.values()):
            continue
        missing = [str(EmergencyProcedure._meta.get_field(k).verbose_name) for k, v in values.items() if not v]
        if missing:
            raise DomainError(
                _("第%(n)d张应急处置卡尚缺：%(f)s。") % {"n": n, "f": "、".join(missing)}, field="emergencies"
            )
        cleaned.append(values)
    if not cleaned:
        raise DomainError(_("请至少填写一张应急处置卡（报警、隔离、救援、报告和应急电话）。"), field="emergencies")
    return cleaned


@transaction.atomic
def post_card_save(*, by, post: Post, data: dict[str, Any], emergencies: list[dict]) -> PostCard:
    """Write the post's duty list, operation card and emergency cards. A change makes a new version
    (the earlier emergency cards are kept with their version); staff acknowledge the new one."""
    _require(by, Action.RISK_MANAGE)
    post = get_visible_or_404(Post, by, pk=post.pk)
    _own(by, post)
    for name, label in (
        ("duties", _("岗位职责清单")),
        ("operation_steps", _("岗位操作卡")),
    ):
        if not (data.get(name) or "").strip():
            raise DomainError(_("请填写%(f)s。") % {"f": label}, field=name)
    rows = _clean_emergencies(emergencies)
    card = PostCard.objects.select_for_update().filter(post=post).first()
    values = {k: data[k].strip() for k in CARD_FIELDS}
    if card is None:
        card = PostCard(organization=post.organization, post=post, updated_by=by, **values)
        validated_save(card)
        before: dict = {}
    else:
        current = [{k: getattr(e, k) for k in EMERGENCY_FIELDS} for e in card.emergencies.filter(version=card.version)]
        unchanged = all(getattr(card, k) == v for k, v in values.items()) and current == rows
        if unchanged:
            return card
        before = {**audit.snapshot(card, CARD_FIELDS), "version": card.version}
        for k, v in values.items():
            setattr(card, k, v)
        card.version += 1
        card.updated_by = by
        validated_save(card)
    for order, row in enumerate(rows):
        EmergencyProcedure.objects.create(card=card, version=card.version, order=order, **row)
    after = {**audit.snapshot(card, CARD_FIELDS), "version": card.version}
    audit.record(
        actor=by,
        verb=AuditVerb.POST_CARD_SAVED,
        target=card,
        changes={**audit.diff(before, after), "emergencies": [None, [r["incident"] for r in rows]]},
    )
    return card


@transaction.atomic
def post_card_acknowledge(*, by, card: PostCard) -> CardAcknowledgement:
    """The signed-in member of staff has read the current version of the cards (once per version)."""
    _require(by, Action.RISK_VIEW)
    card = get_visible_or_404(PostCard.objects.select_related("post"), by, pk=card.pk)
    if by.organization_id != card.organization_id:
        raise NotPermittedError(_("只有本单位人员可以确认学习本岗位的两单两卡。"))
    # a double tap sends two requests: the unique constraint and get_or_create keep one row, one event
    ack, created = CardAcknowledgement.objects.get_or_create(card=card, user=by, version=card.version)
    if not created:
        return ack
    audit.record(
        actor=by,
        verb=AuditVerb.POST_CARD_ACKNOWLEDGED,
        target=card,
        changes={"version": [None, card.version]},
        note=str(_("%(u)s 确认已学习“%(p)s”两单两卡（第%(v)s版）")) % {"u": by.name, "p": card.post, "v": card.version},
    )
    return ack


# --- the four-colour map -------------------------------------------------------------------------
@transaction.atomic
def floor_plan_upload(*, by, building: str, floor: str, image, plan: FloorPlan | None = None) -> FloorPlan:
    """A floor's plan (a photo or an export of the drawing): decoded, stripped of metadata, stored as
    JPEG. Uploading again for the same floor replaces the picture; the areas stay (coordinates are
    relative to the plan)."""
    _require(by, Action.RISK_MANAGE)
    org = _institution_of(by)
    building, floor = (building or "").strip(), (floor or "").strip()
    if plan is not None:
        plan = get_visible_or_404(FloorPlan.objects.select_for_update(), by, pk=plan.pk)
        _own(by, plan)
        building, floor = plan.building, plan.floor
    else:
        if not building:
            raise DomainError(_("请填写建筑名称。"), field="building")
        if not floor:
            raise DomainError(_("请填写楼层。"), field="floor")
        plan = FloorPlan.objects.select_for_update().filter(organization=org, building=building, floor=floor).first()
    processed = process_upload(image)
    created = plan is None
    if created:
        plan = FloorPlan(organization=org, building=building, floor=floor)
    plan.width, plan.height, plan.uploaded_by = processed.width, processed.height, by
    plan.image.save(processed.image.name, processed.image, save=False)
    validated_save(plan)
    audit.record(
        actor=by,
        verb=AuditVerb.FLOOR_PLAN_UPLOADED,
        target=plan,
        changes={"plan": [None if created else str(plan), f"{plan} {plan.width}×{plan.height}"]},
    )
    return plan


def _clean_points(points) -> list[list[float]]:
    try:
        cleaned = [[round(float(x), 4), round(float(y), 4)] for x, y in points or []]
    except (TypeError, ValueError) as exc:
        raise DomainError(_("区域轮廓格式不正确，请重新绘制。"), field="points") from exc
    if len(cleaned) < 3:
        raise DomainError(_("请在平面图上至少点选三个点围出区域。"), field="points")
    if len(cleaned) > 200:
        raise DomainError(_("区域轮廓的点太多（最多200个）。"), field="points")
    if any(not (0 <= x <= 1 and 0 <= y <= 1) for x, y in cleaned):
        raise DomainError(_("区域的点须在平面图范围内。"), field="points")
    return cleaned


@transaction.atomic
def map_area_save(*, by, plan: FloorPlan, name: str, points, risk_points, area: MapArea | None = None) -> MapArea:
    """Draw (or redraw) an area on a floor plan and link it to risk points of the institution."""
    _require(by, Action.RISK_MANAGE)
    plan = get_visible_or_404(FloorPlan, by, pk=plan.pk)
    _own(by, plan)
    name = (name or "").strip()
    if not name:
        raise DomainError(_("请填写区域名称。"), field="name")
    cleaned = _clean_points(points)
    linked = list(risk_points or [])
    if any(p.organization_id != plan.organization_id for p in linked):
        raise DomainError(_("风险点须属于本机构。"), field="risk_points")
    before: dict = {}
    if area is None:
        area = MapArea(plan=plan)
    else:
        area = get_visible_or_404(MapArea.objects.select_for_update(), by, pk=area.pk, plan=plan)
        before = {"name": area.name, "risk_points": sorted(p.name for p in area.risk_points.all())}
    area.name, area.points = name[:100], cleaned
    validated_save(area)
    area.risk_points.set(linked)
    after = {"name": area.name, "risk_points": sorted(p.name for p in linked)}
    audit.record(
        actor=by,
        verb=AuditVerb.MAP_AREA_SAVED,
        target=area,
        organization=plan.organization,
        changes=audit.diff(before, after),
    )
    return area


# --- the methods ---------------------------------------------------------------------------------
@transaction.atomic
def method_new_version(*, by, code: str, factors: dict[str, list[tuple]], bands: list[tuple], note: str = ""):
    """Publish a new version of a method's tables: ``factors`` {factor: [(value, meaning)]}, ``bands``
    [(level, min_score, inclusive, label)] for the four levels. Ratings made with an earlier version
    keep it; new ratings use this one."""
    _require(by, Action.RISK_METHOD_MANAGE)
    code = current_method(code).code
    names = FACTORS[MethodCode(code)]
    if set(factors) != set(names):
        raise DomainError(_("须为每个因素（%(f)s）填写取值。") % {"f": "、".join(n.upper() for n in names)})
    parsed: dict[str, list[tuple[Decimal, str]]] = {}
    for name, rows in factors.items():
        values = []
        for value, meaning in rows:
            try:
                number = Decimal(str(value))
            except InvalidOperation as exc:
                raise DomainError(_("%(f)s 的分值“%(v)s”不是数字。") % {"f": name.upper(), "v": value}) from exc
            if number <= 0:
                raise DomainError(_("%(f)s 的分值须大于零。") % {"f": name.upper()})
            if not (meaning or "").strip():
                raise DomainError(_("%(f)s=%(v)s 须说明含义。") % {"f": name.upper(), "v": value})
            values.append((number, meaning.strip()))
        if not values:
            raise DomainError(_("%(f)s 至少要有一个取值。") % {"f": name.upper()})
        if len({v for v, _m in values}) != len(values):
            raise DomainError(_("%(f)s 的分值有重复。") % {"f": name.upper()})
        parsed[name] = values
    levels = [b[0] for b in bands]
    if sorted(levels) != sorted(RiskLevel.values):
        raise DomainError(_("分级标准须为重大、较大、一般、低风险各一级。"))
    ordered = sorted(bands, key=lambda b: RANK_OF[RiskLevel(b[0])], reverse=True)
    mins = [Decimal(str(b[1])) for b in ordered]
    if any(a <= b for a, b in itertools.pairwise(mins)):
        raise DomainError(_("分级标准的下限须按重大、较大、一般、低风险依次降低。"))
    latest = AssessmentMethod.objects.select_for_update().filter(code=code).order_by("-version").first()
    AssessmentMethod.objects.filter(code=code, is_current=True).update(is_current=False)
    method = AssessmentMethod.objects.create(
        code=code,
        version=latest.version + 1,
        name=latest.name,
        formula=latest.formula,
        note=(note or "").strip(),
        is_current=True,
        created_by=by,
    )
    for name, values in parsed.items():
        for order, (value, meaning) in enumerate(values):
            MethodFactor.objects.create(method=method, factor=name, value=value, meaning=meaning, order=order)
    for (level, _low, inclusive, label), low in zip(ordered, mins, strict=True):
        MethodBand.objects.create(method=method, level=level, min_score=low, inclusive=bool(inclusive), label=label)
    audit.record(
        actor=by,
        verb=AuditVerb.RISK_METHOD_VERSION_CREATED,
        target=method,
        changes={"version": [latest.version, method.version]},
        note=note,
    )
    return method
