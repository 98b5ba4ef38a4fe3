"""In the browser, the journey of issue 14: the safety officer enters today's training with a quiz
on a desktop and gets its QR code; the nurse scans it on a 390 px phone, signs in, passes the quiz,
and her training file shows the hours."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from anjian.accounts import demo as accounts_demo
from anjian.accounts.demo import DEMO_PASSWORD
from anjian.accounts.models import User
from anjian.orgs import demo as orgs_demo
from anjian.training import services
from anjian.training.models import Attempt, Attendance, TrainingSession

pytestmark = pytest.mark.browser


@pytest.fixture
def hospital(transactional_db):
    orgs_demo.seed()
    accounts_demo.seed()
    officer = User.objects.get(username="hospital_officer")
    bank = services.question_bank_create(by=officer, title="消防安全知识题库")
    services.question_add(
        by=officer, bank=bank, kind="single", text="火警电话是？", options=["110", "119", "120"], answer=[1]
    )
    services.question_add(
        by=officer, bank=bank, kind="true_false", text="疏散通道可以堆放杂物。", options=[], answer=[1]
    )
    services.paper_create(by=officer, bank=bank, data={"title": "消防随堂测验", "pass_mark": 100}, count=2)


def test_officer_plans_a_session_and_the_nurse_signs_in_by_qr_and_passes_the_quiz(
    hospital, page, phone_page, browser_login
):
    browser_login(page, "hospital_officer", DEMO_PASSWORD, next_url="/training/sessions/new/")
    form = page.get_by_test_id("form")
    form.get_by_label("培训名称").fill("病区火灾应急处置培训")
    form.get_by_label("学时", exact=True).fill("1.5")
    form.get_by_label("授课人").fill("李安全")
    form.get_by_label("随堂测验（试卷）").select_option(label="消防随堂测验")
    form.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已登记培训")).to_be_visible()
    expect(page.get_by_test_id("session-qr").locator("svg")).to_be_visible()
    scan_url = page.get_by_test_id("scan-url").inner_text().strip()
    session = TrainingSession.objects.get(title="病区火灾应急处置培训")
    assert session.held_on == timezone.localdate() and urlparse(scan_url).path.endswith(f"/s/{session.code}/")

    path = urlparse(scan_url).path
    phone_page.goto(path)
    expect(phone_page).to_have_url(re.compile(r"/accounts/login/"))
    browser_login(phone_page, "nurse", DEMO_PASSWORD, next_url=path)
    expect(phone_page.get_by_role("heading", name="病区火灾应急处置培训")).to_be_visible()
    phone_page.get_by_test_id("sign-in").click()
    expect(phone_page.get_by_test_id("signed-in")).to_be_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390

    phone_page.get_by_test_id("start-quiz").click()
    exam = phone_page.get_by_test_id("exam-form")
    exam.get_by_text("B. 119").click()
    exam.get_by_text("错误").click()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    phone_page.get_by_test_id("submit-exam").click()
    expect(phone_page.get_by_test_id("result")).to_have_text("合格")
    expect(phone_page.get_by_test_id("score")).to_have_text("100")

    phone_page.get_by_role("link", name="我的培训档案").first.click()
    year = timezone.localdate().year
    expect(phone_page.get_by_test_id(f"hours-{year}")).to_have_text("1.5")
    expect(phone_page.get_by_test_id("file-sessions")).to_contain_text("病区火灾应急处置培训")
    expect(phone_page.get_by_test_id("file-exams")).to_contain_text("合格")
    nurse = User.objects.get(username="nurse")
    assert Attendance.objects.get(session=session, user=nurse).method == "qr"
    assert Attempt.objects.get(user=nurse).passed
