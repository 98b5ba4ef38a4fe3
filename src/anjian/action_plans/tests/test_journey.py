"""In a real browser: the regulator imports a task table (seed 003, merged cells and all), the
hospital's safety officer reports progress on a task from her phone, the regulator's dispatch
matrix shows it."""

import pytest
from playwright.sync_api import expect

from anjian.action_plans.defaults import ensure_defaults
from anjian.action_plans.models import Assignment, Plan
from anjian.action_plans.tests.helpers import seed_003_xlsx
from anjian.core.roles import Role
from anjian.core.testing import factories as f
from anjian.core.testing.factories import PASSWORD

pytestmark = pytest.mark.browser

HOSPITAL = "安宁区人民医院"


@pytest.fixture
def district(db):
    ensure_defaults()  # browser tests flush the database: the unit groups come back here
    city = f.make_regulator(name="示范市卫生健康委员会")
    district = f.make_regulator(name="安宁区卫生健康委员会", parent=city)
    hospital = f.make_institution(parent=district, name=HOSPITAL)
    f.make_institution(parent=district, name="安宁区惠民诊所", kind="clinic")
    f.make_user(organization=district, role=Role.REGULATOR_ADMIN, username="regulator", name="王建国")
    f.make_user(organization=hospital, role=Role.SAFETY_OFFICER, username="hospital_officer", name="李安全")
    return district


def test_import_report_and_dispatch(district, page, phone_page, browser_login, tmp_path):
    table = tmp_path / "金凤区任务清单.xlsx"
    table.write_bytes(seed_003_xlsx().read())

    # the regulator imports the task table: a preview first, stored on confirmation
    browser_login(page, "regulator", PASSWORD, next_url="/plans/")
    page.get_by_test_id("import").click()
    page.get_by_label("任务清单（xlsx 或 docx）").set_input_files(str(table))
    page.get_by_role("button", name="上传并预览").click()
    expect(page.get_by_text("读取到 56 项任务。")).to_be_visible()
    expect(page.get_by_test_id("problems")).to_contain_text("各县（市）区卫生健康局")
    assert not Plan.objects.exists()
    page.get_by_label("文号").fill("金卫发〔2024〕12号")
    page.get_by_role("button", name="确认导入").click()
    expect(page.get_by_role("alert")).to_contain_text("已导入任务清单")
    plan = Plan.objects.get()
    assert plan.tasks.count() == 56

    # the hospital's safety officer, on her phone: 我的任务 → the first task → 报告进展
    browser_login(phone_page, "hospital_officer", PASSWORD, next_url="/plans/assignments/")
    phone_page.get_by_test_id("assignment-table").get_by_role("link").filter(has_text="1. 将习近平总书记").click()
    phone_page.get_by_role("link", name="报告进展").click()
    phone_page.get_by_label("工作进展").fill("已将安全生产重要论述列入党委理论学习中心组年度学习计划")
    phone_page.get_by_label("成果形式").fill("年度学习计划")
    phone_page.get_by_role("button", name="提交进展").click()
    expect(phone_page.get_by_role("alert")).to_contain_text("已报告进展")
    expect(phone_page.get_by_test_id("reports")).to_contain_text("年度学习计划")
    assignment = Assignment.objects.get(task__plan=plan, task__number="1", organization__name=HOSPITAL)
    assert assignment.status == "in_progress" and assignment.report_count == 1

    # the regulator's matrix shows it
    page.goto(f"/plans/{plan.pk}/matrix/")
    # task 1 was due by the end of 2024: late, though now in progress; late tasks and units come first
    cell = page.locator(f'[data-cell="{HOSPITAL}"][data-status="逾期·推进中"]')
    expect(cell).to_have_count(1)
    cell.click()
    expect(page.get_by_test_id("reports")).to_contain_text("年度学习计划")
