"""In the browser: the safety officer plans a drill on a 390 px phone, sees it as upcoming, then
records it (timeline, evaluation, a photo, two findings that go into the hazard ledger); and on a
desktop imports the fire-control room roster, whose preview names the bad cell before a clean
file is confirmed."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone
from openpyxl import Workbook
from PIL import Image
from playwright.sync_api import expect

from anjian.accounts import demo as accounts_demo
from anjian.accounts.demo import DEMO_PASSWORD
from anjian.accounts.models import User
from anjian.hazards.choices import HazardSource
from anjian.orgs import demo as orgs_demo
from anjian.training.choices import DrillStatus
from anjian.training.models import Drill, DutyShift

pytestmark = pytest.mark.browser
SLOW_MS = 60_000  # the writes behind one click, on a machine shared with other test runs


@pytest.fixture
def hospital(transactional_db):
    orgs_demo.seed()
    accounts_demo.seed()
    return {u.username: u for u in User.objects.filter(username__in=["hospital_officer", "nurse", "dept_head"])}


def _fits(page) -> None:
    """Nothing wider than the phone, measured once the page has loaded: measured before its
    stylesheet applies (a loaded machine), the sign-in link's long URL does not wrap yet."""
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def _jpeg() -> dict:
    out = io.BytesIO()
    Image.new("RGB", (320, 240), (200, 80, 60)).save(out, format="JPEG")
    return {"name": "疏散现场.jpg", "mimeType": "image/jpeg", "buffer": out.getvalue()}


def test_officer_plans_a_drill_then_records_it_on_a_phone(hospital, phone_page, browser_login):
    page, nurse = phone_page, hospital["nurse"]
    today = timezone.localdate().isoformat()
    browser_login(page, "hospital_officer", DEMO_PASSWORD, next_url="/training/drills/")
    page.get_by_test_id("drill-plan").click()
    form = page.get_by_test_id("form")
    form.get_by_label("演练名称").fill("心内科病区夜间疏散演练")
    form.get_by_label("计划演练日期").fill(today)
    form.get_by_label("演练情景").fill("配餐间电器起火，夜班护士报警并组织疏散")
    form.get_by_label("计划参演人员").select_option(label=[f"{nurse.name}（{nurse.username}）"])
    _fits(page)
    form.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("planned-notice")).to_be_visible()
    expect(page.get_by_test_id("planned-participants")).to_have_text(nurse.name)
    drill = Drill.objects.get(title="心内科病区夜间疏散演练")
    assert drill.status == DrillStatus.PLANNED
    _fits(page)

    page.goto("/training/drills/")
    expect(page.get_by_test_id("upcoming-drill")).to_contain_text("心内科病区夜间疏散演练")
    page.get_by_test_id("upcoming-drill").click()
    page.get_by_test_id("drill-record").click()
    form = page.get_by_test_id("form")
    expect(form.get_by_label("实际演练日期")).to_have_value(today)
    form.get_by_label("演练过程").fill("22:00 报警；22:02 广播；22:10 疏散完毕")
    form.get_by_label("演练评估").fill("疏散有序，广播偏弱")
    form.get_by_label("现场照片（可多选）").set_input_files([_jpeg()])
    form.get_by_label("发现的问题（每行一条，登记为隐患，来源“应急演练”）").fill(
        "东侧疏散通道堆放杂物\n病区消防广播音量不足"
    )
    _fits(page)
    with page.expect_navigation(timeout=SLOW_MS):  # a photo re-encoded, two hazards reported
        form.get_by_role("button", name="保存").click()

    expect(page.get_by_test_id("drill-status")).to_have_text("已开展")
    expect(page.get_by_test_id("evaluation")).to_have_text("疏散有序，广播偏弱")
    expect(page.get_by_test_id("drill-findings").locator("a")).to_have_count(2)
    expect(page.get_by_test_id("drill-photos").locator("img")).to_have_count(1)
    expect(page.get_by_test_id("participants")).to_contain_text(nurse.name)
    _fits(page)
    drill.refresh_from_db()
    assert drill.status == DrillStatus.DONE
    assert {f.hazard.source for f in drill.findings.select_related("hazard")} == {HazardSource.DRILL}


def _roster(rows) -> dict:
    wb = Workbook()
    ws = wb.active
    ws.title = "值班表"
    ws.append(["日期*", "班次*", "开始时间*", "结束时间*", "值班人员*"])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return {
        "name": "消控室值班表.xlsx",
        "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "buffer": out.getvalue(),
    }


def test_officer_imports_the_roster_after_a_preview_that_names_the_bad_cell(hospital, page, browser_login):
    officer, nurse = hospital["hospital_officer"], hospital["nurse"]
    today = timezone.localdate().isoformat()
    people = f"{officer.name}、{nurse.name}"
    browser_login(page, "hospital_officer", DEMO_PASSWORD, next_url="/training/roster/")
    page.get_by_test_id("roster-import").click()
    expect(page.get_by_test_id("roster-template")).to_be_visible()

    page.locator("input[name=file]").set_input_files(
        _roster([[today, "白班", "08:00", "20:00", people], [today, "夜班", "20点半", "08:00", nurse.name]])
    )
    page.get_by_test_id("preview").click()
    expect(page.get_by_test_id("import-problems")).to_contain_text("第 3 行“开始时间”：应为时间，如 08:00。")
    expect(page.get_by_test_id("preview-row")).to_have_count(2)
    expect(page.get_by_test_id("confirm-import")).to_have_count(0)
    assert not DutyShift.objects.exists()

    page.locator("input[name=file]").set_input_files(
        _roster([[today, "白班", "08:00", "20:00", people], [today, "夜班", "20:30", "08:00", nurse.name]])
    )
    page.get_by_test_id("preview").click()
    expect(page.get_by_test_id("import-problems")).to_have_count(0)
    expect(page.get_by_test_id("preview-row").first).to_contain_text("持证 0 人 / 应 2 人")
    with page.expect_navigation(timeout=SLOW_MS):
        page.get_by_test_id("confirm-import").click()

    expect(page.get_by_text("已导入 2 个值班班次。")).to_be_visible()
    expect(page.get_by_test_id("shift")).to_have_count(2)
    expect(page.get_by_test_id("uncovered")).to_have_count(2)  # nobody certified yet: both shifts short
    assert sorted(DutyShift.objects.values_list("name", flat=True)) == ["夜班", "白班"]
