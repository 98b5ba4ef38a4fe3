"""The API writes checklists (drafts, items, publish, versions, copies), points and schedules as the
pages do: through the services, refusing in Chinese (400), by role (403), out of scope as missing
(404), and changing nothing when it refuses."""

import pytest

from anjian.core.models import AuditEvent
from anjian.core.periods import Period
from anjian.inspections.models import ChecklistItem, ChecklistTemplate, InspectionPoint, Schedule
from anjian.inspections.tests.helpers import make_point, make_schedule, starter
from anjian.inspections.tests.test_api import client

TEMPLATES = "/api/v1/inspection-templates/"
POINTS = "/api/v1/inspection-points/"
SCHEDULES = "/api/v1/inspection-schedules/"


def test_a_checklist_is_drafted_edited_published_and_then_never_changes(world):
    api = client(world.officer_a)
    draft = api.post(TEMPLATES, {"name": "门诊大厅巡查表", "applies_to": "门诊", "category": "fire"}, format="json")
    assert draft.status_code == 201, draft.json()
    t = draft.json()
    assert (t["status"], t["version"], t["owner"], t["sections"]) == ("draft", 1, world.hospital_a.pk, [])

    for text in ("安全出口畅通", "灭火器在有效期内", "导向标识完好"):
        added = api.post(f"{TEMPLATES}{t['id']}/items/", {"section": "疏散与器材", "text": text}, format="json")
        assert added.status_code == 201, added.json()
    items = added.json()["sections"][0]["items"]
    assert [i["text"] for i in items] == ["安全出口畅通", "灭火器在有效期内", "导向标识完好"]
    assert items[0]["photo_required_on_fail"] is True

    # a draft's item is changed and removed
    changed = api.patch(
        f"{TEMPLATES}{t['id']}/items/{items[1]['id']}/",
        {"text": "灭火器压力正常、在有效期内", "photo_required_on_fail": False},
        format="json",
    )
    assert changed.status_code == 200, changed.json()
    assert changed.json()["sections"][0]["items"][1]["text"] == "灭火器压力正常、在有效期内"
    removed = api.delete(f"{TEMPLATES}{t['id']}/items/{items[2]['id']}/")
    assert removed.status_code == 200
    assert [i["text"] for i in removed.json()["sections"][0]["items"]] == ["安全出口畅通", "灭火器压力正常、在有效期内"]
    assert not ChecklistItem.objects.filter(pk=items[2]["id"]).exists()
    renamed = api.patch(f"{TEMPLATES}{t['id']}/", {"name": "门诊大厅防火巡查表"}, format="json")
    assert renamed.json()["name"] == "门诊大厅防火巡查表"

    published = api.post(f"{TEMPLATES}{t['id']}/publish/")
    assert published.status_code == 200 and published.json()["status"] == "published"

    # published: every change is refused with the same Chinese message, nothing changes
    events = AuditEvent.objects.count()
    refusals = [
        api.patch(f"{TEMPLATES}{t['id']}/", {"name": "改名"}, format="json"),
        api.post(f"{TEMPLATES}{t['id']}/items/", {"section": "疏散与器材", "text": "新增"}, format="json"),
        api.patch(f"{TEMPLATES}{t['id']}/items/{items[0]['id']}/", {"text": "改"}, format="json"),
        api.delete(f"{TEMPLATES}{t['id']}/items/{items[0]['id']}/"),
    ]
    for response in refusals:
        assert response.status_code == 409 and "已发布的检查表版本不能修改" in response.json()["detail"]
    assert AuditEvent.objects.count() == events
    assert ChecklistTemplate.objects.get(pk=t["id"]).name == "门诊大厅防火巡查表"
    assert ChecklistItem.objects.filter(template_id=t["id"]).count() == 2

    # the next version is a draft with the same items, then edited and published
    v2 = api.post(f"{TEMPLATES}{t['id']}/new-version/")
    assert v2.status_code == 201 and (v2.json()["version"], v2.json()["status"]) == (2, "draft")
    again = api.post(f"{TEMPLATES}{t['id']}/new-version/")
    assert again.status_code == 409 and "已有未发布的草稿" in again.json()["detail"]
    first = v2.json()["sections"][0]["items"][0]
    assert api.delete(f"{TEMPLATES}{v2.json()['id']}/items/{first['id']}/").status_code == 200
    assert api.post(f"{TEMPLATES}{v2.json()['id']}/publish/").status_code == 200
    old = api.get(f"{TEMPLATES}{t['id']}/").json()
    assert old["status"] == "retired" and len(old["sections"][0]["items"]) == 2


def test_the_starter_library_is_copied_not_edited(world):
    api = client(world.officer_a)
    library = starter()
    refused = api.patch(f"{TEMPLATES}{library.pk}/", {"name": "改名"}, format="json")
    assert refused.status_code == 403 and "复制" in refused.json()["detail"]
    copy = api.post(f"{TEMPLATES}{library.pk}/copy/")
    assert copy.status_code == 201
    body = copy.json()
    assert body["owner"] == world.hospital_a.pk and body["status"] == "draft"
    assert sum(len(s["items"]) for s in body["sections"]) == library.items.count()


def test_checklist_writes_are_refused_by_role_by_input_and_out_of_scope(world):
    nurse, officer_b = client(world.staff_a), client(world.officer_b)
    assert nurse.post(TEMPLATES, {"name": "护士的表"}, format="json").status_code == 403
    draft = client(world.officer_a).post(TEMPLATES, {"name": "草稿"}, format="json").json()
    api = client(world.officer_a)
    cases = [
        (api.post(TEMPLATES, {"name": ""}, format="json"), "name"),
        (api.post(TEMPLATES, {"name": "表", "category": "nope"}, format="json"), "没有编码为“nope”的隐患类别"),
        (api.post(f"{TEMPLATES}{draft['id']}/items/", {"section": "", "text": "x"}, format="json"), "section"),
        (
            api.post(
                f"{TEMPLATES}{draft['id']}/items/", {"section": "甲", "text": "x", "criterion": 999999}, format="json"
            ),
            "判定依据",
        ),
        (api.post(f"{TEMPLATES}{draft['id']}/publish/"), "至少要有一个检查项"),
    ]
    for response, text in cases:
        assert response.status_code == 400, response.json()
        assert text in response.json()["detail"]
    # another institution's draft: 404, like a missing one
    assert officer_b.patch(f"{TEMPLATES}{draft['id']}/", {"name": "冒名"}, format="json").status_code == 404
    assert (
        officer_b.post(f"{TEMPLATES}{draft['id']}/items/", {"section": "甲", "text": "x"}, format="json").status_code
        == 404
    )
    item = api.post(f"{TEMPLATES}{draft['id']}/items/", {"section": "甲", "text": "本院项"}, format="json").json()
    item_id = item["sections"][0]["items"][0]["id"]
    assert officer_b.delete(f"{TEMPLATES}{draft['id']}/items/{item_id}/").status_code == 404
    assert (
        officer_b.patch(f"{TEMPLATES}{draft['id']}/items/{item_id}/", {"text": "冒名"}, format="json").status_code
        == 404
    )
    # an item of another checklist is not found under this one
    other = api.post(TEMPLATES, {"name": "另一张"}, format="json").json()
    assert api.delete(f"{TEMPLATES}{other['id']}/items/{item_id}/").status_code == 404
    assert ChecklistItem.objects.get(pk=item_id).text == "本院项"
    assert ChecklistTemplate.objects.get(pk=draft["id"]).name == "草稿"


def test_points_are_created_edited_and_switched_off(world):
    api = client(world.officer_a)
    made = api.post(
        POINTS, {"name": "门诊1楼大厅", "location": "门诊楼1楼", "department": world.dept_a.pk}, format="json"
    )
    assert made.status_code == 201, made.json()
    p = made.json()
    assert p["organization"] == world.hospital_a.pk and p["scan_url"].endswith(f"/inspections/p/{p['code']}/")
    off = api.patch(f"{POINTS}{p['id']}/", {"is_active": False, "location": "门诊楼1楼东"}, format="json")
    assert off.status_code == 200 and off.json()["is_active"] is False
    assert InspectionPoint.objects.filter(pk=p["id"]).exists()  # switched off, never deleted

    duplicate = api.post(POINTS, {"name": "门诊1楼大厅"}, format="json")
    assert duplicate.status_code == 400 and "同名巡检点" in duplicate.json()["detail"]
    victim = api.post(POINTS, {"name": "乙院科室", "department": world.dept_b.pk}, format="json")
    assert victim.status_code == 400 and "科室须属于本机构" in victim.json()["detail"]
    assert client(world.staff_a).post(POINTS, {"name": "护士建点"}, format="json").status_code == 403
    assert client(world.regulator_a).post(POINTS, {"name": "监管建点"}, format="json").status_code == 403
    assert client(world.officer_b).patch(f"{POINTS}{p['id']}/", {"name": "冒名"}, format="json").status_code == 404
    assert InspectionPoint.objects.filter(organization=world.hospital_a).count() == 1


def test_schedules_are_created_edited_and_switched_off(world):
    api = client(world.officer_a)
    point = make_point(world.officer_a, department=world.dept_a)
    body = {
        "name": "病区日间巡查",
        "template": starter().pk,
        "post": world.post_a.pk,
        "points": [point.pk],
        "rhythm": "hours",
        "every_hours": 2,
        "day_start": "08:00",
        "day_end": "20:00",
    }
    made = api.post(SCHEDULES, body, format="json")
    assert made.status_code == 201, made.json()
    s = made.json()
    assert (s["rhythm_label"], s["points"], s["day_start"]) == ("08:00–20:00 每2小时", [point.pk], "08:00:00")
    assert s["who"] == str(world.post_a)

    changed = api.patch(
        f"{SCHEDULES}{s['id']}/",
        {"rhythm": "daily", "every_hours": None, "day_start": None, "day_end": None},
        format="json",
    )
    assert changed.status_code == 200 and changed.json()["rhythm_label"] == "每日", changed.json()
    off = api.patch(f"{SCHEDULES}{s['id']}/", {"is_active": False}, format="json")
    assert off.json()["is_active"] is False and Schedule.objects.filter(pk=s["id"]).exists()

    cases = [
        ({**body, "post": None}, "请指定检查人、岗位或角色中的一项"),
        ({**body, "post": world.post_b.pk}, "岗位须属于本机构"),
        ({**body, "post": None, "role": "regulator_admin"}, "角色须为机构内的角色"),
        ({**body, "points": [make_point(world.officer_b).pk]}, "巡检点须属于本机构"),
        ({**body, "template": 999999}, "检查表（id 999999）不存在"),
        ({**body, "day_start": "20:00", "day_end": "08:00"}, "结束时间须晚于开始时间"),
        ({**body, "rhythm": "daily"}, "只有“每日每隔N小时”可以设置每日检查时段"),
        ({**body, "rhythm": "fortnightly"}, "rhythm"),
    ]
    for data, text in cases:
        response = api.post(SCHEDULES, data, format="json")
        assert response.status_code == 400, (data, response.json())
        assert text in response.json()["detail"], response.json()
    assert Schedule.objects.count() == 1
    assert client(world.staff_a).post(SCHEDULES, body, format="json").status_code == 403
    assert client(world.officer_b).patch(f"{SCHEDULES}{s['id']}/", {"name": "冒名"}, format="json").status_code == 404


def test_schedules_from_the_default_rhythms(world):
    api = client(world.officer_a)
    made = api.post(f"{SCHEDULES}from-defaults/")
    assert made.status_code == 201
    names = {s["name"] for s in made.json()}
    assert {"病区防火巡查（每2小时）", "科室负责人周查", "主要负责人季度检查"} <= names
    assert api.post(f"{SCHEDULES}from-defaults/").json() == []  # the second time: nothing new
    refused = client(world.regulator_a).post(f"{SCHEDULES}from-defaults/")
    assert refused.status_code == 403


@pytest.mark.parametrize("path", [TEMPLATES, POINTS, SCHEDULES])
def test_the_nurse_reads_but_does_not_write(world, path):
    make_schedule(world.officer_a, post=world.post_a)
    nurse = client(world.staff_a)
    assert nurse.get(path).status_code == 200
    assert nurse.post(path, {"name": "x"}, format="json").status_code == 403


def test_the_schema_documents_the_writes(client):
    import json

    schema = json.loads(client.get("/api/v1/schema/", {"format": "json"}).content)
    paths = schema["paths"]
    expected = {
        "/api/v1/inspection-templates/": {"get", "post"},
        "/api/v1/inspection-templates/{id}/": {"get", "patch"},
        "/api/v1/inspection-templates/{id}/items/": {"post"},
        "/api/v1/inspection-templates/{id}/items/{item_id}/": {"patch", "delete"},
        "/api/v1/inspection-templates/{id}/publish/": {"post"},
        "/api/v1/inspection-templates/{id}/new-version/": {"post"},
        "/api/v1/inspection-templates/{id}/copy/": {"post"},
        "/api/v1/inspection-points/": {"get", "post"},
        "/api/v1/inspection-points/{id}/": {"get", "patch"},
        "/api/v1/inspection-schedules/": {"get", "post"},
        "/api/v1/inspection-schedules/{id}/": {"get", "patch"},
        "/api/v1/inspection-schedules/from-defaults/": {"post"},
        "/api/v1/inspections/": {"get", "post"},
        "/api/v1/inspections/due/": {"get"},
        "/api/v1/inspections/compliance/": {"get"},
    }
    for path, methods in expected.items():
        assert set(paths[path]) - {"parameters"} == methods, path
    schedule_in = schema["components"]["schemas"]["ScheduleIn"]["properties"]
    assert {"day_start", "day_end", "every_hours", "points"} <= set(schedule_in)
    assert "400" in paths["/api/v1/inspection-schedules/"]["post"]["responses"]


def test_switching_a_schedule_off_or_moving_its_dates_does_not_hide_what_was_missed(world):
    import datetime as dt

    from django.utils import timezone

    from anjian.inspections import selectors

    api = client(world.officer_a)
    schedule = make_schedule(world.officer_a, post=world.post_a)  # daily, from 60 days ago, nothing done
    today = timezone.localdate()
    last_month = Period.parse(f"{today.replace(day=1) - dt.timedelta(days=1):%Y-%m}")

    def missed():
        return selectors.compliance(user=world.officer_a, period=last_month).total.missed_count

    before = missed()
    assert before > 0
    url = f"{SCHEDULES}{schedule.pk}/"
    refusals = [
        (
            api.patch(url, {"ends_on": f"{today - dt.timedelta(days=30):%Y-%m-%d}"}, format="json"),
            "结束日期不能早于今天",
        ),
        (api.patch(url, {"starts_on": f"{today:%Y-%m-%d}"}, format="json"), "不能修改开始日期"),
    ]
    for response, text in refusals:
        assert response.status_code == 400 and text in response.json()["detail"], response.json()

    off = api.patch(url, {"is_active": False}, format="json").json()
    assert off["is_active"] is False and off["ends_on"] == f"{today:%Y-%m-%d}"  # it ends today
    assert missed() == before  # last month's misses stay

    # back on: the end date must be moved on (or cleared) explicitly
    later = today + dt.timedelta(days=1)
    Schedule.objects.filter(pk=schedule.pk).update(ends_on=today - dt.timedelta(days=1))
    again = api.patch(url, {"is_active": True}, format="json")
    assert again.status_code == 400 and "重新启用时请把结束日期改为今天以后或留空" in again.json()["detail"]
    assert Schedule.objects.get(pk=schedule.pk).is_active is False
    on = api.patch(url, {"is_active": True, "ends_on": f"{later:%Y-%m-%d}"}, format="json")
    assert on.status_code == 200 and on.json()["is_active"] is True
