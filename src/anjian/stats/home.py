"""The statistics panel of the home page (the landing page after login): this year's key figures
and the monthly trend, each clicking through to its rows, and the way to the full dashboard."""

from django.urls import reverse
from django.utils import timezone

from anjian.core import resultcache
from anjian.core.periods import Period
from anjian.core.permissions import Action, can
from anjian.stats import dashboard
from anjian.stats import selectors as s

HOME_KPIS = ("found", "rectified", "rate", "overdue")


def panels(user) -> list[dict]:
    if not can(user, Action.STATISTICS_VIEW):
        return []
    from anjian.stats.views import data_json

    period = Period.current("year")
    key = ("home-stats", user.pk, user.role, user.organization_id, user.department_id, timezone.localdate())
    kpis, trend = resultcache.cached(key, lambda: _figures(user, period))
    return [
        {
            "template": "stats/_home_panel.html",
            "period": period,
            "kpis": kpis,
            "chart": trend,
            "data_json": data_json({"charts": [trend]}),
            "url": reverse("stats:dashboard"),
        }
    ]


def _figures(user, period: Period) -> tuple[list[dict], dict]:
    b = dashboard.Builder(user, s.Scope(), period)
    kpis = [k for k in b.kpis(b.breakdown.total) if k["key"] in HOME_KPIS]
    return kpis, b.trend()[0]
