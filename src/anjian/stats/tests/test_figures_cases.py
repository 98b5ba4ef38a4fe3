"""The figures on small ledgers made for one case each: the local day, a hazard closed a month
later, dismissed reports, the major hazards' clearance, the scope (the big random ledger's counts by
hand are in test_figures.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from anjian.core.periods import Period
from anjian.hazards.choices import HazardLevel, HazardStatus
from anjian.hazards.models import Hazard
from anjian.stats import selectors as s
from anjian.stats.tests.records import at, hazard

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]


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
