"""Signing in and out in a real browser (Debian's Chromium), as the demo's hospital safety officer."""

import re

import pytest
from playwright.sync_api import expect

from anjian.accounts import demo as accounts_demo
from anjian.accounts.demo import DEMO_PASSWORD
from anjian.orgs import demo as orgs_demo

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(transactional_db):
    """The demo's organizations and accounts (``make run`` loads these and every app's demo data)."""
    orgs_demo.seed()
    accounts_demo.seed()


def test_hospital_officer_signs_in_and_reaches_the_institution_home(demo, page, browser_login):
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    expect(page.get_by_role("heading", name="登录账号")).to_be_visible()

    browser_login(page, "hospital_officer", DEMO_PASSWORD)

    expect(page).to_have_url(re.compile(r"/$"))
    expect(page).to_have_title("首页 · 安监")
    expect(page.get_by_role("heading", name="本单位安全工作台")).to_be_visible()
    expect(page.locator(".page-pretitle")).to_have_text("安宁区人民医院")
    page.get_by_test_id("user-menu").click()
    expect(page.get_by_test_id("user-identity")).to_have_text(re.compile(r"李安全\s+安全管理员 · 安宁区人民医院"))
    nav = page.locator("#navbar-menu")
    for item in ("首页", "隐患台账", "随手拍"):  # the daily work in the bar
        expect(nav.get_by_role("link", name=item)).to_be_visible()
    expect(nav.get_by_role("link", name="首页")).to_have_attribute("aria-current", "page")
    expect(nav.get_by_role("link", name="人员")).to_be_hidden()
    nav.get_by_test_id("nav-more").click()  # setting up: under 更多
    for item in ("机构", "科室与岗位", "人员", "批量导入"):
        expect(nav.get_by_role("link", name=item)).to_be_visible()
    # The hospital's own numbers: its 16 departments (demo data), not the district's.
    departments_card = page.get_by_test_id("home-institution").locator(".card").filter(has_text="科室")
    expect(departments_card).to_have_text(re.compile(r"^\s*16\s*科室\s*$"))
    # Tabler's stylesheet came from the static files: the layout is Tabler's flex page.
    assert page.evaluate("getComputedStyle(document.querySelector('.page')).display") == "flex"


def test_wrong_password_shows_the_chinese_error_and_keeps_the_user_out(demo, page, browser_login):
    browser_login(page, "hospital_officer", "wrong-password")

    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.get_by_role("alert")).to_contain_text("用户名或密码不正确。")
    expect(page.get_by_label("用户名")).to_have_value("hospital_officer")
    expect(page.get_by_label("密码")).to_have_value("")
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def test_logout_from_the_account_menu(demo, page, browser_login):
    browser_login(page, "hospital_officer", DEMO_PASSWORD)
    expect(page.get_by_role("heading", name="本单位安全工作台")).to_be_visible()

    page.get_by_test_id("user-menu").click()
    page.get_by_role("button", name="退出登录").click()

    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.get_by_role("heading", name="登录账号")).to_be_visible()
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))


def test_phone_shows_the_collapsed_navigation_behind_a_toggle(demo, phone_page, browser_login):
    page = phone_page
    browser_login(page, "hospital_officer", DEMO_PASSWORD)
    expect(page.get_by_role("heading", name="本单位安全工作台")).to_be_visible()
    toggle = page.get_by_role("button", name="菜单")
    ledger = page.locator("#navbar-menu").get_by_role("link", name="隐患台账")
    organizations = page.locator("#navbar-menu").get_by_role("link", name="机构")

    expect(toggle).to_be_visible()
    expect(ledger).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone

    toggle.tap()
    expect(ledger).to_be_visible()
    expect(organizations).to_be_hidden()
    page.get_by_test_id("nav-more").tap()  # 更多 opens in place, in the folded menu
    expect(organizations).to_be_visible()
    organizations.tap()
    expect(page).to_have_url(re.compile(r"/orgs/$"))


def test_every_demo_account_signs_in_through_the_page_and_reaches_its_home(demo, page, browser_login):
    for username, name, *_rest in accounts_demo.ACCOUNTS:
        page.wait_for_load_state("networkidle")  # no late response sets the last one's cookie again
        page.context.clear_cookies()
        browser_login(page, username, DEMO_PASSWORD)

        expect(page).to_have_url(re.compile(r"/$"))
        expect(page).to_have_title("首页 · 安监")
        page.get_by_test_id("user-menu").click()
        expect(page.get_by_test_id("user-identity")).to_contain_text(name)
