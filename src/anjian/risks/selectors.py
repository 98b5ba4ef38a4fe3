"""The reads of the risk register shared by pages, API and the home panel; every one starts from
``visible_to(user)``. Whether a risk is checked, has controls or needs re-assessment is computed
here from the measures, the checklists and the hazards, never stored."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from anjian.hazards.models import Hazard
from anjian.inspections.choices import TemplateStatus
from anjian.inspections.models import ChecklistItem
from anjian.orgs.models import Organization
from anjian.risks.choices import LEVEL_OF_RANK, RANK_OF, RiskLevel
from anjian.risks.models import ControlMeasure, FloorPlan, MapArea, PostCard, Risk, RiskPoint

# A risk whose controls failed this often lately is flagged for re-assessment (DOMAIN.md §4).
RECURRING_HAZARDS = 2
RECURRING_DAYS = 180


def _checked_q() -> Exists:
    """An active measure of the risk is an item of a published checklist."""
    items = ChecklistItem.objects.filter(key=OuterRef("key"), template__status=TemplateStatus.PUBLISHED)
    return Exists(ControlMeasure.objects.filter(risk=OuterRef("pk"), is_active=True).filter(Exists(items)))


def _count_per_risk(qs) -> Coalesce:
    """How many rows of ``qs`` (a queryset with a ``risk`` foreign key) belong to the outer risk:
    a subquery on the risk's index, not a join with every hazard of the scope."""
    counted = qs.filter(risk=OuterRef("pk")).order_by().values("risk").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted), 0)


def annotate_risks(qs: QuerySet[Risk]) -> QuerySet[Risk]:
    since = timezone.now() - dt.timedelta(days=RECURRING_DAYS)
    return qs.annotate(
        measure_count=_count_per_risk(ControlMeasure.objects.filter(is_active=True)),
        recent_hazards=_count_per_risk(Hazard.objects.filter(found_at__gte=since)),
        is_checked=_checked_q(),
    )


def needs_reassessment(risk: Risk) -> bool:
    """Recurring hazards lately, or the review date passed."""
    recent = getattr(risk, "recent_hazards", None)
    if recent is None:
        since = timezone.now() - dt.timedelta(days=RECURRING_DAYS)
        recent = risk.hazards.filter(found_at__gte=since).count()
    overdue = risk.review_on is not None and risk.review_on < timezone.localdate()
    return recent >= RECURRING_HAZARDS or overdue


def flagged_risks(*, user, limit: int = 5) -> list[Risk]:
    """Risks to re-assess (recurring hazards lately, or the review date passed), highest first."""
    qs = risk_list(user=user).filter(Q(review_on__lt=timezone.localdate()) | Q(recent_hazards__gte=RECURRING_HAZARDS))
    return list(qs[:limit])


def risk_point_list(*, user, q: str = "", organization=None, level: str = "", active: bool | None = True):
    qs = RiskPoint.objects.visible_to(user).select_related("organization", "department")
    if active is not None:
        qs = qs.filter(is_active=active)
    if organization is not None:
        qs = qs.filter(organization=organization)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(area__icontains=q) | Q(building__icontains=q))
    qs = qs.annotate(
        top_rank=Max("risks__rank", filter=Q(risks__is_active=True)),
        risk_count=Count("risks", filter=Q(risks__is_active=True), distinct=True),
    )
    if level:
        qs = qs.filter(top_rank=RANK_OF[RiskLevel(level)])
    return qs.order_by("-top_rank", "organization_id", "building", "floor", "name", "pk")


def risk_list(
    *,
    user,
    q: str = "",
    organization=None,
    level: str = "",
    risk_point=None,
    without_controls: bool = False,
    without_checks: bool = False,
    active: bool | None = True,
) -> QuerySet[Risk]:
    qs = annotate_risks(
        Risk.objects.visible_to(user).select_related("organization", "risk_point", "method", "risk_point__department")
    )
    if active is not None:
        qs = qs.filter(is_active=active)
    if organization is not None:
        qs = qs.filter(organization=organization)
    if risk_point is not None:
        qs = qs.filter(risk_point=risk_point)
    if level:
        qs = qs.filter(level=level)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(risk_point__name__icontains=q))
    if without_controls:
        qs = qs.filter(measure_count=0)
    if without_checks:
        qs = qs.filter(is_checked=False)
    return qs.order_by("-rank", "organization_id", "risk_point__name", "pk")


def risk_detail(*, user, pk) -> Risk:
    from anjian.core.scoping import get_visible_or_404

    qs = annotate_risks(Risk.objects.select_related("organization", "risk_point", "method", "assessed_by"))
    return get_visible_or_404(qs, user, pk=pk)


def hazards_of_point(*, user, point: RiskPoint) -> QuerySet[Hazard]:
    return (
        Hazard.objects.visible_to(user)
        .filter(risk__risk_point=point)
        .select_related("risk", "category")
        .order_by("-found_at", "-pk")
    )


def measures_of(risks) -> dict[int, list[ControlMeasure]]:
    """Active measures by risk id, with whether each is an item of a published checklist."""
    items = ChecklistItem.objects.filter(key=OuterRef("key"), template__status=TemplateStatus.PUBLISHED)
    out: dict[int, list[ControlMeasure]] = {}
    qs = (
        ControlMeasure.objects.filter(risk__in=risks, is_active=True)
        .select_related("responsible_post", "responsible_post__department", "responsible_person")
        .annotate(is_checked=Exists(items))
        .order_by("risk_id", "pk")
    )
    for m in qs:
        out.setdefault(m.risk_id, []).append(m)
    return out


# --- post cards ----------------------------------------------------------------------------------
def card_risks(card: PostCard) -> list[Risk]:
    """岗位风险清单: the active risks with an active control measure at the post, highest first, each
    with the measures controlled at the post."""
    at_post = ControlMeasure.objects.filter(responsible_post=card.post, is_active=True).order_by("pk")
    return list(
        Risk.objects.filter(is_active=True, measures__responsible_post=card.post, measures__is_active=True)
        .distinct()
        .select_related("risk_point")
        .prefetch_related(Prefetch("measures", queryset=at_post, to_attr="post_measures"))
        .order_by("-rank", "pk")
    )


def card_list(*, user, organization=None) -> QuerySet[PostCard]:
    qs = PostCard.objects.visible_to(user).select_related("post", "post__department", "organization")
    if organization is not None:
        qs = qs.filter(organization=organization)
    return qs.annotate(
        ack_count=Count("acknowledgements", filter=Q(acknowledgements__version=F("version")), distinct=True)
    ).order_by("post__department__name", "post__name", "pk")


def card_of_user(user) -> PostCard | None:
    if not user.post_id:
        return None
    return PostCard.objects.filter(post_id=user.post_id).first()


# --- the four-colour map -------------------------------------------------------------------------
def plan_list(*, user, organization=None) -> QuerySet[FloorPlan]:
    qs = FloorPlan.objects.visible_to(user).filter(is_active=True).select_related("organization")
    if organization is not None:
        qs = qs.filter(organization=organization)
    return qs.annotate(area_count=Count("areas", filter=Q(areas__is_active=True)))


def areas_of(plan: FloorPlan) -> list[MapArea]:
    """The plan's areas, each with ``level`` (the highest level of its risk points' risks) or None."""
    return areas_by_plan([plan], risk_points=True)[plan.pk]


def areas_by_plan(plans, *, risk_points: bool = False) -> dict[int, list[MapArea]]:
    """The active areas of each plan (one query for all, and one more for their risk points when
    ``risk_points``), each with ``level`` (the highest level of its risk points' active risks, None
    when it has none) and its ``plan`` set."""
    plans = {p.pk: p for p in plans}
    areas = (
        MapArea.objects.filter(plan_id__in=list(plans), is_active=True)
        .annotate(top_rank=Max("risk_points__risks__rank", filter=Q(risk_points__risks__is_active=True)))
        .order_by("plan_id", "name", "pk")
    )
    if risk_points:
        areas = areas.prefetch_related("risk_points")
    found: dict[int, list[MapArea]] = {pk: [] for pk in plans}
    for area in areas:
        area.plan = plans[area.plan_id]
        area.level = LEVEL_OF_RANK.get(area.top_rank) if area.top_rank else None
        found[area.plan_id].append(area)
    return found


def area_risks(area: MapArea) -> list[Risk]:
    risks = list(
        Risk.objects.filter(risk_point__in=area.risk_points.all(), is_active=True)
        .select_related("risk_point")
        .order_by("-rank", "risk_point__name", "pk")
    )
    by_risk = measures_of(risks)
    for r in risks:
        r.active_measures = by_risk.get(r.pk, [])
    return risks


# --- the regulator's views -----------------------------------------------------------------------
@dataclass
class InstitutionRisks:
    organization: Organization
    counts: dict[str, int] = field(default_factory=dict)
    without_controls: int = 0
    without_checks: int = 0
    total: int = 0


def jurisdiction_overview(*, user) -> list[InstitutionRisks]:
    """Per institution in scope: active risks by level, and how many have no controls or no checks;
    institutions with red (major) risks first. Counted in the database, one row per institution."""
    has_measure = Exists(ControlMeasure.objects.filter(risk=OuterRef("pk"), is_active=True))
    rows = (
        Risk.objects.visible_to(user)
        .filter(is_active=True)
        .annotate(has_measure=has_measure, is_checked=_checked_q())
        .values("organization_id")
        .annotate(
            **{lv: Count("pk", filter=Q(level=lv)) for lv in RiskLevel.values},
            total=Count("pk"),
            without_controls=Count("pk", filter=Q(has_measure=False)),
            without_checks=Count("pk", filter=Q(is_checked=False)),
        )
        .order_by()
    )
    rows = list(rows)
    orgs = Organization.objects.in_bulk([r["organization_id"] for r in rows])
    result = [
        InstitutionRisks(
            organization=orgs[r["organization_id"]],
            counts={lv: r[lv] for lv in RiskLevel.values},
            without_controls=r["without_controls"],
            without_checks=r["without_checks"],
            total=r["total"],
        )
        for r in rows
        if r["organization_id"] in orgs
    ]
    return sorted(result, key=lambda r: (-r.counts["major"], -r.counts["significant"], r.organization.name))


def level_totals(*, user, organization=None) -> dict[str, int]:
    qs = Risk.objects.visible_to(user).filter(is_active=True)
    if organization is not None:
        qs = qs.filter(organization=organization)
    counts = dict(qs.values_list("level").annotate(n=Count("pk")).order_by())
    return {lv: counts.get(lv, 0) for lv in RiskLevel.values}
