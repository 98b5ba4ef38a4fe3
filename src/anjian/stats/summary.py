"""The dashboard's hazard figures read from the monthly summary (``hazards.summary``).

A regulator's dashboard counted afresh after a write reads its region's summary rows (a city: some
thousands) instead of every hazard it sees; the figures are the same as ``stats.selectors`` counts
on the hazards (``figure_q``), which the tests check on random histories. What the summary cannot
say is counted on the open hazards only (a few percent of a city's), with the same conditions:
overdue today (a deadline is a day, not a month) and, for a period that runs, the hazards found in
it still open.

The summary serves a regulator's (or the administrator's) whole view or one regulator below, with
or without an institution kind; periods of whole months that run today (this month, quarter, year)
and single past months; the trend's months. Anything else (one institution, a custom range of days,
a past quarter) returns ``None`` and the caller counts the hazards (``stats.selectors``): one
institution's are few.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from anjian.core.periods import Period
from anjian.core.roles import Role
from anjian.hazards.choices import OPEN_STATUSES, HazardLevel, HazardSource, HazardStatus
from anjian.hazards.models import Hazard, HazardCategory, HazardMonth
from anjian.hazards.selectors import in_time_q, overdue_q
from anjian.hazards.summary import ALL_KINDS
from anjian.stats.selectors import Breakdown, ClearanceFigures, GroupRow, HazardFigures, Scope


def rows_for(user, scope: Scope) -> QuerySet[HazardMonth] | None:
    """The summary rows of the hazards ``scoped_hazards(user, scope)`` returns, or ``None`` when
    the scope is not a regulator's subtree (or the whole platform)."""
    own = user.organization
    sees_subtree = own is not None and own.is_regulator and own.is_active  # scoping.scope_q: the path
    if user.role == Role.SYSTEM_ADMIN:
        sees_subtree, own = True, None
    if not sees_subtree:
        return None  # an institution's users, an inspector (engaged for some institutions only)
    if scope.organization is not None:
        root = scope.organization
        # the whole of the regulator's subtree must be in the user's view (resolve_scope checked
        # that the regulator itself is)
        if not root.is_regulator or (own is not None and not root.path.startswith(own.path)):
            return None
    else:
        root = own
    # every regulator has rows of the hazards below it; the administrator's are those of the top ones
    rows = HazardMonth.objects.filter(region__parent__isnull=True) if root is None else root.hazard_months.all()
    return rows.filter(kind=scope.kind or ALL_KINDS)


def _month_end(day: dt.date) -> dt.date:
    return Period.month(day.year, day.month).end


def _whole_months(period: Period, today: dt.date) -> bool:
    return period.start.day == 1 and (period.end >= today or period.end == _month_end(period.end))


def _runs(period: Period, today: dt.date) -> bool:
    return period.end >= today


def _in(first: dt.date, last: dt.date) -> Q:
    return Q(month__gte=first, month__lte=last)


def breakdown(rows: QuerySet[HazardMonth], qs: QuerySet[Hazard], period: Period) -> Breakdown | None:
    """``stats.selectors.hazard_breakdown(qs, period)`` from the summary ``rows`` of ``qs``; ``None``
    for a period it cannot serve (not whole months, or past and longer than a month)."""
    today = timezone.localdate()
    runs = _runs(period, today)
    if not _whole_months(period, today) or not (runs or len(period.months()) == 1):
        return None
    first = period.start
    last = min(period.end, today).replace(day=1)
    cells: dict[tuple, HazardFigures] = {}
    counted = (
        rows.order_by()
        .values("level", "category_id", "source")
        .annotate(
            n_found=Sum("found", filter=_in(first, last)),
            n_rectified=Sum("closed", filter=_in(first, last)),
            n_in_time=Sum("closed_in_time", filter=_in(first, last)),
            n_found_closed=Sum("found_closed", filter=_in(first, last)),
            found_to_end=Sum("found", filter=Q(month__lte=last)),
            ended_to_end=Sum("open_ended", filter=Q(month__lte=last)),
            began=Sum("overdue_began", filter=Q(month__lte=last)),
            ended=Sum("overdue_ended", filter=Q(month__lte=last)),
        )
    )
    now_open: dict[tuple, dict] = {}
    if runs:  # overdue today, and found in the period but open now, from the open hazards
        start = period.start_at
        for row in (
            qs.order_by()
            .filter(status__in=OPEN_STATUSES)
            .values("level", "category_id", "source")
            .annotate(
                overdue=Count("pk", filter=overdue_q(today)),
                found_open=Count("pk", filter=Q(found_at__gte=start)),
            )
        ):
            now_open[(row["level"], row["category_id"], row["source"])] = row
    codes = dict(HazardCategory.objects.values_list("pk", "code"))
    for row in counted:
        key = (row["level"], row["category_id"], row["source"])
        found = row["n_found"] or 0
        if runs:
            extra = now_open.pop(key, {})
            overdue, found_rectified = extra.get("overdue", 0), found - extra.get("found_open", 0)
        else:
            overdue, found_rectified = (row["began"] or 0) - (row["ended"] or 0), row["n_found_closed"] or 0
        figures = HazardFigures(
            found=found,
            rectified=row["n_rectified"] or 0,
            found_rectified=found_rectified,
            open=(row["found_to_end"] or 0) - (row["ended_to_end"] or 0),
            overdue=overdue,
            in_time=row["n_in_time"] or 0,
            self_found=found if row["source"] == HazardSource.SELF_INSPECTION else 0,
        )
        cell = (row["level"], codes.get(row["category_id"]), row["source"])
        cells[cell] = cells.get(cell, HazardFigures()) + figures
    if now_open:  # an open hazard is in the summary: a row left here means the two disagree
        return None
    return Breakdown(cells)


def month_rows(rows: QuerySet[HazardMonth], qs: QuerySet[Hazard], period: Period, names) -> list[GroupRow] | None:
    """``stats.selectors.hazard_figures_by(qs, period, "month", names)`` from the summary ``rows``
    of ``qs``, for a period of whole months (the last may run today); else ``None``."""
    today = timezone.localdate()
    if not _whole_months(period, today):
        return None
    months = period.months()
    per_month: dict[dt.date, dict] = defaultdict(dict)
    for row in (
        rows.order_by()
        .filter(month__lte=min(period.end, today))
        .values("month")
        .annotate(
            n_found=Sum("found"),
            n_found_closed=Sum("found_closed"),
            n_closed=Sum("closed"),
            n_ended=Sum("open_ended"),
            n_in_time=Sum("closed_in_time"),
            n_self_found=Sum("found", filter=Q(source=HazardSource.SELF_INSPECTION)),
            began=Sum("overdue_began"),
            ended=Sum("overdue_ended"),
        )
    ):
        per_month[row["month"]] = row
    overdue_now = qs.filter(overdue_q(today)).count() if _runs(period, today) and "overdue" in names else 0
    out = []
    open_, overdue = 0, 0
    history = iter(sorted(per_month))
    pending = next(history, None)
    for m in months:
        while pending is not None and pending <= m.start:  # the running totals up to this month's end
            row = per_month[pending]
            open_ += row["n_found"] - row["n_ended"]
            overdue += row["began"] - row["ended"]
            pending = next(history, None)
        row = per_month.get(m.start, {})
        values = {
            "found": row.get("n_found", 0),
            "rectified": row.get("n_closed", 0),
            "found_rectified": row.get("n_found_closed", 0),
            "open": open_,
            "overdue": overdue_now if m.end >= today else overdue,
            "in_time": row.get("n_in_time", 0),
            "self_found": row.get("n_self_found", 0) or 0,
        }
        figures = HazardFigures(**{name: values[name] for name in names})
        out.append(GroupRow(m.key if m.kind == "month" else m.start.isoformat(), m.short_label, figures))
    return out


def clearance(rows: QuerySet[HazardMonth], qs: QuerySet[Hazard], period: Period) -> ClearanceFigures | None:
    """``stats.selectors.major_clearance(qs, period)`` for a period that runs today: the year's
    stock and increment from the summary, what is open now from the open hazards, the increment
    closed in time from the year's closed major hazards; ``None`` for a past period."""
    today = timezone.localdate()
    if not _runs(period, today):
        return None
    year_start = dt.date(period.end.year, 1, 1)
    majors = rows.filter(level=HazardLevel.MAJOR).aggregate(
        found_before=Sum("found", filter=Q(month__lt=year_start)),
        ended_before=Sum("open_ended", filter=Q(month__lt=year_start)),
        found_in_year=Sum("found", filter=Q(month__gte=year_start)),
    )
    start = Period.year(period.end.year).start_at
    major_hazards = qs.order_by().filter(level=HazardLevel.MAJOR)
    open_now = major_hazards.filter(status__in=OPEN_STATUSES).aggregate(
        stock=Count("pk", filter=Q(found_at__lt=start)), increment=Count("pk", filter=Q(found_at__gte=start))
    )
    in_time = major_hazards.filter(status=HazardStatus.CLOSED, found_at__gte=start).filter(in_time_q()).count()
    increment_found = majors["found_in_year"] or 0
    return ClearanceFigures(
        stock_total=(majors["found_before"] or 0) - (majors["ended_before"] or 0),
        stock_open=open_now["stock"],
        increment_found=increment_found,
        increment_closed=increment_found - open_now["increment"],
        increment_in_time=in_time,
        increment_open=open_now["increment"],
    )
