"""In the browser. On a phone: the nurse opens her post's cards from the QR code's URL, reads the
four parts and acknowledges them. On a desktop: the safety officer draws an area on the floor
plan and links it to a risk point; the area takes the point's colour."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from anjian.accounts import demo as accounts_demo
from anjian.accounts.demo import DEMO_PASSWORD
from anjian.accounts.models import User
from anjian.core.models import AuditEvent
from anjian.orgs import demo as orgs_demo
from anjian.risks import demo
from anjian.risks.models import CardAcknowledgement, FloorPlan, MapArea, PostCard

pytestmark = pytest.mark.browser


@pytest.fixture
def hospital(transactional_db):
    orgs_demo.seed()
    accounts_demo.seed()
    demo.seed()


def test_nurse_opens_the_post_card_from_its_qr_url_and_acknowledges_it(hospital, phone_page, browser_login):
    nurse = User.objects.get(username="nurse")
    card = PostCard.objects.get(post=nurse.post)
    url = reverse("risks:card-scan", args=[card.code])
    phone_page.goto(url)
    expect(phone_page).to_have_url(re.compile(r"/accounts/login/"))
    browser_login(phone_page, "nurse", DEMO_PASSWORD, next_url=url)

    expect(phone_page.get_by_role("heading", name=re.compile("病区护士 · 两单两卡"))).to_be_visible()
    risks = phone_page.get_by_test_id("risk-list")
    expect(risks.get_by_text("夜间火灾疏散困难")).to_be_visible()
    expect(risks.get_by_text("夜间至少两次防火巡查，疏散通道和安全出口保持畅通")).to_be_visible()
    expect(phone_page.get_by_test_id("duty-list")).to_contain_text("一岗双责")
    expect(phone_page.get_by_test_id("operation-card")).to_contain_text("使用氧气时远离明火")
    emergency = phone_page.get_by_test_id("emergency-card")
    expect(emergency).to_contain_text("火灾")
    expect(emergency).to_contain_text("消防控制室 8119")
    # the page fits the phone: nothing wider than the screen
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390

    button = phone_page.get_by_test_id("acknowledge")
    button.scroll_into_view_if_needed()
    button.click()
    expect(phone_page.get_by_text("已确认学习本岗位两单两卡（第1版）")).to_be_visible()
    expect(phone_page.get_by_test_id("acknowledged")).to_be_visible()
    assert CardAcknowledgement.objects.filter(card=card, user=nurse, version=1).count() == 1
    assert AuditEvent.objects.filter(verb="post_card.acknowledged", actor=nurse).count() == 1


def test_officer_draws_an_area_linked_to_a_risk_point(hospital, page, browser_login):
    plan = FloorPlan.objects.get()
    browser_login(page, "hospital_officer", DEMO_PASSWORD, next_url=plan.get_absolute_url())
    plan_box = page.get_by_test_id("plan")
    expect(plan_box.locator("img")).to_be_visible()
    page.wait_for_function("document.querySelector('[data-testid=plan] img').complete")
    box = plan_box.bounding_box()
    for fx, fy in ((0.1, 0.39), (0.5, 0.39), (0.5, 0.46), (0.1, 0.46)):  # the corridor: no area yet
        page.mouse.click(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy)
    expect(page.locator("[data-point-count]")).to_have_text("4")
    form = page.get_by_test_id("area-form")
    form.get_by_label("区域名称").fill("职工食堂操作间")
    form.get_by_label("关联风险点").select_option(label="职工食堂燃气")
    form.get_by_role("button", name="保存区域").click()
    expect(page.get_by_text("已保存区域“职工食堂操作间”")).to_be_visible()
    area = MapArea.objects.get(name="职工食堂操作间")
    assert len(area.points) == 4 and 0.05 < area.points[0][0] < 0.15 and 0.35 < area.points[0][1] < 0.43
    expect(page.locator('polygon[data-level="major"]').first).to_be_attached()
    page.get_by_test_id("areas").get_by_text("职工食堂操作间").click()
    expect(page.get_by_test_id("notice-level")).to_have_text("重大风险")
    expect(page.get_by_test_id("notice")).to_contain_text("燃气泄漏爆炸")


def test_post_cards_print_as_a5_pages(hospital, page, browser_login, tmp_path):
    import shutil
    import subprocess

    card = PostCard.objects.get(post__name="病区护士", post__department__name="心内科")
    browser_login(page, "hospital_officer", DEMO_PASSWORD, next_url=card.get_absolute_url())
    expect(page.get_by_test_id("card-qr").locator("svg")).to_be_visible()
    pdf = tmp_path / "card.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    pdfinfo, pdftotext = shutil.which("pdfinfo"), shutil.which("pdftotext")
    assert pdfinfo and pdftotext, "poppler-utils is missing (.ci/run installs it)"
    info = subprocess.run(  # noqa: S603 - a fixed binary on our own temporary file
        [pdfinfo, str(pdf)], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert size and abs(float(size[1]) - 419.5) < 2 and abs(float(size[2]) - 595.3) < 2  # A5, portrait
    pages = int(re.search(r"Pages:\s+(\d+)", info)[1])
    assert pages >= 5  # the risk list, the duty list, the operation card, the emergency card, the QR code
    text = subprocess.run(  # noqa: S603 - a fixed binary on our own temporary file
        [pdftotext, str(pdf), "-"], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    for part in ("岗位风险清单", "岗位职责清单", "岗位操作卡", "岗位应急处置卡"):
        assert part in text
    assert "修改" not in text and "打印A5卡片" not in text  # the buttons stay off paper


def test_officer_rates_a_risk_and_sees_its_colour_as_values_are_chosen(hospital, page, browser_login):
    from anjian.risks.models import Risk, RiskPoint

    point = RiskPoint.objects.get(name="门诊电梯")
    url = reverse("risks:risk-create", args=[point.pk])
    browser_login(page, "hospital_officer", DEMO_PASSWORD, next_url=url)
    page.get_by_label("危险源/风险名称").fill("自动扶梯夹伤")
    page.get_by_label("可能导致的事故类型").select_option(label="机械伤害")
    expect(page.get_by_label("S 事故后果严重性")).to_be_hidden()  # LEC is chosen: the LS values are hidden
    lec = page.get_by_role("group", name="LEC 法取值（D = L × E × C）")
    lec.get_by_label("L 事故发生的可能性").select_option("3")
    lec.get_by_label("E 暴露于危险环境的频繁程度").select_option("6")
    lec.get_by_label("C 发生事故可能造成的后果").select_option("15")
    expect(page.get_by_test_id("rating-preview")).to_have_text("D = 270 → 较大风险")
    page.get_by_label("评价方法").select_option("LS")
    expect(page.get_by_test_id("rating-preview")).not_to_contain_text("270")
    page.get_by_label("评价方法").select_option("LEC")
    page.get_by_role("button", name="评价并保存").click()
    expect(page.get_by_text("已辨识并评价风险“自动扶梯夹伤”")).to_be_visible()
    risk = Risk.objects.get(name="自动扶梯夹伤")
    assert (risk.score, risk.level, risk.colour) == (270, "significant", "orange")
