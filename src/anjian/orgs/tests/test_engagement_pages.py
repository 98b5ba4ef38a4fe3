"""The regulator's 委托检查员 pages: list, create (refused in Chinese when wrong), change, end."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from anjian.core.roles import Role
from anjian.core.testing import factories as f
from anjian.orgs.models import Engagement, Organization


def test_the_regulator_engages_changes_and_ends_an_inspector_through_the_pages(world, client):
    provider = f.make_provider(parent=world.district_a, name="甲区安诚公司")
    inspector = f.make_user(organization=provider, role=Role.INSPECTOR, username="expert_a", name="孙专家")
    today = timezone.localdate()
    client.force_login(world.regulator_a)
    assert "委托检查员" in client.get(reverse("orgs:organization-list")).content.decode()
    form = {
        "inspector": inspector.pk,
        "purpose": "消防督导",
        "starts_on": today.isoformat(),
        "ends_on": (today - dt.timedelta(days=1)).isoformat(),
        "institutions": [world.hospital_a.pk],
    }

    refused = client.post(reverse("orgs:engagement-create"), form)
    assert refused.status_code == 200 and "结束日期不能早于开始日期" in refused.content.decode()
    assert not Engagement.objects.exists()
    response = client.post(reverse("orgs:engagement-create"), {**form, "ends_on": today.isoformat()})
    assert response.status_code == 302
    engagement = Engagement.objects.get()
    assert world.hospital_a in Organization.objects.visible_to(inspector)

    page = client.get(reverse("orgs:engagement-list")).content.decode()
    assert "孙专家" in page and "甲区人民医院" in page and "委托中" in page
    response = client.post(
        reverse("orgs:engagement-update", args=[engagement.pk]),
        {**form, "ends_on": today.isoformat(), "institutions": [world.clinic_a.pk]},
    )
    assert response.status_code == 302
    assert list(Organization.objects.visible_to(inspector).filter(type="institution")) == [world.clinic_a]

    response = client.post(reverse("orgs:engagement-end", args=[engagement.pk]), {"note": "检查结束"})
    assert response.status_code == 302
    assert not Organization.objects.visible_to(inspector).filter(type="institution").exists()
    page = client.get(reverse("orgs:engagement-list")).content.decode()
    assert "已结束" in page and "检查结束" in page
    # ended: neither changed nor ended again
    assert client.get(reverse("orgs:engagement-end", args=[engagement.pk])).status_code == 404


def test_institutions_and_inspectors_cannot_open_the_engagement_pages(world, client):
    for user in (world.officer_a, world.inspector_b, world.head_a):
        client.force_login(user)
        assert client.get(reverse("orgs:engagement-list")).status_code == 403
        assert client.get(reverse("orgs:engagement-create")).status_code == 403


def test_the_api_lists_the_regulators_engagements_and_the_inspectors_own(world, client):
    from rest_framework.authtoken.models import Token

    from anjian.orgs import services

    today = timezone.localdate()
    services.engagement_create(
        by=world.regulator_b,
        data={"inspector": world.inspector_b, "purpose": "乙区督导", "starts_on": today, "ends_on": today},
        institutions=[world.hospital_b],
    )

    def rows(user):
        token, _created = Token.objects.get_or_create(user=user)
        response = client.get("/api/v1/engagements/", HTTP_AUTHORIZATION=f"Token {token.key}")
        assert response.status_code == 200
        return response.json()["results"]

    (mine,) = rows(world.inspector_b)
    assert mine["purpose"] == "乙区督导" and mine["institutions"] == [world.hospital_b.pk]
    assert mine["ends_on"] == today.isoformat() and mine["inspector_organization"] == world.provider_b.name
    assert [r["purpose"] for r in rows(world.regulator_b)] == ["乙区督导"]
    assert rows(world.regulator_a) == [] and rows(world.officer_b) == []
