"""The ledger through the API: each filter narrows the list correctly, rows carry the derived
overdue/due-soon flags, and the list issues the same number of queries for 10 rows as for 100."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from rest_framework.serializers import ModelSerializer
from rest_framework.test import APIClient

from anjian.core.roles import Role
from anjian.core.testing import factories as f
from anjian.hazards import services
from anjian.hazards.api.serializers import HazardListSerializer
from anjian.hazards.choices import HazardLevel
from anjian.hazards.selectors import HazardFilters, hazard_ledger
from anjian.hazards.tests.helpers import category, criterion, general_plan, jpeg, major_plan, report

pytestmark = pytest.mark.django_db
client_for = f.api_client

API = "/api/v1/hazards/"


def ago(days: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


def on(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


@pytest.fixture
def ledger(world):
    """Hazards of hospital_a in every state, one of clinic_a, one of hospital_b."""
    w = world
    head = f.make_user(organization=w.hospital_a, role=Role.DEPARTMENT_HEAD, username="dh_a", department=w.dept_a)
    h = {}
    h["reported"] = report(w.staff_a, w.hospital_a, title="走廊灭火器过期", department=w.dept_a, found_at=ago(40))
    h["overdue"] = report(
        w.officer_a, w.hospital_a, title="配电箱未上锁", category=category("electrical"), found_at=ago(30)
    )
    services.hazard_confirm(hazard=h["overdue"], by=w.officer_a, plan={**general_plan(head), "deadline": on(-5)})
    h["due_soon"] = report(w.officer_a, w.hospital_a, title="氧气瓶未固定", found_at=ago(3))
    services.hazard_confirm(hazard=h["due_soon"], by=w.officer_a, plan=general_plan(head, days=1))
    h["later"] = report(w.officer_a, w.hospital_a, title="应急灯不亮", found_at=ago(2))
    services.hazard_confirm(hazard=h["later"], by=w.officer_a, plan=general_plan(head, days=20))
    h["awaiting"] = report(w.staff_a, w.hospital_a, title="插线板串接", found_at=ago(1))
    services.hazard_confirm(hazard=h["awaiting"], by=w.officer_a, plan=general_plan(head, days=10))
    services.hazard_submit(hazard=h["awaiting"], by=head, rectification_note="已拆除", after_photos=[jpeg()])
    h["closed"] = report(w.staff_a, w.hospital_a, title="安全出口堵塞", found_at=ago(20))
    services.hazard_confirm(hazard=h["closed"], by=w.officer_a, plan={**general_plan(head), "deadline": on(-2)})
    services.hazard_submit(hazard=h["closed"], by=head, rectification_note="已清理", after_photos=[jpeg()])
    services.hazard_accept(hazard=h["closed"], by=w.officer_a)
    h["dismissed"] = report(w.staff_a, w.hospital_a, title="重复登记的隐患")
    services.hazard_dismiss(hazard=h["dismissed"], by=w.officer_a, reason="重复")
    h["major"] = report(
        w.regulator_a, w.hospital_a, title="液氧站安全阀失效", level=HazardLevel.MAJOR, category=criterion().category
    )
    services.hazard_confirm(hazard=h["major"], by=w.officer_a, plan=major_plan(w.officer_a))
    services.hazard_supervise(
        hazard=h["major"], by=w.regulator_a, level="district", deadline=on(60), notice_number="甲卫督〔2026〕1号"
    )
    h["clinic"] = report(w.clinic_officer_a, w.clinic_a, title="诊所燃气报警器失效", category=category("gas"))
    h["victim"] = report(w.officer_b, w.hospital_b, title="乙方隐患")
    w.extra["ledger"] = h
    return w


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content.decode()
    return {row["id"] for row in response.json()["results"]}


def pks(h, *names) -> set[int]:
    return {h[n].pk for n in names}


HOSPITAL_A = {"reported", "overdue", "due_soon", "later", "awaiting", "closed", "dismissed", "major"}
OPEN = {"reported", "overdue", "due_soon", "later", "awaiting", "major"}


def test_filters_narrow_the_ledger(ledger):
    w, h = ledger, ledger.extra["ledger"]
    api = client_for(w.officer_a)
    assert ids(api.get(API)) == pks(h, *HOSPITAL_A)
    # status tabs
    assert ids(api.get(API, {"status": "open"})) == pks(h, *OPEN)
    assert ids(api.get(API, {"status": "reported"})) == pks(h, "reported")
    assert ids(api.get(API, {"status": "rectifying"})) == pks(h, "overdue", "due_soon", "later", "major")
    assert ids(api.get(API, {"status": "awaiting_acceptance"})) == pks(h, "awaiting")
    assert ids(api.get(API, {"status": "closed"})) == pks(h, "closed")
    assert ids(api.get(API, {"status": "dismissed"})) == pks(h, "dismissed")
    # overdue and due soon, derived from the deadline and today (a closed hazard is never overdue)
    assert ids(api.get(API, {"overdue": "true"})) == pks(h, "overdue")
    assert ids(api.get(API, {"overdue": "false"})) == pks(h, *(HOSPITAL_A - {"overdue"}))
    assert ids(api.get(API, {"due_soon": "true"})) == pks(h, "due_soon")
    assert ids(api.get(API, {"due_soon": "false", "status": "rectifying"})) == pks(h, "overdue", "later", "major")
    # supervised, level, category, source, department
    assert ids(api.get(API, {"supervised": "true"})) == pks(h, "major")
    assert ids(api.get(API, {"supervised": "false"})) == pks(h, *(HOSPITAL_A - {"major"}))
    assert ids(api.get(API, {"level": "major"})) == pks(h, "major")
    assert ids(api.get(API, {"category": "electrical"})) == pks(h, "overdue")
    assert ids(api.get(API, {"source": "supervision"})) == pks(h, "major")
    assert ids(api.get(API, {"department": w.dept_a.pk})) == pks(h, "reported")
    # text and dates
    assert ids(api.get(API, {"q": "灭火器"})) == pks(h, "reported")
    assert ids(api.get(API, {"q": h["closed"].number})) == pks(h, "closed")
    assert ids(api.get(API, {"found_to": on(-35).isoformat()})) == pks(h, "reported")
    assert ids(api.get(API, {"found_from": on(-3).isoformat(), "found_to": on(-1).isoformat()})) == pks(
        h, "due_soon", "later", "awaiting"
    )
    assert ids(api.get(API, {"deadline_to": on(-1).isoformat()})) == pks(h, "overdue", "closed")
    assert ids(api.get(API, {"deadline_from": on(1).isoformat(), "deadline_to": on(10).isoformat()})) == pks(
        h, "due_soon", "awaiting"
    )
    # filters combine
    assert ids(api.get(API, {"status": "open", "q": "氧"})) == pks(h, "due_soon", "major")


def test_rows_carry_derived_flags_and_order(ledger):
    w, h = ledger, ledger.extra["ledger"]
    api = client_for(w.officer_a)
    rows = {r["id"]: r for r in api.get(API).json()["results"]}
    assert rows[h["overdue"].pk]["is_overdue"] is True and rows[h["overdue"].pk]["is_due_soon"] is False
    assert rows[h["due_soon"].pk]["is_due_soon"] is True and rows[h["due_soon"].pk]["is_overdue"] is False
    assert rows[h["closed"].pk]["is_overdue"] is False  # past deadline, but closed
    assert rows[h["later"].pk]["is_overdue"] is rows[h["later"].pk]["is_due_soon"] is False
    assert rows[h["reported"].pk]["department_name"] == w.dept_a.name
    assert rows[h["major"].pk]["is_supervised"] is True and rows[h["major"].pk]["supervision_level"] == "district"

    default = [r["id"] for r in api.get(API).json()["results"]]
    assert default[-1] == h["reported"].pk  # found longest ago: last by default
    assert [r["id"] for r in api.get(API, {"ordering": "found"}).json()["results"]] == default[::-1]
    by_overdue = api.get(API, {"ordering": "overdue"}).json()["results"]
    assert by_overdue[0]["id"] == h["overdue"].pk
    by_deadline = [
        r["deadline"] for r in api.get(API, {"ordering": "deadline", "status": "rectifying"}).json()["results"]
    ]
    assert by_deadline == sorted(by_deadline)


def test_each_row_written_out_directly_equals_drfs_serialisation(ledger, client):
    """The ledger's rows are written out field by field in Python (speed); each equals what DRF's
    own ModelSerializer makes of it: every state, with and without department, responsible,
    deadline, criterion and supervision; in Chinese and in English."""
    w = ledger
    rows = list(hazard_ledger(user=w.regulator_a, filters=HazardFilters()))
    assert len(rows) >= 9
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for hazard in rows:
                fast = HazardListSerializer().to_representation(hazard)
                assert fast == ModelSerializer.to_representation(HazardListSerializer(), hazard), hazard.title
    api = client_for(w.regulator_a)
    listed = api.get(API, {"status": ""}).json()["results"]
    assert {r["id"] for r in listed} == {h.pk for h in rows}


def test_regulator_sees_its_jurisdiction_and_filters_by_organization(ledger):
    w, h = ledger, ledger.extra["ledger"]
    api = client_for(w.regulator_a)
    assert ids(api.get(API)) == pks(h, *HOSPITAL_A, "clinic")
    assert ids(api.get(API, {"organization": w.clinic_a.pk})) == pks(h, "clinic")
    assert ids(api.get(API, {"organization": w.hospital_a.pk, "level": "major"})) == pks(h, "major")
    assert ids(api.get(API, {"organization": w.hospital_b.pk})) == set()  # out of scope: nothing, not an error
    assert ids(api.get(API, {"q": "乙方"})) == set()
    assert ids(client_for(w.regulator_b).get(API)) == pks(h, "victim")
    assert ids(client_for(w.clinic_officer_a).get(API)) == pks(h, "clinic")


def test_pagination(ledger):
    api = client_for(ledger.officer_a)
    first = api.get(API, {"page_size": 3}).json()
    assert first["count"] == len(HOSPITAL_A) and len(first["results"]) == 3
    assert first["previous"] is None and "page=2" in first["next"]
    last = api.get(API, {"page_size": 3, "page": 3}).json()
    assert len(last["results"]) == len(HOSPITAL_A) - 6 and last["next"] is None


def _add_hazards(w, head, n: int) -> None:
    """``n`` more hazards, each with everything a row shows: department, category, criterion, responsible."""
    for i in range(n):
        level = HazardLevel.MAJOR if i % 3 == 0 else HazardLevel.GENERAL
        hazard = services.hazard_report(
            by=w.regulator_a,
            organization=w.hospital_a if i % 2 else w.clinic_a,
            data={
                "title": f"隐患{i}",
                "location": f"{i}号楼",
                "category": criterion().category if level == HazardLevel.MAJOR else category(),
                "level": level,
                "criterion": criterion() if level == HazardLevel.MAJOR else None,
                "department": w.dept_a if i % 2 else None,
                "found_at": ago(10),
            },
        )
        if i % 2:
            plan = major_plan(head) if level == HazardLevel.MAJOR else general_plan(head, days=i % 5 - 1)
            services.hazard_confirm(hazard=hazard, by=w.officer_a, plan=plan)


def test_list_queries_do_not_grow_with_rows(world):
    w = world
    head = f.make_user(organization=w.hospital_a, role=Role.DEPARTMENT_HEAD, username="dh_a", department=w.dept_a)
    api = client_for(w.regulator_a)  # a regulator's ledger spans institutions

    def count(expected_rows: int) -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = api.get(API, {"page_size": 200})
        assert response.status_code == 200 and len(response.json()["results"]) == expected_rows
        return len(ctx.captured_queries)

    _add_hazards(w, head, 10)
    ten = count(10)
    _add_hazards(w, head, 90)
    assert count(100) == ten
    assert ten <= 4, ten  # the page and its count; nothing per row


def test_reference_data_for_integrators(world):
    client = APIClient()
    client.force_authenticate(world.staff_a)
    categories = client.get("/api/v1/hazard-categories/").json()
    assert [c["code"] for c in categories][:3] == ["fire", "electrical", "gas"]
    criteria = client.get("/api/v1/hazard-criteria/").json()
    assert len(criteria) == 6 and criteria[0]["document_number"] == "国卫办密安函〔2023〕490号"
    assert criteria[0]["category"] == "special_equipment"
