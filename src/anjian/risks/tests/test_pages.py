"""The pages: the register, the assessment form, the regulator's overview, post cards with the
acknowledgement, floor plans with areas and the notice board. Wiring, scoping and what a user
reads on them."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from anjian.core.models import AuditEvent
from anjian.risks import services
from anjian.risks.models import CardAcknowledgement, FloorPlan, MapArea, Risk, RiskPoint
from anjian.risks.tests.helpers import jpeg, make_point, make_risk


@pytest.fixture
def officer(client, world):
    client.force_login(world.officer_a)
    return client


def _card(world):
    return services.post_card_save(
        by=world.officer_a,
        post=world.post_a,
        data={"duties": "落实一岗双责\n每班检查氧气终端", "operation_steps": "核对医嘱\n检查氧气压力"},
        emergencies=[
            {
                "incident": "病区火灾",
                "alarm": "按下手动报警按钮并拨打消防控制室",
                "isolate": "关闭防火门、切断氧气阀",
                "rescue": "按预案疏散病人",
                "report": "报告科主任和保卫科",
                "phones": "消防控制室 8119，火警 119",
            }
        ],
    )


def test_officer_creates_a_point_and_rates_a_risk_through_the_forms(officer, world):
    response = officer.post(reverse("risks:point-create"), {"name": "手术室", "kind": "place", "building": "外科楼"})
    point = RiskPoint.objects.get(name="手术室")
    assert response.status_code == 302 and response.url == point.get_absolute_url()
    response = officer.get(reverse("risks:risk-create", args=[point.pk]))
    assert "D = L × E × C" in response.content.decode()
    response = officer.post(
        reverse("risks:risk-create", args=[point.pk]),
        {"name": "电外科设备引燃", "accident_type": "fire", "method": "LEC", "lec_l": "3", "lec_e": "6", "lec_c": "40"},
    )
    risk = Risk.objects.get()
    assert response.status_code == 302 and (risk.score, risk.level) == (720, "major")
    page = officer.get(point.get_absolute_url()).content.decode()
    assert 'data-level="major"' in page and "重大风险" in page and "无管控措施" in page


def test_a_bad_rating_is_shown_on_the_form_and_nothing_is_saved(officer, world):
    point = make_point(world.officer_a)
    response = officer.post(
        reverse("risks:risk-create", args=[point.pk]),
        {"name": "x", "accident_type": "fire", "method": "LS", "ls_l": "3"},
    )
    assert response.status_code == 200
    assert "请选择S 事故后果严重性的分值" in response.content.decode()
    assert not Risk.objects.exists()


def test_the_regulator_sees_red_institutions_and_risks_without_controls_or_checks(client, world):
    point = make_point(world.officer_a)
    make_risk(world.officer_a, point, factors={"l": 6, "e": 6, "c": 15})
    client.force_login(world.regulator_a)
    page = client.get(reverse("risks:overview")).content.decode()
    assert world.hospital_a.name in page
    assert 'data-testid="red-institutions">1<' in page
    page = client.get(reverse("risks:risk-table") + "?without_controls=on").content.decode()
    assert "液氧储罐超压爆炸" in page
    client.force_login(world.regulator_b)
    assert "液氧储罐超压爆炸" not in client.get(reverse("risks:risk-table")).content.decode()


def test_staff_read_the_card_from_its_qr_and_acknowledge_it(client, world):
    card = _card(world)
    client.force_login(world.officer_a)
    page = client.get(card.get_absolute_url()).content.decode()
    assert "<svg" in page and "@page{size:A5" in page.replace(" ", "")
    client.force_login(world.staff_a)
    scan = reverse("risks:card-scan", args=[card.code])
    page = client.get(scan).content.decode()
    for part in ("岗位风险清单", "岗位职责清单", "岗位操作卡", "岗位应急处置卡", "消防控制室 8119"):
        assert part in page
    response = client.post(reverse("risks:card-acknowledge", args=[card.pk]))
    assert response.status_code == 302
    assert CardAcknowledgement.objects.filter(card=card, user=world.staff_a, version=1).count() == 1
    assert AuditEvent.objects.filter(verb="post_card.acknowledged", actor=world.staff_a).count() == 1
    client.post(reverse("risks:card-acknowledge", args=[card.pk]))
    assert CardAcknowledgement.objects.count() == 1
    assert 'data-testid="acknowledged"' in client.get(scan).content.decode()
    # a new version asks for a new acknowledgement
    services.post_card_save(
        by=world.officer_a,
        post=world.post_a,
        data={"duties": "落实一岗双责", "operation_steps": "核对医嘱"},
        emergencies=[
            {"incident": "病区火灾", "alarm": "a", "isolate": "b", "rescue": "c", "report": "d", "phones": "119"}
        ],
    )
    assert 'data-testid="acknowledge"' in client.get(scan).content.decode()


def test_card_form_refuses_an_incomplete_emergency_card(officer, world):
    response = officer.post(
        reverse("risks:card-edit", args=[world.post_a.pk]),
        {"duties": "职责", "operation_steps": "步骤", "e1_incident": "火灾", "e1_alarm": "报警"},
    )
    assert response.status_code == 200
    assert "尚缺" in response.content.decode()


def test_floor_plan_areas_are_coloured_by_their_highest_risk(officer, world):
    point = make_point(world.officer_a)
    make_risk(world.officer_a, point, factors={"l": 3, "e": 6, "c": 15})  # 270: orange
    make_risk(world.officer_a, point, name="低风险", factors={"l": 1, "e": 1, "c": 1})
    response = officer.post(reverse("risks:plan-upload"), {"building": "住院楼", "floor": "1F", "image": jpeg()})
    plan = FloorPlan.objects.get()
    assert response.status_code == 302 and (plan.width, plan.height) == (400, 300)
    response = officer.post(
        reverse("risks:area-create", args=[plan.pk]),
        {"name": "液氧站区域", "points": json.dumps([[0.1, 0.1], [0.4, 0.1], [0.4, 0.5]]), "risk_points": [point.pk]},
    )
    assert response.status_code == 302
    page = officer.get(plan.get_absolute_url()).content.decode()
    assert 'data-level="significant"' in page and "#f76707" in page
    area = MapArea.objects.get()
    notice = officer.get(reverse("risks:area-notice", args=[area.pk])).content.decode()
    assert "风险公告栏" in notice and "较大风险" in notice and "液氧储罐超压爆炸" in notice
    assert officer.get(reverse("risks:plan-image", args=[plan.pk]))["Content-Type"] == "image/jpeg"


def test_bad_plans_and_areas_are_refused_in_chinese(officer, world):
    bad = SimpleUploadedFile("plan.jpg", b"not an image", content_type="image/jpeg")
    response = officer.post(reverse("risks:plan-upload"), {"building": "住院楼", "floor": "1F", "image": bad})
    assert response.status_code == 200 and "不是有效的图片文件" in response.content.decode()
    assert not FloorPlan.objects.exists()
    plan = services.floor_plan_upload(by=world.officer_a, building="住院楼", floor="1F", image=jpeg())
    response = officer.post(
        reverse("risks:area-create", args=[plan.pk]), {"name": "两点", "points": "[[0.1,0.1],[0.2,0.2]]"}
    )
    assert response.status_code == 200 and "至少点选三个点" in response.content.decode()
    assert not MapArea.objects.exists()


def test_register_pages_answer(officer, world):
    point = make_point(world.officer_a)
    risk = make_risk(world.officer_a, point)
    for url in (
        reverse("risks:point-list"),
        reverse("risks:risk-table"),
        reverse("risks:overview"),
        reverse("risks:method-list"),
        reverse("risks:card-list"),
        reverse("risks:plan-list"),
        risk.get_absolute_url(),
        reverse("risks:risk-reassess", args=[risk.pk]),
        reverse("core:home"),
    ):
        assert officer.get(url).status_code == 200, url


def test_the_regulator_publishes_a_new_version_of_a_method_through_the_form(client, world):
    from anjian.risks.models import AssessmentMethod

    client.force_login(world.regulator_a)
    url = reverse("risks:method-version", args=["LS"])
    page = client.get(url).content.decode()
    assert "5 极有可能发生" in page
    data = {
        "factor_l": "5 极有可能\n4 很可能\n3 可能\n2 较不可能\n1 基本不可能",
        "factor_s": "5 特别严重\n4 严重\n3 较严重\n2 一般\n1 轻微",
        "min_major": "15",
        "inclusive_major": "on",
        "label_major": "R ≥ 15",
        "min_significant": "9",
        "inclusive_significant": "on",
        "min_general": "4",
        "inclusive_general": "on",
        "min_low": "1",
        "inclusive_low": "on",
        "note": "市级新标准",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    current = AssessmentMethod.objects.get(code="LS", is_current=True)
    assert current.version == 2 and current.bands.get(level="major").min_score == 15
    client.force_login(world.officer_a)
    assert client.get(url).status_code == 403


def test_lists_issue_the_same_number_of_queries_for_few_and_many_rows(officer, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from anjian.risks.models import Risk as RiskModel

    def counts():
        out = []
        for url in (reverse("risks:risk-table"), reverse("risks:point-list"), "/api/v1/risks/", "/api/v1/risk-points/"):
            with CaptureQueriesContext(connection) as ctx:
                assert officer.get(url).status_code == 200
            out.append(len(ctx))
        return out

    def add(n):
        for i in range(n):
            point = make_point(world.officer_a, name=f"风险点{RiskModel.objects.count()}-{i}")
            risk = make_risk(world.officer_a, point, name=f"风险{i}")
            services.measure_add(
                by=world.officer_a, risk=risk, data={"text": "措施", "type": "management", "tier": "unit"}
            )

    add(2)
    few = counts()
    add(10)
    assert counts() == few


def test_officer_edits_and_deactivates_a_risk_and_a_measure(officer, world):
    point = make_point(world.officer_a)
    risk = make_risk(world.officer_a, point)
    measure = services.measure_add(
        by=world.officer_a, risk=risk, data={"text": "旧措施", "type": "management", "tier": "unit"}
    )
    response = officer.post(
        reverse("risks:risk-edit", args=[risk.pk]),
        {"name": "液氧储罐超压", "accident_type": "vessel", "review_on": "2027-06-30"},
    )
    assert response.status_code == 302
    risk.refresh_from_db()
    assert (risk.name, str(risk.review_on)) == ("液氧储罐超压", "2027-06-30")
    assert (
        officer.post(reverse("risks:measure-deactivate", args=[measure.pk]), {"note": "已更换设备"}).status_code == 302
    )
    measure.refresh_from_db()
    assert not measure.is_active
    assert "已停用“旧措施”" in officer.get(risk.get_absolute_url()).content.decode()  # the message, once
    assert "旧措施" not in officer.get(risk.get_absolute_url()).content.decode()
    assert officer.post(reverse("risks:risk-deactivate", args=[risk.pk]), {"note": "已拆除"}).status_code == 302
    officer.get(reverse("risks:point-list"))  # shows the message
    assert "液氧储罐超压" not in officer.get(reverse("risks:risk-table")).content.decode()
    assert Risk.objects.filter(pk=risk.pk).exists()  # nothing is deleted


def test_a_deactivated_point_leaves_the_list_and_can_be_found_again(officer, world):
    point = make_point(world.officer_a, name="旧锅炉房")
    assert officer.post(reverse("risks:point-deactivate", args=[point.pk]), {"note": "已拆除"}).status_code == 302
    officer.get(reverse("risks:point-list"))  # shows the message
    assert "旧锅炉房" not in officer.get(reverse("risks:point-list")).content.decode()
    page = officer.get(reverse("risks:point-list") + "?active=inactive").content.decode()
    assert "旧锅炉房" in page and "已停用" in page
    assert officer.post(reverse("risks:point-reactivate", args=[point.pk]), {}).status_code == 302
    point.refresh_from_db()
    assert point.is_active


def test_points_on_no_plan_are_listed_in_the_colour_table(officer, world):
    on_plan = make_point(world.officer_a, name="液氧站")
    make_risk(world.officer_a, on_plan)
    elsewhere = make_point(world.officer_a, name="门诊电梯")
    make_risk(world.officer_a, elsewhere, name="困人", method="LS", factors={"l": 2, "s": 4})
    plan = services.floor_plan_upload(by=world.officer_a, building="住院楼", floor="1F", image=jpeg())
    square = [[0.1, 0.1], [0.3, 0.1], [0.3, 0.3]]
    services.map_area_save(by=world.officer_a, plan=plan, name="液氧站区域", points=square, risk_points=[on_plan])
    services.map_area_save(by=world.officer_a, plan=plan, name="尚未关联的区域", points=square, risk_points=[])
    page = officer.get(reverse("risks:plan-list")).content.decode()
    table = page[page.index('data-testid="colour-table"') :]
    assert "门诊电梯" in table and "液氧站" not in table
