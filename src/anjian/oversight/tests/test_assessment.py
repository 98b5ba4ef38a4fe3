"""The annual assessment: on the demo district every data-driven indicator equals a count by hand
(Python over the rows, not the statistics' queries); hand scores with evidence, the veto, the
ranking, publication (then the institution sees its own sheet only), the xlsx and the indicator set."""

import io
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from anjian.accounts.models import User
from anjian.core.errors import DomainError
from anjian.core.testing.database import made_once
from anjian.oversight import assessment as sheets
from anjian.oversight.models import Indicator
from anjian.oversight.services import assessment as services
from anjian.oversight.tests import by_hand

pytestmark = pytest.mark.calendar  # the demo depends on the day: run again on other pinned days


@pytest.fixture(scope="module")
def demo_db(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo of the apps whose data the indicators read (seed_demo's order), once for the module."""
    from anjian.accounts import demo as accounts
    from anjian.action_plans import demo as plans
    from anjian.hazards import demo as hazards
    from anjian.inspections import demo as inspections
    from anjian.orgs import demo as orgs
    from anjian.training import demo as training

    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media"))  # the demo's photos
    with media, made_once(django_db_blocker):
        for module in (orgs, accounts, hazards, inspections, training, plans):
            module.seed()
        yield


@pytest.fixture
def regulator(demo_db, db):
    return User.objects.get(username="regulator")


def test_the_demo_districts_data_driven_indicators_equal_counts_by_hand(regulator):
    year = timezone.localdate().year
    assessment = services.assessment_create(by=regulator, year=year)
    rows = sheets.score_sheet(regulator, assessment)
    assert len(rows) >= 2
    checked = 0
    for row in rows:
        hand = by_hand.indicators(row.organization, year, regulator)
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
    assert checked == len(sheets.METRICS) * len(rows)
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
            by=regulator, assessment=assessment, organization=top, indicator=duty, score=5, evidence=""
        )
    with pytest.raises(DomainError):
        services.manual_score_save(
            by=regulator, assessment=assessment, organization=top, indicator=duty, score=11, evidence="x"
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
            by=regulator, assessment=assessment, organization=top, indicator=duty, score=10, evidence=""
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
    # each institution's sheet as Word: the institution its own, the regulator any
    own = client.get(reverse("oversight:assessment-sheet-docx", args=[assessment.pk, officer.organization_id]))
    text = docx_text(own.content)
    assert officer.organization.name in text and "年度安全生产考核评分表" in text
    other = next(r.organization for r in rows if r.organization != officer.organization)
    assert client.get(reverse("oversight:assessment-sheet-docx", args=[assessment.pk, other.pk])).status_code == 404
    staff = Client()
    staff.force_login(regulator)
    vetoed = docx_text(staff.get(reverse("oversight:assessment-sheet-docx", args=[assessment.pk, top.pk])).content)
    assert top.name in vetoed and "不合格（一票否决）" in vetoed and "发生较大事故" in vetoed


def docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_the_indicator_set_is_editable_within_100_points(regulator):
    services.indicators_ensure_default(by=regulator)
    assert sum(i.weight for i in Indicator.objects.filter(regulator=regulator.organization, is_active=True)) == 100
    with pytest.raises(DomainError):
        services.indicator_save(by=regulator, data={"name": "培训", "kind": "manual", "weight": 5})
    duty = Indicator.objects.get(regulator=regulator.organization, name="安全生产责任制落实")
    services.indicator_save(
        by=regulator,
        indicator=duty,
        data={"name": duty.name, "kind": "manual", "weight": 5, "is_active": True, "sort_order": duty.sort_order},
    )
    training = services.indicator_save(by=regulator, data={"name": "教育培训", "kind": "manual", "weight": 5})
    assert training.weight == 5
    with pytest.raises(DomainError):
        services.indicator_save(by=regulator, data={"name": "x", "kind": "data", "metric": "nope", "weight": 0})
