"""The annual assessment: on the demo district every data-driven indicator equals a count by hand
(Python over the rows, not the statistics' queries); hand scores with evidence, the veto, the
ranking, publication (then the institution sees its own sheet only), the xlsx and the indicator set."""

import datetime as dt
import io
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from anjian.accounts.models import User
from anjian.action_plans import due
from anjian.action_plans.models import Assignment, ReportDefinition, ReportSubmission
from anjian.action_plans.services import owing_units
from anjian.core.errors import DomainError
from anjian.core.periods import Period
from anjian.hazards.models import Hazard
from anjian.inspections import selectors as inspection_selectors
from anjian.oversight import assessment as sheets
from anjian.oversight.models import Indicator
from anjian.oversight.services import assessment as services

pytestmark = pytest.mark.calendar  # the demo depends on the day: run again on other pinned days


@pytest.fixture(scope="module")
def demo_db(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo of the apps whose data the indicators read (seed_demo's order), once for the module."""
    from anjian.accounts import demo as accounts
    from anjian.action_plans import demo as plans
    from anjian.hazards import demo as hazards
    from anjian.inspections import demo as inspections
    from anjian.orgs import demo as orgs

    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media"))  # the demo's photos
    with media, django_db_blocker.unblock(), transaction.atomic():
        for module in (orgs, accounts, hazards, inspections, plans):
            module.seed()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def regulator(demo_db, db):
    return User.objects.get(username="regulator")


def pct(part, whole):
    return round(100.0 * part / whole, 1) if whole else None


def regulators_above(org):
    from anjian.orgs.models import Organization

    ids = [int(p) for p in org.path.strip("/").split("/") if p]
    return Organization.objects.filter(pk__in=ids, type="regulator")


def by_hand(org, year: int) -> dict:
    start = timezone.make_aware(dt.datetime(year, 1, 1))
    end = timezone.make_aware(dt.datetime(year + 1, 1, 1))
    now = timezone.now()
    rows = [h for h in Hazard.objects.filter(organization=org) if h.status != "dismissed"]
    found = [h for h in rows if start <= h.found_at < end]
    closed = lambda h, moment: h.status == "closed" and (h.accepted_at is None or h.accepted_at < moment)  # noqa: E731
    found_rectified = [h for h in found if closed(h, min(end, now + dt.timedelta(days=1)))]
    closed_in_year = [h for h in rows if h.status == "closed" and h.accepted_at and start <= h.accepted_at < end]
    in_time = [h for h in closed_in_year if h.deadline is None or timezone.localdate(h.accepted_at) <= h.deadline]
    majors = [h for h in rows if h.level == "major"]
    stock_day = dt.date(year - 1, 12, 31)
    as_of = min(dt.date(year, 12, 31), timezone.localdate())

    def open_on(h, day):
        until = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time()))
        return h.found_at < until and not closed(h, until)

    stock = [h for h in majors if open_on(h, stock_day)]
    increment = [h for h in majors if start <= h.found_at < end]
    cleared = [h for h in stock if not open_on(h, as_of)] + [h for h in increment if not open_on(h, as_of)]
    assignments = Assignment.objects.filter(organization=org, task__plan__is_active=True)
    owed = on_time = 0
    for definition in ReportDefinition.objects.filter(organization__in=regulators_above(org), is_active=True):
        for month in range(1, 13, 3 if definition.frequency == "quarterly" else 1):
            period = dt.date(year, month, 1)
            due_on = due.definition_due_date(definition, period)
            if due_on > timezone.localdate() or not owing_units(definition).filter(pk=org.pk).exists():
                continue
            owed += 1
            sub = ReportSubmission.objects.filter(definition=definition, organization=org, period=period).first()
            on_time += int(bool(sub and sub.status == "submitted" and timezone.localdate(sub.submitted_at) <= due_on))
    compliance = inspection_selectors.compliance(
        user=User.objects.get(username="regulator"), period=Period.year(year), organization=org
    )
    return {
        "rectification_rate": pct(len(found_rectified), len(found)),
        "rectification_timeliness": pct(len(in_time), len(closed_in_year)),
        "major_clearance": pct(len(cleared), len(stock) + len(increment)),
        "report_punctuality": pct(on_time, owed),
        "task_completion": pct(assignments.filter(status="done").count(), assignments.count()),
        # nothing due yet (a 1 January morning): no rate if it has a schedule, 0 if it has none (未建立排查计划)
        "inspection_compliance": (
            pct(compliance.total.done, compliance.total.due)
            if compliance.total.due
            else (None if compliance.by_schedule else 0.0)
        ),
    }


def test_the_demo_districts_data_driven_indicators_equal_counts_by_hand(regulator):
    year = timezone.localdate().year
    assessment = services.assessment_create(by=regulator, year=year)
    rows = sheets.score_sheet(regulator, assessment)
    assert len(rows) >= 2
    checked = 0
    for row in rows:
        hand = by_hand(row.organization, year)
        for cell in row.cells:
            if cell.indicator.kind == "data":
                assert cell.rate == hand[cell.indicator.metric], (row.organization.name, cell.indicator.metric)
                expected = (
                    cell.indicator.weight
                    if cell.rate is None
                    else (cell.indicator.weight * Decimal(str(cell.rate)) / 100).quantize(
                        Decimal("0.1"),
                        rounding=ROUND_HALF_UP,  # 四舍五入, as score sheets round
                    )
                )
                assert abs(cell.score - expected) <= Decimal("0.05")
                checked += 1
    assert checked == 6 * len(rows)
    hospital = next(r for r in rows if r.organization.name == "安宁区人民医院")
    assert any(c.rate not in (None, 0.0, 100.0) for c in hospital.cells)  # the demo exercises real ratios


def test_hand_scores_veto_ranking_publication_and_the_institutions_own_sheet(regulator):
    year = timezone.localdate().year - 1
    assessment = services.assessment_create(by=regulator, year=year)
    with pytest.raises(DomainError):
        services.assessment_create(by=regulator, year=year)
    rows = sheets.score_sheet(regulator, assessment)
    top, second = rows[0].organization, rows[1].organization
    duty = Indicator.objects.get(regulator=regulator.organization, name="安全生产责任制落实")
    veto = Indicator.objects.get(regulator=regulator.organization, is_veto=True)
    with pytest.raises(DomainError):  # a deduction needs its evidence
        services.manual_score_save(
            by=regulator, assessment=assessment, organization=top, indicator=duty, score=10, evidence=""
        )
    with pytest.raises(DomainError):
        services.manual_score_save(
            by=regulator, assessment=assessment, organization=top, indicator=duty, score=21, evidence="x"
        )
    services.manual_score_save(
        by=regulator,
        assessment=assessment,
        organization=top,
        indicator=veto,
        score=0,
        evidence="发生较大事故",
        vetoed=True,
    )
    rows = sheets.score_sheet(regulator, assessment)
    assert rows[-1].organization == top and rows[-1].vetoed  # vetoed goes last whatever its total
    assert rows[0].organization == second
    services.assessment_publish(by=regulator, assessment=assessment)
    with pytest.raises(DomainError):
        services.manual_score_save(
            by=regulator, assessment=assessment, organization=top, indicator=duty, score=20, evidence=""
        )

    officer = User.objects.get(username="hospital_officer")
    client = Client()
    client.force_login(officer)
    body = client.get(reverse("api:assessment-detail", args=[assessment.pk])).json()
    assert [r["name"] for r in body["rows"]] == [officer.organization.name]
    xlsx = client.get(reverse("oversight:assessment-export", args=[assessment.pk]))
    wb = load_workbook(io.BytesIO(xlsx.content))
    names = [row[1] for row in wb["排名"].iter_rows(min_row=2, values_only=True)]
    assert names == [officer.organization.name] and len(wb.sheetnames) == 2


def test_the_indicator_set_is_editable_within_100_points(regulator):
    services.indicators_ensure_default(by=regulator)
    assert sum(i.weight for i in Indicator.objects.filter(regulator=regulator.organization, is_active=True)) == 100
    with pytest.raises(DomainError):
        services.indicator_save(by=regulator, data={"name": "培训", "kind": "manual", "weight": 5})
    duty = Indicator.objects.get(regulator=regulator.organization, name="安全生产责任制落实")
    services.indicator_save(
        by=regulator,
        indicator=duty,
        data={"name": duty.name, "kind": "manual", "weight": 10, "is_active": True, "sort_order": duty.sort_order},
    )
    training = services.indicator_save(by=regulator, data={"name": "教育培训", "kind": "manual", "weight": 5})
    assert training.weight == 5
    with pytest.raises(DomainError):
        services.indicator_save(by=regulator, data={"name": "x", "kind": "data", "metric": "nope", "weight": 0})
