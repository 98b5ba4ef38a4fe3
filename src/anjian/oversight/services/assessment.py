"""Every change to the annual assessment: the regulator's indicator set (created with defaults, then
edited: weights, data metric or hand scoring, veto), a year's assessment, hand scores with their
evidence, publication (then institutions see their own sheet). Each an audit event."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.core import audit
from anjian.core.audit import AuditVerb
from anjian.core.errors import ConflictError, DomainError, NotPermittedError
from anjian.core.permissions import Action, can
from anjian.core.scoping import get_visible_or_404
from anjian.orgs.models import Organization
from anjian.oversight.assessment import DEFAULT_INDICATORS, METRICS, frozen, score_sheet
from anjian.oversight.choices import AssessmentStatus, IndicatorKind
from anjian.oversight.models import Assessment, Indicator, ManualScore

INDICATOR_FIELDS = ["name", "kind", "metric", "weight", "is_veto", "description", "sort_order", "is_active"]


def regulator_of_user(by) -> Organization:
    if not can(by, Action.ASSESSMENT_MANAGE):
        raise NotPermittedError(_("您的角色无权执行此操作：%(action)s") % {"action": Action.ASSESSMENT_MANAGE.label})
    org = by.organization
    if org is None or not org.is_regulator:
        raise NotPermittedError(_("年度考核由监管部门组织。"))
    return org


@transaction.atomic
def indicators_ensure_default(*, by) -> int:
    """Give the user's regulator the default indicator set, once (nothing when it has any)."""
    regulator = regulator_of_user(by)
    if Indicator.objects.filter(regulator=regulator).exists():
        return 0
    for i, (name, kind, metric, weight, veto, description) in enumerate(DEFAULT_INDICATORS, start=1):
        indicator = Indicator.objects.create(
            regulator=regulator,
            name=name,
            kind=kind,
            metric=metric,
            weight=Decimal(weight),
            is_veto=veto,
            description=description,
            sort_order=i * 10,
        )
        audit.record(
            actor=by,
            verb=AuditVerb.ASSESSMENT_INDICATOR_SAVED,
            target=indicator,
            organization=regulator,
            changes=audit.diff({}, audit.snapshot(indicator, INDICATOR_FIELDS)),
        )
    return len(DEFAULT_INDICATORS)


@transaction.atomic
def indicator_save(*, by, data: dict[str, Any], indicator: Indicator | None = None) -> Indicator:
    """Create or edit an indicator. A data-driven one names a metric; a veto item weighs nothing;
    the active indicators' weights add up to at most 100."""
    regulator = regulator_of_user(by)
    if indicator is not None:
        indicator = get_visible_or_404(Indicator.objects.select_for_update(), by, pk=indicator.pk)
    before = audit.snapshot(indicator, INDICATOR_FIELDS) if indicator else {}
    indicator = indicator or Indicator(regulator=regulator)
    name = (data.get("name") or "").strip()
    if not name:
        raise DomainError(_("请填写指标名称。"), field="name")
    kind = data.get("kind")
    if kind not in IndicatorKind.values:
        raise DomainError(_("请选择计分方式。"), field="kind")
    metric = data.get("metric") or ""
    if kind == IndicatorKind.DATA and metric not in METRICS:
        raise DomainError(_("平台数据计算的指标须选择数据指标。"), field="metric")
    weight = Decimal(str(data.get("weight") or 0))
    veto = bool(data.get("is_veto"))
    if veto and (kind != IndicatorKind.MANUAL or weight):
        raise DomainError(_("一票否决项须为人工评分，分值为 0。"), field="is_veto")
    if weight < 0 or weight > 100:
        raise DomainError(_("分值须在 0 到 100 之间。"), field="weight")
    active = data.get("is_active", True)
    others = Indicator.objects.filter(regulator=regulator, is_active=True).exclude(pk=indicator.pk)
    total = (others.aggregate(s=Sum("weight"))["s"] or Decimal(0)) + (weight if active else 0)
    if total > 100:
        raise DomainError(
            _("启用指标的分值合计不能超过 100 分（现为 %(t)s 分）。") % {"t": total.normalize()}, field="weight"
        )
    indicator.name, indicator.kind, indicator.metric = name[:100], kind, metric if kind == IndicatorKind.DATA else ""
    indicator.weight, indicator.is_veto, indicator.is_active = weight, veto, bool(active)
    indicator.description = (data.get("description") or "").strip()
    indicator.sort_order = int(data.get("sort_order") or indicator.sort_order or 0)
    indicator.save()
    audit.record(
        actor=by,
        verb=AuditVerb.ASSESSMENT_INDICATOR_SAVED,
        target=indicator,
        organization=regulator,
        changes=audit.diff(before, audit.snapshot(indicator, INDICATOR_FIELDS)),
    )
    return indicator


@transaction.atomic
def assessment_create(*, by, year: int) -> Assessment:
    regulator = regulator_of_user(by)
    if year < 2000 or year > timezone.localdate().year:
        raise DomainError(_("考核年度须在 2000 年至今年之间。"), field="year")
    indicators_ensure_default(by=by)
    try:
        with transaction.atomic():
            assessment = Assessment.objects.create(regulator=regulator, year=year, created_by=by)
    except IntegrityError as exc:
        raise ConflictError(_("%(y)s 年度考核已建立。") % {"y": year}, field="year") from exc
    audit.record(actor=by, verb=AuditVerb.ASSESSMENT_CREATED, target=assessment, organization=regulator)
    return assessment


def _draft(assessment: Assessment, by) -> Assessment:
    regulator_of_user(by)
    assessment = get_visible_or_404(Assessment.objects.select_for_update(), by, pk=assessment.pk)
    if assessment.status != AssessmentStatus.DRAFT:
        raise ConflictError(_("考核结果已发布，不能再修改评分。"))
    return assessment


@transaction.atomic
def manual_score_save(
    *, by, assessment: Assessment, organization: Organization, indicator: Indicator, score, evidence: str, vetoed=False
) -> ManualScore:
    """A hand score (at most the indicator's weight) or a veto, with its evidence (required unless
    full marks)."""
    assessment = _draft(assessment, by)
    if indicator.regulator_id != assessment.regulator_id or indicator.kind != IndicatorKind.MANUAL:
        raise DomainError(_("该指标不是本考核的人工评分指标。"), field="indicator")
    if not organization.is_institution or not organization.path.startswith(assessment.regulator.path):
        raise DomainError(_("只能为辖区内的机构评分。"), field="organization")
    score = Decimal(str(score or 0))
    if score < 0 or score > indicator.weight:
        raise DomainError(
            _("“%(n)s”的得分须在 0 到 %(w)s 分之间。") % {"n": indicator.name, "w": indicator.weight.normalize()},
            field="score",
        )
    vetoed = bool(vetoed) and indicator.is_veto
    evidence = (evidence or "").strip()
    if (vetoed or score < indicator.weight) and not evidence:
        raise DomainError(_("扣分或一票否决须填写评分依据。"), field="evidence")
    row, _created = ManualScore.objects.get_or_create(
        assessment=assessment, organization=organization, indicator=indicator, defaults={"scored_by": by}
    )
    before = {"score": str(row.score), "vetoed": row.vetoed, "evidence": row.evidence} if not _created else {}
    row.score, row.vetoed, row.evidence, row.scored_by = score, vetoed, evidence, by
    row.save()
    audit.record(
        actor=by,
        verb=AuditVerb.ASSESSMENT_VETOED if vetoed else AuditVerb.ASSESSMENT_SCORED,
        target=assessment,
        organization=assessment.regulator,
        changes=audit.diff(before, {"score": str(score), "vetoed": vetoed, "evidence": evidence}),
        note=f"{organization.name} · {indicator.name}",
    )
    return row


@transaction.atomic
def assessment_publish(*, by, assessment: Assessment) -> Assessment:
    assessment = _draft(assessment, by)
    assessment.results = frozen(score_sheet(by, assessment))
    assessment.status, assessment.published_at = AssessmentStatus.PUBLISHED, timezone.now()
    assessment.save(update_fields=["status", "published_at", "results"])
    audit.record(actor=by, verb=AuditVerb.ASSESSMENT_PUBLISHED, target=assessment, organization=assessment.regulator)
    return assessment
