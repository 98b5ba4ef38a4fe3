"""The quarterly and annual hazard statistical analysis table (事故隐患排查治理情况统计分析表) that 16号令
(第十四条) requires of each institution: by the 15th of the month after each quarter and by 31 January for
the year, signed by the principal. One row per hazard category plus 合计, general and major hazards
found / rectified / rate, open and overdue at the end, self-found, listed for supervision; the figures
come from ``stats.selectors`` like every other statistic."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anjian.core.errors import DomainError
from anjian.core.periods import Period
from anjian.hazards.choices import HazardLevel
from anjian.orgs.choices import OrganizationType
from anjian.stats.selectors import HazardFigures, hazard_figures, hazard_figures_by, resolve_scope, scoped_hazards

# (key, title) of the columns after 隐患类别
COLUMNS = [
    ("general_found", gettext_lazy("一般隐患\n排查（处）")),
    ("general_rectified", gettext_lazy("一般隐患\n已整改（处）")),
    ("general_rate", gettext_lazy("一般隐患\n整改率")),
    ("major_found", gettext_lazy("重大隐患\n排查（处）")),
    ("major_rectified", gettext_lazy("重大隐患\n已整改（处）")),
    ("major_rate", gettext_lazy("重大隐患\n整改率")),
    ("closed", gettext_lazy("本期销号\n（含以前发现）")),
    ("open", gettext_lazy("期末未销号\n（处）")),
    ("overdue", gettext_lazy("其中逾期\n（处）")),
    ("self_found", gettext_lazy("自查发现\n（处）")),
    ("supervised", gettext_lazy("挂牌督办\n（处）")),
]
RATE_KEYS = {"general_rate", "major_rate"}


@dataclass
class AnalysisRow:
    label: str
    values: dict

    def as_dict(self) -> dict:
        return {"label": self.label, **self.values}


@dataclass
class AnalysisTable:
    organization: object
    period: Period
    rows: list[AnalysisRow]

    @property
    def title(self) -> str:
        return _("%(period)s事故隐患排查治理情况统计分析表") % {"period": self.period.label}


def _values(general: HazardFigures, major: HazardFigures, supervised: int) -> dict:
    both = general + major
    return {
        "general_found": general.found,
        "general_rectified": general.found_rectified,
        "general_rate": general.rate,
        "major_found": major.found,
        "major_rectified": major.found_rectified,
        "major_rate": major.rate,
        "closed": both.rectified,
        "open": both.open,
        "overdue": both.overdue,
        "self_found": both.self_found,
        "supervised": supervised,
    }


def analysis_table(*, user, organization, period: Period) -> AnalysisTable:
    if organization in (None, "") and user.organization is not None and user.organization.is_institution:
        organization = user.organization.pk
    if organization in (None, ""):
        raise DomainError(_("统计分析表按机构填报，请选择一家机构。"), field="organization")
    scope = resolve_scope(user, organization=organization)
    if scope.organization.type != OrganizationType.INSTITUTION:
        raise DomainError(_("统计分析表按机构填报，请选择一家机构。"), field="organization")
    qs = scoped_hazards(user, scope)
    general = qs.filter(level=HazardLevel.GENERAL)
    major = qs.filter(level=HazardLevel.MAJOR)
    by_general = {r.key: r for r in hazard_figures_by(general, period, "category")}
    by_major = {r.key: r for r in hazard_figures_by(major, period, "category")}
    supervised = {}
    listed = major.filter(supervised_at__gte=period.start_at, supervised_at__lt=period.end_at)
    for code in listed.values_list("category__code", flat=True):
        supervised[code] = supervised.get(code, 0) + 1
    rows = []
    for key, row in by_general.items():
        g = row.figures
        m = by_major[key].figures if key in by_major else HazardFigures()
        rows.append(AnalysisRow(row.label, _values(g, m, supervised.get(key, 0))))
    total = _values(hazard_figures(general, period), hazard_figures(major, period), sum(supervised.values()))
    rows.append(AnalysisRow(_("合计"), total))
    return AnalysisTable(organization=scope.organization, period=period, rows=rows)
