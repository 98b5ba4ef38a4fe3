"""The regulator's dashboard for the demo district, in the browser: every chart drawn, a figure on
the page equal to the API's, and its click-through listing that many hazards."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from anjian.accounts.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.calendar]  # calendar: run again on other pinned days

CHARTS_DRAWN = """() => [...document.querySelectorAll('[data-chart]')].map(el => {
  const canvas = el.querySelector('canvas');
  if (!canvas || !canvas.width || !canvas.height) return {id: el.dataset.chart, painted: 0};
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted++;
  return {id: el.dataset.chart, painted};
})"""


def sign_in(page, username):
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_the_regulators_dashboard_draws_every_chart_and_agrees_with_the_api(page):
    call_command("seed_demo", stdout=io.StringIO())
    year = (timezone.localdate() - dt.timedelta(days=60)).year  # a year the demo's history has months of
    sign_in(page, "regulator")

    page.goto(f"/stats/?period=year&year={year}")
    page.wait_for_selector("[data-chart][data-drawn=true]")
    charts = page.evaluate(CHARTS_DRAWN)
    ids = [c["id"] for c in charts]
    assert ids == ["trend", "rate", "level", "clearance", "institutions", "category", "source", "compliance", "tasks"]
    assert all(c["painted"] > 500 for c in charts), charts
    assert "辖区安全生产统计" in page.inner_text("h2.page-title")

    api = page.request.get(f"/api/v1/stats/hazards/?period=year&year={year}").json()
    found = int(page.inner_text("[data-testid=kpi-found] .kpi-value"))
    assert found == api["figures"]["found"] > 0
    assert int(page.inner_text("[data-testid=kpi-open] .kpi-value")) == api["figures"]["open"]

    page.click("[data-testid=kpi-found]")
    page.wait_for_url("**/hazards/?**")
    all_tab = page.locator("[data-testid=status-tabs] .nav-link").first
    assert all_tab.inner_text().split()[-1] == str(found)
    rows = page.locator("[data-testid=hazard-table] tbody tr")
    assert rows.count() == min(found, 25)  # the ledger shows 25 to a page


LABELS_KEPT = """() => [...document.querySelectorAll('[data-chart]')].flatMap(el => {
  const option = echarts.getInstanceByDom(el).getOption();
  return [...(option.xAxis || []), ...(option.yAxis || [])]
    .filter(axis => axis.type === 'category')
    .map(axis => ({id: el.dataset.chart, n: axis.data.length, interval: axis.axisLabel.interval,
                   hideOverlap: axis.axisLabel.hideOverlap, width: axis.axisLabel.width,
                   rotate: axis.axisLabel.rotate || 0}));
})"""


def test_on_a_phone_every_label_is_kept_and_tables_scroll_instead_of_wrapping(phone_page):
    """At 390 px the month axis showed every other month, the 动态清零 bars lost half their names and
    the 挂牌督办 table wrapped a hazard's title one character a line."""
    call_command("seed_demo", stdout=io.StringIO())
    page = phone_page
    sign_in(page, "regulator")
    year = (timezone.localdate() - dt.timedelta(days=60)).year
    page.goto(f"/stats/?period=year&year={year}")
    page.wait_for_selector("[data-chart][data-drawn=true]")
    axes = page.evaluate(LABELS_KEPT)
    vertical = [a for a in axes if a["id"] not in ("institutions", "compliance")]
    assert {a["id"] for a in vertical} >= {"trend", "clearance", "category", "tasks"}
    for axis in vertical:  # no label dropped as "overlapping": wrapped within its share, or turned
        assert axis["interval"] == 0 and axis["hideOverlap"] is False, axis
        assert axis["rotate"] == 45 or axis["width"] <= (390 - 56) / axis["n"], axis
    table = page.locator("[data-testid=supervised] .table-responsive")
    assert table.evaluate("el => el.scrollWidth > el.clientWidth")  # scrolls sideways
    title = page.locator("[data-testid=supervised] tbody tr").first.locator("td").nth(1)
    box, line = title.bounding_box(), title.evaluate("el => parseFloat(getComputedStyle(el).lineHeight)")
    assert title.evaluate("el => el.getBoundingClientRect().width") > 150  # about 12 characters wide
    assert box["height"] < 4 * line + 32, (box, line)  # at most a few lines, padding included
