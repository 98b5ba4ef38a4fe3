"""The annual assessment (考核) of the institutions below a regulator: each indicator of the
regulator's set scored per institution, the total, the veto, the ranking.

A data-driven indicator reads a rate (0–100 %) of the assessment's year from the platform, through
the selectors of the apps that own the data, and scores weight × rate / 100 (one decimal). Every
metric is bound to the year (a year with data before and after it counts only its own) and is
computed for the whole jurisdiction in a fixed number of queries, grouped by institution:

- ``inspection_compliance`` 隐患排查完成率: done / due inspection slots of the year
  (``stats.activity``); an institution without any schedule scores 0 (未建立排查计划);
- ``rectification_rate`` 隐患整改率: hazards found in the year and closed / found (``stats.selectors``);
- ``rectification_timeliness`` 按期整改率: hazards closed in the year by their deadline / closed;
- ``major_clearance`` 重大事故隐患动态清零: major hazards of the year's stock and increment closed /
  all of them (``stats.selectors.major_clearance_by``);
- ``task_completion`` 任务清单完成率: assignments of active plans whose deadline falls in the year,
  confirmed done before the year's end / those owed (deadline passed, or done);
- ``report_punctuality`` 报表按时报送率: the periodic reports of the year already due, submitted by
  their due date / owed (as ``action_plans.selectors.report_period_status``, the 报送 page's "who is late");
- ``drill_rhythm`` 应急演练按期开展率: the windows of the drill rhythm in the year with a drill / owed;
- ``training_plan`` 年度培训计划完成率: the year's training plan items held / owed; no plan scores 0.

A rate without a denominator (nothing found, nothing due) scores the full weight: there was nothing
to fail. Hand-scored indicators take the regulator's score (at most the weight) with its evidence; a
veto item that applies makes the result 不合格 whatever the total. Ranking: not vetoed first, then
by total, then by name."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.action_plans import due
from anjian.action_plans import selectors as plan_selectors
from anjian.action_plans.choices import AssignmentStatus, SubmissionStatus
from anjian.action_plans.models import ReportDefinition, ReportSubmission
from anjian.action_plans.selectors import reports as report_selectors
from anjian.action_plans.services import owing_units
from anjian.core.docx import record_docx
from anjian.core.periods import Period
from anjian.orgs.models import Organization
from anjian.oversight.choices import IndicatorKind
from anjian.oversight.models import Assessment, Indicator, ManualScore
from anjian.stats import activity
from anjian.stats import selectors as stats
from anjian.training.models import TrainingPlan, TrainingPlanItem, TrainingRules, TrainingSession
from anjian.training.selectors import drill_list

METRICS = {
    "inspection_compliance": _("隐患排查完成率"),
    "rectification_rate": _("隐患整改率"),
    "rectification_timeliness": _("按期整改率"),
    "major_clearance": _("重大事故隐患动态清零率"),
    "task_completion": _("任务清单完成率"),
    "report_punctuality": _("报表按时报送率"),
    "drill_rhythm": _("应急演练按期开展率"),
    "training_plan": _("年度培训计划完成率"),
}

# name, kind, metric, weight, veto, description
DEFAULT_INDICATORS = [
    (
        "隐患排查完成率",
        "data",
        "inspection_compliance",
        15,
        False,
        "按排查计划应完成的检查均已完成得满分，按完成率折算",
    ),
    ("隐患整改率", "data", "rectification_rate", 15, False, "当年发现的隐患已整改销号的比例"),
    ("按期整改率", "data", "rectification_timeliness", 10, False, "当年销号的隐患在整改期限内完成的比例"),
    ("重大事故隐患动态清零", "data", "major_clearance", 15, False, "存量和增量重大事故隐患已销号的比例"),
    ("任务清单完成率", "data", "task_completion", 10, False, "完成时限在当年的行动方案重点任务按期确认完成的比例"),
    ("报表按时报送率", "data", "report_punctuality", 5, False, "当年已到期的定期报表按期报送的比例"),
    ("应急演练按期开展率", "data", "drill_rhythm", 10, False, "按演练周期（默认每半年）每个周期至少开展一次应急演练"),
    ("年度培训计划完成率", "data", "training_plan", 10, False, "年度培训计划中已到期的培训项目已按计划开展的比例"),
    ("安全生产责任制落实", "manual", "", 10, False, "责任制、管理制度、应急预案等，由监管部门依据检查和资料评分"),
    ("发生较大及以上生产安全责任事故", "manual", "", 0, True, "发生的，年度考核不合格"),
]

ONE = Decimal("0.1")


@dataclass
class Cell:
    indicator: Indicator
    rate: float | None = None  # data-driven: the rate read from the platform
    score: Decimal = Decimal(0)
    evidence: str = ""
    vetoed: bool = False


@dataclass
class SheetRow:
    organization: Organization
    cells: list[Cell] = field(default_factory=list)
    rank: int = 0

    @property
    def total(self) -> Decimal:
        return sum((c.score for c in self.cells), Decimal(0))

    @property
    def vetoed(self) -> bool:
        return any(c.vetoed for c in self.cells)

    @property
    def result(self) -> str:
        return str(_("不合格（一票否决）")) if self.vetoed else ""


def indicators_of(regulator: Organization) -> list[Indicator]:
    return list(Indicator.objects.filter(regulator=regulator, is_active=True).order_by("sort_order", "pk"))


def institutions_of(regulator: Organization):
    return Organization.objects.filter(path__startswith=regulator.path, type="institution", is_active=True).order_by(
        "name"
    )


def _rate(part: int, whole: int) -> float | None:
    return stats.percent(part, whole)


def data_rates(user, regulator: Organization, year: int) -> dict[str, dict[int, float | None]]:
    """Every data-driven metric per institution id: the rate in percent for ``year``, None when there
    is nothing to count. Each metric is one query (or a few) for the whole jurisdiction, never one
    per institution: the statistics' selectors grouped by institution."""
    period = Period.year(year)
    scope = stats.Scope(regulator)
    ids = list(institutions_of(regulator).values_list("pk", flat=True))
    hazards = stats.scoped_hazards(user, scope)
    figures = stats.figures_per(hazards, period, ("organization_id",), names=HAZARD_FIGURES)
    clearance = stats.major_clearance_by(hazards, period)
    rates: dict[str, dict[int, float | None]] = {m: {} for m in METRICS}
    for pk in ids:
        found = figures.get((pk,), stats.HazardFigures())
        rates["rectification_rate"][pk] = found.rate
        rates["rectification_timeliness"][pk] = found.in_time_rate
        rates["major_clearance"][pk] = clearance_rate(clearance.get(pk))
    compliance = activity.compliance_figures(user, scope, period)
    for row in compliance.by_institution:
        rates["inspection_compliance"][int(row.key)] = row.rate
    for pk in ids:
        rates["inspection_compliance"].setdefault(pk, 0.0)  # no schedule at all: 未建立排查计划
    rates["task_completion"] = task_completion(user, regulator, period, ids)
    rates["report_punctuality"] = report_punctuality(user, regulator, year, ids)
    rates["drill_rhythm"] = drill_rhythm(user, period, ids)
    rates["training_plan"] = training_plan(user, period, ids)
    return rates


HAZARD_FIGURES = ("found", "found_rectified", "rectified", "in_time")


def clearance_rate(figures: stats.ClearanceFigures | None) -> float | None:
    """动态清零: the year's stock and increment of major hazards closed by the year's end (today while it
    runs) / all of them."""
    if figures is None:
        return None
    whole = figures.stock_total + figures.increment_found
    cleared = (figures.stock_total - figures.stock_open) + figures.increment_closed
    return _rate(cleared, whole)


def task_completion(user, regulator: Organization, period: Period, ids: list[int]) -> dict[int, float | None]:
    """Per institution: the assignments of active plans whose task's deadline (完成时限) falls in the
    year, owed once the deadline has passed (``action_plans.rules``: overdue the day after) or once
    done; done when the regulator confirmed it (``reviewed_at``) before the year ended. One query."""
    today = timezone.localdate()
    done = Q(status=AssignmentStatus.DONE, reviewed_at__lt=period.end_at)
    owed = Q(task__deadline__lt=today) | done
    rows = (
        plan_selectors.assignment_list(user=user)
        .order_by()
        .filter(organization__path__startswith=regulator.path, task__deadline__gte=period.start)
        .filter(task__deadline__lte=period.end)
        .filter(owed)
        .values("organization_id")
        .annotate(owed=Count("pk"), done=Count("pk", filter=done))
    )
    counted = {r["organization_id"]: (r["done"], r["owed"]) for r in rows}
    return {pk: _rate(*counted.get(pk, (0, 0))) for pk in ids}


def report_punctuality(user, regulator: Organization, year: int, ids: list[int]) -> dict[int, float | None]:
    """Per institution: the reports of ``year``'s periods already due, submitted on time, in percent;
    on time as ``action_plans.due.is_on_time`` says (the 报送 page's "who is late" asks the same):
    submitted, on or before the due day. The reports are those the regulator's institutions owe: set
    by it, by a regulator below it, or by one above it (a city's report). Queries per report
    definition, not per period or unit."""
    today = timezone.localdate()
    owed: dict[int, int] = defaultdict(int)
    on_time: dict[int, int] = defaultdict(int)
    above = [int(p) for p in regulator.path.strip("/").split("/") if p]
    own = report_selectors.report_definition_list(user=user).values("pk")
    definitions = list(
        ReportDefinition.objects.filter(Q(pk__in=own) | Q(organization_id__in=above))
        .filter(is_active=True)
        .select_related("organization")
        .prefetch_related("unit_groups")
        .order_by("pk")
    )
    submitted_on = {
        (s.definition_id, s.organization_id, s.period): timezone.localdate(s.submitted_at)
        for s in ReportSubmission.objects.visible_to(user)
        .filter(definition__in=definitions, period__gte=dt.date(year, 1, 1), period__lt=dt.date(year + 1, 1, 1))
        .filter(status=SubmissionStatus.SUBMITTED)
        .only("definition_id", "organization_id", "period", "submitted_at")
    }
    wanted = set(ids)
    for definition in definitions:
        periods = []
        for month in range(1, 13, due.period_months(definition.frequency)):
            period = due.period_start(dt.date(year, month, 1), definition.frequency)
            due_on = due.definition_due_date(definition, period)
            if due_on <= today:
                periods.append((period, due_on))
        if not periods:
            continue
        for unit in owing_units(definition).values_list("pk", flat=True):
            if unit not in wanted:
                continue
            for period, due_on in periods:
                owed[unit] += 1
                day = submitted_on.get((definition.pk, unit, period))
                on_time[unit] += due.is_on_time(day, due_on)
    return {pk: _rate(on_time[pk], owed[pk]) for pk in ids}


def drill_windows(months: int, period: Period) -> list[tuple[dt.date, dt.date]]:
    """The windows of ``months`` months (the institution's drill rhythm, ``TrainingRules``) in the year."""
    out = []
    for first in range(1, 13, months):
        start = dt.date(period.start.year, first, 1)
        last = first + months
        end = dt.date(start.year + 1, 1, 1) if last > 12 else dt.date(start.year, last, 1)
        out.append((start, end - dt.timedelta(days=1)))
    return out


def drill_rhythm(user, period: Period, ids: list[int]) -> dict[int, float | None]:
    """应急演练按期开展率: the windows of the institution's drill rhythm (at least one drill each
    ``drill_every_months`` months, half-years by default: ``training.selectors.drill_rhythm``) in the
    year that had a drill held (planned and cancelled ones do not count) / the windows owed: those
    ended by today, and the running one once it had a drill. Two queries."""
    today = timezone.localdate()
    months = dict(
        TrainingRules.objects.visible_to(user)
        .filter(organization_id__in=ids)
        .values_list("organization_id", "drill_every_months")
    )
    held: dict[int, list[dt.date]] = defaultdict(list)
    for org, day in (
        drill_list(user=user, held_from=period.start, held_to=min(period.end, today))
        .filter(organization_id__in=ids)
        .values_list("organization_id", "held_on")
    ):
        held[org].append(day)
    rates = {}
    for pk in ids:
        windows = drill_windows(months.get(pk) or TrainingRules.DEFAULT_DRILL_MONTHS, period)
        done = [any(start <= d <= end for d in held[pk]) for start, end in windows]
        owed = [had or end < today for (_start, end), had in zip(windows, done, strict=True)]
        rates[pk] = _rate(sum(done), sum(owed))
    return rates


def training_plan(user, period: Period, ids: list[int]) -> dict[int, float | None]:
    """年度培训计划完成率: the items of the institution's training plan of the year held (a valid
    session recorded against the item by the year's end, as the plan's page shows it) / the items
    owed: those whose month has ended, and the others once held. An institution without a plan for
    the year scores 0 (未制定年度培训计划). Two queries."""
    today = timezone.localdate()
    year = period.start.year
    planned = set(
        TrainingPlan.objects.visible_to(user)
        .filter(year=year, organization_id__in=ids)
        .values_list("organization_id", flat=True)
    )
    sessions = TrainingSession.objects.filter(
        plan_item=OuterRef("pk"), is_active=True, held_on__lte=min(period.end, today)
    )
    items = (
        TrainingPlanItem.objects.visible_to(user)
        .filter(plan__year=year, plan__organization_id__in=ids)
        .annotate(held=Exists(sessions))
        .values_list("plan__organization_id", "month", "held")
    )
    done: dict[int, int] = defaultdict(int)
    owed: dict[int, int] = defaultdict(int)
    for org, month, held in items:
        month_over = (dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1)) <= today
        owed[org] += int(held or month_over)
        done[org] += int(held)
    return {pk: _rate(done[pk], owed[pk]) if pk in planned else 0.0 for pk in ids}


def _scored(weight: Decimal, rate: float | None) -> Decimal:
    if rate is None:
        return weight
    return (weight * Decimal(str(rate)) / 100).quantize(ONE, rounding=ROUND_HALF_UP)


def score_sheet(user, assessment: Assessment, *, organization: Organization | None = None) -> list[SheetRow]:
    """The rows of the assessment (one per institution, or the one asked for), ranked."""
    regulator = assessment.regulator
    indicators = indicators_of(regulator)
    rates = (
        data_rates(user, regulator, assessment.year) if any(i.kind == IndicatorKind.DATA for i in indicators) else {}
    )
    manual = {(s.organization_id, s.indicator_id): s for s in ManualScore.objects.filter(assessment=assessment)}
    rows = []
    for org in institutions_of(regulator):
        row = SheetRow(org)
        for indicator in indicators:
            cell = Cell(indicator)
            if indicator.kind == IndicatorKind.DATA and indicator.metric in rates:
                cell.rate = rates[indicator.metric].get(org.pk)
                cell.score = _scored(indicator.weight, cell.rate)
            else:
                given = manual.get((org.pk, indicator.pk))
                if given is not None:
                    cell.score, cell.evidence, cell.vetoed = given.score, given.evidence, given.vetoed
            row.cells.append(cell)
        rows.append(row)
    rows.sort(key=lambda r: (r.vetoed, -r.total, r.organization.name))
    for i, row in enumerate(rows, start=1):
        row.rank = i
    if organization is not None:
        rows = [r for r in rows if r.organization.pk == organization.pk]
    return rows


def frozen(rows: list[SheetRow]) -> list[dict]:
    """The sheet as plain data, kept on the assessment when it is published."""
    return [
        {
            "organization": r.organization.pk,
            "name": r.organization.name,
            "rank": r.rank,
            "total": str(r.total),
            "vetoed": r.vetoed,
            "cells": [
                {
                    "indicator": c.indicator.name,
                    "kind": c.indicator.kind,
                    "weight": str(c.indicator.weight),
                    "is_veto": c.indicator.is_veto,
                    "rate": c.rate,
                    "score": str(c.score),
                    "evidence": c.evidence,
                    "vetoed": c.vetoed,
                }
                for c in r.cells
            ],
        }
        for r in rows
    ]


def sheet_data(user, assessment: Assessment, *, organization: Organization | None = None) -> list[dict]:
    """The sheet as plain data: frozen once published, computed live while scoring."""
    if assessment.status == "published":
        rows = assessment.results
        return [r for r in rows if organization is None or r["organization"] == organization.pk]
    return frozen(score_sheet(user, assessment, organization=organization))


def sheet_docx(assessment: Assessment, row: dict) -> bytes:
    """One institution's score sheet (a row of ``sheet_data``) as a Word record (``core.docx``)."""
    fields = []
    for c in row["cells"]:
        if c["is_veto"]:
            value = str(_("否决：%(e)s") % {"e": c["evidence"]}) if c["vetoed"] else str(_("未否决"))
        else:
            value = str(_("%(s)s 分（满分 %(w)s 分）") % {"s": c["score"], "w": c["weight"]})
            if c["rate"] is not None:
                value += str(_("；平台数据 %(r)s%%") % {"r": c["rate"]})
        fields.append((c["indicator"], value))
    result = str(_("不合格（一票否决）")) if row["vetoed"] else ""
    fields.append((str(_("总分")), " ".join(x for x in (row["total"], result) if x)))
    fields.append((str(_("名次")), str(row["rank"])))
    evidence = "\n".join(f"{c['indicator']}：{c['evidence']}" for c in row["cells"] if c["evidence"])
    return record_docx(
        title=str(_("%(year)s年度安全生产考核评分表") % {"year": assessment.year}),
        subtitle=row["name"],
        fields=fields,
        parts=[(str(_("评分依据")), evidence)],
        signatures=[str(_("考核单位：%(r)s") % {"r": assessment.regulator.name})],
    )
