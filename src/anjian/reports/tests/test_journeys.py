"""In a real browser: the regulator issues a 挂牌督办通知书 from the hazard's page and downloads it as Word;
the hospital's safety officer opens the monthly form on a phone and downloads it as Excel."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from anjian.core.testing.factories import PASSWORD
from anjian.hazards import services as hazard_services
from anjian.hazards.choices import HazardLevel
from anjian.hazards.tests.helpers import report
from anjian.reports.models import Notice

pytestmark = pytest.mark.browser


def test_regulator_issues_a_supervision_notice_and_downloads_it(world, page, browser_login, tmp_path):
    w = world
    hazard = report(w.officer_a, w.hospital_a, level=HazardLevel.MAJOR, title="液氧储罐安全阀失效")
    hazard_services.hazard_supervise(
        hazard=hazard,
        by=w.regulator_a,
        level="district",
        deadline=timezone.localdate() + dt.timedelta(days=20),
        notice_number="甲卫健督〔2026〕5号",
    )
    browser_login(page, w.regulator_a.username, PASSWORD, next_url=f"/hazards/{hazard.pk}/")
    page.get_by_test_id("notice-supervision").click()
    paper = page.get_by_test_id("notice-paper")
    expect(paper).to_contain_text("甲区卫健委文件")
    expect(paper).to_contain_text("液氧储罐安全阀失效")
    page.get_by_test_id("issue").click()
    expect(page.get_by_role("alert")).to_contain_text("已出具重大事故隐患挂牌督办通知书：甲卫健督〔2026〕5号")
    with page.expect_download() as download:
        page.get_by_test_id("download").click()
    assert download.value.suggested_filename.endswith(".docx")
    path = tmp_path / "notice.docx"
    download.value.save_as(path)
    with zipfile.ZipFile(path) as docx:
        assert "word/document.xml" in docx.namelist()
    assert Notice.objects.get().number == "甲卫健督〔2026〕5号"


def test_officer_downloads_the_monthly_form_on_a_phone(world, phone_page, browser_login):
    w = world
    report(w.officer_a, w.hospital_a, title="安全出口堵塞")
    browser_login(phone_page, w.officer_a.username, PASSWORD, next_url="/reports/monthly/")
    expect(phone_page.get_by_test_id("monthly")).to_contain_text("当月累计")
    with phone_page.expect_download() as download:
        phone_page.get_by_test_id("download").click()
    data = open(download.value.path(), "rb").read()  # noqa: SIM115 - a temporary file Playwright removes
    ws = load_workbook(io.BytesIO(data)).active
    assert ws["A2"].value == "填报单位：甲区人民医院"
    month_row = next(r for r in ws.iter_rows(min_row=7) if r[0].value == "当月累计")
    assert month_row[5].value == 1  # 排查隐患总数: the one hazard of this month
