"""The yearly comparison of accidents with the base year (002: deaths and accidents to fall 10 %
against 2023): counts, deaths, injuries and direct loss of a year in the user's scope, their change
in percent against the base year, the target (base less 10 %) and whether the year meets it.
Voided reports do not count; a year counts its accidents by the day they happened (local time)."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Count, Sum
from django.utils import timezone

from anjian.oversight.models import Accident

BASE_YEAR = getattr(settings, "ACCIDENT_BASE_YEAR", 2023)
TARGET_CHANGE_PERCENT = getattr(settings, "ACCIDENT_TARGET_CHANGE_PERCENT", -10)
MEASURES = ("accidents", "deaths", "injuries", "direct_loss")


def _bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime(year, 1, 1))
    return start, timezone.make_aware(dt.datetime(year + 1, 1, 1))


def year_figures(*, user, year: int, organization=None) -> dict:
    start, end = _bounds(year)
    qs = Accident.objects.visible_to(user).filter(is_void=False, occurred_at__gte=start, occurred_at__lt=end)
    if organization is not None:
        qs = qs.filter(organization=organization)
    row = qs.aggregate(accidents=Count("pk"), deaths=Sum("deaths"), injuries=Sum("injuries"), loss=Sum("direct_loss"))
    return {
        "year": year,
        "accidents": row["accidents"] or 0,
        "deaths": row["deaths"] or 0,
        "injuries": row["injuries"] or 0,
        "direct_loss": (row["loss"] or Decimal(0)).quantize(Decimal("0.01")),
    }


def change_percent(value, base) -> float | None:
    """(value − base) / base in percent, one decimal; None when the base is 0 (no ratio exists)."""
    if not base:
        return None
    ratio = (Decimal(str(value)) - Decimal(str(base))) * 100 / Decimal(str(base))
    return float(ratio.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def comparison(*, user, year: int, organization=None) -> dict:
    """The year against the base year, measure by measure, with the target: e.g. 2026's accidents
    and deaths each at most 90 % of 2023's."""
    current = year_figures(user=user, year=year, organization=organization)
    base = year_figures(user=user, year=BASE_YEAR, organization=organization)
    factor = Decimal(100 + TARGET_CHANGE_PERCENT) / 100
    measures = {}
    for name in MEASURES:
        target = (Decimal(str(base[name])) * factor).quantize(Decimal("0.01"))
        measures[name] = {
            "value": current[name],
            "base": base[name],
            "change_percent": change_percent(current[name], base[name]),
            "target": target,
            "on_target": Decimal(str(current[name])) <= target,
        }
    return {
        "year": year,
        "base_year": BASE_YEAR,
        "target_change_percent": TARGET_CHANGE_PERCENT,
        "measures": measures,
        "on_target": measures["accidents"]["on_target"] and measures["deaths"]["on_target"],
    }
