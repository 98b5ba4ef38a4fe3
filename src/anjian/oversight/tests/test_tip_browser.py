"""The tip-off journey on a phone: a member of the public tips off a hazard without login, gets a
receipt code; the regulator accepts it, the hospital sees it in its ledger and closes it through
the normal loop; the reporter's status page then says closed and shows no names. Each person's
step in the browser, but the hospital's rectification loop (the hazards app's own journeys)."""

import re

import pytest
from playwright.sync_api import expect

from anjian.core.testing.factories import PASSWORD
from anjian.hazards.models import HazardCategory
from anjian.oversight.models import Tip
from anjian.oversight.tests.test_tips import close

pytestmark = pytest.mark.browser


def test_a_tip_from_a_phone_becomes_a_hazard_and_the_reporter_sees_it_closed(world, phone_page, browser_login):
    w, page = world, phone_page
    page.goto("/tips/new/")
    page.get_by_test_id("tip-search").fill("甲区人民")
    page.get_by_test_id("tip-target").first.check()
    page.get_by_label("看到的问题").fill("急诊楼一楼安全出口被推车和纸箱堵住")
    page.get_by_label("具体位置").fill("急诊楼一楼东侧")
    page.get_by_label("联系方式（可选）").fill("13800138000")
    question = page.locator("label[for=id_answer]").inner_text()
    a, b = (int(n) for n in re.findall(r"\d+", question)[:2])
    page.get_by_label(re.compile("验证题")).fill(str(a + b))
    page.get_by_test_id("tip-submit").click()
    code = page.get_by_test_id("receipt-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{12}", code)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone

    tip = Tip.objects.get(receipt_code=code)
    browser_login(page, w.regulator_a.username, PASSWORD, next_url="/tips/queue/")  # the regulator's queue
    page.get_by_role("link", name=tip.number).click()
    page.get_by_test_id("tip-accept").click()
    page.get_by_label("隐患名称").fill("安全出口堵塞")
    page.get_by_label("隐患描述").fill("急诊楼一楼安全出口被杂物堵塞")  # the handler's words, not the tip's
    page.get_by_label("隐患类别").select_option(label=HazardCategory.objects.get(code="fire").name)
    page.get_by_label("答复举报人（可选）").fill("已督促医院清理，感谢您的监督。")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("tip-state")).to_have_text("已受理")
    tip = Tip.objects.select_related("hazard").get(pk=tip.pk)
    assert tip.hazard.source == "tip_off" and tip.hazard.organization == w.hospital_a

    page.context.clear_cookies()
    browser_login(page, w.officer_a.username, PASSWORD, next_url="/hazards/")
    expect(page.get_by_test_id("hazard-table")).to_contain_text("安全出口堵塞")  # the hospital sees it
    page.goto(f"/hazards/{tip.hazard.pk}/")
    expect(page.locator("body")).to_contain_text(tip.number)  # its source reference: the tip's number
    close(tip.hazard, w)

    page.context.clear_cookies()  # the reporter again, without login
    page.goto("/tips/status/")
    page.get_by_label("受理回执码").fill(code.lower())
    page.get_by_test_id("status-submit").click()
    expect(page.get_by_test_id("tip-status-label")).to_have_attribute("data-status", "closed")
    expect(page.get_by_test_id("tip-reply")).to_contain_text("已督促医院清理")
    body = page.locator("body").inner_text()
    for name in (w.hospital_a.name, w.officer_a.name, w.regulator_a.name, w.district_a.name):
        assert name not in body
