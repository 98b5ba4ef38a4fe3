"""In the browser: the safety officer marks a chemicals storage place on a floor plan of the
four-colour map by clicking the spot (the page's script fills the two percentages), and the place's
page and the institution's 一张图 show the marker there."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from anjian.accounts import demo as accounts_demo
from anjian.accounts.demo import DEMO_PASSWORD
from anjian.accounts.models import User
from anjian.orgs import demo as orgs_demo
from anjian.registers import services
from anjian.registers.tests.helpers import floor_plan

pytestmark = pytest.mark.browser


@pytest.fixture
def place(transactional_db):
    orgs_demo.seed()
    accounts_demo.seed()
    officer = User.objects.get(username="hospital_officer")
    floor_plan(officer, building="门诊楼", floor="2F", size=(800, 400))
    return services.storage_place_create(by=officer, data={"name": "检验科试剂库", "keepers": "赵检验、钱检验"})


def test_the_officer_marks_a_storage_place_by_clicking_the_plan(place, page, browser_login):
    browser_login(page, "hospital_officer", DEMO_PASSWORD, next_url=place.get_absolute_url())
    expect(page.get_by_test_id("no-plan")).to_be_visible()
    page.get_by_test_id("locate").click()
    page.wait_for_load_state("load")  # the page's script (the plan chooser) has run
    with page.expect_navigation():  # choosing a plan shows it (its script ready once loaded)
        page.get_by_label("楼层平面图").select_option(label="门诊楼 2F")
    plan = page.locator("[data-locate-svg]")
    expect(plan).to_be_visible()
    box = plan.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.25, box["y"] + box["height"] * 0.5)
    x = float(page.get_by_label("横向位置（%，自左边起）").input_value())
    y = float(page.get_by_label("纵向位置（%，自上边起）").input_value())
    assert abs(x - 25) < 1 and abs(y - 50) < 1
    expect(page.locator("[data-spot-marker]")).to_have_attribute("visibility", "visible")
    page.get_by_role("button", name="保存位置").click()

    expect(page.get_by_text("已更新“检验科试剂库”在平面图上的位置。")).to_be_visible()
    expect(page.get_by_test_id("plan-name")).to_have_text("门诊楼 2F")
    expect(page.get_by_test_id(f"marker-{place.pk}")).to_be_visible()
    place.refresh_from_db()
    assert abs(float(place.plan_x) - 0.25) < 0.01 and abs(float(place.plan_y) - 0.5) < 0.01
    page.get_by_role("link", name="一张图").click()
    expect(page.get_by_test_id("map-plan")).to_contain_text("检验科试剂库")
    expect(page.get_by_test_id(f"marker-{place.pk}")).to_be_visible()
