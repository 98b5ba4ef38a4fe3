"""In a real browser, on a phone: the hospital's safety officer fills Putuo's monthly work report,
sees the characters counted against the 800 limit, is refused over it, then submits; the regulator
sees it among the period's submissions."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from anjian.action_plans import due
from anjian.action_plans.defaults import ensure_defaults, ensure_report_examples
from anjian.action_plans.models import ReportSubmission
from anjian.core.roles import Role
from anjian.core.testing import factories as f
from anjian.core.testing.factories import PASSWORD

pytestmark = pytest.mark.browser

HOSPITAL = "安宁区人民医院"


@pytest.fixture
def putuo(db):
    ensure_defaults()
    district = f.make_regulator(name="安宁区卫生健康委员会")
    hospital = f.make_institution(parent=district, name=HOSPITAL)
    regulator = f.make_user(organization=district, role=Role.REGULATOR_ADMIN, username="regulator", name="王建国")
    f.make_user(organization=hospital, role=Role.SAFETY_OFFICER, username="hospital_officer", name="李安全")
    return ensure_report_examples(district, by=regulator)[0]


def test_monthly_report_counted_refused_then_submitted(putuo, page, phone_page, browser_login):
    period = due.current_period(putuo, timezone.localdate())
    url = f"/plans/reports/{putuo.pk}/fill/?period={period:%Y-%m}"
    browser_login(phone_page, "hospital_officer", PASSWORD, next_url=url)
    counter = phone_page.get_by_test_id("char-count")
    expect(counter).to_contain_text("已写 0 字，上限 800 字")
    phone_page.get_by_label("工作亮点").fill("开展消防演练" * 100)  # 600 characters
    phone_page.get_by_label("难点问题").fill("经费不足" * 51)  # 204 more
    phone_page.get_by_label("重大隐患情况").fill("无")
    phone_page.get_by_label("整改计划").fill("按期整改")
    expect(counter).to_contain_text("已写 809 字")
    assert "text-danger" in counter.get_attribute("class")
    phone_page.get_by_role("button", name="报送", exact=True).click()
    expect(phone_page.get_by_text("全文共809字，超过了800字的上限。")).to_be_visible()
    assert not ReportSubmission.objects.exists()
    phone_page.get_by_label("难点问题").fill("经费不足")
    expect(counter).to_contain_text("已写 609 字")
    assert "text-danger" not in counter.get_attribute("class")
    phone_page.get_by_role("button", name="报送", exact=True).click()
    expect(phone_page.get_by_role("alert").first).to_contain_text("已报送")
    assert ReportSubmission.objects.get().status == "submitted"

    browser_login(page, "regulator", PASSWORD, next_url=f"/plans/reports/{putuo.pk}/?period={period:%Y-%m}")
    row = page.get_by_test_id("submission-table").get_by_role("row").filter(has_text=HOSPITAL)
    expect(row).to_contain_text("已报送")
    expect(page.get_by_test_id("submission-contents").first).to_contain_text("开展消防演练")
