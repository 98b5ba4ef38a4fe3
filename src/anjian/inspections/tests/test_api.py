"""The API as the issue names it: due, submit (hazard ids in the answer), compliance; templates,
points, schedules; refusals in Chinese; bounded queries."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from anjian.hazards.models import Hazard
from anjian.inspections.models import InspectionRecord
from anjian.inspections.tests.helpers import make_point, make_schedule, starter


def client(user) -> APIClient:
    c = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    c.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return c


@pytest.fixture
def setup(world):
    point = make_point(world.officer_a, department=world.dept_a)
    # no photo required on failure for the API's JSON: the kitchen gas checklist's third item
    schedule = make_schedule(world.officer_a, points=[point], post=world.post_a)
    return world, point, schedule


def _item_without_photo(template):
    return template.items.filter(photo_required_on_fail=False).order_by("section__order", "order").first()


def test_due_lists_my_inspections_with_their_items(setup):
    w, point, schedule = setup
    body = client(w.staff_a).get("/api/v1/inspections/due/").json()
    assert len(body) == 1
    entry = body[0]
    assert entry["schedule"] == schedule.pk and entry["point"] == point.pk and not entry["done"]
    assert [i["id"] for i in entry["items"]] == list(
        starter().items.order_by("section__order", "order", "pk").values_list("pk", flat=True)
    )
    assert entry["items"][0]["text"]


def test_submit_answers_the_record_with_the_hazards_it_raised_or_linked(setup):
    w, point, schedule = setup
    item = _item_without_photo(starter())
    results = [
        {"item": i.pk, "result": "fail" if i == item else "pass", "note": "值班人员不清楚报警方法" if i == item else ""}
        for i in starter().items.all()
    ]
    api = client(w.staff_a)
    response = api.post(
        "/api/v1/inspections/", {"schedule": schedule.pk, "point": point.pk, "results": results}, format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    hazard = Hazard.objects.get()
    assert body["hazards"] == [hazard.pk] and body["fail_count"] == 1
    # the same slot again: refused; the due list now shows it done
    again = api.post(
        "/api/v1/inspections/", {"schedule": schedule.pk, "point": point.pk, "results": results}, format="json"
    )
    assert again.status_code == 409 and "本周期已完成" in again.json()["detail"]
    assert api.get("/api/v1/inspections/due/").json()[0]["done"] is True
    assert api.get(f"/api/v1/inspections/{body['id']}/").json()["number"] == body["number"]


def test_bad_submissions_are_refused_in_chinese_and_change_nothing(setup):
    w, point, schedule = setup
    api = client(w.staff_a)
    item = starter().items.first()
    cases = [
        ({"schedule": schedule.pk, "point": point.pk, "results": [{"item": item.pk, "result": "pass"}]}, 400, "未填写"),
        ({"schedule": schedule.pk, "point": point.pk, "results": [{"item": item.pk, "result": "good"}]}, 400, "result"),
        ({"schedule": schedule.pk, "results": []}, 400, "巡检点"),
        ({"schedule": 999999, "point": point.pk, "results": []}, 404, "未找到"),
    ]
    for body, code, text in cases:
        response = api.post("/api/v1/inspections/", body, format="json")
        assert response.status_code == code, (body, response.json())
        assert text in str(response.json())
    assert InspectionRecord.objects.count() == 0


def test_compliance_by_period_and_organization(setup):
    w, _point, _schedule = setup
    today = timezone.localdate()
    last_month = today.replace(day=1) - dt.timedelta(days=1)  # ended: every day of it is due
    api = client(w.regulator_a)
    body = api.get(f"/api/v1/inspections/compliance/?period={last_month:%Y-%m}&organization={w.hospital_a.pk}")
    body = body.json()
    assert body["period"] == f"{last_month:%Y-%m}" and body["organization"] == w.hospital_a.pk
    assert body["total"]["due"] == last_month.day and body["total"]["done"] == 0
    assert body["by_institution"][0]["label"] == w.hospital_a.name
    assert len(body["missed"]) == body["total"]["missed_count"]
    quarter = f"{today.year}-Q{(today.month - 1) // 3 + 1}"
    assert api.get(f"/api/v1/inspections/compliance/?period={quarter}").status_code == 200
    bad = api.get("/api/v1/inspections/compliance/?period=2026-13")
    assert bad.status_code == 400 and "期间" in bad.json()["detail"]
    assert api.get(f"/api/v1/inspections/compliance/?organization={w.hospital_b.pk}").status_code == 404
    assert client(w.staff_a).get("/api/v1/inspections/compliance/").status_code == 403


@pytest.mark.parametrize("period", ["9999", "9999-12", "0001-01", "1999-Q4", "2101-H1"])
def test_a_compliance_period_of_year_9999_is_refused_not_a_server_error(setup, period):
    w, _point, _schedule = setup
    bad = client(w.regulator_a).get(f"/api/v1/inspections/compliance/?period={period}")
    assert bad.status_code == 400 and "年份须在 2000 至 2100 之间" in bad.json()["detail"]
    browser = Client()
    browser.force_login(w.regulator_a)
    page = browser.get(reverse("inspections:compliance"), {"period": period})
    assert page.status_code == 200 and "年份须在 2000 至 2100 之间" in page.content.decode()


def test_templates_points_schedules(setup):
    w, point, schedule = setup
    api = client(w.officer_a)
    templates = api.get("/api/v1/inspection-templates/").json()
    assert any(t["code"] == "ward_fire_patrol" and t["owner"] is None for t in templates["results"])
    detail = api.get(f"/api/v1/inspection-templates/{starter().pk}/").json()
    assert detail["sections"][0]["items"][0]["text"]
    points = api.get("/api/v1/inspection-points/").json()["results"]
    assert points[0]["scan_url"].endswith(f"/inspections/p/{point.code}/")
    schedules = api.get("/api/v1/inspection-schedules/").json()["results"]
    assert schedules[0]["id"] == schedule.pk and schedules[0]["points"] == [point.pk]


def test_the_record_list_issues_a_bounded_number_of_queries(setup, django_assert_max_num_queries):
    w, point, _schedule = setup
    from anjian.inspections import services
    from anjian.inspections.tests.helpers import answers

    api = client(w.officer_a)

    def add(n):
        for k in range(n):
            services.inspection_submit(
                by=w.staff_a,
                schedule=make_schedule(w.officer_a, points=[point], post=w.post_a, rhythm="yearly"),
                point=point,
                performed_at=timezone.now() - dt.timedelta(minutes=k),
                results=answers(starter()),
            )

    add(1)
    with django_assert_max_num_queries(6) as few:
        api.get("/api/v1/inspections/")
    add(5)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert api.get("/api/v1/inspections/").json()["count"] == 6
