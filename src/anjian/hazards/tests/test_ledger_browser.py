"""The ledger's filter bar in a real browser: results follow each choice (htmx), the filters stay
in place and the department choices follow the institution; on a phone they fold behind a button."""

import io
import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from anjian.core.testing import factories as f
from anjian.core.testing.factories import PASSWORD
from anjian.hazards import services
from anjian.hazards.choices import HazardLevel
from anjian.hazards.tests.helpers import major_plan, report

pytestmark = pytest.mark.browser


def rows(page):
    return page.get_by_test_id("hazard-table").locator("tbody tr")


def test_filters_follow_each_choice_and_stay_in_place(people, page, browser_login):
    w = people
    clinic_dept = f.make_department(organization=w.clinic_a, name="诊所药房")
    report(w.staff_a, w.hospital_a, title="甲院隐患", department=w.dept_a)
    report(w.clinic_officer_a, w.clinic_a, title="诊所隐患", department=clinic_dept)

    browser_login(page, w.regulator_a.username, PASSWORD, next_url="/hazards/")
    expect(rows(page)).to_have_count(2)

    page.get_by_label("机构").select_option(label=w.clinic_a.name)
    expect(rows(page)).to_have_count(1)
    expect(rows(page).first).to_contain_text("诊所隐患")
    # the department filter is still there, now offering the clinic's departments only
    department = page.get_by_label("科室")
    expect(department).to_be_visible()
    expect(department.locator("option")).to_have_text(["全部科室", "诊所药房"])

    department.select_option(label="诊所药房")
    expect(page).to_have_url(re.compile(r"department=\d+"))
    expect(rows(page)).to_have_count(1)
    page.get_by_label("机构").select_option(label="全部机构")
    expect(page).to_have_url(re.compile(r"organization=(&|$)"))  # that request answered and pushed
    expect(rows(page)).to_have_count(2)
    page.get_by_label("逾期").select_option("true")
    expect(page).to_have_url(re.compile(r"overdue=true"))
    expect(rows(page)).to_have_count(1)  # the "nothing matches" row
    expect(rows(page).first).to_contain_text("没有符合条件的隐患")
    expect(page.get_by_label("科室")).to_be_visible()


def test_filters_fold_away_on_a_phone(people, phone_page, browser_login):
    w = people
    report(w.staff_a, w.hospital_a, title="甲院隐患")
    page = phone_page

    browser_login(page, w.officer_a.username, PASSWORD, next_url="/hazards/")
    expect(page.get_by_label("等级")).to_be_hidden()
    page.get_by_test_id("filters-toggle").click()
    page.get_by_label("等级").select_option("major")
    expect(rows(page).first).to_contain_text("没有符合条件的隐患")
    expect(page.get_by_label("等级")).to_be_visible()  # still open while a filter is set


def hazard_numbers(path) -> list[str]:
    """The hazard numbers (YH-…) in every sheet of a downloaded xlsx: one per exported hazard."""
    with open(path, "rb") as handle:  # a download's path has no .xlsx to go by
        workbook = load_workbook(io.BytesIO(handle.read()), read_only=True)
    return [
        cell
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if isinstance(cell, str) and re.fullmatch(r"YH-\d{4}-\d+", cell)
    ]


def test_the_exports_hold_what_the_page_shows_after_live_filtering(people, page, browser_login):
    w = people
    for n in range(4):
        report(w.staff_a, w.hospital_a, title=f"安全出口堵塞{n}")
    for title in ("配电室漏水", "液氧站安全阀失效"):
        services.hazard_confirm(
            hazard=report(w.officer_a, w.hospital_a, level=HazardLevel.MAJOR, title=title),
            by=w.officer_a,
            plan=major_plan(w.officer_a),
        )

    browser_login(page, w.officer_a.username, PASSWORD, next_url="/hazards/")
    expect(rows(page)).to_have_count(6)
    page.get_by_label("搜索").fill("配电室")  # htmx redraws the list as one types
    expect(rows(page)).to_have_count(1)
    expect(rows(page).first).to_contain_text("配电室漏水")

    with page.expect_download() as download:
        page.get_by_test_id("export").click()
    numbers = hazard_numbers(download.value.path())
    assert len(numbers) == 1  # the one row on the screen, not the six of the first load

    with page.expect_download() as download:
        page.get_by_test_id("major-lists").click()
    assert set(hazard_numbers(download.value.path())) == set(numbers)  # 隐患/责任/措施清单 of that one

    page.get_by_label("等级").select_option("general")  # another filter: the links follow again
    expect(rows(page).first).to_contain_text("没有符合条件的隐患")
    page.get_by_label("搜索").fill("")
    expect(rows(page)).to_have_count(4)
    with page.expect_download() as download:
        page.get_by_test_id("export").click()
    assert len(hazard_numbers(download.value.path())) == 4
