"""第三方机构年度考核: the regulator scores a provider on the sheet; a veto item (一票否决) refuses
new engagements of its inspectors this year and next, whatever the score."""

import datetime as dt

import pytest
from django.utils import timezone

from anjian.core.errors import DomainError, NotPermittedError
from anjian.core.models import AuditEvent
from anjian.core.roles import Role
from anjian.core.testing import factories as f
from anjian.orgs import services
from anjian.orgs.models import Engagement, ProviderEvaluation
from anjian.orgs.provider_evaluations import SHEET, provider_evaluate

pytestmark = pytest.mark.django_db
FULL = {code: full for code, _label, full in SHEET}


def engage(world, inspector):
    today = timezone.localdate()
    return services.engagement_create(
        by=world.regulator_a,
        data={
            "inspector": inspector,
            "purpose": "消防督导",
            "starts_on": today,
            "ends_on": today + dt.timedelta(days=30),
        },
        institutions=[world.hospital_a],
    )


@pytest.fixture
def provider(world):
    provider = f.make_provider(parent=world.district_a, name="甲区安诚公司")
    world.extra["inspector"] = f.make_user(organization=provider, role=Role.INSPECTOR, username="expert_a")
    return provider


def test_a_veto_refuses_new_engagements_whatever_the_score(world, provider):
    year = timezone.localdate().year
    evaluation = provider_evaluate(
        by=world.regulator_a, provider=provider, year=year, scores=FULL, vetoes=["false_report"], note="虚假报告"
    )
    assert evaluation.total == 100 and evaluation.vetoed
    assert AuditEvent.objects.filter(verb="provider.evaluated", target_id=str(provider.pk)).exists()
    with pytest.raises(DomainError, match="一票否决") as exc:
        engage(world, world.extra["inspector"])
    assert exc.value.field == "inspector"
    assert not Engagement.objects.exists()


def test_a_veto_refuses_extending_or_widening_an_engagement(world, provider):
    inspector = world.extra["inspector"]
    engagement = engage(world, inspector)
    provider_evaluate(
        by=world.regulator_a, provider=provider, year=timezone.localdate().year, scores=FULL, vetoes=["leak"]
    )
    other = f.make_institution(parent=world.district_a, name="甲区第二医院")
    refusals = [
        ({"ends_on": engagement.ends_on + dt.timedelta(days=1)}, None, "ends_on"),
        ({"starts_on": engagement.starts_on - dt.timedelta(days=1)}, None, "starts_on"),
        ({"whole_jurisdiction": True}, None, "whole_jurisdiction"),
        ({}, [world.hospital_a, other], "institutions"),
    ]
    for data, institutions, field in refusals:
        with pytest.raises(DomainError, match="一票否决") as exc:
            services.engagement_update(
                by=world.regulator_a, engagement=engagement, data=data, institutions=institutions
            )
        assert exc.value.field == field
    engagement.refresh_from_db()
    assert engagement.ends_on == timezone.localdate() + dt.timedelta(days=30) and not engagement.whole_jurisdiction
    assert list(engagement.institutions.all()) == [world.hospital_a]
    assert not AuditEvent.objects.filter(verb="engagement.updated").exists()
    # what gives the inspector nothing more is still allowed: the purpose, an earlier end
    services.engagement_update(
        by=world.regulator_a,
        engagement=engagement,
        data={"purpose": "消防督导（缩短）", "ends_on": engagement.ends_on - dt.timedelta(days=10)},
    )
    engagement.refresh_from_db()
    assert engagement.purpose == "消防督导（缩短）"


def test_a_low_score_without_veto_does_not_refuse(world, provider):
    year = timezone.localdate().year
    provider_evaluate(by=world.regulator_a, provider=provider, year=year, scores=dict.fromkeys(FULL, 5))
    assert engage(world, world.extra["inspector"]).pk


def test_last_years_veto_still_refuses_and_older_ones_do_not(world, provider):
    year = timezone.localdate().year
    provider_evaluate(by=world.regulator_a, provider=provider, year=year - 2, scores=FULL, vetoes=["leak"])
    assert engage(world, world.extra["inspector"]).pk
    provider_evaluate(by=world.regulator_a, provider=provider, year=year - 1, scores=FULL, vetoes=["integrity"])
    with pytest.raises(DomainError, match=str(year - 1)):
        engage(world, world.extra["inspector"])


def test_the_sheet_is_checked(world, provider):
    year = timezone.localdate().year
    with pytest.raises(DomainError, match="0–30"):
        provider_evaluate(by=world.regulator_a, provider=provider, year=year, scores={**FULL, "quality": 31})
    with pytest.raises(DomainError, match="请填写"):
        provider_evaluate(by=world.regulator_a, provider=provider, year=year, scores={})
    with pytest.raises(DomainError, match="不存在"):
        provider_evaluate(by=world.regulator_a, provider=provider, year=year, scores=FULL, vetoes=["nope"])
    with pytest.raises(DomainError, match="本辖区"):
        provider_evaluate(by=world.regulator_a, provider=world.provider_b, year=year, scores=FULL)
    with pytest.raises(NotPermittedError):
        provider_evaluate(by=world.officer_a, provider=provider, year=year, scores=FULL)
    provider_evaluate(by=world.regulator_a, provider=provider, year=year, scores=FULL)
    with pytest.raises(DomainError, match="已考核"):
        provider_evaluate(by=world.regulator_a, provider=provider, year=year, scores=FULL)


def test_the_regulator_evaluates_on_the_providers_page(world, provider, client):
    client.force_login(world.regulator_a)
    page = client.get(f"/orgs/{provider.pk}/").content.decode()
    assert f"/orgs/{provider.pk}/evaluate/" in page
    data = {f"score_{code}": full for code, full in FULL.items()}
    year = timezone.localdate().year
    over = client.post(f"/orgs/{provider.pk}/evaluate/", {**data, "score_quality": FULL["quality"] + 1, "year": year})
    assert over.status_code == 200 and list(over.context["form"].errors) == ["score_quality"]
    assert not ProviderEvaluation.objects.exists()
    response = client.post(
        f"/orgs/{provider.pk}/evaluate/",
        {**data, "year": timezone.localdate().year, "vetoes": ["leak"], "note": "泄密"},
    )
    assert response.status_code == 302
    page = client.get(f"/orgs/{provider.pk}/").content.decode()
    assert "一票否决" in page and "100" in page
    refused = client.post(f"/orgs/{provider.pk}/evaluate/", {**data, "year": year})
    assert refused.status_code == 200 and "已考核" in refused.content.decode()
