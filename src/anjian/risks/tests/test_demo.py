"""The demo register of the people's hospital loads, makes sense, and loads only once."""

from __future__ import annotations

import pytest

from anjian.accounts import demo as accounts_demo
from anjian.core.models import AuditEvent
from anjian.orgs import demo as orgs_demo
from anjian.risks import demo, selectors
from anjian.risks.models import FloorPlan, PostCard, Risk, RiskPoint

pytestmark = pytest.mark.calendar  # depends on the day: run again on other pinned days


@pytest.mark.django_db
def test_demo_register_is_realistic_and_idempotent(django_user_model):
    orgs_demo.seed()
    accounts_demo.seed()
    assert demo.seed() > 0
    names = set(RiskPoint.objects.values_list("name", flat=True))
    for expected in (
        "手术室",
        "液氧站",
        "药剂科酒精库",
        "职工食堂燃气",
        "高低压配电房",
        "门诊电梯",
        "住院病区夜间",
        "新住院楼施工现场",
    ):
        assert expected in names
    levels = set(Risk.objects.values_list("level", flat=True))
    assert levels == {"major", "significant", "general", "low"}
    nurse = django_user_model.objects.get(username="nurse")
    card = PostCard.objects.get(post=nurse.post)
    assert [r.name for r in selectors.card_risks(card)] == ["夜间火灾疏散困难", "患者跌倒坠床"]
    oxygen = Risk.objects.get(name="液氧储罐超压爆炸")
    assert oxygen.level == "major" and selectors.risk_list(user=nurse).get(pk=oxygen.pk).is_checked
    assert FloorPlan.objects.get().areas.count() == 4
    regulator = django_user_model.objects.get(username="regulator")
    red = {r.organization.name for r in selectors.jurisdiction_overview(user=regulator) if r.counts["major"]}
    assert red == {orgs_demo.HOSPITAL, "安宁区中医院", "安宁区颐康医养中心"}
    events = AuditEvent.objects.count()
    assert demo.seed() == 0
    assert AuditEvent.objects.count() == events
