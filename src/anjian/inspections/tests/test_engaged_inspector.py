"""An inspector engaged by the regulator (orgs.Engagement) and put on a supervision's team opens
that supervision, fills its checklist and records findings (hazards with source 督导检查, under
their name); nothing of another supervision, no interview, no regulator's or institution's power."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from anjian.core.errors import DomainError
from anjian.core.roles import Role
from anjian.core.testing import factories as f
from anjian.hazards.choices import HazardSource
from anjian.hazards.models import Hazard, HazardCategory
from anjian.inspections import services
from anjian.inspections.tests.helpers import starter
from anjian.orgs import services as org_services


@pytest.fixture
def team(world):
    today = timezone.localdate()
    provider = f.make_provider(parent=world.district_a, name="甲区安诚公司")
    inspector = f.make_user(organization=provider, role=Role.INSPECTOR, username="expert_a", name="孙专家")
    engagement = org_services.engagement_create(
        by=world.regulator_a,
        data={"inspector": inspector, "purpose": "消防督导", "starts_on": today, "ends_on": today},
        institutions=[world.hospital_a],
    )
    data = {"date": today, "subject": "消防专项督导", "team": "甲监管、孙专家"}
    on_team = services.supervision_record(
        by=world.regulator_a, institution=world.hospital_a, data=data, inspectors=[inspector]
    )
    other = services.supervision_record(
        by=world.regulator_a, institution=world.hospital_a, data={**data, "subject": "他组督导"}
    )
    services.interview_record(
        by=world.regulator_a,
        institution=world.hospital_a,
        data={"date": today, "reason": "约谈事由保密", "attendees": "甲院长"},
    )
    return world, inspector, engagement, on_team, other


def test_the_inspector_opens_only_the_supervision_of_their_team_and_no_interview(team, client):
    _world, inspector, _e, on_team, other = team
    client.force_login(inspector)

    page = client.get(reverse("inspections:supervision-list")).content.decode()
    assert "消防专项督导" in page and "他组督导" not in page and "约谈事由保密" not in page
    detail = client.get(reverse("inspections:supervision-detail", args=[on_team.pk]))
    assert detail.status_code == 200 and "孙专家（甲区安诚公司）" in detail.content.decode()
    assert client.get(reverse("inspections:supervision-detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("inspections:supervision-finding", args=[other.pk])).status_code == 404
    # the regulator's own acts stay the regulator's
    assert client.get(reverse("inspections:supervision-create")).status_code == 403
    assert client.get(reverse("inspections:interview-create")).status_code == 403


def test_the_inspector_records_a_finding_that_becomes_a_supervision_hazard_under_their_name(team, client):
    world, inspector, _e, on_team, _other = team
    client.force_login(inspector)
    category = HazardCategory.objects.filter(is_active=True).order_by("pk").first()

    response = client.post(
        reverse("inspections:supervision-finding", args=[on_team.pk]),
        {"title": "疏散通道堆放杂物", "location": "住院楼三层", "category": category.pk},
    )

    assert response.status_code == 302, response.context["form"].errors
    hazard = Hazard.objects.get()
    assert hazard.organization == world.hospital_a and hazard.source == HazardSource.SUPERVISION
    assert hazard.found_by == inspector and hazard.found_by_name == "孙专家（甲区安诚公司）"
    page = client.get(reverse("hazards:hazard-detail", args=[hazard.pk])).content.decode()
    assert "孙专家（甲区安诚公司）" in page
    assert on_team.findings.get().hazard == hazard
    # the hospital sees who raised it
    client.force_login(world.officer_a)
    assert "孙专家（甲区安诚公司）" in client.get(reverse("hazards:hazard-detail", args=[hazard.pk])).content.decode()


def test_the_inspector_fills_the_supervisions_checklist(team, client):
    _world, inspector, _e, on_team, _other = team
    template = starter("kitchen_gas")
    items = list(template.items.order_by("section__order", "order"))
    data = {f"r_{i.pk}": "pass" for i in items}
    quiet = next(i for i in items if not i.photo_required_on_fail)
    data.update({f"r_{quiet.pk}": "fail", f"n_{quiet.pk}": "灶具熄火保护失效"})
    client.force_login(inspector)

    response = client.post(reverse("inspections:supervision-checklist", args=[on_team.pk, template.pk]), data)

    assert response.status_code == 302, response.content.decode()[:400]
    hazard = Hazard.objects.get()
    assert hazard.source == HazardSource.SUPERVISION and hazard.found_by == inspector
    assert on_team.records.get().performed_by == inspector


def test_once_the_engagement_ends_the_supervision_is_404(team, client):
    world, inspector, engagement, on_team, _other = team
    org_services.engagement_end(by=world.regulator_a, engagement=engagement)
    client.force_login(inspector)

    assert client.get(reverse("inspections:supervision-detail", args=[on_team.pk])).status_code == 404
    response = client.post(
        reverse("inspections:supervision-finding", args=[on_team.pk]),
        {"title": "x", "location": "y", "category": HazardCategory.objects.order_by("pk").first().pk},
    )
    assert response.status_code == 404
    assert not Hazard.objects.exists()


def test_only_an_engaged_inspector_can_join_a_team(team):
    world, _inspector, _e, _on_team, _other = team
    provider = f.make_provider(parent=world.district_a, name="甲区未委托公司")
    stranger = f.make_user(organization=provider, role=Role.INSPECTOR, username="stranger")

    with pytest.raises(DomainError, match="未受委托"):
        services.supervision_record(
            by=world.regulator_a,
            institution=world.hospital_a,
            data={"date": timezone.localdate(), "subject": "x", "team": "y"},
            inspectors=[stranger],
        )


def test_the_regulator_picks_engaged_inspectors_on_the_supervision_form(team, client):
    world, inspector, _e, _on_team, _other = team
    client.force_login(world.regulator_a)

    response = client.post(
        reverse("inspections:supervision-create"),
        {
            "institution": world.hospital_a.pk,
            "date": (timezone.localdate() - dt.timedelta(days=0)).isoformat(),
            "subject": "第二次督导",
            "team": "甲监管",
            "inspectors": [inspector.pk],
        },
    )

    assert response.status_code == 302, response.content.decode()[:400]
    assert list(inspector.supervision_teams.values_list("subject", flat=True).order_by("subject")) == sorted(
        ["消防专项督导", "第二次督导"]
    )


def test_the_inspectors_home_shows_the_engagement_and_the_supervision(team, client):
    world, inspector, engagement, _on_team, _other = team
    client.force_login(inspector)

    page = client.get("/").content.decode()

    assert "消防督导" in page and "甲区人民医院" in page and "消防专项督导" in page and "他组督导" not in page
    org_services.engagement_end(by=world.regulator_a, engagement=engagement)
    page = client.get("/").content.decode()
    assert "目前没有委托" in page and "消防专项督导" not in page
