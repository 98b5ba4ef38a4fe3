"""The monthly statistics form of seed 004 (attachment 2, 安全生产专项整治三年行动工作进展情况): one row per
topic (专题专项) plus 当月累计 and 累计总计, in four column groups.

What each column counts (the hazard figures come from ``stats.selectors``, computed there for the
dashboards and the API too):

- 发现突出问题（卫生健康行政部门层面）: major hazards (重大事故隐患) that supervision inspections (督导检查)
  of the month found, by the level of the regulator that inspected (省级 / 市级 / 县级), 小计 their sum;
- 排查整治隐患: hazards found in the month (not dismissed), general and major; 已整改 those of them
  closed (销号) by the end of the month; 整改率 = 已整改 / 排查;
- 开展督导检查: 成立检查组 = distinct teams (regulator and team members) that inspected in the month,
  督导检查次数 = supervision inspections, 检查单位 = distinct institutions inspected, 督导问题 = problems
  the teams entered as hazards;
- 约谈警示: distinct institutions interviewed in the month.

A topic row counts the hazards of the categories mapped to the topic (``StatisticsTopic``); the
supervision counts that belong to no topic (teams, visits, institutions, interviews) are left blank
there. 当月累计 counts every hazard of the month, whatever its category. 累计总计 is the same from the
first day of ``since`` (default: January of the month's year) to the month's last day. For an
institution only the 排查整治隐患 columns are filled (填报说明 5: "各医疗机构只填写'排查整改隐患'一栏").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from anjian.core.errors import DomainError
from anjian.core.periods import Period, PeriodError
from anjian.hazards.choices import HazardLevel, HazardStatus
from anjian.inspections.models import Interview, SupervisionFinding, SupervisionInspection
from anjian.orgs.choices import OrganizationType, RegulatorLevel
from anjian.reports.models import StatisticsTopic, TopicCategory
from anjian.stats.selectors import HazardFigures, Scope, figures_per, resolve_scope, scoped_hazards

FORM_TITLE = gettext_lazy("安全生产专项整治三年行动工作进展情况")
LEVELS = (RegulatorLevel.PROVINCE, RegulatorLevel.CITY, RegulatorLevel.DISTRICT)

# (key, column title, unit) in the order of the form's columns after 专题专项
COLUMNS = [
    ("problems_total", gettext_lazy("小计"), "项"),
    ("problems_province", gettext_lazy("省级卫生健康部门"), "项"),
    ("problems_city", gettext_lazy("市级卫生健康部门"), "项"),
    ("problems_district", gettext_lazy("县级卫生健康部门"), "项"),
    ("hazards_found", gettext_lazy("排查隐患总数"), "处"),
    ("general_found", gettext_lazy("排查"), "处"),
    ("general_rectified", gettext_lazy("已整改"), "处"),
    ("general_rate", gettext_lazy("整改率"), "%"),
    ("major_found", gettext_lazy("排查"), "处"),
    ("major_rectified", gettext_lazy("已整改"), "处"),
    ("major_rate", gettext_lazy("整改率"), "%"),
    ("teams", gettext_lazy("成立检查组"), "个"),
    ("visits", gettext_lazy("督导检查次数"), "次"),
    ("institutions_inspected", gettext_lazy("检查单位"), "家"),
    ("supervision_problems", gettext_lazy("督导问题"), "个"),
    ("interviews", gettext_lazy("约谈警示"), "家"),
]
# the row of units under the headings: （项） in Chinese, (items) in English (the API gives the unit as is)
UNIT_LABELS = {
    "项": pgettext_lazy("unit", "（项）"),
    "处": pgettext_lazy("unit", "（处）"),
    "%": pgettext_lazy("unit", "（%）"),
    "个": pgettext_lazy("unit", "（个）"),
    "次": pgettext_lazy("unit", "（次）"),
    "家": pgettext_lazy("unit", "（家）"),
}
UNIT_ROW = [UNIT_LABELS[u] for _k, _t, u in COLUMNS]
RATE_KEYS = {"general_rate", "major_rate"}
REGULATOR_KEYS = [k for k, _t, _u in COLUMNS if not k.startswith(("hazards_", "general_", "major_"))]


@dataclass
class MonthlyRow:
    label: str
    kind: str  # "topic", "month", "cumulative", "unmapped"
    values: dict[str, float | int | None] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"label": self.label, "kind": self.kind, **self.values}


@dataclass
class MonthlyForm:
    scope: Scope
    month: Period
    cumulative: Period
    rows: list[MonthlyRow]

    def as_dict(self) -> dict:
        org = self.scope.organization
        return {
            "title": str(FORM_TITLE),
            "organization": {"id": org.pk, "name": org.name} if org else None,
            "kind": self.scope.kind,
            "month": self.month.key,
            "cumulative_from": self.cumulative.start.isoformat(),
            "cumulative_to": self.cumulative.end.isoformat(),
            "columns": [{"key": k, "title": str(t), "unit": u} for k, t, u in COLUMNS],
            "rows": [row.as_dict() for row in self.rows],
        }


def parse_month(value: str | None) -> Period:
    try:
        return Period.from_params({"period": "month", "month": value or ""})
    except PeriodError as exc:
        raise DomainError(exc.message, field="month") from exc


def parse_since(value: str | None, month: Period) -> Period:
    if not value:
        return month.year_start
    since = parse_month(value)
    if since.start > month.start:
        raise DomainError(_("累计起始月份不能晚于统计月份。"), field="since")
    try:
        return Period.custom(since.start, month.end)
    except PeriodError as exc:
        raise DomainError(exc.message, field="since") from exc


def _hazard_values(cells: dict[tuple, HazardFigures], keep) -> dict:
    """The hazard columns from the (level, category id) cells whose category ``keep`` accepts."""
    general, major = HazardFigures(), HazardFigures()
    for (level, category), figs in cells.items():
        if keep(category):
            if level == HazardLevel.GENERAL:
                general = general + figs
            elif level == HazardLevel.MAJOR:
                major = major + figs
    return {
        "hazards_found": general.found + major.found,
        "general_found": general.found,
        "general_rectified": general.found_rectified,
        "general_rate": general.rate,
        "major_found": major.found,
        "major_rectified": major.found_rectified,
        "major_rate": major.rate,
    }


def _cells(qs, period: Period) -> dict[tuple, HazardFigures]:
    return figures_per(qs, period, ("level", "category_id"), ("found", "found_rectified"))


def hazard_columns(qs, period: Period) -> dict:
    """The 排查整治隐患 columns of every category (the 当月累计 row's) of ``qs`` for ``period``: what a
    periodic report prefills for an institution (``reports.report_figures``)."""
    return _hazard_values(_cells(qs, period), _every)


def _findings(user, scope: Scope, period: Period):
    qs = SupervisionFinding.objects.visible_to(user).filter(
        supervision__date__gte=period.start, supervision__date__lte=period.end
    )
    qs = qs.exclude(hazard__status=HazardStatus.DISMISSED)
    org = scope.organization
    if org is not None:
        qs = qs.filter(supervision__institution__path__startswith=org.path)
    if scope.kind:
        qs = qs.filter(supervision__institution__kind=scope.kind)
    return qs


def _supervision_values(user, scope: Scope, period: Period, categories: list[int] | None) -> dict:
    """The administrative-level and supervision columns; ``categories`` None: every category (a total row)."""
    findings = _findings(user, scope, period)
    if categories is not None:
        findings = findings.filter(hazard__category_id__in=categories)
    major = Q(hazard__level=HazardLevel.MAJOR)
    counts = findings.aggregate(
        all=Count("pk"),
        **{lv: Count("pk", filter=major & Q(supervision__regulator__regulator_level=lv)) for lv in LEVELS},
    )
    values = {
        "problems_province": counts[RegulatorLevel.PROVINCE],
        "problems_city": counts[RegulatorLevel.CITY],
        "problems_district": counts[RegulatorLevel.DISTRICT],
        "supervision_problems": counts["all"],
    }
    values["problems_total"] = sum(values[f"problems_{lv}"] for lv in LEVELS)
    if categories is not None:
        values.update(teams=None, visits=None, institutions_inspected=None, interviews=None)
        return values
    visits = SupervisionInspection.objects.visible_to(user).filter(date__gte=period.start, date__lte=period.end)
    interviews = Interview.objects.visible_to(user).filter(date__gte=period.start, date__lte=period.end)
    if scope.organization is not None:
        visits = visits.filter(institution__path__startswith=scope.organization.path)
        interviews = interviews.filter(institution__path__startswith=scope.organization.path)
    if scope.kind:
        visits = visits.filter(institution__kind=scope.kind)
        interviews = interviews.filter(institution__kind=scope.kind)
    teams = {(r, " ".join(t.split())) for r, t in visits.values_list("regulator_id", "team")}
    values.update(
        teams=len(teams),
        visits=visits.count(),
        institutions_inspected=visits.values("institution").distinct().count(),
        interviews=interviews.values("institution").distinct().count(),
    )
    return values


def _row(label, kind, user, scope, cells, keep, period, categories, regulator: bool) -> MonthlyRow:
    values = dict.fromkeys(k for k, _t, _u in COLUMNS)
    values.update(_hazard_values(cells, keep))
    if regulator:
        values.update(_supervision_values(user, scope, period, categories))
    return MonthlyRow(label, kind, values)


def _every(_category) -> bool:
    return True


def monthly_form(*, user, organization=None, kind: str = "", month: str | None = None, since: str | None = None):
    """The form for a month and a scope the user may see (another's organization: 404).

    The hazard columns of every row are sums of two grouped queries (the month's and the
    cumulative period's figures per level and category)."""
    if organization in (None, "") and user.organization is not None:
        organization = user.organization.pk  # the user's own unit: an institution, or a regulator's district
    scope = resolve_scope(user, organization=organization, kind=kind)
    period = parse_month(month)
    cumulative = parse_since(since, period)
    qs = scoped_hazards(user, scope)
    month_cells = _cells(qs, period)
    regulator = scope.organization is None or scope.organization.type == OrganizationType.REGULATOR
    mapping: dict[int, list[int]] = {}
    for topic_id, category_id in TopicCategory.objects.values_list("topic_id", "category_id"):
        mapping.setdefault(topic_id, []).append(category_id)
    rows = []
    mapped: set[int] = set()
    for topic in StatisticsTopic.objects.filter(is_active=True):
        categories = mapping.get(topic.pk, [])
        mapped.update(categories)
        keep = set(categories).__contains__
        rows.append(_row(topic.name, "topic", user, scope, month_cells, keep, period, categories, regulator))
    unmapped = [figs.found for (_level, c), figs in month_cells.items() if c not in mapped]
    if sum(unmapped):
        label = _("其他（未归入专题的隐患）")
        keep = lambda c: c not in mapped  # noqa: E731 - the categories of no topic, none included
        rows.append(_row(label, "unmapped", user, scope, month_cells, keep, period, None, False))
    rows.append(_row(_("当月累计"), "month", user, scope, month_cells, _every, period, None, regulator))
    cumulative_cells = _cells(qs, cumulative)
    rows.append(_row(_("累计总计"), "cumulative", user, scope, cumulative_cells, _every, cumulative, None, regulator))
    return MonthlyForm(scope=scope, month=period, cumulative=cumulative, rows=rows)
