"""The scripted walk through the hazards API: the whole loop for a general and a major hazard, and
every refusal answered 4xx with a Chinese message while nothing changes.

Every client signs in as an integration does: a real token from ``POST /api/v1/auth/token/``.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.models import model_to_dict
from django.utils import timezone
from rest_framework.test import APIClient

from anjian.core.models import AuditEvent
from anjian.core.testing import factories as f
from anjian.hazards.choices import HazardLevel
from anjian.hazards.models import Hazard, HazardPhoto, Postponement
from anjian.hazards.tests.helpers import criterion, jpeg

pytestmark = pytest.mark.django_db

API = "/api/v1/hazards/"
CHINESE = re.compile(r"[\u4e00-\u9fff]")
ACTIONS = [
    "confirm",
    "dismiss",
    "submit",
    "endorse",
    "accept",
    "reject",
    "postpone",
    "approve-postponement",
    "refuse-postponement",
    "reclassify",
    "supervise",
    "unsupervise",
]


def token_client(user) -> APIClient:
    """A client holding a real API token, fetched the way an integration fetches it."""
    anonymous = APIClient()
    response = anonymous.post("/api/v1/auth/token/", {"username": user.username, "password": f.PASSWORD}, format="json")
    assert response.status_code == 200, response.content
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    return client


def day(offset: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=offset)).isoformat()


def state(pk: int) -> tuple:
    """Everything a refusal must leave untouched: the row, its photos, postponements and history."""
    hazard = Hazard.objects.get(pk=pk)
    return (
        model_to_dict(hazard),
        hazard.updated_at,
        list(HazardPhoto.objects.filter(hazard_id=pk).values_list("pk", flat=True)),
        list(Postponement.objects.filter(hazard_id=pk).values()),
        AuditEvent.objects.filter(target_type__model="hazard", target_id=str(pk)).count(),
    )


def refused(client, url: str, data=None, *, status: int, says: str = "", fmt: str = "json"):
    """POST (or GET when ``data`` is None) and prove the answer is ``status`` with a Chinese message."""
    response = client.get(url) if data is None else client.post(url, data, format=fmt)
    assert response.status_code == status, (url, response.status_code, response.content.decode())
    body = response.json()
    assert CHINESE.search(body["detail"]), body
    assert says in body["detail"], body
    return body


def post(client, url: str, data=None, *, fmt: str = "json", expect: int = 200) -> dict:
    response = client.post(url, data or {}, format=fmt)
    assert response.status_code == expect, (url, response.status_code, response.content.decode())
    return response.json()


def verbs(client, pk: int) -> list[str]:
    response = client.get(f"{API}{pk}/events/")
    assert response.status_code == 200
    return [e["verb"] for e in response.json()["results"]]


def test_general_loop(people):
    w = people
    nurse, officer, dept_head = token_client(w.staff_a), token_client(w.officer_a), token_client(w.extra["dept_head_a"])

    # report (multipart with its photo: the organization is the caller's), then another photo by upload
    created = post(
        nurse,
        API,
        {
            "title": "安全出口堵塞",
            "location": "住院部3楼东侧",
            "category": "fire",
            "department": w.dept_a.pk,
            "photos": [jpeg()],
        },
        fmt="multipart",
        expect=201,
    )
    pk = created["id"]
    assert created["number"].startswith(f"YH-{timezone.localdate().year}-")
    assert created["organization"] == w.hospital_a.pk and created["organization_name"] == w.hospital_a.name
    assert (created["status"], created["status_label"]) == ("reported", "待确认")
    assert (created["level"], created["source"], created["category"]) == ("general", "self_inspection", "fire")
    assert created["department"] == w.dept_a.pk and created["found_by"] == w.staff_a.pk
    assert created["allowed_actions"] == []
    photo = post(nurse, f"{API}{pk}/photos/", {"image": jpeg(), "phase": "before"}, fmt="multipart", expect=201)
    assert photo["phase"] == "before" and photo["width"] == 640
    image = nurse.get(photo["image"])
    assert image.status_code == 200 and image["Content-Type"] == "image/jpeg"
    assert b"".join(image.streaming_content)[:2] == b"\xff\xd8"
    assert nurse.get(photo["thumbnail"]).status_code == 200

    detail = officer.get(f"{API}{pk}/").json()
    assert [p["id"] for p in detail["photos"]] == [created["photos"][0]["id"], photo["id"]]
    assert detail["allowed_actions"] == ["confirm", "dismiss", "reclassify"]
    assert detail["missing_plan_parts"] == ["整改责任人", "整改措施", "整改期限"]

    # confirm with the plan: rectification begins
    confirmed = post(
        officer,
        f"{API}{pk}/confirm/",
        {
            "responsible": w.extra["dept_head_a"].pk,
            "responsible_unit": "心内科",
            "measures": "清理通道杂物，张贴警示标识",
            "funds": "300.50",
            "deadline": day(7),
        },
    )
    assert confirmed["status"] == "rectifying"
    assert confirmed["responsible"] == w.extra["dept_head_a"].pk and confirmed["responsible_name"]
    assert confirmed["funds"] == "300.50" and confirmed["deadline"] == confirmed["original_deadline"] == day(7)
    assert confirmed["missing_plan_parts"] == [] and confirmed["confirmed_by"] == w.officer_a.pk
    assert confirmed["is_overdue"] is False

    # postpone, approved by the deputy; the original deadline stays
    post(dept_head, f"{API}{pk}/postpone/", {"new_deadline": day(14), "reason": "等待消防门配件"})
    pending = officer.get(f"{API}{pk}/").json()
    assert pending["postponements"][0]["decision"] == "pending" and pending["deadline"] == day(7)
    approved = post(token_client(w.extra["deputy_a"]), f"{API}{pk}/approve-postponement/", {"note": "同意"})
    assert (approved["deadline"], approved["original_deadline"], approved["postponement_count"]) == (
        day(14),
        day(7),
        1,
    )

    # the after-photo first, then the submission
    post(dept_head, f"{API}{pk}/photos/", {"image": jpeg("after.jpg"), "phase": "after"}, fmt="multipart", expect=201)
    submitted = post(dept_head, f"{API}{pk}/submit/", {"rectification_note": "杂物已清理，通道畅通"})
    assert submitted["status"] == "awaiting_acceptance" and submitted["rectified_by"] == w.extra["dept_head_a"].pk
    assert [p["phase"] for p in submitted["photos"]] == ["before", "before", "after"]

    accepted = post(officer, f"{API}{pk}/accept/", {"note": "复查合格"})
    assert (accepted["status"], accepted["status_label"]) == ("closed", "已销号")
    assert accepted["accepted_by"] == w.officer_a.pk and accepted["acceptance_note"] == "复查合格"
    assert accepted["allowed_actions"] == []

    history = officer.get(f"{API}{pk}/events/").json()
    assert [e["verb"] for e in history["results"]] == [
        "hazard.accepted",
        "hazard.submitted",
        "hazard.photo_added",
        "hazard.postpone_approved",
        "hazard.postpone_requested",
        "hazard.confirmed",
        "hazard.photo_added",
        "hazard.reported",
    ]
    confirmed_event = history["results"][5]
    assert confirmed_event["verb_label"] == "确认隐患并制定整改方案"
    assert confirmed_event["actor"] == w.officer_a.pk and "甲安全员" in confirmed_event["actor_name"]
    assert confirmed_event["changes"]["status"] == ["待确认", "整改中"]
    assert history["results"][0]["note"] == "复查合格" and history["results"][0]["at"]


def test_major_loop(people):
    w = people
    officer, principal, regulator = token_client(w.officer_a), token_client(w.head_a), token_client(w.regulator_a)
    item = criterion()

    # report with its photos in the same multipart request
    created = post(
        officer,
        API,
        {
            "title": "液氧站安全阀失效",
            "location": "液氧站",
            "category": item.category.code,
            "level": "major",
            "criterion": item.pk,
            "description": "安全阀校验过期",
            "photos": [jpeg("a.jpg"), jpeg("b.jpg", color=(0, 90, 200))],
        },
        fmt="multipart",
        expect=201,
    )
    pk = created["id"]
    assert created["level"] == "major" and created["criterion"] == item.pk and item.code in created["criterion_text"]
    assert [p["phase"] for p in created["photos"]] == ["before", "before"]
    assert len(created["missing_plan_parts"]) == 6

    # a major hazard without its six parts is refused, listing what is missing, and nothing changes
    before = state(pk)
    body = refused(
        officer,
        f"{API}{pk}/confirm/",
        {"responsible": w.officer_a.pk, "measures": "更换安全阀", "deadline": day(30)},
        status=400,
        says="六项内容",
    )
    for part in ("整改目标和任务", "经费和物资", "安全措施和应急预案"):
        assert part in body["detail"]
    assert "plan" in body["errors"]
    assert state(pk) == before

    plan = {
        "goal": "消除液氧站安全隐患",
        "measures": "更换安全阀并复检",
        "funds": 12000.5,
        "materials": "安全阀2只",
        "responsible_unit": "设备科",
        "responsible": w.officer_a.pk,
        "deadline": day(30),
        "requirements": "30日内完成并经检验合格",
        "safety_measures": "整改期间停用液氧储罐，设置警戒区，启用备用汇流排",
    }
    confirmed = post(officer, f"{API}{pk}/confirm/", plan)
    assert confirmed["status"] == "rectifying" and confirmed["funds"] == "12000.50"
    assert confirmed["goal"] == plan["goal"] and confirmed["safety_measures"] == plan["safety_measures"]

    # the regulator lists it for supervision
    supervised = post(
        regulator,
        f"{API}{pk}/supervise/",
        {"level": "district", "deadline": day(60), "notice_number": "甲卫督〔2026〕1号"},
    )
    assert supervised["is_supervised"] is True and supervised["supervision_level"] == "district"
    assert supervised["supervision_notice_number"] == "甲卫督〔2026〕1号" and supervised["supervision_deadline"] == day(
        60
    )
    listed = regulator.get(API, {"supervised": "true"}).json()
    assert [r["id"] for r in listed["results"]] == [pk]

    # postponement of a major hazard: the principal may not decide, the regulator does
    post(officer, f"{API}{pk}/postpone/", {"new_deadline": day(45), "reason": "安全阀供货周期"})
    before = state(pk)
    refused(principal, f"{API}{pk}/approve-postponement/", {"note": "同意"}, status=403, says="监管部门")
    assert state(pk) == before
    approved = post(regulator, f"{API}{pk}/approve-postponement/", {"note": "同意延期"})
    assert approved["deadline"] == day(45) and approved["original_deadline"] == day(30)

    # the rectification with its after-photo in the same request
    submitted = post(
        officer,
        f"{API}{pk}/submit/",
        {"rectification_note": "安全阀已更换并校验合格", "after_photos": [jpeg("after.jpg")]},
        fmt="multipart",
    )
    assert submitted["status"] == "awaiting_acceptance"
    assert [p["phase"] for p in submitted["photos"]] == ["before", "before", "after"]

    # an institution user cannot accept a major hazard; the regulator only after the principal's endorsement
    before = state(pk)
    refused(principal, f"{API}{pk}/accept/", {"note": "同意"}, status=403, says="监管部门审核销号")
    refused(regulator, f"{API}{pk}/accept/", {"note": "同意"}, status=409, says="主要负责人审核")
    assert state(pk) == before
    assert regulator.get(f"{API}{pk}/").json()["allowed_actions"] == ["reclassify", "unsupervise"]

    endorsed = post(principal, f"{API}{pk}/endorse/", {"note": "同意报监管部门审核"})
    assert endorsed["endorsed_by"] == w.head_a.pk and endorsed["status"] == "awaiting_acceptance"
    assert regulator.get(f"{API}{pk}/").json()["allowed_actions"] == ["accept", "reject", "reclassify", "unsupervise"]

    unsupervised = post(regulator, f"{API}{pk}/unsupervise/", {"note": "整改到位，解除督办"})
    assert unsupervised["is_supervised"] is False
    accepted = post(regulator, f"{API}{pk}/accept/", {"note": "审核通过，同意销号"})
    assert accepted["status"] == "closed" and accepted["accepted_by"] == w.regulator_a.pk

    assert verbs(officer, pk) == [
        "hazard.accepted",
        "hazard.unsupervised",
        "hazard.endorsed",
        "hazard.submitted",
        "hazard.postpone_approved",
        "hazard.postpone_requested",
        "hazard.supervised",
        "hazard.confirmed",
        "hazard.reported",
    ]


def test_on_the_spot_fix_dismiss_reject_refuse_and_reclassify(people):
    w = people
    nurse, officer, principal = token_client(w.staff_a), token_client(w.officer_a), token_client(w.head_a)

    # 即查即改: reported fixed, with the after-photo, straight to acceptance
    fixed = post(
        nurse,
        API,
        {
            "title": "插线板串接",
            "location": "护士站",
            "category": "electrical",
            "fixed_on_spot": "true",
            "note": "已拆除串接插线板",
            "photos": [jpeg()],
            "after_photos": [jpeg("after.jpg")],
        },
        fmt="multipart",
        expect=201,
    )
    assert fixed["status"] == "awaiting_acceptance" and fixed["fixed_on_spot"] is True
    assert fixed["rectification_note"] == "已拆除串接插线板"

    # reject (with its reason) sends it back to rectifying
    body = refused(officer, f"{API}{fixed['id']}/reject/", {}, status=400, says="理由")
    assert body["errors"] == {"reason": [body["detail"]]}
    rejected = post(officer, f"{API}{fixed['id']}/reject/", {"reason": "插座仍有灼痕，需更换"})
    assert rejected["status"] == "rectifying" and rejected["acceptance_note"] == "插座仍有灼痕，需更换"

    # refuse a postponement (a reason is required)
    post(officer, f"{API}{fixed['id']}/confirm/", {}, expect=409)  # not reported any more
    post(officer, f"{API}{fixed['id']}/postpone/", {"new_deadline": day(10), "reason": "等电工"})
    refused(principal, f"{API}{fixed['id']}/refuse-postponement/", {}, status=400, says="理由")
    refusedp = post(principal, f"{API}{fixed['id']}/refuse-postponement/", {"note": "不同意，三日内完成"})
    assert refusedp["postponements"][0]["decision"] == "refused" and refusedp["postponement_count"] == 0

    # dismiss
    other = post(
        nurse,
        API,
        {"title": "重复登记", "location": "护士站", "category": "fire", "photos": [jpeg()]},
        fmt="multipart",
        expect=201,
    )
    dismissed = post(officer, f"{API}{other['id']}/dismiss/", {"reason": "与 YH 已登记隐患重复"})
    assert dismissed["status"] == "dismissed" and dismissed["dismissed_reason"] == "与 YH 已登记隐患重复"

    # reclassify general → major: needs a criterion, then the six-part plan again
    third = post(
        nurse,
        API,
        {"title": "燃气报警器失效", "location": "食堂", "category": "gas", "photos": [jpeg()]},
        fmt="multipart",
        expect=201,
    )
    post(
        officer, f"{API}{third['id']}/confirm/", {"responsible": w.officer_a.pk, "measures": "更换", "deadline": day(5)}
    )
    refused(
        officer, f"{API}{third['id']}/reclassify/", {"level": "major", "reason": "燃气"}, status=400, says="判定依据"
    )
    major = post(
        officer, f"{API}{third['id']}/reclassify/", {"level": "major", "reason": "燃气", "criterion": criterion().pk}
    )
    assert (major["level"], major["status"]) == ("major", "reported")


def test_refusals_change_nothing(people, settings):
    w = people
    officer, nurse = token_client(w.officer_a), token_client(w.staff_a)
    pk = post(
        nurse,
        API,
        {"title": "消防栓被遮挡", "location": "门诊大厅", "category": "fire", "photos": [jpeg()]},
        fmt="multipart",
        expect=201,
    )["id"]

    # acceptor = submitter (409)
    post(officer, f"{API}{pk}/confirm/", {"responsible": w.officer_a.pk, "measures": "移除遮挡物", "deadline": day(3)})
    post(
        officer,
        f"{API}{pk}/submit/",
        {"rectification_note": "已移除", "after_photos": [jpeg("after.jpg")]},
        fmt="multipart",
    )
    before = state(pk)
    body = refused(officer, f"{API}{pk}/accept/", {"note": "合格"}, status=409, says="验收人不能是整改提交人")
    assert set(body) <= {"detail", "errors"}
    refused(nurse, f"{API}{pk}/accept/", {}, status=403, says="验收销号")
    refused(officer, f"{API}{pk}/confirm/", {}, status=409, says="待验收")
    assert state(pk) == before

    # a bad image: the service's message, nothing stored (row, history or file)
    fake = SimpleUploadedFile("evil.jpg", b"<?php echo 1; ?>" * 20, content_type="image/jpeg")
    files_before = sorted(p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file())
    body = refused(
        nurse,
        f"{API}{pk}/photos/",
        {"image": fake, "phase": "before"},
        status=400,
        says="不是有效的图片",
        fmt="multipart",
    )
    assert "image" in body["errors"]
    refused(nurse, f"{API}{pk}/photos/", {"phase": "before"}, status=400, says="请选择照片", fmt="multipart")
    refused(
        nurse, f"{API}{pk}/photos/", {"image": jpeg(), "phase": "sideways"}, status=400, says="phase", fmt="multipart"
    )
    refused(
        nurse, f"{API}{pk}/photos/", {"image": jpeg(), "phase": "after"}, status=403, says="整改后照片", fmt="multipart"
    )
    assert sorted(p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()) == files_before
    assert state(pk) == before

    # bad input to an action: named field, nothing changed
    refused(officer, f"{API}{pk}/postpone/", {"new_deadline": "明天", "reason": "x"}, status=400, says="new_deadline")
    refused(officer, f"{API}{pk}/supervise/", {"level": "province", "deadline": day(9)}, status=400, says="level")
    assert state(pk) == before

    # bad report: nothing created
    count, events = Hazard.objects.count(), AuditEvent.objects.count()
    refused(nurse, API, {"title": "x", "location": "y", "category": "nope"}, status=400, says="nope")
    refused(nurse, API, {"title": "x", "location": "y"}, status=400, says="category")
    refused(
        nurse, API, {"title": "x", "location": "y", "category": "fire", "level": "major"}, status=400, says="判定依据"
    )
    refused(nurse, API, {"title": "x", "location": "y", "category": "fire", "department": w.dept_b.pk}, status=400)
    refused(nurse, API, {"title": "x", "location": "y", "category": "fire", "fixed_on_spot": True}, status=400)
    refused(
        nurse,
        API,
        {"title": "x", "location": "y", "category": "fire", "organization": w.hospital_b.pk},
        status=400,
        says="所选机构不存在或不在您的管辖范围内",
    )
    refused(officer, f"{API}{pk}/confirm/", {"responsible": w.officer_b.pk}, status=400, says="本单位人员")
    assert (Hazard.objects.count(), AuditEvent.objects.count()) == (count, events)


@pytest.mark.parametrize("attacker", ["officer_b", "staff_b", "regulator_b", "clinic_officer_a"])
def test_another_institution_gets_404_everywhere(people, attacker):
    """A user outside the hazard's scope learns nothing: every route answers 404 as for a missing one."""
    w = people
    officer = token_client(w.officer_a)
    pk = post(
        officer,
        API,
        {"title": "配电室漏水", "location": "配电室", "category": "electrical", "photos": [jpeg()]},
        fmt="multipart",
        expect=201,
    )["id"]
    photo_id = HazardPhoto.objects.get(hazard_id=pk).pk
    client = token_client(getattr(w, attacker))
    before = state(pk)
    missing = max(Hazard.objects.values_list("pk", flat=True)) + 1000

    for target in (pk, missing):  # out of scope looks exactly like missing
        refused(client, f"{API}{target}/", status=404, says="未找到该记录")
        refused(client, f"{API}{target}/events/", status=404, says="未找到该记录")
        for size in ("image", "thumbnail"):
            refused(client, f"{API}{target}/photos/{photo_id}/{size}/", status=404)
        data = {
            "note": "x",
            "reason": "x",
            "level": "major",
            "criterion": criterion().pk,
            "new_deadline": day(30),
            "deadline": day(30),
            "notice_number": "乙督1号",
            "rectification_note": "x",
            "responsible": w.officer_a.pk,
            "measures": "x",
        }
        for action in ACTIONS:
            refused(client, f"{API}{target}/{action}/", data, status=404, says="未找到该记录")
        refused(client, f"{API}{target}/photos/", {"image": jpeg(), "phase": "before"}, status=404, fmt="multipart")
    assert client.get(API).json()["count"] == 0
    assert client.get(API, {"q": "配电室"}).json()["results"] == []
    assert state(pk) == before


def test_bad_filter_values_are_refused(people):
    client = token_client(people.officer_a)
    for param, value in [
        ("status", "finished"),
        ("level", "huge"),
        ("category", "no-such-code"),
        ("source", "rumour"),
        ("organization", "abc"),
        ("department", "-3"),
        ("overdue", "maybe"),
        ("due_soon", "sometimes"),
        ("supervised", "perhaps"),
        ("found_from", "2026/01/01"),
        ("found_to", "yesterday"),
        ("deadline_from", "2026-13-01"),
        ("deadline_to", "20260101"),
        ("ordering", "title"),
        ("q", "x" * 101),
    ]:
        response = client.get(API, {param: value})
        assert response.status_code == 400, (param, value, response.content.decode())
        body = response.json()
        assert f"参数 {param}" in body["detail"] and CHINESE.search(body["detail"]), body
        assert list(body["errors"]) == [param]
    response = client.get(API, {"found_from": "2026-03-02", "found_to": "2026-03-01"})
    assert response.status_code == 400 and "found_from" in response.json()["detail"]
    assert client.get(API, {"status": "", "q": ""}).status_code == 200  # empty means "no filter"


def test_signed_out_and_system_admin(people):
    w = people
    assert APIClient().get(API).status_code in (401, 403)
    bad = APIClient()
    bad.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert bad.get(API).status_code in (401, 403)
    # the system administrator keeps the platform running; hazards are not theirs (permission matrix)
    admin = token_client(w.admin)
    response = admin.get(API)
    assert response.status_code == 403 and CHINESE.search(response.json()["detail"])
    assert admin.post(API, {"title": "x", "location": "y", "category": "fire"}, format="json").status_code == 403
    assert Hazard.objects.count() == 0


def test_regulator_reports_for_an_institution(people):
    w = people
    regulator = token_client(w.regulator_a)
    refused(regulator, API, {"title": "x", "location": "y", "category": "fire"}, status=400, says="医疗卫生机构")
    created = post(
        regulator,
        API,
        {
            "title": "疏散指示灯不亮",
            "location": "门诊2楼",
            "category": "fire",
            "organization": w.clinic_a.pk,
            "photos": [jpeg()],
        },
        fmt="multipart",
        expect=201,
    )
    assert created["organization"] == w.clinic_a.pk and created["source"] == "supervision"
    assert created["allowed_actions"] == ["reclassify"]
    assert created["level"] == HazardLevel.GENERAL


def test_the_browser_session_works_too(people, client):
    """The same API with the browser's session (the pages' own scripts), not only with a token."""
    w = people
    client.force_login(w.officer_a)
    assert client.get(API).status_code == 200
    response = client.post(
        API, {"title": "楼梯扶手松动", "location": "门诊楼梯", "category": "building", "photos": jpeg()}
    )
    assert response.status_code == 201, response.content.decode()
    assert [p["phase"] for p in response.json()["photos"]] == ["before"]
