"""POST /api/v1/imports/{kind}/: the same import over the API, token or session."""

import pytest
from rest_framework.authtoken.models import Token

from anjian.accounts.models import User
from anjian.core.audit import AuditVerb
from anjian.core.models import AuditEvent
from anjian.orgs.models import Department

pytestmark = [pytest.mark.django_db, pytest.mark.urls("anjian.imports.tests.urls_with_api")]


def api(client, user):
    token, _ = Token.objects.get_or_create(user=user)
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {token.key}"
    return client


def test_a_good_file_imports_and_returns_the_generated_passwords(client, world, sheet):
    upload = sheet([{"用户名": "api1", "姓名": "接口一", "角色": "一线员工"}])
    response = api(client, world.officer_a).post("/api/v1/imports/staff/", {"file": upload})

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["imported"] == 1 and body["errors"] == [] and body["counts"] == {"人员": 1}
    [generated] = body["passwords"]
    assert User.objects.get(username="api1").check_password(generated["password"])
    assert AuditEvent.objects.filter(verb=AuditVerb.IMPORT_COMPLETED).count() == 1


def test_a_bad_row_is_400_with_every_error_and_nothing_imported(client, world, sheet):
    upload = sheet([{"科室名称": "甲接口科"}, {"科室名称": "甲接口科"}, {"科室名称": "甲子科", "上级科室": "无此科"}])
    response = api(client, world.officer_a).post("/api/v1/imports/departments/", {"file": upload})

    assert response.status_code == 400
    body = response.json()
    assert body["imported"] == 0
    assert [(e["row"], e["column"]) for e in body["errors"]] == [(3, "科室名称"), (4, "上级科室")]
    assert set(body["errors"][0]) == {"row", "column", "value", "message"}
    assert not Department.objects.filter(name="甲接口科").exists()


def test_dry_run_validates_only(client, world, sheet):
    upload = sheet([{"科室名称": "甲接口科"}])
    response = api(client, world.officer_a).post("/api/v1/imports/departments/?dry_run=true", {"file": upload})
    assert response.status_code == 200
    assert response.json()["imported"] == 0 and response.json()["dry_run"] is True
    assert not Department.objects.filter(name="甲接口科").exists()


def test_refusals(client, world, sheet, xlsx):
    officer = api(client, world.clinic_officer_a)
    upload = sheet([{"名称": "x", "机构类别": "诊所"}])
    assert officer.post("/api/v1/imports/institutions/", {"file": upload}).status_code == 403
    assert officer.post("/api/v1/imports/nonsense/", {"file": upload}).status_code == 404
    response = officer.post("/api/v1/imports/staff/", {})
    assert response.status_code == 400 and "file" in response.json()["detail"]
    response = officer.post("/api/v1/imports/staff/", {"file": xlsx(["姓名"], [["x"]])})
    assert response.status_code == 400 and "缺少必填列" in response.json()["detail"]
    assert officer.get("/api/v1/imports/staff/").status_code == 405
    assert api(client, world.staff_a).post("/api/v1/imports/staff/", {"file": upload}).status_code == 403
    response = api(client, world.regulator_a).post(
        "/api/v1/imports/departments/", {"file": sheet([{"科室名称": "渗透科"}]), "organization": world.hospital_b.pk}
    )
    assert response.status_code == 400 and "不在您的管辖范围内" in response.json()["detail"]
    assert not Department.objects.filter(name="渗透科").exists()


def test_the_endpoint_is_in_the_openapi_schema(client):
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    text = response.content.decode()
    assert "/api/v1/imports/{kind}/" in text and "ImportResult" in text


def test_the_endpoint_passes_the_isolation_checks_once_included(world):
    from anjian.core.testing.isolation import Route, check_route

    route = Route("api:import-run", "scoped", kwargs=lambda w: {"kind": "departments"})
    assert check_route(route, world) == []
