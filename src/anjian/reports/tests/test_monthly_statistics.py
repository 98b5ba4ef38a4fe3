"""The monthly statistics form (seed 004, attachment 2): its figures equal counts made by hand from the
raw records, for a district and for an institution; the xlsx opens in LibreOffice and shows them;
another organization's form is 404."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from anjian.core.testing import factories as f
from anjian.core.testing.isolation import client_for
from anjian.hazards.choices import HazardLevel, HazardStatus
from anjian.hazards.models import Hazard, HazardCategory
from anjian.orgs.choices import RegulatorLevel
from anjian.reports.models import StatisticsTopic, TopicCategory
from anjian.reports.tests import records as r
from anjian.reports.tests.office import pdf_text, squeeze

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]  # calendar: run again on other pinned days

URL = "/api/v1/reports/monthly-statistics/"
YEAR = 2026


@pytest.fixture
def ledger(world):
    w = world
    province = f.make_regulator(name="测试省卫健委", regulator_level=RegulatorLevel.PROVINCE)
    orgs = [w.hospital_a, w.clinic_a, w.hospital_b]
    r.random_hazards(orgs, seed=6, n=240, first=dt.date(YEAR, 1, 1), last=dt.date(YEAR, 7, 31))
    r.supervise(
        [
            r.Supervision(w.regulator_a.organization, w.hospital_a, dt.date(YEAR, 5, 10), "张三 李四",
                          [(HazardLevel.MAJOR, "fire"), (HazardLevel.GENERAL, "fire"), (HazardLevel.MAJOR, "gas")]),
            r.Supervision(w.regulator_a.organization, w.clinic_a, dt.date(YEAR, 5, 20), "张三  李四",
                          [(HazardLevel.GENERAL, "hazardous_chemicals")]),
            r.Supervision(w.city, w.hospital_a, dt.date(YEAR, 5, 15), "王五",
                          [(HazardLevel.MAJOR, "electrical")]),
            r.Supervision(province, w.clinic_a, dt.date(YEAR, 5, 31), "省检查组",
                          [(HazardLevel.MAJOR, "food")]),
            r.Supervision(w.regulator_a.organization, w.hospital_a, dt.date(YEAR, 4, 8), "张三 李四",
                          [(HazardLevel.MAJOR, "fire")]),
            r.Supervision(w.regulator_b.organization, w.hospital_b, dt.date(YEAR, 5, 12), "乙组",
                          [(HazardLevel.MAJOR, "fire")]),
        ]
    )  # fmt: skip
    r.interview(w.regulator_a.organization, w.hospital_a, dt.date(YEAR, 5, 3))
    r.interview(w.regulator_a.organization, w.hospital_a, dt.date(YEAR, 5, 28))
    r.interview(w.regulator_a.organization, w.clinic_a, dt.date(YEAR, 4, 28))
    r.interview(w.regulator_b.organization, w.hospital_b, dt.date(YEAR, 5, 5))
    return w


def _json(user, **params):
    response = client_for(user, api=True).get(URL, {**params, "format": "json"})
    assert response.status_code == 200, response.content
    return response.json()


def _rate(part, whole):
    return round(100.0 * part / whole, 1) if whole else None


def _topics():
    out = []
    for topic in StatisticsTopic.objects.filter(is_active=True):
        cats = set(TopicCategory.objects.filter(topic=topic).values_list("category_id", flat=True))
        out.append((topic.name, cats))
    return out


def _check_hazard_columns(row, hazards, orgs, start, end, categories=None):
    g_found, g_closed = r.hand_count(hazards, orgs=orgs, start=start, end=end, level="general", categories=categories)
    m_found, m_closed = r.hand_count(hazards, orgs=orgs, start=start, end=end, level="major", categories=categories)
    assert (row["general_found"], row["general_rectified"], row["general_rate"]) == (
        g_found,
        g_closed,
        _rate(g_closed, g_found),
    ), row["label"]
    assert (row["major_found"], row["major_rectified"], row["major_rate"]) == (
        m_found,
        m_closed,
        _rate(m_closed, m_found),
    ), row["label"]
    assert row["hazards_found"] == g_found + m_found, row["label"]


def test_district_form_equals_counts_by_hand(ledger):
    w = ledger
    body = _json(w.regulator_a, month=f"{YEAR}-05", organization=w.district_a.pk)
    hazards = list(Hazard.objects.all())
    orgs = [w.hospital_a, w.clinic_a]
    start, end = r.month_bounds(YEAR, 5)
    rows = {row["label"]: row for row in body["rows"]}
    topics = _topics()
    assert [row["label"] for row in body["rows"] if row["kind"] == "topic"] == [name for name, _c in topics]
    assert len(topics) == 5 and topics[3][0] == "治安消防安全整治"
    for name, cats in topics:
        _check_hazard_columns(rows[name], hazards, orgs, start, end, categories=cats)
    month = rows["当月累计"]
    _check_hazard_columns(month, hazards, orgs, start, end)
    _check_hazard_columns(rows["累计总计"], hazards, orgs, r.month_bounds(YEAR, 1)[0], end)
    assert body["cumulative_from"] == f"{YEAR}-01-01" and body["cumulative_to"] == f"{YEAR}-05-31"
    # every mapped category is in one topic, so the topic rows add up to the month's total
    assert sum(rows[name]["hazards_found"] for name, _c in topics) == month["hazards_found"]

    # supervision in May under district_a: 3 visits (district ×2 with one team, city ×1, province ×1 = 4)
    assert month["visits"] == 4
    assert month["teams"] == 3  # "张三 李四" and "张三  李四" are one team; 王五; 省检查组
    assert month["institutions_inspected"] == 2
    assert month["supervision_problems"] == 6
    assert (month["problems_province"], month["problems_city"], month["problems_district"]) == (1, 1, 2)
    assert month["problems_total"] == 4
    assert month["interviews"] == 1  # hospital_a twice in May: one institution
    fire_topic = rows["治安消防安全整治"]
    assert fire_topic["problems_district"] == 1 and fire_topic["supervision_problems"] == 2
    assert fire_topic["visits"] is None and fire_topic["interviews"] is None
    cumulative = rows["累计总计"]
    assert cumulative["visits"] == 5 and cumulative["interviews"] == 1 + 1  # hospital_a, clinic_a
    assert cumulative["problems_district"] == 3


def test_institution_form_fills_only_the_hazard_columns(ledger):
    w = ledger
    body = _json(w.officer_a, month=f"{YEAR}-03")  # default: the user's own institution
    assert body["organization"]["id"] == w.hospital_a.pk
    hazards = list(Hazard.objects.all())
    start, end = r.month_bounds(YEAR, 3)
    rows = {row["label"]: row for row in body["rows"]}
    _check_hazard_columns(rows["当月累计"], hazards, [w.hospital_a], start, end)
    for name, cats in _topics():
        _check_hazard_columns(rows[name], hazards, [w.hospital_a], start, end, categories=cats)
    assert all(row["visits"] is None and row["problems_total"] is None for row in body["rows"])


def test_unmapped_category_gets_its_own_row_and_counts_in_the_total(ledger):
    w = ledger
    TopicCategory.objects.filter(category__code="fire").delete()
    body = _json(w.regulator_a, month=f"{YEAR}-05", organization=w.district_a.pk)
    rows = {row["label"]: row for row in body["rows"]}
    start, end = r.month_bounds(YEAR, 5)
    fire = {HazardCategory.objects.get(code="fire").pk}
    hazards = list(Hazard.objects.all())
    _check_hazard_columns(rows["其他（未归入专题的隐患）"], hazards, [w.hospital_a, w.clinic_a], start, end, fire)
    topics = [row for row in body["rows"] if row["kind"] in ("topic", "unmapped")]
    assert sum(row["hazards_found"] for row in topics) == rows["当月累计"]["hazards_found"]


def test_since_moves_the_cumulative_row(ledger):
    w = ledger
    body = _json(w.regulator_a, month=f"{YEAR}-05", organization=w.district_a.pk, since=f"{YEAR}-04")
    rows = {row["label"]: row for row in body["rows"]}
    start = r.month_bounds(YEAR, 4)[0]
    end = r.month_bounds(YEAR, 5)[1]
    _check_hazard_columns(rows["累计总计"], list(Hazard.objects.all()), [w.hospital_a, w.clinic_a], start, end)


def test_xlsx_has_the_two_level_header_and_opens_in_libreoffice(ledger):
    w = ledger
    response = client_for(w.regulator_a, api=True).get(URL, {"month": f"{YEAR}-05", "organization": w.district_a.pk})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    body = _json(w.regulator_a, month=f"{YEAR}-05", organization=w.district_a.pk)
    month = next(row for row in body["rows"] if row["kind"] == "month")

    ws = load_workbook(io.BytesIO(response.content)).active
    merged = {str(m) for m in ws.merged_cells.ranges}
    assert {"A3:A6", "B3:E3", "F3:L3", "G4:I4", "J4:L4", "M3:P3", "Q3:Q5"} <= merged
    labels = [ws.cell(row=i, column=1).value for i in range(7, ws.max_row + 1)]
    month_row = 7 + labels.index("当月累计")
    assert ws.cell(row=month_row, column=6).value == month["hazards_found"]
    rate = ws.cell(row=month_row, column=9)
    assert rate.number_format == "0.0%" and rate.value == pytest.approx(month["general_rate"] / 100)

    text = squeeze(pdf_text(response.content, ".xlsx"))
    for expected in (
        "安全生产专项整治三年行动工作进展情况",
        "甲区卫健委",
        "当月累计",
        "累计总计",
        "排查隐患总数",
        "约谈警示",
    ):
        assert expected in text, expected
    assert f"{month['general_rate']:.1f}%" in text
    assert "学习宣传贯彻习近平总书记关于安全生产重要论述专题" in text


@pytest.mark.parametrize(
    ("who", "target"),
    [
        ("officer_a", "hospital_b"),
        ("officer_a", "clinic_a"),
        ("clinic_officer_a", "hospital_a"),
        ("regulator_a", "hospital_b"),
        ("regulator_a", "district_b"),
    ],
)
def test_another_organizations_form_is_404(ledger, who, target):
    user, org = getattr(ledger, who), getattr(ledger, target)
    for fmt in ("json", "xlsx"):
        response = client_for(user, api=True).get(URL, {"month": f"{YEAR}-05", "organization": org.pk, "format": fmt})
        assert response.status_code == 404, (fmt, response.content[:200])


def test_staff_may_not_and_bad_month_is_a_chinese_400(ledger):
    w = ledger
    assert client_for(w.staff_a, api=True).get(URL, {"format": "json"}).status_code == 403
    response = client_for(w.regulator_a, api=True).get(URL, {"month": "2026-13", "format": "json"})
    assert response.status_code == 400
    assert "月份格式" in response.json()["detail"]
    late = client_for(w.regulator_a, api=True).get(URL, {"month": "2026-03", "since": "2026-05", "format": "json"})
    assert late.status_code == 400 and "累计起始月份" in late.json()["detail"]


def test_closed_after_the_month_and_dismissed(world):
    """A hazard found in May and closed in June counts as found but not rectified in May's form."""
    w = world
    may = r.at(dt.date(YEAR, 5, 6))
    r.hazard(w.hospital_a, found=may, status=HazardStatus.CLOSED, accepted_at=r.at(dt.date(YEAR, 6, 2)))
    r.hazard(w.hospital_a, found=may, status=HazardStatus.CLOSED, accepted_at=r.at(dt.date(YEAR, 5, 30)))
    r.hazard(w.hospital_a, found=may, status=HazardStatus.DISMISSED)
    body = _json(w.officer_a, month=f"{YEAR}-05")
    month = next(row for row in body["rows"] if row["kind"] == "month")
    assert (month["general_found"], month["general_rectified"], month["general_rate"]) == (2, 1, 50.0)
    june = next(row for row in _json(w.officer_a, month=f"{YEAR}-06")["rows"] if row["kind"] == "cumulative")
    assert (june["general_found"], june["general_rectified"]) == (2, 2)
