"""The monthly hazard summary (hazards.summary) stays equal to a recount through any history of
writes, and the dashboard's figures read from it equal the figures counted on the hazards."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from anjian.core.periods import Period
from anjian.core.roles import Role
from anjian.core.testing import factories as f
from anjian.hazards import summary as hazard_summary
from anjian.hazards.choices import HazardLevel, HazardSource, HazardStatus
from anjian.hazards.models import Hazard, HazardCategory, HazardMonth
from anjian.orgs import services as org_services
from anjian.stats import dashboard, summary
from anjian.stats import selectors as s
from anjian.stats.tests.records import at, hazard, random_ledger

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]

DRAWN = ("found", "rectified", "open", "found_rectified", "overdue", "in_time", "self_found")


def periods() -> list[Period]:
    """Every kind the summary serves, dated from the pinned day: the running month, quarter and
    year, the last two months, and a year-long trend."""
    today = timezone.localdate()
    last = today.replace(day=1) - dt.timedelta(days=1)
    before = last.replace(day=1) - dt.timedelta(days=1)
    return [
        Period.current("month"),
        Period.current("quarter"),
        Period.current("year"),
        Period.month(last.year, last.month),
        Period.month(before.year, before.month),
    ]


def trend(period: Period) -> Period:
    return dashboard.trend_period(period)


def assert_same_figures(user, scope: s.Scope) -> None:
    qs = s.scoped_hazards(user, scope)
    rows = summary.rows_for(user, scope)
    assert rows is not None
    for period in periods():
        from_summary = summary.breakdown(rows, qs, period)
        assert from_summary is not None, period
        counted = s.hazard_breakdown(qs, period)
        assert from_summary.total == counted.total, (period.label, scope.label)
        for grouping in ("level", "category", "source"):
            assert [(r.key, r.figures) for r in from_summary.rows(grouping)] == [
                (r.key, r.figures) for r in counted.rows(grouping)
            ], (period.label, grouping)
        if period.end >= timezone.localdate():  # the year's major hazards: stock and increment
            assert summary.clearance(rows, qs, period) == s.major_clearance(qs, period), period.label
        months = summary.month_rows(rows, qs, trend(period), DRAWN)
        assert [(r.key, r.figures) for r in months] == [
            (r.key, r.figures) for r in s.hazard_figures_by(qs, trend(period), "month", DRAWN)
        ], period.label


@pytest.fixture
def city_user(world):
    return f.make_user(organization=world.city, role=Role.REGULATOR_ADMIN, username="city_reg")


def test_a_ledger_in_every_state_gives_the_same_figures_both_ways(world, city_user):
    """400 hazards in every state over 15 months: the summary's figures for the city, a district,
    a kind and the administrator equal the hazards' own, and the summary equals a recount."""
    first = timezone.localdate() - dt.timedelta(days=450)
    random_ledger(
        [world.hospital_a, world.clinic_a, world.hospital_b], [], seed=11, n=400, first=first, last=timezone.localdate()
    )
    assert hazard_summary.differences() == []
    assert_same_figures(city_user, s.Scope())
    assert_same_figures(city_user, s.Scope(organization=world.district_a))
    assert_same_figures(world.regulator_b, s.Scope(kind="public_hospital"))
    assert_same_figures(world.admin, s.Scope())
    assert summary.rows_for(world.officer_a, s.Scope()) is None  # one institution: its hazards are few
    assert summary.rows_for(city_user, s.Scope(organization=world.hospital_a)) is None
    # an inspector sees the institutions they are engaged for, not a district's every one; a
    # district's regulator never reads the rows of the city above it
    assert summary.rows_for(world.inspector_b, s.Scope(organization=world.district_b)) is None
    assert summary.rows_for(world.regulator_a, s.Scope(organization=world.city)) is None


def test_the_dashboard_reads_the_summary_and_shows_what_it_counted(world, city_user, settings):
    settings.RESULT_CACHE_SECONDS = 0  # counted afresh, every part
    random_ledger(
        [world.hospital_a, world.hospital_b],
        [],
        seed=12,
        n=120,
        first=timezone.localdate() - dt.timedelta(days=200),
        last=timezone.localdate(),
    )
    period = Period.current("year")
    shown = dashboard.dashboard(city_user, s.Scope(), period)
    assert shown["figures"] == s.hazard_breakdown(s.scoped_hazards(city_user, s.Scope()), period).total.as_dict()
    trend_chart = next(c for c in shown["charts"] if c["id"] == "trend")
    counted = s.hazard_figures_by(Hazard.objects.visible_to(city_user), trend(period), "month")
    assert [p["value"] for p in trend_chart["series"][0]["data"]] == [r.figures.found for r in counted]
    assert [p["value"] for p in trend_chart["series"][2]["data"]] == [r.figures.open for r in counted]


# ---- random histories of writes ----------------------------------------------------------------

DAYS = 500  # histories reach back this many days before the pinned day

step = st.one_of(
    st.tuples(
        st.just("create"),
        st.integers(0, 2),  # organization
        st.integers(0, DAYS),  # found, days ago
        st.integers(0, 23),  # hour
        st.sampled_from([None, -5, 0, 1, 20, 45]),  # deadline, days after found
        st.sampled_from(HazardLevel.values),
        st.sampled_from(HazardSource.values),
        st.integers(0, 3),  # category
    ),
    st.tuples(st.just("close"), st.integers(0, 30), st.sampled_from([None, 0, 1, 30, 70, 400])),
    st.tuples(st.just("status"), st.integers(0, 30), st.sampled_from(HazardStatus.values)),
    st.tuples(st.just("deadline"), st.integers(0, 30), st.sampled_from([None, -40, 0, 10, 90])),
    st.tuples(st.just("level"), st.integers(0, 30), st.sampled_from(HazardLevel.values), st.integers(0, 3)),
    st.tuples(st.just("bulk_deadline"), st.integers(0, 2), st.integers(-60, 60)),
    st.tuples(st.just("move"), st.integers(0, 2)),
    st.tuples(st.just("move_district")),
    st.tuples(st.just("kind"), st.integers(0, 2)),
    st.tuples(st.just("delete"), st.integers(0, 30)),
)


def _apply(step_, world, orgs, cats, hazards: list) -> None:
    today = timezone.localdate()
    kind, *args = step_
    if kind == "create":
        org, ago, hour, deadline, level, source, cat = args
        orgs[org].refresh_from_db()  # as a request reads it (a district may have moved since)
        found_day = today - dt.timedelta(days=ago)
        hazards.append(
            hazard(
                orgs[org],
                found=at(found_day, hour),
                deadline=None if deadline is None else found_day + dt.timedelta(days=deadline),
                level=level,
                source=source,
                category=cats[cat],
                status=HazardStatus.REPORTED,
            )
        )
        return
    if kind == "move_district":  # a regulator moves, its institutions with it: 乙区 below 甲区, and back
        district = world.district_b
        district.refresh_from_db()
        parent = world.city if district.parent_id == world.district_a.pk else world.district_a
        org_services.organization_update(organization=district, by=None, data={"parent": parent})
        return
    if kind in ("move", "kind"):
        org = orgs[args[0]]
        org.refresh_from_db()
        if kind == "move":
            parent = world.district_b if org.parent_id == world.district_a.pk else world.district_a
            org_services.organization_update(organization=org, by=None, data={"parent": parent})
        else:
            new_kind = "clinic" if org.kind != "clinic" else "public_hospital"
            org_services.organization_update(organization=org, by=None, data={"kind": new_kind})
        return
    if kind == "bulk_deadline":
        org, shift = args
        Hazard.objects.filter(organization=orgs[org]).update(deadline=today + dt.timedelta(days=shift))
        return
    if not hazards:
        return
    h = hazards[args[0] % len(hazards)]
    if not Hazard.objects.filter(pk=h.pk).exists():
        return
    h.refresh_from_db()
    if kind == "close":
        after = args[1]
        h.status = HazardStatus.CLOSED
        h.accepted_at = None if after is None else min(h.found_at + dt.timedelta(days=after), timezone.now())
        h.save()
    elif kind == "status":
        h.status = args[1]
        if args[1] != HazardStatus.CLOSED:
            h.accepted_at = None
        h.save()
    elif kind == "deadline":
        h.deadline = None if args[1] is None else h.found_at.date() + dt.timedelta(days=args[1])
        h.save(update_fields=["deadline"])
    elif kind == "level":
        h.level, h.category = args[1], cats[args[2]]
        h.save()
    elif kind == "delete":
        if args[0] % 2:
            h.delete()
        else:
            Hazard.objects.filter(pk=h.pk).delete()


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(step, min_size=1, max_size=20))
def test_random_histories_keep_the_summary_equal_to_a_recount(world, city_user, steps):
    """Any sequence of writes (created, closed with or without a time, reopened, dismissed, deadline
    moved one by one or in bulk, level and category changed, deleted, the institution moved to the
    other district or given another kind, a district moved below the other) leaves the summary
    equal to a recount, and its figures equal to the hazards' own."""
    # each example's writes are rolled back: start from the organizations as stored
    for org in (world.city, world.district_a, world.district_b, world.hospital_a, world.clinic_a, world.hospital_b):
        org.refresh_from_db()
    city_user = type(city_user).objects.select_related("organization").get(pk=city_user.pk)
    orgs = [world.hospital_a, world.clinic_a, world.hospital_b]
    cats = list(HazardCategory.objects.order_by("pk")[:4])
    with transaction.atomic():
        hazards: list = []
        for one in steps:
            _apply(one, world, orgs, cats, hazards)
        assert hazard_summary.differences() == []
        assert_same_figures(city_user, s.Scope())
        assert_same_figures(city_user, s.Scope(organization=world.district_b))
        assert_same_figures(city_user, s.Scope(organization=world.district_a, kind="clinic"))
        transaction.set_rollback(True)


def test_the_command_rebuilds_and_checks(world, capsys):
    random_ledger(
        [world.hospital_a, world.hospital_b],
        [],
        seed=13,
        n=60,
        first=timezone.localdate() - dt.timedelta(days=90),
        last=timezone.localdate(),
    )
    call_command("rebuild_hazard_summary", "--check")
    assert "OK" in capsys.readouterr().out
    # a write beside the ORM (a bulk load's raw SQL): the check names the difference, the rebuild mends it
    HazardMonth.objects.update(found=0)
    with pytest.raises(CommandError, match="differ"):
        call_command("rebuild_hazard_summary", "--check")
    call_command("rebuild_hazard_summary")
    assert "rebuilt" in capsys.readouterr().out
    assert hazard_summary.differences() == []
