"""The closed loop in a real browser: a nurse reports from her phone, the safety officer confirms,
the department head rectifies, the safety officer accepts; the regulator closes a major hazard."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from anjian.core.testing.factories import PASSWORD
from anjian.hazards import services
from anjian.hazards.choices import HazardLevel, HazardStatus
from anjian.hazards.models import Hazard
from anjian.hazards.tests.helpers import jpeg, major_plan, report

pytestmark = pytest.mark.browser


@pytest.fixture
def photo_file(tmp_path):
    path = tmp_path / "现场.jpg"
    path.write_bytes(jpeg().read())
    return str(path)


def _logout(page):
    # Wait for the page's last requests first: a response still on its way (a photo) would carry the
    # session cookie again (the session is saved on every request) and sign the user back in.
    page.wait_for_load_state("networkidle")
    page.context.clear_cookies()


def test_general_hazard_from_phone_to_closure(people, phone_page, page, browser_login, photo_file):
    w = people
    nurse, officer, dept_head = w.staff_a, w.officer_a, w.extra["dept_head_a"]

    # the nurse, on her phone: 随手拍
    browser_login(phone_page, nurse.username, PASSWORD, next_url="/hazards/report/")
    expect(phone_page.get_by_role("heading", name="随手拍 · 登记隐患")).to_be_visible()
    phone_page.get_by_label("现场照片").set_input_files(photo_file)
    phone_page.get_by_test_id("categories").get_by_text("消防", exact=True).click()
    phone_page.get_by_label("隐患部位").fill("住院部3楼东侧安全出口")
    phone_page.get_by_label("发现了什么").fill("安全出口被杂物堵塞")
    phone_page.get_by_role("button", name="提交").click()
    expect(phone_page.get_by_role("alert")).to_contain_text("已登记隐患")
    hazard = Hazard.objects.get()
    expect(phone_page.get_by_role("heading", name="安全出口被杂物堵塞")).to_be_visible()
    assert hazard.department == w.dept_a  # her department, preselected
    # the photo is served to her, scoped
    phone_page.locator("[data-testid=photos] img").first.scroll_into_view_if_needed()
    phone_page.wait_for_function(
        "() => { const i = document.querySelector('[data-testid=photos] img');"
        " return i.complete && i.naturalWidth > 0 }"
    )

    # the safety officer confirms with a plan
    browser_login(page, officer.username, PASSWORD, next_url=f"/hazards/{hazard.pk}/")
    page.get_by_role("link", name="确认并制定整改方案").click()
    page.get_by_label("整改责任人").select_option(label=str(dept_head))
    page.get_by_label("整改方法和措施").fill("清理杂物，张贴禁止堆放标识")
    page.get_by_label("整改期限").fill((timezone.localdate() + dt.timedelta(days=3)).isoformat())
    page.get_by_role("button", name="确认并制定整改方案").click()
    expect(page.get_by_test_id("status").first).to_have_text("整改中")
    _logout(page)

    # the department head submits the rectification with a photo after
    browser_login(page, dept_head.username, PASSWORD, next_url=f"/hazards/{hazard.pk}/")
    page.get_by_role("link", name="提交整改结果").click()
    page.get_by_label("整改情况").fill("杂物已清理，通道畅通")
    page.get_by_label("整改后照片").set_input_files(photo_file)
    page.get_by_role("button", name="提交整改结果").click()
    expect(page.get_by_test_id("status").first).to_have_text("待验收")
    expect(page.get_by_test_id("actions").get_by_role("link", name="验收销号")).to_have_count(0)
    _logout(page)

    # the safety officer accepts: closed
    browser_login(page, officer.username, PASSWORD, next_url=f"/hazards/{hazard.pk}/")
    page.get_by_role("link", name="验收销号").click()
    page.get_by_label("意见（选填）").fill("复查合格")
    page.get_by_role("button", name="验收销号").click()
    expect(page.get_by_test_id("status").first).to_have_text("已销号")
    expect(page.get_by_test_id("history")).to_contain_text("验收销号")
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.CLOSED and hazard.accepted_by == officer

    # and it shows under the 已销号 tab of the ledger
    page.goto("/hazards/?status=closed")
    expect(page.get_by_test_id("hazard-table")).to_contain_text(hazard.number)


def test_regulator_closes_a_major_hazard(people, page, browser_login):
    w = people
    h = report(w.officer_a, w.hospital_a, level=HazardLevel.MAJOR, title="液氧储罐安全阀超期未校验")
    h = services.hazard_confirm(hazard=h, by=w.officer_a, plan=major_plan(w.officer_a))
    h = services.hazard_submit(hazard=h, by=w.officer_a, rectification_note="已更换", after_photos=[jpeg()])
    h = services.hazard_endorse(hazard=h, by=w.head_a)

    browser_login(page, w.regulator_a.username, PASSWORD, next_url="/hazards/?status=awaiting_acceptance")
    page.get_by_role("link", name=h.number).click()
    expect(page).to_have_url(re.compile(rf"/hazards/{h.pk}/$"))
    page.get_by_role("link", name="验收销号").click()
    page.get_by_label("意见（选填）").fill("经现场核查，同意销号")
    page.get_by_role("button", name="验收销号").click()
    expect(page.get_by_test_id("status").first).to_have_text("已销号")
    h.refresh_from_db()
    assert h.status == HazardStatus.CLOSED and h.accepted_by == w.regulator_a
