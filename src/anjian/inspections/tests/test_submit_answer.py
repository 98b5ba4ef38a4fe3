"""Submitting a record through the API: the answer is the record as saved (the same as reading it
back), and the statements a submission costs do not grow with the checklist's items."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.serializers import ModelSerializer
from rest_framework.test import APIClient

from anjian.hazards.models import Hazard
from anjian.inspections import services
from anjian.inspections.api.serializers import RecordSerializer, ResultSerializer
from anjian.inspections.choices import Rhythm
from anjian.inspections.models import InspectionRecord
from anjian.inspections.tests.helpers import make_point, make_schedule, starter


def client(user) -> APIClient:
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return c


def _rows(template, fail=(), na=()) -> list[dict]:
    return [
        {
            "item": i.pk,
            "result": "fail" if i in fail else "na" if i in na else "pass",
            "note": "  值班人员不清楚报警方法 " if i in fail else "",
        }
        for i in template.items.all()
    ]


def test_the_answer_is_the_record_as_read_back_new_and_linked_hazards_alike(world):
    point = make_point(world.officer_a, department=world.dept_a)
    daily = make_schedule(world.officer_a, points=[point], post=world.post_a)
    weekly = make_schedule(world.officer_a, points=[point], post=world.post_a, rhythm=Rhythm.WEEKLY)
    fail = [starter().items.filter(photo_required_on_fail=False).order_by("section__order", "order").first()]
    na = [starter().items.exclude(pk=fail[0].pk).order_by("-section__order", "-order").first()]
    api = client(world.staff_a)
    answers = []
    for schedule in (daily, weekly):  # the second one's failure links the hazard the first one raised
        body = {"schedule": schedule.pk, "point": point.pk, "results": _rows(starter(), fail, na), "note": " 夜班 "}
        response = api.post("/api/v1/inspections/", body, format="json")
        assert response.status_code == 201, response.json()
        answers.append(response.json())
    hazard = Hazard.objects.get()
    assert [a["hazards"] for a in answers] == [[hazard.pk], [hazard.pk]]
    created = [[r["hazard_created"] for r in a["results"] if r["hazard"]] for a in answers]
    assert created == [[True], [False]]
    for answer in answers:
        assert [r["note"] for r in answer["results"] if r["result"] == "fail"] == ["值班人员不清楚报警方法"]
        assert answer["note"] == "夜班" and answer["na_count"] == 1
        assert answer == api.get(f"/api/v1/inspections/{answer['id']}/").json()
    # the record and each result written out directly equal DRF's field-by-field serialisation of them
    for answer in answers:
        record = InspectionRecord.objects.get(pk=answer["id"])
        assert RecordSerializer(record).data == ModelSerializer.to_representation(RecordSerializer(), record)
        for result in record.results.select_related("item", "hazard"):
            assert ResultSerializer().to_representation(result) == ModelSerializer.to_representation(
                ResultSerializer(), result
            )


def _template_of(officer, n: int, name: str):
    template = services.template_create(by=officer, data={"name": name})
    for k in range(n):
        services.item_add(
            by=officer,
            template=template,
            section_title=f"第{k % 3 + 1}部分",
            data={"text": f"{name}第{k + 1}项", "photo_required_on_fail": False},
        )
    return services.template_publish(by=officer, template=template)


def _statements(world, n: int, failures: int) -> int:
    template = _template_of(world.officer_a, n, f"检查表{n}-{failures}")
    point = make_point(world.officer_a, name=f"巡检点{n}-{failures}", department=world.dept_a)
    schedule = services.schedule_create(
        by=world.officer_a,
        data={
            "name": f"计划{n}-{failures}",
            "template": template,
            "rhythm": Rhythm.DAILY,
            "starts_on": timezone.localdate(),
            "post": world.post_a,
        },
        points=[point],
    )
    items = list(template.items.all())
    body = {"schedule": schedule.pk, "point": point.pk, "results": _rows(template, fail=items[:failures])}
    api = client(world.staff_a)
    api.get("/api/v1/inspections/due/")  # the token's first use out of the way
    with CaptureQueriesContext(connection) as ctx:
        response = api.post("/api/v1/inspections/", body, format="json")
    assert response.status_code == 201, response.json()
    assert len(response.json()["results"]) == n and response.json()["fail_count"] == failures
    return len(ctx.captured_queries)


@pytest.mark.parametrize("failures", [0, 2])
def test_a_submission_costs_the_same_statements_for_3_items_as_for_30(world, failures):
    _statements(world, 2, failures)  # the first makes this year's number counters (records, hazards)
    few, many = _statements(world, 3, failures), _statements(world, 30, failures)
    assert few == many
    assert InspectionRecord.objects.count() == 3
    assert Hazard.objects.count() == 3 * failures


def test_records_are_numbered_in_turn_whether_numbered_first_or_last(world):
    """A record whose items all passed is numbered last (core.numbering's counter is then held for
    a moment only); one with a failed item first (its hazard names it): the numbers follow each
    other all the same, and no record is left with a number it was written with meanwhile."""
    point = make_point(world.officer_a, department=world.dept_a)
    fail = [starter().items.filter(photo_required_on_fail=False).order_by("section__order", "order").first()]
    api = client(world.staff_a)
    numbers = []
    for k, failed in enumerate(([], fail, [])):
        schedule = make_schedule(world.officer_a, name=f"编号计划{k}", points=[point], post=world.post_a)
        body = {"schedule": schedule.pk, "point": point.pk, "results": _rows(starter(), failed)}
        response = api.post("/api/v1/inspections/", body, format="json")
        assert response.status_code == 201, response.json()
        numbers.append(response.json()["number"])
    year = timezone.localdate().year
    first = int(numbers[0].rsplit("-", 1)[1])
    assert numbers == [f"XJ-{year}-{first + k:06d}" for k in range(3)]
    assert sorted(InspectionRecord.objects.values_list("number", flat=True)) == numbers
    assert Hazard.objects.get().description == "值班人员不清楚报警方法"
