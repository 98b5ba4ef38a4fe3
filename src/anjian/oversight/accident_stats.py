"""The yearly comparison of accidents with the base year (002: deaths and accidents to fall 10 %
against 2023): counts, deaths, injuries and direct loss of a year in the user's scope, their change
in percent against the base year, the target (base less 10 %) and whether the year meets it.
Voided reports do not count; a year counts its accidents by the day they happened (local time).
A year still running is compared day for day (1 January → today against the same days of the base
year) and judged against the target only once it has ended."""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Count, Sum
from django.utils import timezone

from anjian.core.periods import Period
from anjian.oversight.models import Accident

BASE_YEAR = getattr(settings, "ACCIDENT_BASE_YEAR", 2023)
TARGET_CHANGE_PERCENT = getattr(settings, "ACCIDENT_TARGET_CHANGE_PERCENT", -10)
MEASURES = ("accidents", "deaths", "injuries", "direct_loss")


def same_span(base_year: int, day: dt.date) -> Period:
    """1 January → ``day``'s month and day in ``base_year``: the stretch of the base year a running
    year is set against (29 February falls back to 28 February in a common year)."""
    last = calendar.monthrange(base_year, day.month)[1]
    return Period.custom(dt.date(base_year, 1, 1), dt.date(base_year, day.month, min(day.day, last)))


def year_figures(*, user, period: Period | None = None, year: int | None = None, organization=None) -> dict:
    """The figures of ``period`` (or the whole ``year``) in the user's scope."""
    period = period or Period.year(year)
    qs = Accident.objects.visible_to(user).filter(
        is_void=False, occurred_at__gte=period.start_at, occurred_at__lt=period.end_at
    )
    if organization is not None:
        qs = qs.filter(organization=organization)
    row = qs.aggregate(accidents=Count("pk"), deaths=Sum("deaths"), injuries=Sum("injuries"), loss=Sum("direct_loss"))
    return {
        "year": period.end.year,
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


def comparison(*, user, year: int, organization=None, today: dt.date | None = None) -> dict:
    """The year against the base year, measure by measure, with the target: e.g. 2026's accidents
    and deaths each at most 90 % of 2023's. While the year runs, 1 January → today is set against
    the same days of the base year and nothing is judged yet (``in_progress``, ``on_target`` None):
    on 1 January a running year would otherwise be −100 % and "on target"."""
    today = today or timezone.localdate()
    whole = Period.year(year)
    in_progress = today <= whole.end  # the last day still runs until midnight
    if not in_progress:
        span, base_span = whole, Period.year(BASE_YEAR)
    elif today < whole.start:  # a year to come: its first day against the base year's first day
        span, base_span = Period.custom(whole.start, whole.start), same_span(BASE_YEAR, whole.start)
    else:
        span, base_span = Period.custom(whole.start, today), same_span(BASE_YEAR, today)
    current = year_figures(user=user, period=span, organization=organization)
    base = year_figures(user=user, period=base_span, organization=organization)
    factor = Decimal(100 + TARGET_CHANGE_PERCENT) / 100
    measures = {}
    for name in MEASURES:
        target = (Decimal(str(base[name])) * factor).quantize(Decimal("0.01"))
        measures[name] = {
            "value": current[name],
            "base": base[name],
            "change_percent": change_percent(current[name], base[name]),
            "target": target,
            "on_target": None if in_progress else Decimal(str(current[name])) <= target,
        }
    return {
        "year": year,
        "base_year": BASE_YEAR,
        "target_change_percent": TARGET_CHANGE_PERCENT,
        "in_progress": in_progress,
        "start": span.start,
        "end": span.end,
        "base_start": base_span.start,
        "base_end": base_span.end,
        "measures": measures,
        "on_target": None if in_progress else measures["accidents"]["on_target"] and measures["deaths"]["on_target"],
    }
