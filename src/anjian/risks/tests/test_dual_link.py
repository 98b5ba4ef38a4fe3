"""The link that makes prevention "dual": a control measure becomes a checklist item; failed in an
inspection it raises a hazard linked back to the risk; hazards show at the risk point; recurring
hazards flag the risk for re-assessment; risks without controls or checks are found."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from anjian.core.errors import DomainError
from anjian.core.models import AuditEvent
from anjian.hazards import services as hazard_services
from anjian.hazards.models import HazardCategory
from anjian.hazards.tests.helpers import jpeg
from anjian.inspections import selectors as inspection_selectors
from anjian.inspections import services as inspection_services
from anjian.inspections.models import ChecklistItem
from anjian.risks import selectors, services
from anjian.risks.tests.helpers import make_point, make_risk


@pytest.fixture
def oxygen(world):
    point = make_point(world.officer_a, name="液氧站", building="住院楼北侧")
    risk = make_risk(world.officer_a, point, factors={"l": 6, "e": 6, "c": 15})  # 540: major, red
    measure = services.measure_add(
        by=world.officer_a,
        risk=risk,
        data={
            "type": "engineering",
            "tier": "post",
            "text": "储罐压力表、安全阀在检定有效期内",
            "responsible_post": world.post_a,
        },
    )
    return point, risk, measure


def _schedule(world, template):
    return inspection_services.schedule_create(
        by=world.officer_a,
        data={
            "name": "液氧站每日巡检",
            "template": template,
            "post": world.post_a,
            "rhythm": "daily",
            "starts_on": timezone.localdate() - dt.timedelta(days=1),
        },
    )


def test_a_failed_control_measure_raises_a_hazard_linked_to_its_risk(world, oxygen):
    point, risk, measure = oxygen
    assert list(selectors.risk_list(user=world.officer_a, without_checks=True)) == [risk]

    template = services.risk_point_checklist(by=world.officer_a, risk_point=point)
    assert template.is_published
    item = template.items.get()
    assert (item.text, item.key) == (measure.text, measure.key)
    assert AuditEvent.objects.filter(verb="risk_point.checklist_generated").exists()
    assert list(selectors.risk_list(user=world.officer_a, without_checks=True)) == []

    schedule = _schedule(world, template)
    record = inspection_services.inspection_submit(
        by=world.staff_a,
        schedule=schedule,
        results=[{"item": item.pk, "result": "fail", "note": "安全阀检定过期两个月", "photos": [jpeg()]}],
    )
    hazard = record.results.get().hazard
    assert hazard is not None and hazard.risk == risk
    assert list(selectors.hazards_of_point(user=world.officer_a, point=point)) == [hazard]
    # a hazard raised by an ordinary checklist item is linked to no risk
    assert not selectors.hazards_of_point(user=world.regulator_b, point=point).exists()


def test_a_new_measure_goes_into_the_next_version_and_schedules_follow(world, oxygen):
    point, risk, measure = oxygen
    v1 = services.risk_point_checklist(by=world.officer_a, risk_point=point)
    schedule = _schedule(world, v1)
    second = services.measure_add(
        by=world.officer_a,
        risk=risk,
        data={"type": "management", "tier": "team", "text": "液氧站周边严禁烟火、无可燃物"},
    )
    v2 = services.risk_point_checklist(by=world.officer_a, risk_point=point)
    assert (v2.family, v2.version) == (v1.family, 2)
    assert set(v2.items.values_list("key", flat=True)) == {measure.key, second.key}
    assert inspection_selectors.current_version(schedule.template) == v2
    with pytest.raises(DomainError) as exc:
        services.risk_point_checklist(by=world.officer_a, risk_point=point)
    assert "无需生成新版本" in str(exc.value.message)


def test_no_checklist_without_measures_and_only_by_the_institution(world):
    point = make_point(world.officer_a)
    make_risk(world.officer_a, point)
    with pytest.raises(DomainError) as exc:
        services.risk_point_checklist(by=world.officer_a, risk_point=point)
    assert "还没有启用的管控措施" in str(exc.value.message)
    assert not ChecklistItem.objects.filter(template__owner=world.hospital_a).exists()
    assert [r.risk_point for r in selectors.risk_list(user=world.regulator_a, without_controls=True)] == [point]


def test_recurring_hazards_flag_the_risk_for_reassessment(world, oxygen):
    point, risk, _measure = oxygen
    fire = HazardCategory.objects.get(code="fire")
    for title in ("安全阀检定过期", "压力表读数异常"):
        hazard_services.hazard_report(
            by=world.officer_a,
            organization=world.hospital_a,
            data={"title": title, "location": "液氧站", "category": fire, "risk": risk},
        )
        flagged = selectors.risk_list(user=world.officer_a).get(pk=risk.pk)
        assert selectors.needs_reassessment(flagged) == (title == "压力表读数异常")
    assert selectors.flagged_risks(user=world.officer_a) == [risk]
    services.risk_update(by=world.officer_a, risk=risk, data={"review_on": timezone.localdate() - dt.timedelta(days=1)})
    other = make_risk(
        world.officer_a, point, name="液氧泄漏冻伤", review_on=timezone.localdate() - dt.timedelta(days=1)
    )
    assert selectors.needs_reassessment(selectors.risk_list(user=world.officer_a).get(pk=other.pk))


def test_a_hazard_cannot_point_at_another_institutions_risk(world, oxygen):
    _point, risk, _measure = oxygen
    with pytest.raises(DomainError):
        hazard_services.hazard_report(
            by=world.officer_b,
            organization=world.hospital_b,
            data={"title": "x", "location": "y", "category": HazardCategory.objects.get(code="fire"), "risk": risk},
        )


def test_the_hazard_page_links_back_to_the_risk(client, world, oxygen):
    from django.urls import reverse

    point, risk, _measure = oxygen
    template = services.risk_point_checklist(by=world.officer_a, risk_point=point)
    record = inspection_services.inspection_submit(
        by=world.staff_a,
        schedule=_schedule(world, template),
        results=[{"item": template.items.get().pk, "result": "fail", "note": "压力表损坏", "photos": [jpeg()]}],
    )
    hazard = record.results.get().hazard
    client.force_login(world.officer_a)
    page = client.get(reverse("hazards:hazard-detail", args=[hazard.pk])).content.decode()
    assert 'data-testid="hazard-risk"' in page and reverse("risks:risk-detail", args=[risk.pk]) in page
    page = client.get(point.get_absolute_url()).content.decode()
    assert hazard.number in page


def test_the_regulators_overview_counts_levels_controls_and_checks(world):
    point = make_point(world.officer_a)
    make_risk(world.officer_a, point, name="无措施重大风险", factors={"l": 6, "e": 6, "c": 15})
    general = make_risk(world.officer_a, point, name="一般风险", factors={"l": 3, "e": 6, "c": 7})
    services.measure_add(by=world.officer_a, risk=general, data={"text": "措施", "type": "management", "tier": "unit"})
    clinic_point = make_point(world.clinic_officer_a, name="诊所治疗室")
    low = make_risk(world.clinic_officer_a, clinic_point, name="低风险", method="LS", factors={"l": 1, "s": 2})
    services.measure_add(by=world.clinic_officer_a, risk=low, data={"text": "措施", "type": "training", "tier": "post"})
    services.risk_point_checklist(by=world.clinic_officer_a, risk_point=clinic_point)

    rows = selectors.jurisdiction_overview(user=world.regulator_a)
    assert [r.organization for r in rows] == [world.hospital_a, world.clinic_a]
    hospital, clinic = rows
    assert hospital.counts == {"major": 1, "significant": 0, "general": 1, "low": 0}
    assert (hospital.without_controls, hospital.without_checks, hospital.total) == (1, 2, 2)
    assert clinic.counts["low"] == 1 and (clinic.without_controls, clinic.without_checks) == (0, 0)
    assert selectors.jurisdiction_overview(user=world.regulator_b) == []
    assert [r.organization for r in selectors.jurisdiction_overview(user=world.officer_a)] == [world.hospital_a]


def test_staff_report_a_failed_control_at_the_risk(client, world, oxygen):
    from django.urls import reverse

    point, risk, _measure = oxygen
    client.force_login(world.staff_a)
    url = reverse("risks:risk-hazard", args=[risk.pk])
    assert "发现了什么" in client.get(url).content.decode()
    fire = HazardCategory.objects.get(code="fire")
    response = client.post(url, {"title": "安全阀铅封缺失", "category": fire.pk, "photos": [jpeg()]})
    assert response.status_code == 302
    hazard = risk.hazards.get()
    assert (hazard.title, hazard.location, hazard.found_by) == ("安全阀铅封缺失", point.place, world.staff_a)
    assert hazard.photos.count() == 1
    response = client.post(url, {"title": "没有照片", "category": fire.pk})
    assert response.status_code == 200 and risk.hazards.count() == 1
