"""The ledger's filter bar in a real browser: results follow each choice (htmx), the filters stay
in place and the department choices follow the institution; on a phone they fold behind a button."""

import re

import pytest
from playwright.sync_api import expect

from anjian.core.testing import factories as f
from anjian.core.testing.factories import PASSWORD
from anjian.hazards.tests.helpers import report

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
    expect(rows(page)).to_have_count(2)
    page.get_by_label("逾期").select_option("true")
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
