"""Compliance edge cases where the dashboards' way of counting (grouped queries) must agree with the
compliance page's (slot by slot): a schedule that starts inside a long slot after the period."""

import datetime as dt

import pytest
from django.utils import timezone

from anjian.core.periods import Period
from anjian.core.testing.factories import api_client as client_for
from anjian.inspections import selectors, services
from anjian.inspections.choices import Rhythm
from anjian.inspections.tests.helpers import answers, make_point, make_schedule, starter

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]  # calendar: run again on other pinned days


def test_a_quarterly_schedule_starting_after_the_month_has_nothing_due_in_it(world):
    today = timezone.localdate()
    this_quarter = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    q_start = (this_quarter - dt.timedelta(days=1)).replace(day=1)
    q_start = q_start.replace(month=3 * ((q_start.month - 1) // 3) + 1)  # the previous quarter, all past
    point = make_point(world.officer_a, department=world.dept_a)
    schedule = make_schedule(
        world.officer_a, points=[point], rhythm=Rhythm.QUARTERLY, starts_on=q_start + dt.timedelta(days=40)
    )
    performed = timezone.make_aware(dt.datetime.combine(q_start + dt.timedelta(days=45), dt.time(10)))
    record = services.inspection_submit(
        by=world.staff_a, schedule=schedule, point=point, performed_at=performed, results=answers(starter())
    )
    assert timezone.localdate(record.period_start) == q_start  # the record fills the quarter's slot
    first_month = Period.parse(f"{q_start:%Y-%m}")
    quarter = Period.parse(f"{q_start.year}-Q{(q_start.month - 1) // 3 + 1}")
    for period, expected in ((first_month, (0, 0)), (quarter, (1, 1))):
        for detail in (True, False):
            result = selectors.compliance(
                user=world.officer_a, period=period, organization=world.hospital_a, detail=detail
            )
            tally = next(t for t in result.by_schedule if t.label.startswith(schedule.name))
            assert (tally.due, tally.done) == expected, (period.code, detail)


def test_a_kind_counts_only_its_active_institutions(world):
    """A dashboard narrowed to an institution kind counts the schedules of that kind's active
    institutions: a deactivated hospital's missed slots are not the district's any more."""
    from anjian.orgs import services as org_services

    make_schedule(world.officer_a, points=[make_point(world.officer_a, department=world.dept_a)])
    kind = world.hospital_a.kind
    last_month = timezone.localdate().replace(day=1) - dt.timedelta(days=1)  # ended: its slots are due
    period = Period.parse(last_month.strftime("%Y-%m"))

    def due(detail):
        return selectors.compliance(
            user=world.regulator_a, period=period, organization=world.district_a, kind=kind, detail=detail
        ).total.due

    assert due(True) == due(False) > 0
    org_services.organization_set_active(organization=world.hospital_a, by=world.regulator_a, active=False)
    assert due(True) == due(False) == 0


def test_an_institution_without_any_schedule_is_listed_as_without_a_plan_not_left_out(world, client):
    """The regulator saw 3 of 20 institutions in the compliance: the others had no schedule and
    vanished. Now each is listed as 未建立排查计划 with a rate of 0, first among the worst."""
    make_schedule(world.officer_a, points=[make_point(world.officer_a, department=world.dept_a)])
    last_month = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
    period = Period.parse(last_month.strftime("%Y-%m"))
    for detail in (True, False):
        result = selectors.compliance(user=world.regulator_a, period=period, detail=detail)
        rows = {t.key: t for t in result.by_institution}
        assert set(rows) == {world.hospital_a.pk, world.clinic_a.pk}  # district B is not the regulator's
        assert not rows[world.hospital_a.pk].no_plan and rows[world.hospital_a.pk].rate == 0.0
        assert rows[world.clinic_a.pk].no_plan and rows[world.clinic_a.pk].rate == 0.0
        assert result.by_institution[0].key == world.clinic_a.pk  # "0 %" and no plan sort first
    body = client_for(world.regulator_a).get("/api/v1/inspections/compliance/", {"period": period.code}).json()
    assert {(r["label"], r["no_plan"]) for r in body["by_institution"]} == {
        (world.hospital_a.name, False),
        (world.clinic_a.name, True),
    }
    client.force_login(world.officer_b)  # an institution with no schedule sees itself so
    page = client.get("/inspections/compliance/", {"period": period.code}).content.decode()
    assert "未建立排查计划" in page and world.hospital_b.name in page
