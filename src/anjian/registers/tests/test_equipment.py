"""The equipment register: the statutory interval gives the next due date, a passed inspection
moves it on, and an overdue statutory inspection goes into the hazard ledger in two clicks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from anjian.core.errors import NotPermittedError
from anjian.core.models import AuditEvent
from anjian.core.testing.factories import api_client
from anjian.hazards.models import Hazard
from anjian.registers import services
from anjian.registers.models import Equipment, EquipmentKind, EquipmentRecord, add_months
from anjian.registers.tests.helpers import make_equipment, overdue_vessel, pdf, today

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]


def _due_before(client, day: dt.date) -> list[str]:
    response = client.get("/api/v1/equipment/", {"due_before": day.isoformat()})
    assert response.status_code == 200, response.content
    return [row["name"] for row in response.json()["results"]]


def test_a_lift_inspected_eleven_and_a_half_months_ago_is_due_within_30_days_then_moves_a_year_on(world):
    client = api_client(world.officer_a)
    last = today() - dt.timedelta(days=350)  # eleven and a half months

    response = client.post(
        "/api/v1/equipment/",
        {"name": "门诊楼1号电梯", "kind": "lift", "location": "门诊楼东侧", "last_inspected_on": last.isoformat()},
        format="json",
    )

    assert response.status_code == 201, response.content
    lift = response.json()
    due = dt.date.fromisoformat(lift["next_due_on"])
    assert due == add_months(last, 12)
    assert today() < due <= today() + dt.timedelta(days=30)
    assert lift["due_state"] == "due_soon" and lift["location"] == "门诊楼东侧"
    assert _due_before(client, today() + dt.timedelta(days=30)) == ["门诊楼1号电梯"]
    assert _due_before(client, today() + dt.timedelta(days=10)) == []

    response = client.post(
        f"/api/v1/equipment/{lift['id']}/inspections/",
        {"inspected_on": today().isoformat(), "result": "passed", "report": pdf()},
        format="multipart",
    )

    assert response.status_code == 201, response.content
    assert response.json()["next_due_on"] == add_months(today(), 12).isoformat()
    assert response.json()["due_state"] == "ok"
    assert _due_before(client, today() + dt.timedelta(days=30)) == []
    record = EquipmentRecord.objects.get(equipment_id=lift["id"])
    assert record.report.read().startswith(b"%PDF")
    assert AuditEvent.objects.filter(verb="equipment.recorded", target_id=str(lift["id"])).count() == 1


def test_a_failed_inspection_or_a_maintenance_does_not_move_the_due_date(world):
    lift = make_equipment(world.officer_a, last=today() - dt.timedelta(days=350))
    due = lift.next_due_on

    services.equipment_record(by=world.officer_a, equipment=lift, performed_on=today(), result="failed", report=pdf())
    services.equipment_record(
        by=world.officer_a, equipment=lift, performed_on=today(), result="passed", kind="maintenance"
    )

    lift.refresh_from_db()
    assert lift.next_due_on == due
    assert lift.records.count() == 2


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"report": None}, "report"),
        ({"performed_on": "tomorrow"}, "performed_on"),
        ({"report": "exe"}, "report"),
    ],
)
def test_a_bad_inspection_record_is_refused_and_changes_nothing(world, change, field):
    lift = make_equipment(world.officer_a, last=today() - dt.timedelta(days=350))
    args = {"performed_on": today(), "result": "passed", "report": pdf()}
    if change.get("performed_on") == "tomorrow":
        args["performed_on"] = today() + dt.timedelta(days=1)
    if "report" in change:
        args["report"] = None
        if change["report"] == "exe":
            from django.core.files.uploadedfile import SimpleUploadedFile

            args["report"] = SimpleUploadedFile("报告.pdf", b"MZ\x90\x00" + b"\x00" * 64)
    from anjian.core.errors import DomainError

    with pytest.raises(DomainError) as refused:
        services.equipment_record(by=world.officer_a, equipment=lift, **args)

    assert field in refused.value.errors
    lift.refresh_from_db()
    assert lift.next_due_on == add_months(today() - dt.timedelta(days=350), 12)
    assert not EquipmentRecord.objects.exists()


def test_an_overdue_pressure_vessel_becomes_a_hazard_in_two_clicks(world, client):
    vessel = overdue_vessel(world.officer_a)
    client.force_login(world.officer_a)
    detail = reverse("registers:equipment-detail", args=[vessel.pk])
    form_url = reverse("registers:equipment-hazard", args=[vessel.pk])

    page = client.get(detail)
    assert page.status_code == 200
    assert 'data-testid="due-overdue"' in page.content.decode()
    assert f'href="{form_url}"' in page.content.decode()  # click 1: the button on the equipment's page

    form = client.get(form_url)
    assert form.status_code == 200
    initial = form.context["form"].initial
    assert "液氧储罐" in initial["title"] and initial["level"] == "major"

    response = client.post(form_url, {"title": initial["title"], "level": initial["level"]})  # click 2: 登记

    hazard = Hazard.objects.get()
    assert response.status_code == 302 and response.url == reverse("hazards:hazard-detail", args=[hazard.pk])
    assert hazard.source == "equipment_check"
    assert hazard.level == "major" and hazard.criterion.code == "2"
    assert hazard.category.code == "special_equipment"
    assert hazard.organization == world.hospital_a and hazard.status == "reported"
    hazard_page = client.get(response.url).content.decode()
    assert "设备设施" in hazard_page and "液氧储罐" in hazard_page and detail in hazard_page

    again = client.get(detail).content.decode()
    assert f'href="{form_url}"' not in again and hazard.number in again
    refused = client.post(form_url, {"title": "再登记一次", "level": "general"})
    assert refused.status_code == 200 and hazard.number in refused.content.decode()
    assert Hazard.objects.count() == 1


def test_equipment_not_yet_overdue_cannot_be_entered_as_an_overdue_hazard(world):
    from anjian.core.errors import DomainError

    lift = make_equipment(world.officer_a, last=today() - dt.timedelta(days=350))

    with pytest.raises(DomainError):
        services.equipment_raise_hazard(by=world.officer_a, equipment=lift, title="电梯逾期", level="general")
    assert not Hazard.objects.exists()


@pytest.mark.parametrize("who", ["regulator_a", "clinic_officer_a", "officer_b"])
def test_only_the_equipments_institution_may_enter_its_overdue_hazard(world, client, who):
    from django.http import Http404

    vessel = overdue_vessel(world.officer_a)
    by = getattr(world, who)
    events = AuditEvent.objects.count()

    with pytest.raises((NotPermittedError, Http404)):
        services.equipment_raise_hazard(by=by, equipment=vessel, title="冒名隐患", level="general")
    client.force_login(by)
    response = client.post(
        reverse("registers:equipment-hazard", args=[vessel.pk]), {"title": "冒名隐患", "level": "general"}
    )

    assert response.status_code in (200, 403, 404) and "冒名隐患" not in str(response.get("Location", ""))
    assert not Hazard.objects.exists() and AuditEvent.objects.count() == events


def test_a_regulator_is_refused_in_words(world):
    vessel = overdue_vessel(world.officer_a)

    with pytest.raises(NotPermittedError, match="本单位"):
        services.equipment_raise_hazard(by=world.regulator_a, equipment=vessel, title="x", level="general")


def test_who_may_register_equipment(world):
    body = {"name": "锅炉", "kind": "boiler"}

    assert api_client(world.staff_a).post("/api/v1/equipment/", body, format="json").status_code == 403
    assert api_client(world.regulator_a).post("/api/v1/equipment/", body, format="json").status_code == 403
    assert api_client(world.officer_a).post("/api/v1/equipment/", body, format="json").status_code == 201
    item = Equipment.objects.get()
    assert item.next_due_on is None and item.organization == world.hospital_a


def test_bad_query_and_unknown_kind_are_refused_with_the_field_named(world):
    client = api_client(world.officer_a)

    bad_date = client.get("/api/v1/equipment/", {"due_before": "2026-13-40"})
    unknown = client.post("/api/v1/equipment/", {"name": "x", "kind": "spaceship"}, format="json")

    assert bad_date.status_code == 400 and "due_before" in bad_date.json()["errors"]
    assert unknown.status_code == 400 and "kind" in unknown.json()["errors"]


def test_changing_a_kinds_interval_moves_the_items_that_follow_it(world):
    gauge = make_equipment(world.officer_a, kind="pressure_gauge", name="储罐压力表", last=today())
    kind = EquipmentKind.objects.get(code="pressure_gauge")
    assert gauge.next_due_on == add_months(today(), 6)

    services.equipment_kind_update(by=world.admin, kind=kind, data={"interval_months": 3})

    gauge.refresh_from_db()
    assert gauge.next_due_on == add_months(today(), 3)
    with pytest.raises(NotPermittedError):  # the officer's role may not edit the shared kinds
        services.equipment_kind_update(by=world.officer_a, kind=kind, data={"interval_months": 1})


def test_the_list_shows_due_states_and_filters_overdue(world, client):
    overdue_vessel(world.officer_a)
    make_equipment(world.officer_a, last=today())
    client.force_login(world.officer_a)

    page = client.get(reverse("registers:equipment-list"), {"state": "overdue"}).content.decode()

    assert "液氧储罐" in page and "门诊楼1号电梯" not in page


def test_an_interval_out_of_range_is_refused_on_its_field(world, client):
    client.force_login(world.officer_a)
    kind = EquipmentKind.objects.get(code="boiler")

    page = client.post(reverse("registers:equipment-create"), {"kind": kind.pk, "name": "锅炉", "interval_months": 200})

    assert page.status_code == 200
    assert page.context["form"].errors["interval_months"] == ["检验周期须在1至120个月之间。"]
    assert not Equipment.objects.exists()


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2028, 2, 29), 12, dt.date(2029, 2, 28)),  # a leap day a year on: the end of February
        (dt.date(2027, 1, 31), 1, dt.date(2027, 2, 28)),
        (dt.date(2028, 1, 31), 1, dt.date(2028, 2, 29)),
        (dt.date(2027, 3, 31), -1, dt.date(2027, 2, 28)),
        (dt.date(2027, 11, 30), 3, dt.date(2028, 2, 29)),
        (dt.date(2027, 12, 31), 1, dt.date(2028, 1, 31)),
    ],
)
def test_add_months_keeps_the_day_within_the_month(day, months, expected):
    assert add_months(day, months) == expected
