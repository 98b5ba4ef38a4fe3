"""The assessment's data-driven indicators are bound to the assessed year: with data in the year
before and the year after, every indicator equals a count by hand of the year's own rows; and the
whole district is computed in a number of queries that does not grow with its institutions."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from anjian.action_plans.models import Assignment, Plan, ReportDefinition, ReportSubmission, Task, UnitGroup
from anjian.core.roles import Role
from anjian.core.testing import factories as f
from anjian.hazards.choices import HazardLevel, HazardStatus
from anjian.inspections.choices import Rhythm
from anjian.inspections.models import InspectionRecord
from anjian.inspections.tests.helpers import make_schedule, starter
from anjian.oversight import assessment as sheets
from anjian.oversight.services import assessment as services
from anjian.oversight.tests import by_hand
from anjian.stats.tests.records import at, hazard, random_ledger
from anjian.training.choices import DrillStatus
from anjian.training.defaults import ensure_defaults as training_defaults
from anjian.training.models import (
    Drill,
    TrainingCategory,
    TrainingPlan,
    TrainingPlanItem,
    TrainingRules,
    TrainingSession,
)

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]


def assessed_year() -> int:
    return timezone.localdate().year - 1  # a finished year, with the year after it under way


def d(year: int, month: int, day: int = 1) -> dt.date:
    return dt.date(year, month, day)


def after() -> dt.date:
    """A day of the year after the assessed one that has already come (1 January of this year)."""
    return d(assessed_year() + 1, 1, 1)


class Counter:
    n = 0

    @classmethod
    def next(cls) -> int:
        cls.n += 1
        return cls.n


def tasks(district, org, rows):
    """(deadline, status, confirmed at) per assignment of an active plan of the district."""
    plan = Plan.objects.create(organization=district, title=f"行动方案{Counter.next()}")
    for deadline, status, confirmed in rows:
        task = Task.objects.create(plan=plan, number=str(Counter.next()), content="重点任务", deadline=deadline)
        Assignment.objects.create(
            task=task,
            organization=org,
            status=status,
            review_state="accepted" if status == "done" else "",
            reviewed_at=confirmed,
        )
    return plan


def reports(definition, org, rows):
    """(period, submitted on or None for a draft) per submission."""
    for period, day in rows:
        ReportSubmission.objects.create(
            definition=definition,
            organization=org,
            period=period,
            status="submitted" if day else "draft",
            submitted_at=at(day) if day else None,
        )


def drills(org, days, status=DrillStatus.DONE):
    for day in days:
        Drill.objects.create(organization=org, title=f"演练{Counter.next()}", held_on=day, status=status)


def training(org, year, items):
    """(month, [(held on, valid)]) per item of the year's plan."""
    plan = TrainingPlan.objects.create(organization=org, year=year, title=f"{year}年度培训计划")
    category = TrainingCategory.objects.first()
    for month, sessions in items:
        item = TrainingPlanItem.objects.create(plan=plan, topic="消防培训", category=category, month=month, hours=2)
        for day, valid in sessions:
            TrainingSession.objects.create(
                organization=org, title="消防培训", held_on=day, hours=Decimal(2), plan_item=item, is_active=valid
            )


def inspections(officer, org, months):
    """A monthly schedule since the year before, and a record for each of ``months`` (first days)."""
    schedule = make_schedule(officer, rhythm=Rhythm.MONTHLY, starts_on=d(assessed_year() - 1, 1, 1))
    for first in months:
        InspectionRecord.objects.create(
            number=f"JC{Counter.next():08d}",
            organization=org,
            schedule=schedule,
            template=starter(),
            performed_by=officer,
            performed_at=at(first),
            period_start=at(first, 0),
        )


def report_definition(district) -> ReportDefinition:
    definition = ReportDefinition.objects.create(
        organization=district, name="月度隐患排查治理情况", frequency="monthly", due_day=25, months_after=0
    )
    group, _ = UnitGroup.objects.get_or_create(name="辖区全部机构（测试）", defaults={"all_institutions": True})
    definition.unit_groups.add(group)
    return definition


def fill(world, org, officer, definition, *, clinic: bool = False):
    """One institution's year before, assessed year and year after."""
    y = assessed_year()
    random_ledger([org], [], seed=org.pk, n=40, first=d(y - 1, 1, 1), last=timezone.localdate())
    # a major hazard of the stock (open at the end of the year before) closed in the year, one closed
    # only in the year after, one found after the year
    hazard(org, found=at(d(y - 1, 11, 3)), level=HazardLevel.MAJOR, status=HazardStatus.CLOSED, closed=at(d(y, 3, 1)))
    hazard(org, found=at(d(y, 6, 3)), level=HazardLevel.MAJOR, status=HazardStatus.CLOSED, closed=at(after()))
    hazard(org, found=at(after()), level=HazardLevel.MAJOR)
    confirmed_in_year, confirmed_after = at(d(y, 6, 30)), at(after(), 0, 30)
    if clinic:
        tasks(world.district_a, org, [(d(y, 5, 31), "done", confirmed_in_year), (None, "not_started", None)])
        TrainingRules.objects.create(organization=org, drill_every_months=3)
        drills(org, [d(y - 1, 12, 20), d(y, 2, 10), d(y, 5, 10), d(y, 8, 10), after()])
        drills(org, [d(y, 11, 10)], DrillStatus.CANCELLED)  # the last quarter's, cancelled
        training(org, y + 1, [(1, [(after(), True)])])  # a plan only for the year after: the year had none
        return
    tasks(
        world.district_a,
        org,
        [
            (d(y - 1, 12, 31), "done", at(d(y - 1, 12, 30))),  # the year before
            (d(y, 3, 31), "done", confirmed_in_year),
            (d(y, 12, 31), "done", confirmed_after),  # confirmed only after the year ended
            (d(y, 9, 30), "not_started", None),
            (d(y, 10, 31), "in_progress", None),
            (d(y + 1, 12, 31), "not_started", None),  # the year after
        ],
    )
    withdrawn = tasks(world.district_a, org, [(d(y, 4, 30), "not_started", None)])
    withdrawn.is_active = False
    withdrawn.save()
    reports(
        definition,
        org,
        [(d(y - 1, 12, 1), d(y - 1, 12, 20))]
        + [(d(y, m, 1), d(y, m, 25)) for m in range(1, 7)]  # January to June on the due day
        + [(d(y, 7, 1), d(y, 7, 28)), (d(y, 8, 1), None), (d(y, 12, 1), d(y, 12, 2))]  # late, a draft, early
        + [(d(y + 1, 1, 1), after())],
    )
    drills(org, [d(y - 1, 11, 5), d(y, 3, 15), after()])
    # planned but not held, and cancelled: no drill of the second half-year
    drills(org, [d(y, 9, 1)], DrillStatus.PLANNED)
    drills(org, [d(y, 10, 1)], DrillStatus.CANCELLED)
    training(org, y - 1, [(6, [(d(y - 1, 6, 9), True)])])
    training(
        org,
        y,
        [
            (2, [(d(y, 2, 20), True)]),
            (5, [(after(), True)]),  # held only in the year after
            (11, [(d(y, 11, 9), False)]),  # a session voided
        ],
    )
    inspections(officer, org, [d(y - 1, 12, 1), *[d(y, m, 1) for m in range(1, 7)], after()])


@pytest.fixture
def district(world):
    training_defaults()
    definition = report_definition(world.district_a)
    fill(world, world.hospital_a, world.officer_a, definition)
    fill(world, world.clinic_a, world.clinic_officer_a, definition, clinic=True)
    # the city's quarterly report, owed by the district's institutions too (due on the 20th of a
    # quarter's last month): the hospital on time for the first quarter, late for the third
    y = assessed_year()
    city = ReportDefinition.objects.create(
        organization=world.city, name="季度安全生产情况", frequency="quarterly", due_day=20, months_after=0
    )
    city.unit_groups.add(UnitGroup.objects.get(name="辖区全部机构（测试）"))
    reports(city, world.hospital_a, [(d(y, 1), d(y, 3, 1)), (d(y, 7), d(y, 9, 25)), (d(y + 1, 1), after())])
    reports(city, world.clinic_a, [(d(y, 4), d(y, 6, 20))])
    return world


def test_every_indicator_counts_only_the_assessed_year(district):
    w, y = district, assessed_year()
    rates = sheets.data_rates(w.regulator_a, w.district_a, y)
    hospital, clinic = w.hospital_a.pk, w.clinic_a.pk
    # designed above: the year's rows only
    assert rates["task_completion"][hospital] == 25.0  # 1 of 4: one confirmed after the year, two not done
    assert rates["task_completion"][clinic] == 100.0  # the standing task without a deadline owes nothing
    assert rates["report_punctuality"][hospital] == 50.0  # 7 of 12 months and 1 of 4 of the city's quarters
    assert rates["report_punctuality"][clinic] == 6.2  # the city's second quarter alone: 1 of 16
    assert rates["drill_rhythm"][hospital] == 50.0  # the first half-year drilled, the second not
    assert rates["drill_rhythm"][clinic] == 75.0  # three of four quarters
    assert rates["training_plan"][hospital] == 33.3  # February held; May only after the year, November voided
    assert rates["training_plan"][clinic] == 0.0  # no plan for the year
    assert rates["inspection_compliance"][hospital] == 50.0  # January to June of 12 months
    assert rates["inspection_compliance"][clinic] == 0.0  # no schedule
    # and every indicator as the counts by hand of tests/by_hand.py
    for org in (w.hospital_a, w.clinic_a):
        hand = by_hand.indicators(org, y, w.regulator_a)
        assert {m: rates[m][org.pk] for m in sheets.METRICS} == hand, org.name
        assert hand["major_clearance"] not in (None, 0.0, 100.0)  # the stock and the increment both count
    # the year after is its own: its rows, not the assessed year's
    later = sheets.data_rates(w.regulator_a, w.district_a, y + 1)
    assert later["training_plan"][clinic] == by_hand.training(w.clinic_a, y + 1) == 100.0
    for org in (w.hospital_a, w.clinic_a):
        assert later["task_completion"][org.pk] == by_hand.tasks(org, y + 1)
        assert later["major_clearance"][org.pk] == by_hand.hazards(org, y + 1)["major_clearance"]


def test_the_sheet_scores_the_years_rates(district):
    w, y = district, assessed_year()
    assessment = services.assessment_create(by=w.regulator_a, year=y)
    hospital = next(r for r in sheets.score_sheet(w.regulator_a, assessment) if r.organization == w.hospital_a)
    cells = {c.indicator.metric: c for c in hospital.cells}
    assert cells["task_completion"].score == Decimal("2.5")  # 10 points × 25 %
    assert cells["training_plan"].score == Decimal("3.3")  # 10 points × 33.3 %
    assert cells["drill_rhythm"].score == Decimal("5.0")


def _add_institution(world, definition, n: int):
    org = f.make_institution(parent=world.district_a, name=f"新增医院{n}")
    officer = f.make_user(organization=org, role=Role.SAFETY_OFFICER, username=f"officer_new{n}")
    fill(world, org, officer, definition)
    return org


def test_the_query_count_does_not_grow_with_the_institutions(district):
    w = district
    y = assessed_year()
    assessment = services.assessment_create(by=w.regulator_a, year=y)
    client = Client()
    client.force_login(w.regulator_a)
    page = reverse("oversight:assessment-detail", args=[assessment.pk])
    client.get(page)  # warm the session
    counts = []
    for n in range(2):
        with CaptureQueriesContext(connection) as rates:
            sheets.data_rates(w.regulator_a, w.district_a, y)
        with CaptureQueriesContext(connection) as sheet:
            rows = sheets.score_sheet(w.regulator_a, assessment)
        with CaptureQueriesContext(connection) as shown:
            assert client.get(page).status_code == 200
        counts.append((len(rows), len(rates), len(sheet), len(shown)))
        if n == 0:
            definition = ReportDefinition.objects.get(organization=w.district_a)  # the city's is owed by all
            for k in range(3):
                _add_institution(w, definition, k)
    assert counts[1][0] == counts[0][0] + 3
    assert counts[0][1:] == counts[1][1:], counts
