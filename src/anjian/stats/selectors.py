"""The hazard figures (隐患统计口径), computed in one place for dashboards, the API and the forms.

Every function takes a hazard queryset already limited to what the caller may see (start from
``Hazard.objects.visible_to(user)``, or ``scoped_hazards`` below, which also narrows it to a
jurisdiction, an institution or an institution kind) and a ``Period`` (``stats.periods``).

Definitions (also in docs/decisions.md, "Statistics: what each figure counts"):

- **found** (发现): found (``found_at``) within the period. Dismissed reports (已撤销) are never
  counted anywhere: a dismissal says the report was not a hazard.
- **rectified** (整改销号): closed (销号, status closed) with ``accepted_at`` within the period,
  whenever the hazard was found.
- **found_rectified** (当期发现已整改): found within the period and closed by its end (by now
  while the period runs); the numerator of the rectification rate.
- **rate** (整改率) = found_rectified / found, a percentage with one decimal, ``None`` when
  nothing was found. So the rate of a month never exceeds 100 %.
- **open** (未销号, at end): found by the end of the period and not closed by then; for a period
  that is still running, the hazards open now.
- **overdue** (逾期, at end): open at the end and the deadline before the period's last day (before
  today while it runs: then exactly ``hazards.selectors.overdue_q``). The deadline is the
  current one, so an approved postponement counts.
- **in_time** (按期整改): rectified in the period on or before the deadline (the local date of
  acceptance); a hazard without a deadline (fixed on the spot) counts as in time.
- **self_found** (自查发现): found in the period with source self-inspection (自查); ``self_share``
  is its share of found, in percent.

The row-level conditions come from ``hazards.selectors`` (``open_on_q``, ``overdue_on_q``,
``closed_between_q``, ``in_time_q``), which the ledger's filters use too, so a figure and the
list it clicks through to cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from urllib.parse import urlencode

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.core.periods import Period
from anjian.core.scoping import get_visible_or_404
from anjian.hazards.choices import HazardLevel, HazardSource, HazardStatus
from anjian.hazards.models import Hazard, HazardCategory
from anjian.hazards.selectors import closed_between_q, closed_by_q, in_time_q, open_on_q, overdue_on_q
from anjian.orgs.choices import InstitutionKind, OrganizationType
from anjian.orgs.models import Department, Organization

FIGURES = ("found", "rectified", "found_rectified", "open", "overdue", "in_time", "self_found")
GROUPINGS = ("institution", "department", "category", "source", "level", "month")


@dataclass
class HazardFigures:
    found: int = 0
    rectified: int = 0
    found_rectified: int = 0
    open: int = 0
    overdue: int = 0
    in_time: int = 0
    self_found: int = 0

    @property
    def rate(self) -> float | None:
        """整改率 (%) = found_rectified / found."""
        return percent(self.found_rectified, self.found)

    @property
    def in_time_rate(self) -> float | None:
        """按期整改率 (%) = in_time / rectified."""
        return percent(self.in_time, self.rectified)

    @property
    def self_share(self) -> float | None:
        """自查发现占比 (%) = self_found / found."""
        return percent(self.self_found, self.found)

    def as_dict(self) -> dict:
        return {**asdict(self), "rate": self.rate, "in_time_rate": self.in_time_rate, "self_share": self.self_share}

    def __add__(self, other: HazardFigures) -> HazardFigures:
        return HazardFigures(**{f: getattr(self, f) + getattr(other, f) for f in FIGURES})


@dataclass
class GroupRow:
    key: str  # "12" (a pk), "fire" (a code), "2026-11" (a month); "" for none (e.g. no department)
    label: str
    figures: HazardFigures
    filters: dict = field(default_factory=dict)  # the ledger filter that selects this group's rows

    def as_dict(self) -> dict:
        return {"key": self.key, "label": self.label, **self.figures.as_dict()}


def percent(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


# ---- conditions -------------------------------------------------------------------------------


def figure_q(name: str, period: Period) -> Q:
    """The condition a hazard meets to count in figure ``name`` for ``period``."""
    start, end = period.start_at, period.end_at
    found = Q(found_at__gte=start, found_at__lt=end) & ~Q(status=HazardStatus.DISMISSED)
    if name == "found":
        return found
    if name == "rectified":
        return closed_between_q(start, end)
    if name == "found_rectified":
        return found & closed_by_q(min(end, timezone.now() + dt.timedelta(days=1)))
    if name == "open":
        return open_on_q(period.as_of())
    if name == "overdue":
        return overdue_on_q(period.as_of())
    if name == "in_time":
        return closed_between_q(start, end) & in_time_q()
    if name == "self_found":
        return found & Q(source=HazardSource.SELF_INSPECTION)
    raise ValueError(name)


_FOUND_FIGURES = {"found", "found_rectified", "self_found"}
_CLOSED_FIGURES = {"rectified", "in_time"}
_OPEN_FIGURES = {"open", "overdue"}


def _relevant(qs: QuerySet[Hazard], period: Period, names=FIGURES) -> QuerySet[Hazard]:
    """Only rows that can count in one of the figures ``names``: found before the end, not
    dismissed, and not found and closed before the start (such a row is in no figure of the
    period: not found, rectified or open in it; with years of history most rows are of that kind);
    narrower still when all the figures asked for are of one kind (found in the period, closed in
    it, open at its end), so the scan reads only those rows' index."""
    start = period.start_at
    gone = Q(status=HazardStatus.CLOSED, found_at__lt=start) & (Q(accepted_at__lt=start) | Q(accepted_at__isnull=True))
    rows = qs.order_by().filter(found_at__lt=period.end_at).exclude(status=HazardStatus.DISMISSED).exclude(gone)
    asked = set(names)
    if asked <= _FOUND_FIGURES:
        rows = rows.filter(found_at__gte=start)
    elif asked <= _CLOSED_FIGURES:
        rows = rows.filter(closed_between_q(start, period.end_at))
    elif asked <= _OPEN_FIGURES:
        rows = rows.filter(open_on_q(period.as_of()))
    return rows


def _aggregates(period: Period, names=FIGURES) -> dict:
    return {name: Count("pk", filter=figure_q(name, period)) for name in names}


def hazard_figures(qs: QuerySet[Hazard], period: Period) -> HazardFigures:
    """The figures of a scoped hazard queryset for a period (one query)."""
    return HazardFigures(**_relevant(qs, period).aggregate(**_aggregates(period)))


# ---- grouping ---------------------------------------------------------------------------------

_GROUP_FIELDS = {
    "institution": "organization_id",
    "department": "department_id",
    "category": "category__code",
    "source": "source",
    "level": "level",
}


def hazard_figures_by(qs: QuerySet[Hazard], period: Period, grouping: str, names=FIGURES) -> list[GroupRow]:
    """The figures per group (``GROUPINGS``), one row per group.

    Fixed lists (categories, sources, levels, months) give a row for every member, zeros
    included; institutions and departments give a row for each one with a non-zero figure.
    Rows are in the list's natural order (months in time, institutions and departments by
    their open hazards, most first). ``names`` limits the figures counted (the others are 0):
    each one is a condition evaluated on every row, so a chart asks only for those it draws.
    """
    if grouping == "month":
        months = period.months()
        # one scan for every month: each month's figures are conditional counts of the same rows
        aggregates = {
            f"m{i}_{name}": Count("pk", filter=figure_q(name, m)) for i, m in enumerate(months) for name in names
        }
        # found or closed in a month is found or closed in the period; open at a month's end is not open at the period's
        narrow = names if not set(names) & _OPEN_FIGURES else FIGURES
        row = _relevant(qs, period, narrow).aggregate(**aggregates) if months else {}
        return [
            GroupRow(
                m.key if m.kind == "month" else m.start.isoformat(),
                m.short_label,
                HazardFigures(**{name: row[f"m{i}_{name}"] for name in names}),
            )
            for i, m in enumerate(months)
        ]
    if grouping not in _GROUP_FIELDS:
        raise ValueError(grouping)
    column = _GROUP_FIELDS[grouping]
    rows = _relevant(qs, period, names)
    found = {
        row[column]: HazardFigures(**{f: row[f] for f in names})
        for row in rows.values(column).annotate(**_aggregates(period, names))
    }
    if grouping in _FIXED:
        return _fixed_rows(grouping, found)
    rows = [(k, figs) for k, figs in found.items() if any(getattr(figs, f) for f in FIGURES)]
    if grouping == "institution":
        names = dict(Organization.objects.filter(pk__in=[k for k, _f in rows]).values_list("pk", "name"))
        out = [GroupRow(str(k), names.get(k, ""), figs, {"organization": k}) for k, figs in rows]
    else:
        depts = Department.objects.filter(pk__in=[k for k, _f in rows if k]).select_related("organization")
        names = {d.pk: d.name for d in depts}
        orgs = {d.pk: d.organization_id for d in depts}
        out = [
            GroupRow(
                str(k or ""),
                names.get(k, "") if k else _("未指定科室"),
                figs,
                {"department": k, "organization": orgs.get(k)} if k else {"no_department": "true"},
            )
            for k, figs in rows
        ]
    return sorted(out, key=lambda r: (-r.figures.open, -r.figures.overdue, -r.figures.found, r.label))


_FIXED = ("category", "source", "level")


def _fixed_rows(grouping: str, found: dict) -> list[GroupRow]:
    """A row for every member of a fixed list (zeros included), from the figures found per key."""
    if grouping == "category":
        cats = list(HazardCategory.objects.values_list("code", "name", "is_active"))
        return [
            GroupRow(code, name, found.get(code, HazardFigures()), {"category": code})
            for code, name, active in cats
            if active or code in found
        ]
    if grouping == "source":
        return [GroupRow(v, str(lbl), found.get(v, HazardFigures()), {"source": v}) for v, lbl in HazardSource.choices]
    return [GroupRow(v, str(lbl), found.get(v, HazardFigures()), {"level": v}) for v, lbl in HazardLevel.choices]


@dataclass
class Breakdown:
    """Every figure per (level, category, source) from one scan: the totals and the level,
    category and source rows of a dashboard are sums of these cells."""

    cells: dict[tuple, HazardFigures]  # (level, category code, source) → figures

    @property
    def total(self) -> HazardFigures:
        return sum(self.cells.values(), HazardFigures())

    def rows(self, grouping: str) -> list[GroupRow]:
        """The same rows as ``hazard_figures_by(qs, period, grouping)`` for category, source or level."""
        index = {"level": 0, "category": 1, "source": 2}[grouping]
        found: dict = {}
        for key, figs in self.cells.items():
            found[key[index]] = found.get(key[index], HazardFigures()) + figs
        return _fixed_rows(grouping, found)


def figures_per(qs: QuerySet[Hazard], period: Period, fields: tuple, names=FIGURES) -> dict[tuple, HazardFigures]:
    """The figures (``names``, the others 0) per combination of the values of ``fields``, in one
    query: the cells that totals, rows and columns of a table are sums of."""
    rows = _relevant(qs, period, names).values(*fields).annotate(**_aggregates(period, names))
    return {tuple(row[f] for f in fields): HazardFigures(**{n: row[n] for n in names}) for row in rows}


def hazard_breakdown(qs: QuerySet[Hazard], period: Period) -> Breakdown:
    """All the figures of ``qs`` for ``period`` per level, category and source, in one query."""
    codes = dict(HazardCategory.objects.values_list("pk", "code"))
    cells: dict[tuple, HazardFigures] = {}
    for (level, category, source), figs in figures_per(qs, period, ("level", "category_id", "source")).items():
        key = (level, codes.get(category), source)
        cells[key] = cells.get(key, HazardFigures()) + figs
    return Breakdown(cells)


# ---- 动态清零: major hazards' stock and increment -------------------------------------------


@dataclass
class ClearanceFigures:
    """重大事故隐患动态清零 at the period's end.

    stock (存量 of the year): major hazards found before the period's year and still open when it
    began (carried over from any earlier year: the 2023 stock in 2024, what 2025 left open in 2026),
    how many, how many still open; increment (增量): major hazards found in the period's year up to
    its end, how many, closed, closed within the deadline, still open.
    """

    stock_total: int
    stock_open: int
    increment_found: int
    increment_closed: int
    increment_in_time: int
    increment_open: int

    def as_dict(self) -> dict:
        return asdict(self)


def carried_over_on(period: Period) -> dt.date:
    """The day the year's stock is taken on: 31 December before the period's year."""
    return dt.date(period.end.year, 1, 1) - dt.timedelta(days=1)


def _clearance_aggregates(period: Period) -> dict:
    year = period.year_start
    stock = open_on_q(carried_over_on(period))
    found_this_year = figure_q("found", year)
    open_q = open_on_q(period.as_of())
    closed_q = ~open_q & Q(status=HazardStatus.CLOSED)
    return {
        "stock_total": Count("pk", filter=stock),
        "stock_open": Count("pk", filter=stock & open_q),
        "increment_found": Count("pk", filter=found_this_year),
        "increment_closed": Count("pk", filter=found_this_year & closed_q),
        "increment_in_time": Count("pk", filter=found_this_year & closed_q & in_time_q()),
        "increment_open": Count("pk", filter=found_this_year & open_q),
    }


def _majors(qs: QuerySet[Hazard]) -> QuerySet[Hazard]:
    return qs.order_by().filter(level=HazardLevel.MAJOR).exclude(status=HazardStatus.DISMISSED)


def major_clearance(qs: QuerySet[Hazard], period: Period) -> ClearanceFigures:
    return ClearanceFigures(**_majors(qs).aggregate(**_clearance_aggregates(period)))


def major_clearance_by(qs: QuerySet[Hazard], period: Period, field: str = "organization_id") -> dict:
    """``major_clearance`` per value of ``field`` (per institution by default), in one query; a
    value without any major hazard is absent (its figures are all 0)."""
    rows = _majors(qs).values(field).annotate(**_clearance_aggregates(period))
    return {row.pop(field): ClearanceFigures(**row) for row in rows}


# ---- scope ------------------------------------------------------------------------------------


@dataclass
class Scope:
    """What a statistic covers: the caller's whole view, a jurisdiction, one institution, and/or a kind."""

    organization: Organization | None = None
    kind: str = ""

    @property
    def label(self) -> str:
        parts = [self.organization.name] if self.organization else []
        if self.kind:
            parts.append(str(InstitutionKind(self.kind).label))
        return " · ".join(parts) or _("全部")

    def ledger_filters(self) -> dict:
        """The ledger's filters that select the same hazards."""
        out: dict = {}
        if self.organization is not None:
            key = "jurisdiction" if self.organization.type == OrganizationType.REGULATOR else "organization"
            out[key] = self.organization.pk
        if self.kind:
            out["kind"] = self.kind
        return out


def resolve_scope(user, *, organization=None, kind: str = "") -> Scope:
    """The scope asked for; an organization outside the caller's view is 404 exactly like a missing one.

    ``organization`` may be an id (from a query parameter) or an Organization; ``kind`` an
    institution kind (``InstitutionKind``), else a ``PeriodError``-like DomainError.
    """
    from anjian.core.errors import DomainError

    org = None
    if organization not in (None, ""):
        org = organization if isinstance(organization, Organization) else None
        if org is None:
            org = get_visible_or_404(Organization, user, pk=organization)
        else:
            org = get_visible_or_404(Organization, user, pk=org.pk)
    if kind and kind not in InstitutionKind.values:
        raise DomainError(_("机构类别无效。"), field="kind")
    return Scope(org, kind or "")


def scoped_hazards(user, scope: Scope | None = None) -> QuerySet[Hazard]:
    """The user's hazards narrowed to ``scope``: a regulator's subtree, one institution, an institution kind."""
    qs = Hazard.objects.visible_to(user)
    if scope is None:
        return qs
    if scope.organization is not None:
        org = scope.organization
        if org.type == OrganizationType.REGULATOR:
            qs = qs.filter(organization__path__startswith=org.path)
        else:
            qs = qs.filter(organization=org)
    if scope.kind:
        qs = qs.filter(organization__kind=scope.kind)
    return qs


# ---- click-through ----------------------------------------------------------------------------


def figure_filters(name: str, period: Period) -> dict:
    """The ledger filters that list the rows behind figure ``name`` (see ``figure_q``)."""
    day = {"found_from": period.start.isoformat(), "found_to": period.end.isoformat(), "dismissed": "false"}
    closed = {"closed_from": period.start.isoformat(), "closed_to": period.end.isoformat()}
    as_of = period.as_of()
    if name == "found":
        return day
    if name == "rectified":
        return closed
    if name == "found_rectified":
        return {**day, "closed_to": min(period.end, timezone.localdate()).isoformat()}
    if name == "open":
        return {"status": "open"} if as_of >= timezone.localdate() else {"open_on": as_of.isoformat()}
    if name == "overdue":
        return {"overdue": "true"} if as_of >= timezone.localdate() else {"overdue_on": as_of.isoformat()}
    if name == "in_time":
        return {**closed, "in_time": "true"}
    if name == "self_found":
        return {**day, "source": HazardSource.SELF_INSPECTION.value}
    raise ValueError(name)


def ledger_url(*filter_dicts: dict) -> str:
    """The hazard ledger's URL with the given filters merged (later dicts win)."""
    params: dict = {}
    for d in filter_dicts:
        params.update({k: v for k, v in d.items() if v not in (None, "")})
    if "status" not in params:
        params["status"] = ""
    return f"{reverse('hazards:hazard-list')}?{urlencode(params)}"
