"""What each role's dashboard shows: key figures and charts, every value with the URL of its rows.

The page embeds ``dashboard(...)`` as JSON (``json_script``) and ``static/stats/dashboard.js``
draws it with ECharts; ``/api/v1/stats/dashboard/`` returns the same dict. Every number comes
from ``stats.selectors`` / ``stats.activity``: nothing is counted here.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.core import resultcache
from anjian.core.periods import Period
from anjian.hazards import selectors as hazard_selectors
from anjian.hazards.choices import OPEN_STATUSES, HazardLevel, HazardStatus
from anjian.hazards.models import Hazard
from anjian.stats import activity, summary
from anjian.stats import selectors as s

TOP = 15  # rows of a ranking chart
COLORS = {"found": "#206bc4", "rectified": "#2fb344", "open": "#f76707", "overdue": "#d63939"}


def trend_period(period: Period) -> Period:
    """The months a trend chart shows: the period's up to today, or the twelve months up to a single month."""
    end = min(period.end, timezone.localdate())
    if len(period.months()) > 1:
        return Period("custom", period.start, end)
    first = dt.date(end.year, 1, 1) if end.month == 12 else dt.date(end.year - 1, end.month + 1, 1)
    return Period("custom", first, end)


def _point(value, url: str) -> dict:
    return {"value": value, "url": url}


def _kpi(key: str, label: str, value, url: str, *, suffix: str = "", tone: str = "") -> dict:
    return {"key": key, "label": label, "value": value, "suffix": suffix, "url": url, "tone": tone}


class Builder:
    def __init__(self, user, scope: s.Scope, period: Period):
        self.user, self.scope, self.period = user, scope, period
        self.qs = s.scoped_hazards(user, scope)
        self.base = scope.ledger_filters()
        # a regulator's view: the monthly summary instead of every hazard (None: count the hazards)
        self.summary = summary.rows_for(user, scope)

    @cached_property
    def breakdown(self) -> s.Breakdown:
        """The period's figures per level, category and source: one read serves the key figures
        and three charts."""
        if self.summary is not None:
            found = summary.breakdown(self.summary, self.qs, self.period)
            if found is not None:
                return found
        return s.hazard_breakdown(self.qs, self.period)

    def months(self, period: Period, names) -> list[s.GroupRow]:
        if self.summary is not None:
            found = summary.month_rows(self.summary, self.qs, period, names)
            if found is not None:
                return found
        return s.hazard_figures_by(self.qs, period, "month", names)

    def url(self, name: str, period: Period | None = None, *extra: dict) -> str:
        return s.ledger_url(self.base, s.figure_filters(name, period or self.period), *extra)

    # ---- key figures ---------------------------------------------------------------------------
    def kpis(self, figures: s.HazardFigures) -> list[dict]:
        major = {"level": HazardLevel.MAJOR.value}
        open_major = sum(r.figures.open for r in self.breakdown.rows("level") if r.key == HazardLevel.MAJOR)
        supervised = self.qs.filter(status__in=OPEN_STATUSES, is_supervised=True).count()
        rate = figures.rate
        return [
            _kpi("found", _("发现隐患"), figures.found, self.url("found")),
            _kpi("rectified", _("整改销号"), figures.rectified, self.url("rectified")),
            _kpi(
                "rate",
                _("整改率"),
                "—" if rate is None else rate,
                self.url("found_rectified"),
                suffix="%" if rate is not None else "",
            ),
            _kpi("open", _("未销号"), figures.open, self.url("open"), tone="warning"),
            _kpi("overdue", _("逾期未整改"), figures.overdue, self.url("overdue"), tone="danger"),
            _kpi("open_major", _("重大隐患未销号"), open_major, self.url("open", None, major), tone="danger"),
            _kpi(
                "supervised",
                _("挂牌督办中"),
                supervised,
                s.ledger_url(self.base, {"status": "open", "supervised": "true"}),
            ),
        ]

    # ---- charts --------------------------------------------------------------------------------
    def trend(self) -> list[dict]:
        drawn = ("found", "rectified", "open", "found_rectified", "overdue")
        months = self.months(trend_period(self.period), drawn)
        periods = trend_period(self.period).months()
        cats = [r.label for r in months]
        found = [_point(r.figures.found, self.url("found", m)) for r, m in zip(months, periods, strict=True)]
        rect = [_point(r.figures.rectified, self.url("rectified", m)) for r, m in zip(months, periods, strict=True)]
        open_ = [_point(r.figures.open, self.url("open", m)) for r, m in zip(months, periods, strict=True)]
        rate = [_point(r.figures.rate, self.url("found_rectified", m)) for r, m in zip(months, periods, strict=True)]
        overdue = [_point(r.figures.overdue, self.url("overdue", m)) for r, m in zip(months, periods, strict=True)]
        return [
            {
                "id": "trend",
                "title": _("隐患发现、整改与未销号（按月）"),
                "kind": "bar",
                "categories": cats,
                "series": [
                    {"name": _("发现"), "type": "bar", "data": found},
                    {"name": _("整改销号"), "type": "bar", "data": rect},
                    {"name": _("月末未销号"), "type": "line", "data": open_},
                ],
            },
            {
                "id": "rate",
                "title": _("整改率与逾期（按月）"),
                "kind": "bar",
                "categories": cats,
                "percent_axis": True,
                "series": [
                    {"name": _("整改率（%）"), "type": "line", "data": rate, "axis": 1},
                    {"name": _("月末逾期"), "type": "bar", "data": overdue},
                ],
            },
        ]

    def grouped(self, chart_id: str, title: str, grouping: str, *, kind="bar", top: int | None = None) -> dict:
        names = (("found", _("发现")), ("rectified", _("整改销号")), ("open", _("未销号")), ("overdue", _("逾期")))
        if grouping in ("institution", "department"):
            names = (("open", _("未销号")), ("overdue", _("逾期")))
        if grouping in ("level", "category", "source"):
            rows = self.breakdown.rows(grouping)
        else:
            rows = s.hazard_figures_by(self.qs, self.period, grouping, tuple(n for n, _label in names))
        if top is not None:
            rows = [r for r in rows if r.figures.open or r.figures.overdue][:top]
        series = [
            {
                "name": label,
                "type": "bar",
                "color": COLORS[name],
                "data": [_point(getattr(r.figures, name), self.url(name, None, r.filters)) for r in rows],
            }
            for name, label in names
        ]
        chart = {"id": chart_id, "title": title, "kind": kind, "categories": [r.label for r in rows], "series": series}
        if grouping == "institution":  # each institution's own dashboard, same period
            page = reverse("stats:dashboard")
            chart["drill"] = [
                {"label": r.label, "url": f"{page}?{urlencode({**self.period.as_params(), 'organization': r.key})}"}
                for r in rows
            ]
        return chart

    def source(self, figures: s.HazardFigures) -> dict:
        rows = self.breakdown.rows("source")
        share = figures.self_share
        subtitle = _("自查发现占比 %(p)s%%") % {"p": share} if share is not None else _("本期无新发现隐患")
        return {
            "id": "source",
            "title": _("隐患来源"),
            "subtitle": subtitle,
            "kind": "pie",
            "categories": [r.label for r in rows],
            "series": [
                {
                    "name": _("发现"),
                    "type": "pie",
                    "data": [
                        {"name": r.label, **_point(r.figures.found, self.url("found", None, r.filters))} for r in rows
                    ],
                }
            ],
        }

    def clearance(self) -> dict:
        c = summary.clearance(self.summary, self.qs, self.period) if self.summary is not None else None
        c = c or s.major_clearance(self.qs, self.period)
        major = {"level": HazardLevel.MAJOR.value}
        carried = s.carried_over_on(self.period).isoformat()
        year = self.period.year_start
        as_of = self.period.as_of().isoformat()
        closed_year = {**s.figure_filters("found", year), "status": HazardStatus.CLOSED.value}
        points = [
            (_("存量（上年结转）"), c.stock_total, s.ledger_url(self.base, major, {"open_on": carried})),
            (_("存量未销号"), c.stock_open, s.ledger_url(self.base, major, {"found_to": carried, "open_on": as_of})),
            (_("本年增量"), c.increment_found, s.ledger_url(self.base, major, s.figure_filters("found", year))),
            (_("增量已销号"), c.increment_closed, s.ledger_url(self.base, major, closed_year, {"closed_to": as_of})),
            (
                _("按期销号"),
                c.increment_in_time,
                s.ledger_url(self.base, major, closed_year, {"closed_to": as_of, "in_time": "true"}),
            ),
            (
                _("增量未销号"),
                c.increment_open,
                s.ledger_url(self.base, major, s.figure_filters("found", year), {"open_on": as_of}),
            ),
        ]
        return {
            "id": "clearance",
            "title": _("重大事故隐患动态清零"),
            "subtitle": _("截至 %(d)s") % {"d": as_of},
            "kind": "bar",
            "categories": [p[0] for p in points],
            "series": [{"name": _("重大隐患"), "type": "bar", "data": [_point(v, u) for _l, v, u in points]}],
        }

    def compliance(self, by: str) -> tuple[dict, activity.ComplianceFigures]:
        figures = activity.compliance_figures(self.user, self.scope, self.period, by=by)
        rows = (figures.by_institution if by == "institution" else figures.by_department)[:TOP]
        chart = {
            "id": "compliance",
            "title": _("排查完成率（%s）") % (_("按机构") if by == "institution" else _("按科室")),
            "subtitle": _("应查 %(due)s 次，已查 %(done)s 次") % {"due": figures.total.due, "done": figures.total.done},
            "kind": "hbar",
            "percent_axis": True,
            "categories": [r.label for r in rows],
            "series": [{"name": _("完成率（%）"), "type": "bar", "data": [_point(r.rate or 0, r.url) for r in rows]}],
        }
        return chart, figures

    def tasks(self) -> tuple[dict, activity.TaskFigures]:
        t = activity.task_figures(self.user, self.scope)
        points = [
            (_("已完成"), t.done, activity.task_url("done", self.scope.organization)),
            (_("推进中"), t.in_progress, activity.task_url("in_progress", self.scope.organization)),
            (_("未开始"), t.not_started, activity.task_url("not_started", self.scope.organization)),
            (_("已逾期"), t.overdue, activity.task_url("overdue", self.scope.organization)),
            (_("30天内到期"), t.soon, activity.task_url("soon", self.scope.organization)),
            (_("待审核"), t.pending, activity.task_url("pending", self.scope.organization)),
        ]
        chart = {
            "id": "tasks",
            "title": _("任务进展"),
            "subtitle": _("共 %(n)s 项任务（单位），完成率 %(r)s") % {"n": t.total, "r": _pct(t.done_rate)},
            "kind": "bar",
            "categories": [p[0] for p in points],
            "series": [{"name": _("任务"), "type": "bar", "data": [_point(v, u) for _l, v, u in points]}],
        }
        return chart, t

    def supervised(self) -> list[dict]:
        rows = (
            hazard_selectors.hazard_base(user=self.user)
            .filter(pk__in=self.qs.filter(is_supervised=True, status__in=OPEN_STATUSES).values("pk"))
            .select_related("organization")
            .order_by("supervision_deadline", "deadline", "pk")[:20]
        )
        return [
            {
                "number": h.number,
                "title": h.title,
                "organization": h.organization.name,
                "level": h.get_supervision_level_display(),
                "deadline": (h.supervision_deadline or h.deadline).isoformat()
                if (h.supervision_deadline or h.deadline)
                else "",
                "overdue": h.is_overdue,
                "url": reverse("hazards:hazard-detail", args=[h.pk]),
            }
            for h in rows
        ]


def _iso(day) -> str:
    return day.isoformat() if day else ""


def _pct(value) -> str:
    return "—" if value is None else f"{value}%"


def dashboard(user, scope: s.Scope, period: Period) -> dict:
    """The regulator's or the institution's dashboard (by the scope: a regulator looking at one
    institution gets the institution's, with its departments).

    Each of its three parts (the hazards, the inspection compliance, the tasks) is served from
    ``core.resultcache`` until the next write to the data that part counts (its topic, see
    ``StatsConfig.ready``) or a minute passes; the key holds what decides the user's view."""
    parts = (
        user.pk,
        user.role,
        user.organization_id,
        user.department_id,
        scope.organization.pk if scope.organization else None,
        scope.kind,
        period.kind,
        period.start,
        period.end,
        timezone.localdate(),
    )
    hazards = resultcache.cached(("dashboard:hazards", *parts), lambda: _hazards(user, scope, period), ("hazards",))
    compliance = resultcache.cached(
        ("dashboard:compliance", *parts), lambda: _compliance(user, scope, period), ("inspections",)
    )
    tasks = resultcache.cached(("dashboard:tasks", *parts), lambda: _tasks(user, scope, period), ("tasks",))
    return _together(hazards, compliance, tasks)


def _together(hazards: dict, compliance: dict, tasks: dict) -> dict:
    return {
        **hazards,
        "kpis": [*hazards["kpis"], compliance["kpi"], tasks["kpi"]],
        "charts": [*hazards["charts"], compliance["chart"], tasks["chart"]],
    }


def _of_institution(user, scope: s.Scope) -> bool:
    return (scope.organization is not None and scope.organization.is_institution) or (
        scope.organization is None and user.organization is not None and user.organization.is_institution
    )


def _hazards(user, scope: s.Scope, period: Period) -> dict:
    b = Builder(user, scope, period)
    figures = b.breakdown.total
    of_institution = _of_institution(user, scope)
    ranking = (
        b.grouped("departments", _("科室未销号与逾期隐患"), "department", kind="hbar", top=TOP)
        if of_institution
        else b.grouped("institutions", _("机构未销号与逾期隐患排名"), "institution", kind="hbar", top=TOP)
    )
    return {
        "role": "institution" if of_institution else "regulator",
        "period": period.as_dict(),
        "scope": {"label": scope.label, **scope.ledger_filters()},
        "figures": figures.as_dict(),
        "kpis": b.kpis(figures),
        "charts": [
            *b.trend(),
            b.grouped("level", _("一般与重大事故隐患"), "level"),
            b.clearance(),
            ranking,
            b.grouped("category", _("隐患类别"), "category"),
            b.source(figures),
        ],
        "supervised": b.supervised(),
    }


def _compliance(user, scope: s.Scope, period: Period) -> dict:
    chart, compliance = Builder(user, scope, period).compliance(
        "department" if _of_institution(user, scope) else "institution"
    )
    rate = compliance.total.rate
    kpi = _kpi(
        "compliance",
        _("排查完成率"),
        "—" if rate is None else rate,
        compliance.total.url,
        suffix="" if rate is None else "%",
    )
    return {"chart": chart, "kpi": kpi}


def _tasks(user, scope: s.Scope, period: Period) -> dict:
    chart, tasks = Builder(user, scope, period).tasks()
    overdue_url = activity.task_url("overdue", scope.organization)
    return {"chart": chart, "kpi": _kpi("tasks_overdue", _("任务逾期"), tasks.overdue, overdue_url, tone="danger")}


def staff_dashboard(user) -> dict:
    """A front-line user's: the inspections due now and the hazards they found or must rectify,
    listed on the page itself (the rows behind each figure)."""
    from anjian.inspections import selectors as inspection_selectors

    due = inspection_selectors.due_for(user)
    mine = Hazard.objects.visible_to(user).filter(Q(responsible=user) | Q(found_by=user))
    counts = dict.fromkeys(HazardStatus.values, 0)
    for status in mine.values_list("status", flat=True):
        counts[status] += 1
    rows = mine.filter(status__in=OPEN_STATUSES).select_related("organization").order_by("deadline", "-found_at")[:50]
    return {
        "role": "staff",
        "due": [
            {
                "name": e.schedule.name,
                "point": e.point.name if e.point else "",
                "end": e.slot.end.isoformat(),
                "done": e.done,
                "url": reverse("inspections:due"),
            }
            for e in due
        ],
        "hazards": [
            {
                "number": h.number,
                "title": h.title,
                "status": h.get_status_display(),
                "deadline": _iso(h.deadline),
                "responsible": h.responsible_id == user.pk,
                "url": reverse("hazards:hazard-detail", args=[h.pk]),
            }
            for h in rows
        ],
        "kpis": [
            _kpi("due", _("待完成检查"), sum(not e.done for e in due), reverse("inspections:due"), tone="warning"),
            _kpi(
                "responsible",
                _("我负责整改的隐患"),
                mine.filter(responsible=user, status__in=OPEN_STATUSES).count(),
                "#my-hazards",
                tone="danger",
            ),
            _kpi("open", _("我的未销号隐患"), sum(counts[s] for s in OPEN_STATUSES), "#my-hazards"),
        ],
        "charts": [
            {
                "id": "my-hazards-status",
                "title": _("我的隐患（按状态）"),
                "kind": "pie",
                "categories": [str(label) for _v, label in HazardStatus.choices],
                "series": [
                    {
                        "name": _("隐患"),
                        "type": "pie",
                        "data": [
                            {"name": str(label), **_point(counts[value], "#my-hazards")}
                            for value, label in HazardStatus.choices
                        ],
                    }
                ],
            }
        ],
    }
