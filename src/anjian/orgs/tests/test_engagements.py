"""委托/聘请: a regulator engages an inspector for institutions and a period; while it is in force the
inspector sees those institutions (one scoping rule), and what they may do there stays their role's."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import timezone
from PIL import Image

from anjian.core.errors import DomainError, NotPermittedError
from anjian.core.models import AuditEvent
from anjian.core.roles import Role
from anjian.core.scoping import get_visible_or_404
from anjian.core.testing import factories as f
from anjian.hazards import services as hazard_services
from anjian.hazards.choices import HazardSource, HazardStatus
from anjian.hazards.models import Hazard, HazardCategory
from anjian.inspections.models import InspectionRecord
from anjian.orgs import services
from anjian.orgs.models import Engagement, Organization

TODAY = dt.date(2026, 6, 15)


@pytest.fixture
def engaged(world):
    """district_a engages a provider's inspector for hospital_a (not clinic_a), 10–20 June."""
    provider = f.make_provider(parent=world.district_a, name="甲区安诚公司")
    inspector = f.make_user(organization=provider, role=Role.INSPECTOR, username="expert_a", name="孙专家")
    world.extra["inspector"] = inspector
    world.extra["engagement"] = services.engagement_create(
        by=world.regulator_a,
        data={
            "inspector": inspector,
            "purpose": "二季度消防安全督导",
            "starts_on": dt.date(2026, 6, 10),
            "ends_on": dt.date(2026, 6, 20),
        },
        institutions=[world.hospital_a],
    )
    return world


def on(day, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: day)


def report(world, by, organization, title="消防通道堵塞", **data):
    after = [_jpeg()] if data.get("fixed_on_spot") else []
    return hazard_services.hazard_report(
        by=by,
        organization=organization,
        after_photos=after,
        data={
            "title": title,
            "location": "门诊楼一层",
            "category": HazardCategory.objects.order_by("pk").first(),
            **data,
        },
    )


def visible_names(user):
    return sorted(Organization.objects.visible_to(user).values_list("name", flat=True))


@pytest.mark.parametrize(
    ("day", "sees_hospital"),
    [
        (dt.date(2026, 6, 9), False),  # the day before
        (dt.date(2026, 6, 10), True),  # the first day
        (dt.date(2026, 6, 20), True),  # the last day
        (dt.date(2026, 6, 21), False),  # the day after
    ],
)
def test_scope_follows_the_engagement_dates(engaged, monkeypatch, day, sees_hospital):
    on(day, monkeypatch)
    expected = ["甲区安诚公司", "甲区人民医院"] if sees_hospital else ["甲区安诚公司"]

    assert visible_names(engaged.extra["inspector"]) == sorted(expected)


def test_the_dates_are_local_dates(engaged, monkeypatch):
    """20 June 23:30 in Shanghai is still in force although it is already 15:30 UTC."""
    engagement = engaged.extra["engagement"]
    late = dt.datetime(2026, 6, 20, 15, 30, tzinfo=dt.UTC)
    monkeypatch.setattr(timezone, "now", lambda: late)

    assert timezone.localdate() == engagement.ends_on
    assert "甲区人民医院" in visible_names(engaged.extra["inspector"])


def test_an_engaged_inspector_sees_the_hospitals_hazards_not_the_clinics(engaged, monkeypatch):
    on(TODAY, monkeypatch)
    inspector = engaged.extra["inspector"]
    at_hospital = report(engaged, engaged.officer_a, engaged.hospital_a)
    at_clinic = report(engaged, engaged.clinic_officer_a, engaged.clinic_a)

    assert list(Hazard.objects.visible_to(inspector)) == [at_hospital]
    assert get_visible_or_404(Hazard, inspector, pk=at_hospital.pk) == at_hospital
    with pytest.raises(Http404):
        get_visible_or_404(Hazard, inspector, pk=at_clinic.pk)


def test_after_the_engagement_ends_the_inspector_sees_nothing_of_it(engaged, monkeypatch):
    on(TODAY, monkeypatch)
    inspector = engaged.extra["inspector"]
    hazard = report(engaged, engaged.officer_a, engaged.hospital_a)

    services.engagement_end(by=engaged.regulator_a, engagement=engaged.extra["engagement"], note="任务完成")

    with pytest.raises(Http404):
        get_visible_or_404(Hazard, inspector, pk=hazard.pk)
    assert visible_names(inspector) == ["甲区安诚公司"]
    assert not InspectionRecord.objects.visible_to(inspector).exists()
    ended = AuditEvent.objects.get(verb="engagement.ended")
    assert ended.actor == engaged.regulator_a and ended.note == "任务完成"


def test_a_whole_jurisdiction_engagement_reaches_every_institution_below_and_no_further(world, monkeypatch):
    on(TODAY, monkeypatch)
    provider = f.make_provider(parent=world.district_a, name="甲区专家库")
    expert = f.make_user(organization=provider, role=Role.INSPECTOR, username="pool_a")
    services.engagement_create(
        by=world.regulator_a,
        data={
            "inspector": expert,
            "purpose": "全区安全生产大检查",
            "starts_on": TODAY,
            "ends_on": TODAY,
            "whole_jurisdiction": True,
        },
    )

    # the institutions of district_a (path prefix), not the regulator itself nor district_b's
    assert visible_names(expert) == sorted(["甲区专家库", "甲区人民医院", "甲区诊所"])
    assert world.hospital_b not in Organization.objects.visible_to(expert)


def test_the_regulators_path_scope_is_unchanged(engaged, monkeypatch):
    on(TODAY, monkeypatch)

    assert visible_names(engaged.regulator_a) == sorted(["甲区卫健委", "甲区人民医院", "甲区诊所", "甲区安诚公司"])
    assert visible_names(engaged.officer_a) == ["甲区人民医院"]


def _jpeg():
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (30, 160, 30)).save(out, format="JPEG")
    return SimpleUploadedFile("after.jpg", out.getvalue(), content_type="image/jpeg")


def test_an_engaged_inspector_reports_a_hazard_at_the_hospital_and_cannot_confirm_or_accept_it(
    engaged, monkeypatch, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    on(TODAY, monkeypatch)
    inspector = engaged.extra["inspector"]

    found = report(engaged, inspector, engaged.hospital_a, title="配电室堆放杂物", source=HazardSource.SUPERVISION)
    on_spot = report(engaged, inspector, engaged.hospital_a, title="灭火器压力不足", fixed_on_spot=True)
    hazard_services.hazard_add_photo(hazard=on_spot, by=inspector, phase="before", image=_jpeg())

    assert found.found_by == inspector and found.found_by_name == "孙专家"
    assert found.source == HazardSource.SUPERVISION and found.organization == engaged.hospital_a
    assert on_spot.source == HazardSource.THIRD_PARTY  # an inspector's default
    assert on_spot.status == HazardStatus.AWAITING_ACCEPTANCE
    with pytest.raises((NotPermittedError, PermissionDenied)):
        hazard_services.hazard_confirm(
            hazard=found, by=inspector, plan={"responsible": engaged.officer_a, "deadline": dt.date(2099, 1, 1)}
        )
    with pytest.raises((NotPermittedError, PermissionDenied)):
        hazard_services.hazard_accept(hazard=on_spot, by=inspector)
    with pytest.raises((NotPermittedError, PermissionDenied)):
        hazard_services.hazard_dismiss(hazard=found, by=inspector, reason="不是隐患")
    found.refresh_from_db()
    on_spot.refresh_from_db()
    assert (found.status, on_spot.status) == (HazardStatus.REPORTED, HazardStatus.AWAITING_ACCEPTANCE)
    # the hospital's own leaders do accept it
    hazard_services.hazard_accept(hazard=on_spot, by=engaged.officer_a)


def test_an_inspector_cannot_report_at_an_institution_they_are_not_engaged_for(engaged, monkeypatch):
    on(TODAY, monkeypatch)

    with pytest.raises(Http404):
        report(engaged, engaged.extra["inspector"], engaged.clinic_a)
    assert not Hazard.objects.exists()


def test_only_the_regulator_engages_and_only_within_its_jurisdiction(engaged):
    inspector = engaged.extra["inspector"]
    data = {"inspector": inspector, "purpose": "x", "starts_on": TODAY, "ends_on": TODAY}

    for user in (engaged.officer_a, inspector):
        with pytest.raises(PermissionDenied):
            services.engagement_create(by=user, data=data, institutions=[engaged.hospital_a])
    with pytest.raises(DomainError, match="本辖区"):
        services.engagement_create(by=engaged.regulator_a, data=data, institutions=[engaged.hospital_b])
    with pytest.raises(DomainError, match="检查员"):
        services.engagement_create(by=engaged.regulator_b, data=data, institutions=[engaged.hospital_b])
    with pytest.raises(DomainError, match="结束日期"):
        services.engagement_create(
            by=engaged.regulator_a,
            data={**data, "ends_on": TODAY - dt.timedelta(days=1)},
            institutions=[engaged.clinic_a],
        )
    with pytest.raises(DomainError, match="请选择委托检查的机构"):
        services.engagement_create(by=engaged.regulator_a, data=data)
    assert Engagement.objects.count() == 1


def test_a_change_is_audited_and_an_ended_engagement_is_kept_but_frozen(engaged, monkeypatch):
    on(TODAY, monkeypatch)
    engagement = engaged.extra["engagement"]
    inspector = engaged.extra["inspector"]

    services.engagement_update(
        by=engaged.regulator_a,
        engagement=engagement,
        data={"ends_on": dt.date(2026, 6, 30)},
        institutions=[engaged.hospital_a, engaged.clinic_a],
    )

    assert "甲区诊所" in visible_names(inspector)
    changed = AuditEvent.objects.get(verb="engagement.updated")
    assert changed.changes["institutions"] == ["甲区人民医院", "甲区人民医院、甲区诊所"]
    assert changed.changes["ends_on"] == ["2026-06-20", "2026-06-30"]
    services.engagement_end(by=engaged.regulator_a, engagement=engagement)
    with pytest.raises(DomainError, match="已结束"):
        services.engagement_update(by=engaged.regulator_a, engagement=engagement, data={"purpose": "再来"})
    assert Engagement.objects.filter(pk=engagement.pk, is_active=False).exists()
    # the other district's regulator cannot see or end it
    with pytest.raises(Http404):
        services.engagement_end(by=engaged.regulator_b, engagement=engagement)


def test_an_institution_moved_out_of_the_regulators_jurisdiction_drops_out_of_the_engagement(engaged, monkeypatch):
    on(TODAY, monkeypatch)
    inspector = engaged.extra["inspector"]
    assert "甲区人民医院" in visible_names(inspector)

    services.organization_update(organization=engaged.hospital_a, by=engaged.admin, data={"parent": engaged.district_b})

    assert visible_names(inspector) == ["甲区安诚公司"]
