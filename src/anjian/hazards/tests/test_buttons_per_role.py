"""No button a role cannot use: the hazard page shows exactly the actions (workflow.allowed_actions)
and notices (workflow.notices) the user may take, and each one shown opens without a refusal while
each one left out is refused, for every demo account on hazards in each state of the loop."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from anjian.accounts import demo as accounts_demo
from anjian.accounts.models import User
from anjian.hazards import services, workflow
from anjian.hazards.choices import HazardLevel, HazardStatus
from anjian.hazards.tests.helpers import general_plan, jpeg, major_plan, report
from anjian.orgs import demo as orgs_demo
from anjian.orgs.models import Organization

pytestmark = pytest.mark.django_db

NOTICE_KINDS = ("rectification", "supervision")


@pytest.fixture
def demo():
    """The demo institutions and accounts, and hazards of the demo hospital in four states."""
    orgs_demo.seed()
    accounts_demo.seed()
    users = {username: User.objects.get(username=username) for username, *_rest in accounts_demo.ACCOUNTS}
    hospital = Organization.objects.get(name=orgs_demo.HOSPITAL)
    officer, head, dept_head = users["hospital_officer"], users["hospital_head"], users["dept_head"]

    reported = report(users["nurse"], hospital, department=dept_head.department)
    rectifying = report(officer, hospital, department=dept_head.department)
    services.hazard_confirm(hazard=rectifying, by=officer, plan=general_plan(dept_head))
    major = report(officer, hospital, level=HazardLevel.MAJOR)
    services.hazard_confirm(hazard=major, by=officer, plan=major_plan(officer))
    services.hazard_supervise(
        hazard=major,
        by=users["regulator"],
        level="district",
        deadline=general_plan(officer, 60)["deadline"],
        notice_number="安卫督〔2026〕9号",
    )
    closed = report(officer, hospital)
    services.hazard_confirm(hazard=closed, by=officer, plan=general_plan(dept_head))
    services.hazard_submit(hazard=closed, by=dept_head, rectification_note="已整改", after_photos=[jpeg()])
    services.hazard_accept(hazard=closed, by=head)
    hazards = {"reported": reported, "rectifying": rectifying, "major": major, "closed": closed}
    for h in hazards.values():
        h.refresh_from_db()
    assert hazards["closed"].status == HazardStatus.CLOSED and hazards["major"].is_supervised
    return users, hazards


def shown(body: str) -> tuple[set[str], set[str]]:
    """The action buttons and notice buttons in the page's action bar."""
    bar = re.search(r'<div class="btn-list" data-testid="actions">(.*?)</div>', body, re.S).group(1)
    return set(re.findall(r'data-action="([^"]+)"', bar)), set(re.findall(r'data-testid="notice-(\w+)"', bar))


def opens_without_refusal(client, url: str) -> bool:
    response = client.get(url)
    return response.status_code == 200 and 'data-testid="refusal"' not in response.content.decode()


def test_each_demo_role_sees_exactly_the_buttons_it_can_use(client, demo):
    users, hazards = demo
    seen_any = set()
    for username, user in users.items():
        client.force_login(user)
        for state, hazard in hazards.items():
            response = client.get(reverse("hazards:hazard-detail", args=[hazard.pk]))
            if response.status_code != 200:  # not theirs to see (another institution, the administrator)
                assert response.status_code in (403, 404), (username, state)
                continue
            actions, notices = shown(response.content.decode())
            where = (username, state)
            assert actions == set(workflow.allowed_actions(hazard, user)), where
            assert notices == set(workflow.notices(hazard, user)), where
            seen_any |= {(username, a) for a in actions | notices}
            # each button shown opens its page without a refusal; each one left out would be refused
            for action in workflow.RULES:
                url = reverse("hazards:hazard-action", args=[hazard.pk, action])
                assert opens_without_refusal(client, url) == (action in actions), (*where, action)
            for kind in NOTICE_KINDS:
                url = reverse("reports:notice-new", args=[kind, hazard.pk])
                assert opens_without_refusal(client, url) == (kind in notices), (*where, kind)
    assert ("hospital_officer", "rectification") in seen_any and ("regulator", "supervision") in seen_any
    assert ("dept_head", "submit") in seen_any  # the department head's own rectification


def test_the_department_head_is_not_offered_the_rectification_notice(client, demo):
    users, hazards = demo
    url = reverse("hazards:hazard-detail", args=[hazards["rectifying"].pk])

    client.force_login(users["dept_head"])
    body = client.get(url).content.decode()
    assert "整改通知书" not in body and 'data-testid="notice-rectification"' not in body
    assert 'data-action="submit"' in body  # what they may do is still there

    client.force_login(users["hospital_officer"])
    body = client.get(url).content.decode()
    assert 'data-testid="notice-rectification"' in body
    notice = client.get(reverse("reports:notice-new", args=["rectification", hazards["rectifying"].pk]))
    assert notice.status_code == 200 and 'data-testid="refusal"' not in notice.content.decode()
