"""The API as the issue names it: import preview, confirm, a plan's tasks; progress and submissions."""

import pytest
from rest_framework.test import APIClient

from anjian.action_plans.defaults import ensure_report_examples
from anjian.action_plans.models import Assignment, Plan
from anjian.action_plans.tests.helpers import seed_003_xlsx


@pytest.fixture
def api():
    return APIClient()


def test_import_preview_confirm_and_tasks(api, world, groups):
    api.force_authenticate(world.regulator_a)
    upload = seed_003_xlsx()
    upload.name = "附件3.xlsx"
    r = api.post("/api/v1/plans/import/", {"file": upload}, format="multipart")
    assert r.status_code == 201, r.content
    body = r.json()
    assert set(body) == {"id", "title", "document_number", "columns", "tasks", "problems", "warnings"}
    assert len(body["tasks"]) == 56
    assert not Plan.objects.exists()
    r = api.post(f"/api/v1/plans/import/{body['id']}/confirm/", {"document_number": "1号"}, format="json")
    assert r.status_code == 201
    plan_id = r.json()["plan"]
    r = api.get(f"/api/v1/plans/{plan_id}/tasks/")
    assert r.status_code == 200 and r.json()["count"] == 56
    assert r.json()["results"][2]["lead_offices"] == ["安全生产与项目规划科", "医政科", "基层卫生科"]
    r = api.post(f"/api/v1/plans/import/{body['id']}/confirm/", {}, format="json")
    assert r.status_code == 409


def test_import_without_file_and_by_an_institution(api, world, groups):
    api.force_authenticate(world.regulator_a)
    r = api.post("/api/v1/plans/import/", {}, format="multipart")
    assert r.status_code == 400 and "xlsx" in r.json()["detail"]
    api.force_authenticate(world.officer_a)
    assert api.post("/api/v1/plans/import/", {"file": seed_003_xlsx()}, format="multipart").status_code == 403


def test_progress_and_review(api, world, imported):
    a = Assignment.objects.get(task__plan=imported, task__number="1", organization=world.hospital_a)
    api.force_authenticate(world.officer_a)
    r = api.post(f"/api/v1/assignments/{a.pk}/progress/", {"text": "已完成", "claims_done": True}, format="json")
    assert r.status_code == 201
    assert api.get("/api/v1/assignments/?state=pending").json()["count"] == 1
    api.force_authenticate(world.regulator_a)
    r = api.post(f"/api/v1/assignments/{a.pk}/review/", {"accept": True}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "done"
    assert api.get("/api/v1/progress-reports/").json()["count"] == 1


def test_submissions(api, world, groups):
    putuo, _jilin = ensure_report_examples(world.district_a, by=world.regulator_a)
    api.force_authenticate(world.officer_a)
    assert api.get("/api/v1/report-definitions/").json()["count"] == 2
    data = {"definition": putuo.pk, "period": "2025-05-01", "values": {"highlights": "x" * 900}}
    r = api.post("/api/v1/report-submissions/", data, format="json")
    assert r.status_code == 400 and "800" in r.json()["detail"]
    data["values"] = {"highlights": "培训"}
    assert api.post("/api/v1/report-submissions/", data, format="json").status_code == 201
    assert api.get("/api/v1/report-submissions/").json()["count"] == 1


@pytest.mark.calendar
def test_details_and_the_reminder_states(api, world, imported):
    import datetime as dt

    from django.utils import timezone

    from anjian.action_plans.models import Task

    today = timezone.localdate()
    # whatever day the suite runs on: one task due in three days, the others dated ten days ago
    tasks = Task.objects.filter(plan=imported)
    tasks.exclude(number="2").filter(deadline__isnull=False).update(deadline=today - dt.timedelta(days=10))
    tasks.filter(number="2").update(deadline=today + dt.timedelta(days=3), is_standing=False)
    api.force_authenticate(world.officer_a)
    plan = api.get(f"/api/v1/plans/{imported.pk}/").json()
    assert plan["document_number"] == "金卫发〔2024〕1号" and plan["organization_id"] == world.district_a.pk
    soon = api.get("/api/v1/assignments/?state=soon").json()
    assert soon["count"] == 1 and soon["results"][0]["organization_id"] == world.hospital_a.pk
    late = api.get("/api/v1/assignments/?state=overdue").json()["results"]
    assert late and all(a["overdue"] for a in late)
    one = api.get(f"/api/v1/assignments/{late[0]['id']}/").json()
    assert one["overdue"] is True and one["status"] == "not_started"
    putuo, _jilin = ensure_report_examples(world.district_a, by=world.regulator_a)
    definition = api.get(f"/api/v1/report-definitions/{putuo.pk}/").json()
    assert definition["due_day"] == 25 and definition["max_chars"] == 800
    assert [f["label"] for f in definition["fields"]] == ["工作亮点", "难点问题", "重大隐患情况", "整改计划"]
