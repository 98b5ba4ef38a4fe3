"""The services' rules: who may write, within which institution, what is refused and what the
audit trail records."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from anjian.core.errors import DomainError, NotPermittedError
from anjian.core.models import AuditEvent
from anjian.risks import services
from anjian.risks.models import ControlMeasure, PostCard, Risk, RiskAssessment, RiskPoint
from anjian.risks.tests.helpers import jpeg, make_point, make_risk

EMERGENCY = {
    "incident": "火灾",
    "alarm": "报警",
    "isolate": "隔离",
    "rescue": "救援",
    "report": "报告",
    "phones": "119",
}


def test_each_write_records_its_audit_event(world):
    start = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    point = make_point(world.officer_a)
    risk = make_risk(world.officer_a, point)
    services.risk_reassess(by=world.officer_a, risk=risk, method="LS", factors={"l": 2, "s": 2}, note="改用矩阵法")
    services.measure_add(by=world.officer_a, risk=risk, data={"text": "措施", "type": "training", "tier": "unit"})
    services.risk_point_update(by=world.officer_a, point=point, data={"floor": "2F"})
    services.risk_set_active(by=world.officer_a, risk=risk, active=False, note="设备已拆除")
    services.risk_point_set_active(by=world.officer_a, point=point, active=False)
    verbs = list(AuditEvent.objects.filter(pk__gt=start).order_by("pk").values_list("verb", flat=True))
    assert verbs == [
        "risk_point.created",
        "risk.assessed",
        "risk.reassessed",
        "control_measure.added",
        "risk_point.updated",
        "risk.deactivated",
        "risk_point.deactivated",
    ]
    reassessed = AuditEvent.objects.get(verb="risk.reassessed")
    assert reassessed.changes["level"] == ["重大风险", "一般风险"] and reassessed.note == "改用矩阵法"
    risk.refresh_from_db()
    assert (risk.method.code, risk.level, risk.is_active) == ("LS", "general", False)
    assert RiskAssessment.objects.filter(risk=risk).count() == 2


@pytest.mark.parametrize("who", ["staff_a", "regulator_a", "admin"])
def test_only_the_institutions_leaders_write_the_register(world, who):
    with pytest.raises((NotPermittedError, PermissionDenied)):
        services.risk_point_create(by=getattr(world, who), data={"name": "x"})
    assert not RiskPoint.objects.exists()


def test_nobody_writes_another_institutions_register(world):
    point = make_point(world.officer_a)
    risk = make_risk(world.officer_a, point)
    from django.http import Http404

    with pytest.raises(Http404):
        make_risk(world.officer_b, point)
    with pytest.raises(Http404):
        services.measure_add(by=world.officer_b, risk=risk, data={"text": "x", "type": "management", "tier": "unit"})
    with pytest.raises(Http404):
        services.post_card_save(
            by=world.officer_b, post=world.post_a, data={"duties": "x", "operation_steps": "y"}, emergencies=[EMERGENCY]
        )
    assert Risk.objects.count() == 1 and not ControlMeasure.objects.exists()


def test_a_measure_names_posts_and_people_of_its_own_institution(world):
    risk = make_risk(world.officer_a, make_point(world.officer_a))
    with pytest.raises(DomainError) as exc:
        services.measure_add(
            by=world.officer_a,
            risk=risk,
            data={"text": "x", "type": "management", "tier": "post", "responsible_person": world.staff_b},
        )
    assert exc.value.field == "responsible_person"


def test_card_versions_keep_earlier_emergency_cards(world):
    card = services.post_card_save(
        by=world.officer_a, post=world.post_a, data={"duties": "一", "operation_steps": "二"}, emergencies=[EMERGENCY]
    )
    same = services.post_card_save(
        by=world.officer_a, post=world.post_a, data={"duties": "一", "operation_steps": "二"}, emergencies=[EMERGENCY]
    )
    assert same.version == 1
    card = services.post_card_save(
        by=world.officer_a,
        post=world.post_a,
        data={"duties": "一\n三", "operation_steps": "二"},
        emergencies=[{**EMERGENCY, "phones": "8119"}],
    )
    assert card.version == 2 and PostCard.objects.count() == 1
    assert list(card.emergencies.order_by("version").values_list("version", "phones")) == [(1, "119"), (2, "8119")]
    with pytest.raises(DomainError):
        services.post_card_save(
            by=world.officer_a, post=world.post_a, data={"duties": "", "operation_steps": "x"}, emergencies=[EMERGENCY]
        )
    with pytest.raises(DomainError) as exc:
        services.post_card_save(
            by=world.officer_a, post=world.post_a, data={"duties": "x", "operation_steps": "x"}, emergencies=[]
        )
    assert "至少填写一张应急处置卡" in str(exc.value.message)


def test_only_the_institutions_staff_acknowledge_its_cards(world):
    card = services.post_card_save(
        by=world.officer_a, post=world.post_a, data={"duties": "一", "operation_steps": "二"}, emergencies=[EMERGENCY]
    )
    with pytest.raises(NotPermittedError):
        services.post_card_acknowledge(by=world.regulator_a, card=card)
    assert services.post_card_acknowledge(by=world.staff_a, card=card).version == 1


def test_areas_link_only_the_institutions_risk_points(world):
    plan = services.floor_plan_upload(by=world.officer_a, building="门诊楼", floor="1F", image=jpeg())
    own = make_point(world.officer_a)
    other = make_point(world.officer_b, name="乙液氧站")
    with pytest.raises(DomainError) as exc:
        services.map_area_save(
            by=world.officer_a, plan=plan, name="区", points=[[0, 0], [1, 0], [1, 1]], risk_points=[own, other]
        )
    assert exc.value.field == "risk_points"
    with pytest.raises(DomainError):
        services.map_area_save(
            by=world.officer_a, plan=plan, name="区", points=[[0, 0], [2, 0], [1, 1]], risk_points=[]
        )
    area = services.map_area_save(
        by=world.officer_a, plan=plan, name="区", points=[[0, 0], [1, 0], [1, 1]], risk_points=[own]
    )
    again = services.floor_plan_upload(by=world.officer_a, building="门诊楼", floor="1F", image=jpeg(size=(800, 600)))
    assert again.pk == plan.pk and (again.width, again.height) == (800, 600)
    assert list(again.areas.all()) == [area]
