"""On a phone: the nurse scans a point's QR label, fills the ward fire patrol, fails one item with
a photo, and the hazard appears in the safety officer's ledger."""

import re

import pytest
from playwright.sync_api import expect

from anjian.accounts.demo import DEMO_PASSWORD
from anjian.hazards.choices import HazardSource
from anjian.hazards.models import Hazard
from anjian.inspections.labels import label_path
from anjian.inspections.models import InspectionRecord

pytestmark = pytest.mark.browser


def test_nurse_scans_fails_an_item_with_a_photo_and_the_officer_sees_the_hazard(
    ward, phone_page, page, browser_login, photo_file
):
    point = ward
    # the QR label leads to the login page, then straight to the point's checklist
    phone_page.goto(label_path(point))
    expect(phone_page).to_have_url(re.compile(r"/accounts/login/"))
    browser_login(phone_page, "nurse", DEMO_PASSWORD, next_url=label_path(point))
    expect(phone_page.get_by_role("heading", name="病区防火巡查表")).to_be_visible()
    expect(phone_page.get_by_text("已扫码到场")).to_be_visible()

    # section 1: the first item fails, with a note and a photo; the rest pass
    first = phone_page.get_by_test_id("item").first
    first.get_by_text("不合格", exact=True).click()
    first.get_by_label("情况说明").fill("东侧安全出口堆放纸箱和轮椅")
    first.get_by_label(re.compile("现场照片")).set_input_files(photo_file)
    sections = phone_page.get_by_test_id("section")
    for i in range(sections.count()):
        section = sections.nth(i)
        expect(section).to_be_visible()  # one section per screen
        section.get_by_role("button", name="本部分全部合格").click()
        if i < sections.count() - 1:
            section.get_by_role("button", name="下一步").click()
    phone_page.get_by_role("button", name="提交检查记录").click()

    expect(phone_page.get_by_role("alert")).to_contain_text("已登记为隐患")
    record = InspectionRecord.objects.get()
    assert record.scanned and record.point == point and record.fail_count == 1
    hazard = Hazard.objects.get()
    assert hazard.source == HazardSource.SELF_INSPECTION and hazard.photos.count() == 1
    expect(phone_page.get_by_test_id("hazard-link")).to_contain_text(hazard.number)

    # the safety officer finds it in the ledger
    browser_login(page, "hospital_officer", DEMO_PASSWORD, next_url="/hazards/")
    table = page.get_by_test_id("hazard-table")
    expect(table).to_contain_text(hazard.number)
    expect(table).to_contain_text("安全出口、疏散通道堵塞或锁闭")  # named by the problem
    page.get_by_role("link", name=hazard.number).click()
    expect(page.get_by_text(record.number).first).to_be_visible()
