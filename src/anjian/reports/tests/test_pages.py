"""The pages and files of the forms: the monthly form page, the 16号令 analysis table (figures counted by
hand, the principal's signature line, opened in LibreOffice), the three lists of major hazards, the
topics administrators edit; another institution's table is 404."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from anjian.hazards.choices import HazardLevel, HazardStatus
from anjian.hazards.models import HazardCategory
from anjian.hazards.tests.helpers import report
from anjian.reports.models import StatisticsTopic, TopicCategory
from anjian.reports.tests import records as r
from anjian.reports.tests.office import pdf_text, squeeze

pytestmark = pytest.mark.django_db
YEAR = 2026


def test_monthly_page_shows_the_form_and_links_the_download(client, world):
    w = world
    r.hazard(
        w.hospital_a, found=r.at(dt.date(YEAR, 5, 6)), status=HazardStatus.CLOSED, accepted_at=r.at(dt.date(YEAR, 5, 9))
    )
    r.hazard(w.hospital_a, found=r.at(dt.date(YEAR, 5, 7)))
    client.force_login(w.regulator_a)
    page = client.get(reverse("reports:monthly"), {"month": f"{YEAR}-05", "organization": w.hospital_a.pk})
    body = page.content.decode()
    assert page.status_code == 200
    assert "治安消防安全整治" in body and "当月累计" in body and "50.0%" in body
    download = page.context["download_url"]
    assert download.startswith("/api/v1/reports/monthly-statistics/?") and f"organization={w.hospital_a.pk}" in download
    assert client.get(download).status_code == 200
    other = client.get(reverse("reports:monthly"), {"month": f"{YEAR}-05", "organization": w.hospital_b.pk})
    assert other.status_code == 404
    bad = client.get(reverse("reports:monthly"), {"month": f"{YEAR}-13"})
    assert "月份格式" in bad.content.decode()


def _analysis_rows(response):
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = {}
    for row in ws.iter_rows(min_row=4, values_only=True):
        if row[0] and row[1] is not None:
            rows[row[0]] = row
    return ws, rows


def test_quarterly_analysis_table_counts_by_hand_and_has_the_signature_line(client, world):
    w = world
    hazards = r.random_hazards(
        [w.hospital_a, w.clinic_a], seed=16, n=150, first=dt.date(YEAR, 1, 1), last=dt.date(YEAR, 9, 30)
    )
    client.force_login(w.officer_a)
    response = client.get(reverse("reports:analysis-export"), {"kind": "quarter", "year": YEAR, "quarter": 2})
    assert response.status_code == 200
    ws, rows = _analysis_rows(response)
    assert ws["A1"].value == f"{YEAR}年第二季度事故隐患排查治理情况统计分析表"
    start, end = r.month_bounds(YEAR, 4)[0], r.month_bounds(YEAR, 6)[1]
    g = r.hand_count(hazards, orgs=[w.hospital_a], start=start, end=end, level=HazardLevel.GENERAL)
    m = r.hand_count(hazards, orgs=[w.hospital_a], start=start, end=end, level=HazardLevel.MAJOR)
    total = rows["合计"]
    assert total[1:3] == g and total[4:6] == m
    assert g[0] and total[3] == pytest.approx(round(100 * g[1] / g[0], 1) / 100)  # a percentage cell
    fire = HazardCategory.objects.get(code="fire")
    fire_g = r.hand_count(hazards, orgs=[w.hospital_a], start=start, end=end, level="general", categories={fire.pk})
    assert rows["消防"][1:3] == fire_g, (rows["消防"], fire_g)
    closed_in_quarter = [
        h for h in hazards
        if h.organization_id == w.hospital_a.pk and h.status == HazardStatus.CLOSED and start <= h.accepted_at < end
    ]  # fmt: skip
    assert total[7] == len(closed_in_quarter)

    text = squeeze(pdf_text(response.content, ".xlsx"))
    for expected in (
        "事故隐患排查治理情况统计分析表",
        "甲区人民医院",
        "单位主要负责人（签字）",
        "主要问题及原因分析",
        "合计",
    ):
        assert expected in text, expected

    page = client.get(reverse("reports:analysis"), {"kind": "year", "year": YEAR})
    assert page.status_code == 200 and f"{YEAR}年事故隐患排查治理情况统计分析表" in page.content.decode()
    assert 'data-testid="signature"' in page.content.decode()


def test_analysis_table_is_per_institution_and_scoped(client, world):
    w = world
    client.force_login(w.regulator_a)
    page = client.get(reverse("reports:analysis"), {"kind": "year", "year": YEAR})
    assert "统计分析表按机构填报，请选择一家机构" in page.content.decode()
    ok = client.get(reverse("reports:analysis-export"), {"kind": "year", "year": YEAR, "organization": w.clinic_a.pk})
    assert ok.status_code == 200
    client.force_login(w.officer_a)  # another institution's table, page and file: 404
    for name in ("reports:analysis", "reports:analysis-export"):
        other = client.get(reverse(name), {"kind": "year", "year": YEAR, "organization": w.clinic_a.pk})
        assert other.status_code == 404


def test_three_lists_hold_only_major_hazards_and_open_in_libreoffice(client, world):
    w = world
    major = report(w.officer_a, w.hospital_a, level=HazardLevel.MAJOR, title="液氧储罐安全阀失效", department=w.dept_a)
    report(w.officer_a, w.hospital_a, title="走廊灯不亮")
    report(w.clinic_officer_a, w.clinic_a, level=HazardLevel.MAJOR, title="诊所燃气报警器损坏")
    client.force_login(w.officer_a)
    response = client.get(reverse("reports:major-lists"))
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    wb = load_workbook(io.BytesIO(data), read_only=True)
    assert wb.sheetnames == ["隐患清单", "责任清单", "措施清单"]
    for ws in wb.worksheets:
        values = [row for row in ws.iter_rows(min_row=3, values_only=True)]
        assert [v[1] for v in values] == [major.number]  # not the general one, not the clinic's
    text = squeeze(pdf_text(data, ".xlsx"))
    for expected in ("重大事故隐患隐患清单", "责任清单", "措施清单", "液氧储罐安全阀失效", major.number):
        assert expected in text, expected
    assert "走廊灯不亮" not in text and "诊所燃气报警器损坏" not in text
    staff = client.get(reverse("hazards:hazard-list"))
    assert reverse("reports:major-lists") in staff.content.decode()


def test_topics_map_categories_once_and_the_form_follows(client, world):
    w = world
    r.hazard(w.hospital_a, found=r.at(dt.date(YEAR, 5, 6)), category=HazardCategory.objects.get(code="fire"))
    fire = HazardCategory.objects.get(code="fire")
    gas = HazardCategory.objects.get(code="gas")
    client.force_login(w.officer_a)
    assert client.get(reverse("reports:topic-create")).status_code == 403
    client.force_login(w.regulator_a)
    clash = client.post(
        reverse("reports:topic-create"),
        {"name": "消防专项", "sort_order": 5, "is_active": "on", "categories": [fire.pk]},
    )
    assert clash.status_code == 200 and "已归入其他专题" in clash.content.decode()
    assert not StatisticsTopic.objects.filter(name="消防专项").exists()
    old = StatisticsTopic.objects.get(name="治安消防安全整治")
    keep = list(TopicCategory.objects.filter(topic=old).exclude(category=fire).values_list("category", flat=True))
    response = client.post(
        reverse("reports:topic-edit", args=[old.pk]),
        {"name": old.name, "sort_order": old.sort_order, "is_active": "on", "categories": keep},
    )
    assert response.status_code == 302
    created = client.post(
        reverse("reports:topic-create"),
        {"name": "消防专项", "sort_order": 5, "is_active": "on", "categories": [fire.pk]},
    )
    assert created.status_code == 302, created.context["form"].errors
    assert list(StatisticsTopic.objects.get(name="消防专项").categories.all()) == [fire]
    assert "消防专项" in client.get(reverse("reports:template-list")).content.decode()
    taken = client.post(
        reverse("reports:topic-edit", args=[old.pk]),
        {"name": old.name, "sort_order": old.sort_order, "is_active": "on", "categories": [gas.pk]},
    )
    assert "已归入其他专题" in taken.content.decode()  # gas is 后勤安全整治's
    body = client.get(
        "/api/v1/reports/monthly-statistics/",
        {"month": f"{YEAR}-05", "organization": w.hospital_a.pk, "format": "json"},
    ).json()
    labels = [row["label"] for row in body["rows"]]
    assert labels[0] == "消防专项"  # sort order 5 comes first
    assert body["rows"][0]["hazards_found"] == 1


def test_the_analysis_page_opened_from_the_menu_answers_instead_of_a_server_error(client, world):
    """Opened without a query string it answered 500. The officer sees the last full quarter; the
    regulator, who reports for no institution, is asked to choose one."""
    client.force_login(world.officer_a)
    page = client.get(reverse("reports:analysis"))
    assert page.status_code == 200
    year, quarter = page.context["form"].default_quarter()
    assert page.context["table"].organization == world.hospital_a
    assert (page.context["table"].period.start.year, (page.context["table"].period.start.month + 2) // 3) == (
        year,
        quarter,
    )
    client.force_login(world.regulator_a)
    page = client.get(reverse("reports:analysis"))
    assert page.status_code == 200 and "table" not in page.context
    assert "请选择一家机构" in page.content.decode()
