"""The figures equal counts made here, row by row in Python, from the raw records."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from anjian.core.periods import Period
from anjian.core.testing import factories as f
from anjian.hazards.choices import HazardLevel, HazardSource, HazardStatus
from anjian.hazards.models import Hazard
from anjian.stats import selectors as s
from anjian.stats.tests.records import at, hazard, random_ledger

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]

OPEN = {HazardStatus.REPORTED, HazardStatus.RECTIFYING, HazardStatus.AWAITING_ACCEPTANCE}


def local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


def count_by_hand(hazards, period: Period) -> dict[str, int]:
    """The figures of ``stats.selectors``' docstring, counted one row at a time."""
    start, end = local_midnight(period.start), local_midnight(period.end + dt.timedelta(days=1))
    today = timezone.localdate()
    as_of = min(period.end, today)
    as_of_end = local_midnight(as_of + dt.timedelta(days=1))
    out = dict.fromkeys(s.FIGURES, 0)
    for h in hazards:
        if h.status == HazardStatus.DISMISSED:
            continue
        closed = h.status == HazardStatus.CLOSED
        found = start <= h.found_at < end
        rectified = closed and h.accepted_at is not None and start <= h.accepted_at < end
        if as_of >= today:
            is_open = h.status in OPEN
        else:
            closed_then = closed and (h.accepted_at is None or h.accepted_at < as_of_end)
            is_open = h.found_at < as_of_end and not closed_then
        out["found"] += found
        out["rectified"] += rectified
        out["found_rectified"] += found and closed and (h.accepted_at is None or h.accepted_at < end)
        out["open"] += is_open
        out["overdue"] += is_open and h.deadline is not None and h.deadline < as_of
        out["in_time"] += rectified and (h.deadline is None or timezone.localtime(h.accepted_at).date() <= h.deadline)
        out["self_found"] += found and h.source == HazardSource.SELF_INSPECTION
    return out


@pytest.fixture
def ledger(world):
    w = world
    dept2 = f.make_department(organization=w.hospital_a, name="甲外科")
    rows = random_ledger(
        [w.hospital_a, w.clinic_a, w.hospital_b],
        [w.dept_a, dept2, w.dept_b],
        seed=6,
        n=400,
        first=dt.date(2025, 9, 1),
        last=timezone.localdate(),
    )
    # a dozen found today, so that the running month and year have rows on any day (a 1 January too)
    rows += random_ledger(
        [w.hospital_a, w.clinic_a],
        [w.dept_a, dept2],
        seed=7,
        n=12,
        first=timezone.localdate(),
        last=timezone.localdate(),
    )
    for h in rows:
        h.refresh_from_db()
    return rows


PERIODS = [
    Period.month(2026, 10),
    Period.month(2026, 2),
    Period.current("month"),
    Period.quarter(2026, 3),
    Period.year(2025),
    Period.current("year"),
    Period.custom(dt.date(2025, 12, 20), dt.date(2026, 1, 10)),
]


@pytest.mark.parametrize("period", PERIODS, ids=lambda p: p.key)
def test_figures_equal_counts_by_hand(ledger, world, period):
    qs = Hazard.objects.visible_to(world.regulator_a)
    mine = [h for h in ledger if h.organization_id in (world.hospital_a.pk, world.clinic_a.pk)]
    expected = count_by_hand(mine, period)
    figures = s.hazard_figures(qs, period)
    assert figures.as_dict() | expected == figures.as_dict(), (period.label, expected)
    assert expected["found"] > 0 or period.kind == "custom"
    if expected["found"]:
        assert figures.rate == round(100 * expected["found_rectified"] / expected["found"], 1)


@pytest.mark.parametrize("grouping", ["institution", "department", "category", "source", "level"])
def test_groups_equal_counts_by_hand(ledger, world, grouping):
    period = Period.year(2026)
    qs = Hazard.objects.visible_to(world.regulator_a)
    mine = [h for h in ledger if h.organization_id in (world.hospital_a.pk, world.clinic_a.pk)]
    rows = s.hazard_figures_by(qs, period, grouping)
    attr = {
        "institution": lambda h: str(h.organization_id),
        "department": lambda h: str(h.department_id or ""),
        "category": lambda h: h.category.code,
        "source": lambda h: h.source,
        "level": lambda h: h.level,
    }[grouping]
    assert rows
    for row in rows:
        assert row.figures.as_dict() | count_by_hand([h for h in mine if attr(h) == row.key], period) == (
            row.figures.as_dict()
        ), row.label
    total = sum((r.figures for r in rows), s.HazardFigures())
    assert total == s.hazard_figures(qs, period)


@pytest.mark.parametrize("period", PERIODS[:4], ids=lambda p: p.key)
def test_the_dashboards_single_scan_equals_counts_by_hand(ledger, world, period):
    """``hazard_breakdown`` (one query per level, category and source) gives the totals and the
    level, category and source rows the dashboard draws: each equal to a count by hand."""
    qs = Hazard.objects.visible_to(world.regulator_a)
    mine = [h for h in ledger if h.organization_id in (world.hospital_a.pk, world.clinic_a.pk)]
    b = s.hazard_breakdown(qs, period)
    assert b.total == s.HazardFigures(**count_by_hand(mine, period))
    attrs = {"category": lambda h: h.category.code, "source": lambda h: h.source, "level": lambda h: h.level}
    for grouping, attr in attrs.items():
        rows = b.rows(grouping)
        assert [r.key for r in rows] == [r.key for r in s.hazard_figures_by(qs, period, grouping)]
        assert sum(1 for r in rows if r.figures.found) >= 2 or period.kind == "month"
        for row in rows:
            assert row.figures == s.HazardFigures(**count_by_hand([h for h in mine if attr(h) == row.key], period))


@pytest.mark.parametrize(
    "names",
    [("found", "found_rectified", "self_found"), ("rectified", "in_time"), ("open", "overdue"), ("overdue",)],
    ids=lambda n: "+".join(n),
)
@pytest.mark.parametrize("period", [Period.quarter(2026, 3), Period.current("year")], ids=lambda p: p.key)
def test_figures_of_one_kind_read_fewer_rows_and_still_equal_counts_by_hand(ledger, world, names, period):
    """Asking only for figures of one kind (found, closed, open at the end) narrows the scan to
    those rows: every group, and every month, still equals the count by hand."""
    qs = Hazard.objects.visible_to(world.regulator_a)
    mine = [h for h in ledger if h.organization_id in (world.hospital_a.pk, world.clinic_a.pk)]
    keys = {"institution": lambda h: str(h.organization_id), "category": lambda h: h.category.code}
    for grouping, key in keys.items():
        rows = s.hazard_figures_by(qs, period, grouping, names)
        assert rows
        for row in rows:
            by_hand = count_by_hand([h for h in mine if key(h) == row.key], period)
            assert {n: getattr(row.figures, n) for n in names} == {n: by_hand[n] for n in names}, row.label
        assert any(getattr(r.figures, n) for r in rows for n in names)
    for row, month in zip(s.hazard_figures_by(qs, period, "month", names), period.months(), strict=True):
        by_hand = count_by_hand(mine, month)
        assert {n: getattr(row.figures, n) for n in names} == {n: by_hand[n] for n in names}, row.label


def test_months_equal_counts_by_hand(ledger, world):
    period = Period.current("year")
    qs = Hazard.objects.visible_to(world.officer_a)
    mine = [h for h in ledger if h.organization_id == world.hospital_a.pk]
    rows = s.hazard_figures_by(qs, period, "month")
    assert [r.label for r in rows[:2]] == ["1月", "2月"]
    for row, month in zip(rows, period.months(), strict=True):
        assert row.figures == s.HazardFigures(**count_by_hand(mine, month))


def test_the_day_is_the_local_day(world):
    """23:30 on 31 October in Beijing is October, though it is 15:30 UTC; 00:10 on 1 November is November."""
    hazard(world.hospital_a, found=at(dt.date(2026, 10, 31), 23, 30))
    hazard(world.hospital_a, found=at(dt.date(2026, 11, 1), 0, 10))
    qs = Hazard.objects.visible_to(world.regulator_a)
    assert s.hazard_figures(qs, Period.month(2026, 10)).found == 1
    assert s.hazard_figures(qs, Period.month(2026, 11)).found == 1


def test_a_hazard_closed_later_was_open_and_overdue_at_the_end_of_an_earlier_month(world):
    h = hazard(
        world.hospital_a,
        found=at(dt.date(2026, 9, 3)),
        deadline=dt.date(2026, 9, 20),
        status=HazardStatus.CLOSED,
        closed=at(dt.date(2026, 10, 5)),
    )
    qs = Hazard.objects.visible_to(world.officer_a)
    sept, octo = s.hazard_figures(qs, Period.month(2026, 9)), s.hazard_figures(qs, Period.month(2026, 10))
    assert (sept.found, sept.open, sept.overdue, sept.rectified, sept.found_rectified) == (1, 1, 1, 0, 0)
    assert (octo.found, octo.open, octo.overdue, octo.rectified, octo.in_time) == (0, 0, 0, 1, 0)
    assert s.hazard_figures(qs, Period.quarter(2026, 3)).found_rectified == 0  # closed after 30 September
    assert s.hazard_figures(qs, Period.custom(dt.date(2026, 9, 1), dt.date(2026, 10, 31))).found_rectified == 1
    h.deadline = dt.date(2026, 10, 5)  # a postponement approved: closed on the (new) last day is in time
    h.save()
    assert s.hazard_figures(qs, Period.month(2026, 10)).in_time == 1


def test_dismissed_reports_count_nowhere(world):
    hazard(world.hospital_a, found=at(dt.date(2026, 11, 2)), status=HazardStatus.DISMISSED)
    figures = s.hazard_figures(Hazard.objects.visible_to(world.officer_a), Period.month(2026, 11))
    assert figures == s.HazardFigures()
    assert figures.rate is None


def test_major_clearance(world):
    """2026's 动态清零 as at its end: the year's stock is every major hazard carried into it, found in
    2023 or in 2025 alike (a 2025 one left open was missing from the figures); closed before the
    year began is no stock."""
    major = {"level": HazardLevel.MAJOR}
    year = 2026
    hazard(world.hospital_a, found=at(dt.date(2023, 6, 1)), **major)  # 2023 stock, still open
    hazard(
        world.hospital_a, found=at(dt.date(2023, 12, 31), 23), status="closed", closed=at(dt.date(2024, 3, 1)), **major
    )  # cleared in 2024: not 2026's stock
    hazard(world.hospital_a, found=at(dt.date(2025, 9, 1)), **major)  # carried over from 2025, still open
    hazard(
        world.hospital_a, found=at(dt.date(2025, 11, 1)), status="closed", closed=at(dt.date(2026, 2, 1)), **major
    )  # carried over, cleared in the year
    hazard(
        world.hospital_a, found=at(dt.date(2025, 3, 1)), status="closed", closed=at(dt.date(2025, 12, 31), 20), **major
    )  # closed on New Year's Eve: not carried over
    hazard(world.hospital_a, found=at(dt.date(year, 1, 10)), **major)  # increment open
    hazard(
        world.hospital_a,
        found=at(dt.date(year, 2, 1)),
        status="closed",
        closed=at(dt.date(year, 2, 10)),
        deadline=dt.date(year, 2, 28),
        **major,
    )
    hazard(
        world.hospital_a,
        found=at(dt.date(year, 3, 1)),
        status="closed",
        closed=at(dt.date(year, 5, 10)),
        deadline=dt.date(year, 4, 1),
        **major,
    )
    hazard(world.hospital_a, found=at(dt.date(2025, 3, 1)))  # general: not counted
    hazard(world.hospital_b, found=at(dt.date(2025, 3, 1)), **major)  # another district
    c = s.major_clearance(Hazard.objects.visible_to(world.regulator_a), Period.year(year))
    assert c.as_dict() == {
        "stock_total": 3,
        "stock_open": 2,
        "increment_found": 3,
        "increment_closed": 2,
        "increment_in_time": 1,
        "increment_open": 1,
    }


def test_scope_narrows_and_refuses_what_the_user_cannot_see(world):
    from django.http import Http404

    hazard(world.hospital_a, found=at(dt.date(2026, 11, 2)))
    hazard(world.clinic_a, found=at(dt.date(2026, 11, 2)))
    hazard(world.hospital_b, found=at(dt.date(2026, 11, 2)))
    nov = Period.month(2026, 11)
    reg = world.regulator_a
    assert s.hazard_figures(s.scoped_hazards(reg, s.resolve_scope(reg)), nov).found == 2
    assert s.hazard_figures(s.scoped_hazards(reg, s.resolve_scope(reg, organization=world.clinic_a.pk)), nov).found == 1
    assert s.hazard_figures(s.scoped_hazards(reg, s.resolve_scope(reg, kind="clinic")), nov).found == 1
    with pytest.raises(Http404):
        s.resolve_scope(reg, organization=world.hospital_b.pk)
    with pytest.raises(Http404):
        s.resolve_scope(world.officer_a, organization=world.clinic_a.pk)
