"""The figures equal counts made here, row by row in Python, from the raw records of a random ledger
(small cases of one hazard or two: test_figures_cases.py)."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
from django.utils import timezone

from anjian.core.periods import Period
from anjian.core.testing import factories as f
from anjian.core.testing.database import made_once
from anjian.core.testing.world import build_world
from anjian.hazards.choices import HazardSource, HazardStatus
from anjian.hazards.models import Hazard
from anjian.stats import selectors as s
from anjian.stats.tests.records import random_ledger

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


@pytest.fixture(scope="module")
def shared(django_db_setup, django_db_blocker):
    """The world and its 412 hazards, made once for the module's tests: they only read them."""
    with made_once(django_db_blocker):
        w = build_world()
        yield w, _random_ledger(w)


@pytest.fixture
def world(shared, db):
    return copy.deepcopy(shared[0])


@pytest.fixture
def ledger(shared, db):
    return copy.deepcopy(shared[1])


def _random_ledger(w):
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
