"""In the browser: presence is proved by scanning the current QR label (a reprinted label voids the
old one); the label sheet's 打印 button prints (no inline handler for the CSP to block); a refused
checklist keeps its answers and photos, shows every problem at once and scrolls to the first."""

import re

import pytest
from playwright.sync_api import expect

from anjian.accounts.demo import DEMO_PASSWORD
from anjian.inspections import labels
from anjian.inspections.models import InspectionPoint, InspectionRecord, ResultPhoto
from anjian.inspections.tests.helpers import starter

pytestmark = pytest.mark.browser

CSP_BLOCKED = re.compile(r"Content Security Policy|Refused to execute", re.IGNORECASE)


def _csp_errors(page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if CSP_BLOCKED.search(m.text) else None)
    return errors


def _pass_every_section(page, *, submit: bool = True) -> None:
    sections = page.get_by_test_id("section")
    for i in range(sections.count()):
        section = sections.nth(i)
        expect(section).to_be_visible()
        section.get_by_role("button", name="本部分全部合格").click()
        if i < sections.count() - 1:
            section.get_by_role("button", name="下一步").click()
    if submit:
        page.get_by_role("button", name="提交检查记录").click()


def test_the_label_sheet_prints_when_print_is_clicked(ward, page, browser_login):
    page.add_init_script("window.__printed = 0; window.print = function () { window.__printed += 1; };")
    blocked = _csp_errors(page)
    browser_login(page, "hospital_officer", DEMO_PASSWORD, next_url="/inspections/points/")
    page.get_by_test_id("labels").click()
    expect(page.get_by_test_id("qr-label")).to_have_count(1)
    expect(page.get_by_test_id("qr-label")).to_contain_text("标签第 1 版")

    page.get_by_role("button", name="打印").click()

    page.wait_for_function("window.__printed === 1")
    assert page.evaluate("window.__printed") == 1
    assert blocked == []


def test_scanning_the_label_marks_presence_and_a_reprint_voids_the_old_label(ward, phone_page, page, browser_login):
    point = ward
    old_label = labels.label_path(point)

    # the officer reissues the point's label (confirming), and is shown the new one to print
    browser_login(page, "hospital_officer", DEMO_PASSWORD, next_url="/inspections/points/")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("reissue-label").click()
    expect(page.get_by_role("alert").first).to_contain_text("已重新生成")
    expect(page.get_by_test_id("qr-label")).to_contain_text("标签第 2 版")
    point = InspectionPoint.objects.get(pk=point.pk)
    assert point.label_version == 2

    # the old label still opens the checklist, but proves nothing and says so
    phone_page.goto(old_label)
    browser_login(phone_page, "nurse", DEMO_PASSWORD, next_url=old_label)
    expect(phone_page.get_by_role("heading", name="病区防火巡查表")).to_be_visible()
    expect(phone_page.get_by_test_id("scan-warning")).to_contain_text("已作废")
    expect(phone_page.get_by_test_id("scanned")).to_have_count(0)

    # the new label: 已扫码到场, and the record keeps it
    phone_page.goto(labels.label_path(point))
    expect(phone_page.get_by_test_id("scanned")).to_have_text("已扫码到场")
    expect(phone_page.get_by_test_id("scan-warning")).to_have_count(0)
    _pass_every_section(phone_page)
    expect(phone_page.get_by_role("alert")).to_contain_text("已提交检查记录")
    assert InspectionRecord.objects.get().scanned is True


def test_a_refused_checklist_keeps_its_photos_and_shows_every_problem_at_once(
    ward, phone_page, browser_login, photo_file
):
    point = ward
    items = list(starter().items.order_by("section__order", "order"))
    first, second = items[0], items[1]  # both in the first section, both need a photo when failed
    last = items[-1]  # in the last section
    assert first.photo_required_on_fail and second.photo_required_on_fail
    browser_login(phone_page, "nurse", DEMO_PASSWORD, next_url=labels.label_path(point))

    # the first item fails properly (note and photo); the second fails with neither; the last fails
    # without a note
    one = phone_page.locator(f"#item-{first.pk}")
    one.get_by_text("不合格", exact=True).click()
    one.get_by_label("情况说明").fill("东侧安全出口堆放纸箱和轮椅")
    one.get_by_label(re.compile("现场照片")).set_input_files(photo_file)
    two = phone_page.locator(f"#item-{second.pk}")
    two.get_by_text("不合格", exact=True).click()
    _pass_every_section(phone_page, submit=False)
    phone_page.locator(f"#item-{last.pk}").get_by_text("不合格", exact=True).click()
    phone_page.get_by_role("button", name="提交检查记录").click()

    # every problem at once; the page stays: the first section opens on the first item in error
    summary = phone_page.get_by_test_id("form-errors")
    expect(summary).to_contain_text("共 3 处需要补充或改正")
    expect(summary.locator("li")).to_have_count(3)
    expect(two).to_be_in_viewport()
    expect(two.get_by_test_id("item-error")).to_contain_text("请说明发现的问题")
    expect(two.get_by_test_id("item-error")).to_contain_text("须拍摄现场照片")
    expect(phone_page.locator(f"#item-{last.pk}").get_by_test_id("item-error")).to_contain_text("请说明发现的问题")
    # the photo chosen for the first item is still there, and the note
    assert one.get_by_label(re.compile("现场照片")).evaluate("input => input.files.length") == 1
    expect(one.get_by_label("情况说明")).to_have_value("东侧安全出口堆放纸箱和轮椅")
    assert InspectionRecord.objects.count() == 0

    # put right: the second passes after all (its mark goes), the last one gets its note
    two.get_by_text("合格", exact=True).click()
    expect(two.get_by_test_id("item-error")).to_be_hidden()
    sections = phone_page.get_by_test_id("section")
    for i in range(sections.count() - 1):
        sections.nth(i).get_by_role("button", name="下一步").click()
    phone_page.locator(f"#item-{last.pk}").get_by_label("情况说明").fill("值班护士不清楚报警电话")
    phone_page.get_by_role("button", name="提交检查记录").click()

    expect(phone_page.get_by_role("alert")).to_contain_text("不合格项已登记为隐患")
    record = InspectionRecord.objects.get()
    assert record.fail_count == 2 and record.scanned
    # the photo chosen before the refusal was sent with the second submission
    assert ResultPhoto.objects.filter(result__record=record, result__item=first).count() == 1
