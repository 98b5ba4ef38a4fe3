"""In the browser: the demo inspector, engaged by the district for the people's hospital and put on
its supervision team, opens the supervision, records a finding, and it is a hazard in the hospital's
ledger under his name."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from anjian.accounts import demo as accounts_demo
from anjian.accounts.demo import DEMO_PASSWORD
from anjian.accounts.models import User
from anjian.hazards import workflow
from anjian.hazards.choices import HazardSource
from anjian.hazards.models import Hazard
from anjian.inspections import services
from anjian.orgs import demo as orgs_demo
from anjian.orgs import services as org_services
from anjian.orgs.models import Organization

pytestmark = pytest.mark.browser


@pytest.fixture
def supervision(transactional_db):
    orgs_demo.seed()
    accounts_demo.seed()
    regulator = User.objects.get(username="regulator")
    inspector = User.objects.get(username="inspector")
    hospital = Organization.objects.get(name=orgs_demo.HOSPITAL)
    today = timezone.localdate()
    org_services.engagement_create(
        by=regulator,
        data={
            "inspector": inspector,
            "purpose": "消防专项督导",
            "starts_on": today - dt.timedelta(days=1),
            "ends_on": today + dt.timedelta(days=30),
        },
        institutions=[hospital],
    )
    return services.supervision_record(
        by=regulator,
        institution=hospital,
        data={"date": today, "subject": "消防安全专项督导检查", "team": f"{regulator.name}、孙工"},
        inspectors=[inspector],
    )


def test_the_engaged_inspector_records_a_supervision_finding_that_becomes_a_hazard(supervision, page, browser_login):
    browser_login(page, "inspector", DEMO_PASSWORD)
    page.goto("/inspections/supervision/")
    page.get_by_role("link", name=supervision.number).click()
    expect(page.get_by_role("heading", name="消防安全专项督导检查")).to_be_visible()
    expect(page.get_by_test_id("team-inspectors")).to_contain_text("孙工")

    page.get_by_role("link", name="登记发现的问题").click()
    page.get_by_label("问题").fill("住院楼三层疏散通道堆放杂物")
    page.get_by_label("部位").fill("住院楼三层东侧")
    page.get_by_label("类别").select_option(index=1)
    page.get_by_role("button", name="保存").click()

    findings = page.get_by_test_id("findings")
    expect(findings).to_contain_text("住院楼三层疏散通道堆放杂物")
    findings.get_by_role("link", name="住院楼三层疏散通道堆放杂物").click()
    expect(page.get_by_text("孙工（安宁安诚安全技术服务有限公司）").first).to_be_visible()
    hazard = Hazard.objects.get()
    assert hazard.source == HazardSource.SUPERVISION and hazard.organization == supervision.institution
    assert hazard.found_by.username == "inspector"
    # his role does not confirm it: the hazard page offers him no such step, the hospital's officer has it
    expect(page.get_by_test_id("actions")).not_to_contain_text("确认并制定整改方案")
    assert "confirm" not in workflow.allowed_actions(hazard, hazard.found_by)
    assert "confirm" in workflow.allowed_actions(hazard, User.objects.get(username="hospital_officer"))
