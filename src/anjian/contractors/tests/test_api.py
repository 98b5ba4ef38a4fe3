"""The work-permit API: the must-show journey of a hot-work permit (refused 409 with the reason
before its approvals and with a stale gas test; then it starts and closes), allowed_actions, and
a contractor whose agreement expired yesterday getting no permit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from anjian.contractors.models import Qualification
from anjian.contractors.tests.helpers import jpeg, make_contractor
from anjian.core.models import AuditEvent
from anjian.core.testing.factories import api_client

pytestmark = pytest.mark.django_db


def body(w, **extra) -> dict:
    now = timezone.now()
    return {
        "kind": "hot-1",
        "location": "门诊楼3F 配电间",
        "department": w.dept_a.pk,
        "planned_start": (now - dt.timedelta(minutes=10)).isoformat(),
        "planned_end": (now + dt.timedelta(hours=4)).isoformat(),
        "measures": "清除可燃物，配备灭火器",
        "guardian": w.officer_a.pk,
        **extra,
    }


def gas(api, pk, minutes_ago: float):
    tested = timezone.now() - dt.timedelta(minutes=minutes_ago)
    return api.post(
        f"/api/v1/work-permits/{pk}/gas-tests/",
        {
            "tested_at": tested.isoformat(),
            "oxygen_percent": "20.9",
            "combustible_lel_percent": "0",
            "toxic": "CO 0 ppm",
            "passed": True,
            "tester_name": "刘检测",
        },
        format="json",
    )


def test_hot_work_permit_through_the_api(people):
    w = people
    staff, deputy, officer = api_client(w.staff_a), api_client(w.extra["deputy_a"]), api_client(w.officer_a)
    created = staff.post("/api/v1/work-permits/", body(w), format="json")
    assert created.status_code == 201, created.content
    permit = created.json()
    pk = permit["id"]
    assert permit["status"] == "draft" and permit["allowed_actions"] == ["submit", "cancel"]
    url = f"/api/v1/work-permits/{pk}"

    refused = officer.post(f"{url}/start/", {"checks": list(range(7))}, format="json")
    assert refused.status_code == 409
    assert "尚未提交审批" in refused.json()["detail"] and "审批" in refused.json()["detail"]

    assert staff.post(f"{url}/submit/", {}, format="json").status_code == 200
    approved = deputy.post(f"{url}/approve/", {"comment": "同意"}, format="json")
    assert approved.status_code == 200 and approved.json()["pending_step"] == "safety_office"
    refused = officer.post(f"{url}/start/", {"checks": list(range(7))}, format="json")
    assert refused.status_code == 409 and "安全管理部门审批" in refused.json()["detail"]
    detail = officer.post(f"{url}/approve/", {}, format="json").json()
    assert detail["status"] == "approved" and "start" not in detail["allowed_actions"]
    assert any("气体分析" in m for m in detail["missing"])

    assert gas(officer, pk, 40).status_code == 201
    refused = officer.post(f"{url}/start/", {"checks": list(range(7))}, format="json")
    assert refused.status_code == 409 and "已超过 30 分钟" in refused.json()["detail"]

    assert gas(officer, pk, 3).status_code == 201
    detail = officer.get(f"{url}/").json()
    assert detail["missing"] == [] and "start" in detail["allowed_actions"]
    started = officer.post(f"{url}/start/", {"checks": list(range(len(detail["checks"])))}, format="json")
    assert started.status_code == 200 and started.json()["status"] == "active"

    no_photo = officer.post(f"{url}/close/", {"note": "完工"}, format="multipart")
    assert no_photo.status_code == 400 and "照片" in no_photo.json()["detail"]
    closed = officer.post(f"{url}/close/", {"note": "完工，现场已清理", "photos": [jpeg()]}, format="multipart")
    assert closed.status_code == 200, closed.content
    assert closed.json()["status"] == "closed" and closed.json()["allowed_actions"] == []


def test_agreement_expired_yesterday_no_new_permit(people):
    w = people
    contractor = make_contractor(w.officer_a, agreement_ends=timezone.localdate() - dt.timedelta(days=1))
    api = api_client(w.staff_a)
    response = api.post("/api/v1/work-permits/", body(w, contractor=contractor.pk), format="json")
    assert response.status_code == 400
    assert "安全生产管理协议已于" in response.json()["detail"] and "contractor" in response.json()["errors"]
    detail = api_client(w.officer_a).get(f"/api/v1/contractors/{contractor.pk}/").json()
    assert any("到期" in b for b in detail["blockers"])


def test_another_institutions_objects_are_refused_in_the_body(people):
    w = people
    api = api_client(w.staff_a)
    response = api.post("/api/v1/work-permits/", body(w, department=w.dept_b.pk), format="json")
    assert response.status_code == 400 and "department" in response.json()["errors"]
    response = api.post("/api/v1/work-permits/", body(w, kind="no-such"), format="json")
    assert response.status_code == 400 and "kind" in response.json()["errors"]


def test_kinds_are_listed_with_their_rules(people):
    rows = api_client(people.staff_a).get("/api/v1/work-permit-kinds/").json()
    by_code = {r["code"]: r for r in rows}
    assert {"hot-special", "hot-1", "hot-2", "confined-space", "height", "temporary-power", "lifting"} <= set(by_code)
    assert by_code["hot-special"]["steps"] == ["department", "safety_office", "principal"]
    assert by_code["confined-space"]["gas_test_required"] and by_code["confined-space"]["gas_test_valid_minutes"] == 30
    assert not by_code["height"]["gas_test_required"]


def test_a_qualification_is_added_and_retired_through_the_api(people):
    """An expired certificate blocks new permits; retiring it (replaced, entered by mistake) with a
    reason lifts the block, keeps the row and says why in the audit trail; a second retirement is
    409, a missing reason 400, a role that may not manage contractors 403, another district's 404."""
    w = people
    contractor = make_contractor(w.officer_a)
    officer = api_client(w.officer_a)
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()

    added = officer.post(
        f"/api/v1/contractors/{contractor.pk}/qualifications/",
        {"name": "特种设备安装改造维修许可证", "number": "TS3850001-2026", "expires_on": yesterday},
        format="json",
    )
    assert added.status_code == 201 and added.json()["expired"] is True and added.json()["is_active"] is True
    qid = added.json()["id"]
    blockers = officer.get(f"/api/v1/contractors/{contractor.pk}/").json()["blockers"]
    assert any("特种设备安装改造维修许可证" in b for b in blockers)
    url = f"/api/v1/contractor-qualifications/{qid}/retire/"

    assert api_client(w.extra["dept_head_a"]).post(url, {"reason": "x"}, format="json").status_code == 403
    assert api_client(w.regulator_a).post(url, {"reason": "x"}, format="json").status_code == 403
    assert api_client(w.officer_b).post(url, {"reason": "x"}, format="json").status_code == 404
    blank = officer.post(url, {"reason": " "}, format="json")
    assert blank.status_code == 400 and "reason" in blank.json()["errors"]
    assert Qualification.objects.get(pk=qid).is_active

    retired = officer.post(url, {"reason": "录入有误，实为分包单位证书"}, format="json")

    assert retired.status_code == 200 and retired.json()["is_active"] is False
    assert retired.json()["contractor"] == contractor.pk
    assert officer.get(f"/api/v1/contractors/{contractor.pk}/").json()["blockers"] == []
    event = AuditEvent.objects.get(verb="contractor.qualification_retired")
    assert event.actor == w.officer_a and event.note == "录入有误，实为分包单位证书"
    again = officer.post(url, {"reason": "再次"}, format="json")
    assert again.status_code == 409 and "已停用" in again.json()["detail"]
    listed = officer.get("/api/v1/contractor-qualifications/", {"contractor": contractor.pk, "active": "false"})
    assert [q["id"] for q in listed.json()["results"]] == [qid]
    active = officer.get("/api/v1/contractor-qualifications/", {"contractor": contractor.pk}).json()["results"]
    assert [q["name"] for q in active] == ["安全生产许可证"]
    assert api_client(w.officer_b).get(f"/api/v1/contractor-qualifications/{qid}/").status_code == 404


def test_the_retire_action_is_documented_like_the_other_actions(client, db):
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/contractor-qualifications/{id}/retire/"]["post"]
    assert operation["summary"] == "停用资质证书" and "须填写原因" in operation["description"]
    assert {"200", "400", "403", "404", "409"} <= set(operation["responses"])
    assert "post" in schema["paths"]["/api/v1/contractors/{id}/qualifications/"]
