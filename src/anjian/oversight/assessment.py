"""The annual assessment (考核) of the institutions below a regulator: each indicator of the
regulator's set scored per institution, the total, the veto, the ranking.

A data-driven indicator reads a rate (0–100 %) from the platform through the statistics app's
selectors, for the assessment's year, and scores weight × rate / 100 (one decimal):

- ``inspection_compliance`` 隐患排查完成率: done / due inspection slots (``stats.activity``); an
  institution without any schedule scores 0 (未建立排查计划);
- ``rectification_rate`` 隐患整改率: hazards found in the year and closed / found (``stats.selectors``);
- ``rectification_timeliness`` 按期整改率: hazards closed in the year by their deadline / closed;
- ``major_clearance`` 重大事故隐患动态清零: major hazards of the year's stock and increment closed /
  all of them (``stats.selectors.major_clearance``);
- ``task_completion`` 任务清单完成率: done / all assignments of active plans, as of today;
- ``report_punctuality`` 报表按时报送率: the periodic reports of the year already due, submitted by
  their due date / owed (``action_plans.selectors.report_period_status``, the 报送 page's "who is late").

A rate without a denominator (nothing found, nothing due) scores the full weight: there was nothing
to fail. Hand-scored indicators take the regulator's score (at most the weight) with its evidence; a
veto item that applies makes the result 不合格 whatever the total. Ranking: not vetoed first, then
by total, then by name."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.action_plans import due
from anjian.action_plans.selectors import reports as report_selectors
from anjian.core.periods import Period
from anjian.orgs.models import Organization
from anjian.oversight.choices import IndicatorKind
from anjian.oversight.models import Assessment, Indicator, ManualScore
from anjian.stats import activity
from anjian.stats import selectors as stats

METRICS = {
    "inspection_compliance": _("隐患排查完成率"),
    "rectification_rate": _("隐患整改率"),
    "rectification_timeliness": _("按期整改率"),
    "major_clearance": _("重大事故隐患动态清零率"),
    "task_completion": _("任务清单完成率"),
    "report_punctuality": _("报表按时报送率"),
}

# name, kind, metric, weight, veto, description
DEFAULT_INDICATORS = [
    (
        "隐患排查完成率",
        "data",
        "inspection_compliance",
        20,
        False,
        "按排查计划应完成的检查均已完成得满分，按完成率折算",
    ),
    ("隐患整改率", "data", "rectification_rate", 20, False, "当年发现的隐患已整改销号的比例"),
    ("按期整改率", "data", "rectification_timeliness", 15, False, "当年销号的隐患在整改期限内完成的比例"),
    ("重大事故隐患动态清零", "data", "major_clearance", 15, False, "存量和增量重大事故隐患已销号的比例"),
    ("任务清单完成率", "data", "task_completion", 10, False, "行动方案重点任务已完成的比例"),
    ("报表按时报送率", "data", "report_punctuality", 5, False, "当年已到期的定期报表按期报送的比例"),
    ("安全生产责任制落实", "manual", "", 15, False, "责任制、制度、培训、应急演练等，由监管部门依据检查和资料评分"),
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
    """Every data-driven metric per institution id: the rate in percent, None when there is nothing
    to count. Reads the statistics app's selectors for the regulator's jurisdiction and the year."""
    period = Period.year(year)
    scope = stats.Scope(regulator)
    hazards = stats.scoped_hazards(user, scope)
    ids = list(institutions_of(regulator).values_list("pk", flat=True))
    by_org = {int(r.key): r.figures for r in stats.hazard_figures_by(hazards, period, "institution")}
    rates: dict[str, dict[int, float | None]] = {m: {} for m in METRICS}
    for pk in ids:
        figures = by_org.get(pk, stats.HazardFigures())
        rates["rectification_rate"][pk] = figures.rate
        rates["rectification_timeliness"][pk] = figures.in_time_rate
        clearance = stats.major_clearance(hazards.filter(organization_id=pk), period)
        whole = clearance.stock_total + clearance.increment_found
        cleared = (clearance.stock_total - clearance.stock_open) + clearance.increment_closed
        rates["major_clearance"][pk] = _rate(cleared, whole)
    compliance = activity.compliance_figures(user, scope, period)
    for row in compliance.by_institution:
        rates["inspection_compliance"][int(row.key)] = row.rate
    for pk in ids:
        rates["inspection_compliance"].setdefault(pk, 0.0)  # no schedule at all: 未建立排查计划
    rates["report_punctuality"] = report_punctuality(user, year, ids)
    tasks = {pk: figs for pk, _name, figs in activity.task_figures_by_institution(user, scope)}
    for pk in ids:
        rates["task_completion"][pk] = tasks[pk].done_rate if pk in tasks else None
    return rates


def report_punctuality(user, year: int, ids: list[int]) -> dict[int, float | None]:
    """Per institution: the reports of ``year``'s periods already due, submitted on time, in percent."""
    today = timezone.localdate()
    owed: dict[int, int] = defaultdict(int)
    on_time: dict[int, int] = defaultdict(int)
    for definition in report_selectors.report_definition_list(user=user).filter(is_active=True):
        for month in range(1, 13, due.period_months(definition.frequency)):
            period = due.period_start(dt.date(year, month, 1), definition.frequency)
            if due.definition_due_date(definition, period) > today:
                continue
            status = report_selectors.report_period_status(user=user, definition=definition, period=period, today=today)
            for unit, submission, late in status.rows:
                owed[unit.pk] += 1
                on_time[unit.pk] += int(submission is not None and submission.status == "submitted" and not late)
    return {pk: _rate(on_time[pk], owed[pk]) for pk in ids}


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
