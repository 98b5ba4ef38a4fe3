"""In the browser, the journey of a hot-work permit as the people of the demo hospital take it: the
nurse fills in and submits a permit for her ward on a desktop; the head of her department, named
guardian, approves on his phone from the permit's QR address; the safety officer approves on a
desktop; on site the guardian records a gas test, confirms each safety measure and starts the work,
then closes it with a photo of the site; the officer prints the permit, one A4 page."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import expect

from anjian.accounts import demo as accounts_demo
from anjian.accounts.demo import DEMO_PASSWORD
from anjian.accounts.models import User
from anjian.contractors.models import PermitPhoto, WorkPermit
from anjian.orgs import demo as orgs_demo

pytestmark = pytest.mark.browser


@pytest.fixture
def hospital(transactional_db):
    orgs_demo.seed()
    accounts_demo.seed()


def _site_photo() -> dict:
    out = io.BytesIO()
    Image.new("RGB", (320, 240), (150, 140, 120)).save(out, format="JPEG")
    return {"name": "现场.jpg", "mimeType": "image/jpeg", "buffer": out.getvalue()}


def _act(page, action: str) -> None:
    """Open an action from the permit's page and confirm it on its own page."""
    page.get_by_test_id("permit-actions").get_by_role("link", name=action, exact=True).click()
    page.get_by_test_id("form").get_by_role("button", name=action, exact=True).click()
    expect(page.get_by_text(f"{action}：已完成。")).to_be_visible()


def _pdf_pages(pdf: bytes) -> int:
    """How many pages Chromium printed (poppler's pdfinfo), each A4."""
    pdfinfo = shutil.which("pdfinfo")
    if pdfinfo is None:
        pytest.fail("pdfinfo is missing: apt-get install poppler-utils", pytrace=False)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "permit.pdf"
        path.write_bytes(pdf)
        info = subprocess.run(  # noqa: S603 - a fixed binary on our own temporary file
            [pdfinfo, str(path)], capture_output=True, text=True, timeout=60, check=True
        ).stdout
    assert "(A4)" in info, info
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def test_a_hot_work_permit_from_application_to_close_out(hospital, page, phone_page, browser_login):
    head = User.objects.get(username="dept_head")

    # the nurse fills in the permit and submits it
    browser_login(page, "nurse", DEMO_PASSWORD, next_url="/contractors/permits/new/")
    form = page.get_by_test_id("form")
    form.get_by_label("作业类别").select_option(label="一级动火作业")
    form.get_by_label("所在科室").select_option(label="心内科")
    form.get_by_label("作业地点").fill("住院楼5F 心内科病区配餐间")
    form.get_by_label("作业内容").fill("焊接更换配餐间热水管道支架")
    form.get_by_label("监护人").select_option(value=str(head.pk))
    form.get_by_label("危害辨识").fill("火灾、灼烫")
    form.get_by_label("安全措施").fill("清除周围可燃物，配备灭火器两具，专人监护")
    form.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("permit-status")).to_contain_text("草稿")
    expect(page.get_by_test_id("missing")).to_contain_text("作业票尚未提交审批")
    permit = WorkPermit.objects.get(location="住院楼5F 心内科病区配餐间")
    path = permit.get_absolute_url()
    _act(page, "提交审批")
    expect(page.get_by_test_id("permit-status")).to_contain_text("所在科室负责人审核")
    expect(page.get_by_test_id("permit-actions").get_by_role("link", name="开始作业")).to_have_count(0)

    # the department head approves on his phone, from the address the permit's QR code holds
    phone_page.goto(path)
    browser_login(phone_page, "dept_head", DEMO_PASSWORD, next_url=path)
    expect(phone_page.get_by_test_id("missing")).to_contain_text("安全管理部门审批")
    phone_page.get_by_test_id("permit-actions").get_by_role("link", name="审批同意").click()
    phone_page.get_by_label("审批意见（选填）").fill("同意，动火期间科室派人值守")
    phone_page.get_by_test_id("form").get_by_role("button", name="审批同意").click()
    expect(phone_page.get_by_test_id("permit-status")).to_contain_text("安全管理部门审批")
    expect(phone_page.get_by_test_id("approvals")).to_contain_text("陈主任")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390

    # the safety officer approves on a desktop
    page.context.clear_cookies()
    browser_login(page, "hospital_officer", DEMO_PASSWORD, next_url=path)
    _act(page, "审批同意")
    expect(page.get_by_test_id("permit-status")).to_contain_text("已批准待作业")
    expect(page.get_by_test_id("missing")).to_contain_text("须在作业前 30 分钟内进行气体分析")

    # on site the guardian records the gas test, confirms every measure and starts the work
    phone_page.reload()
    phone_page.get_by_test_id("permit-actions").get_by_role("link", name="登记气体分析").click()
    gas = phone_page.get_by_test_id("form")
    gas.get_by_label("氧含量（%）").fill("20.9")
    gas.get_by_label("可燃气体（%LEL）").fill("0")
    gas.get_by_label("有毒有害气体及读数").fill("CO 0 ppm")
    gas.get_by_label("分析人").fill("刘检测")
    gas.get_by_role("button", name="登记气体分析").click()
    expect(phone_page.get_by_test_id("gas-tests")).to_contain_text("合格")
    expect(phone_page.get_by_test_id("ready")).to_be_visible()
    phone_page.get_by_test_id("permit-actions").get_by_role("link", name="开始作业").click()
    start = phone_page.get_by_test_id("form")
    boxes = start.get_by_role("checkbox")
    assert boxes.count() == len(permit.kind.checks) > 0
    for i in range(boxes.count()):
        boxes.nth(i).check()
    start.get_by_role("button", name="开始作业").click()
    expect(phone_page.get_by_test_id("permit-status")).to_contain_text("作业中")

    # the work done, the guardian closes it with a photo of the site
    phone_page.get_by_test_id("permit-actions").get_by_role("link", name="完工验收").click()
    close = phone_page.get_by_test_id("form")
    close.locator("input[type=file]").set_input_files(_site_photo())
    close.get_by_role("button", name="完工验收").click()
    expect(phone_page.get_by_test_id("permit-status")).to_contain_text("已关闭")
    expect(phone_page.get_by_test_id("permit-actions")).to_have_count(0)

    permit.refresh_from_db()
    steps = {a.step: a.decided_by.username for a in permit.approvals.all()}
    assert steps == {"department": "dept_head", "safety_office": "hospital_officer"}
    assert permit.started_by == head and permit.closed_by == head and PermitPhoto.objects.filter(permit=permit).exists()

    # the officer prints the permit: the paper 作业票, one A4 page
    page.reload()
    page.get_by_test_id("print-link").click()
    sheet = page.get_by_test_id("permit-sheet")
    expect(sheet.get_by_test_id("sheet-title")).to_have_text("一级动火作业安全作业票")
    expect(sheet.get_by_test_id("sheet-approvals")).to_contain_text("同意，动火期间科室派人值守")
    expect(sheet.get_by_test_id("sheet-approvals")).to_contain_text("李安全")
    expect(sheet.get_by_test_id("sheet-gas")).to_contain_text("刘检测")
    expect(sheet.get_by_test_id("sheet-close")).to_contain_text("验收人：陈主任")
    page.emulate_media(media="print")
    assert _pdf_pages(page.pdf(prefer_css_page_size=True)) == 1
