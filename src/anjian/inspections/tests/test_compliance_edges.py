"""Compliance edge cases where the dashboards' way of counting (grouped queries) must agree with the
compliance page's (slot by slot): a schedule that starts inside a long slot after the period."""

import datetime as dt

import pytest
from django.utils import timezone

from anjian.inspections import selectors, services
from anjian.inspections.choices import Rhythm
from anjian.inspections.tests.helpers import answers, make_point, make_schedule, starter

pytestmark = pytest.mark.django_db


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
    first_month = selectors.parse_period(f"{q_start:%Y-%m}")
    quarter = selectors.parse_period(f"{q_start.year}-Q{(q_start.month - 1) // 3 + 1}")
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
    period = selectors.parse_period(timezone.localdate().strftime("%Y-%m"))

    def due(detail):
        return selectors.compliance(
            user=world.regulator_a, period=period, organization=world.district_a, kind=kind, detail=detail
        ).total.due

    assert due(True) == due(False) > 0
    org_services.organization_set_active(organization=world.hospital_a, by=world.regulator_a, active=False)
    assert due(True) == due(False) == 0
