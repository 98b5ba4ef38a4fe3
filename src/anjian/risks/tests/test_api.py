"""The API: POST /api/v1/risks/ rates with LEC or LS and answers score, level and colour; bad
values get a Chinese message and change nothing; risk points, measures and post cards."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from anjian.core.models import AuditEvent
from anjian.risks.models import Risk
from anjian.risks.tests.helpers import make_point


@pytest.fixture
def api(world):
    def client_for(user):
        client = APIClient()
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return client_for


@pytest.mark.parametrize(
    ("body", "score", "level", "colour"),
    [
        ({"method": "LEC", "l": 6, "e": 6, "c": 15}, 540, "major", "red"),
        ({"method": "LEC", "l": 3, "e": 6, "c": 15}, 270, "significant", "orange"),
        ({"method": "LEC", "l": 3, "e": 6, "c": 7}, 126, "general", "yellow"),
        ({"method": "LEC", "l": 10, "e": 1, "c": 7}, 70, "low", "blue"),
        ({"method": "LS", "l": 4, "s": 5}, 20, "major", "red"),
        ({"method": "LS", "l": 4, "s": 4}, 16, "significant", "orange"),
        ({"method": "LS", "l": 3, "s": 3}, 9, "general", "yellow"),
        ({"method": "LS", "l": 1, "s": 3}, 3, "low", "blue"),
    ],
)
def test_post_a_risk_answers_score_level_and_colour(world, api, body, score, level, colour):
    point = make_point(world.officer_a)
    response = api(world.officer_a).post(
        "/api/v1/risks/", {"risk_point": point.pk, "name": "液氧储罐超压", **body}, format="json"
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["score"], data["level"], data["colour"]) == (score, level, colour)
    assert data["method"] == body["method"] and data["method_version"] == 1
    assert Risk.objects.get(pk=data["id"]).level == level


def test_a_value_outside_the_table_is_refused_in_chinese(world, api):
    point = make_point(world.officer_a)
    before = AuditEvent.objects.count()
    response = api(world.officer_a).post(
        "/api/v1/risks/", {"risk_point": point.pk, "name": "x", "method": "LEC", "l": 4, "e": 6, "c": 15}, format="json"
    )
    assert response.status_code == 400
    assert "不能取 4" in response.json()["detail"]
    assert not Risk.objects.exists() and AuditEvent.objects.count() == before
    response = api(world.officer_a).post(
        "/api/v1/risks/", {"risk_point": point.pk, "name": "x", "method": "ABC"}, format="json"
    )
    assert response.status_code == 400


def test_staff_read_but_do_not_write_the_register(world, api):
    point = make_point(world.officer_a)
    staff = api(world.staff_a)
    assert staff.get("/api/v1/risk-points/").json()["count"] == 1
    response = staff.post(
        "/api/v1/risks/", {"risk_point": point.pk, "name": "x", "method": "LS", "l": 1, "s": 1}, format="json"
    )
    assert response.status_code == 403


def test_points_measures_and_cards(world, api):
    client = api(world.officer_a)
    response = client.post("/api/v1/risk-points/", {"name": "职工食堂燃气", "kind": "place"}, format="json")
    assert response.status_code == 201
    point_id = response.json()["id"]
    risk = client.post(
        "/api/v1/risks/",
        {"risk_point": point_id, "name": "燃气泄漏爆炸", "method": "LEC", "l": 3, "e": 6, "c": 15},
        format="json",
    ).json()
    response = client.post(
        "/api/v1/risk-measures/",
        {
            "risk": risk["id"],
            "type": "engineering",
            "tier": "post",
            "text": "燃气报警器联动切断阀",
            "responsible_post": world.post_a.pk,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    points = client.get("/api/v1/risk-points/").json()["results"]
    assert points[0]["top_level"] == "significant"
    detail = client.get(f"/api/v1/risks/{risk['id']}/").json()
    assert [m["text"] for m in detail["measures"]] == ["燃气报警器联动切断阀"]
    assert detail["measure_count"] == 1 and detail["is_checked"] is False
    from anjian.risks import services

    card = services.post_card_save(
        by=world.officer_a,
        post=world.post_a,
        data={"duties": "一岗双责", "operation_steps": "开火前检查报警器"},
        emergencies=[
            {
                "incident": "燃气泄漏",
                "alarm": "呼叫",
                "isolate": "关阀",
                "rescue": "疏散",
                "report": "报告",
                "phones": "119",
            }
        ],
    )
    staff = api(world.staff_a)
    data = staff.get(f"/api/v1/post-cards/{card.pk}/").json()
    assert data["risks"][0]["measures"] == ["燃气报警器联动切断阀"] and data["acknowledged"] is False
    assert staff.post(f"/api/v1/post-cards/{card.pk}/acknowledge/").json()["acknowledged"] is True


def test_an_id_in_the_body_outside_the_callers_scope_is_bad_input(world, api):
    """The API's rule (core.api.scoped_ref, docs/architecture.md): an id in the path that the caller
    may not see is 404; an id in the body is bad input, 400 on its field, the same message for another
    institution's object as for a missing one, and nothing is written."""
    theirs = make_point(world.officer_b)
    client = api(world.officer_a)
    before = (Risk.objects.count(), AuditEvent.objects.count())
    answers = []
    for risk_point in (theirs.pk, 10**9):
        response = client.post(
            "/api/v1/risks/",
            {"risk_point": risk_point, "name": "x", "method": "LS", "l": 1, "s": 1},
            format="json",
        )
        assert response.status_code == 400, response.content
        answers.append(response.json()["errors"]["risk_point"][0].replace(str(risk_point), "N"))
    assert answers[0] == answers[1] and "不存在或不在您的管辖范围内" in answers[0]
    response = client.post(
        "/api/v1/risk-points/", {"name": "配电室", "kind": "place", "department": world.dept_b.pk}, format="json"
    )
    assert response.status_code == 400 and "department" in response.json()["errors"]
    assert (Risk.objects.count(), AuditEvent.objects.count()) == before
    assert client.get(f"/api/v1/risk-points/{theirs.pk}/").status_code == 404
