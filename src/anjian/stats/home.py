"""The statistics panel of the home page (the landing page after login): this year's key figures
and the monthly trend, each clicking through to its rows, and the way to the full dashboard."""

from django.urls import reverse

from anjian.core.permissions import Action, can
from anjian.stats import dashboard
from anjian.stats import selectors as s
from anjian.stats.periods import Period

HOME_KPIS = ("found", "rectified", "rate", "overdue")


def panels(user) -> list[dict]:
    if not can(user, Action.STATISTICS_VIEW):
        return []
    from anjian.stats.views import data_json

    period = Period.current("year")
    b = dashboard.Builder(user, s.Scope(), period)
    figures = s.hazard_figures(b.qs, period)
    kpis = [k for k in b.kpis(figures) if k["key"] in HOME_KPIS]
    trend = b.trend()[0]
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
