"""Every register page renders for the people who use it, the lists in a constant number of
queries, and the forms refuse bad input on the field with the service's message."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from anjian.registers import services
from anjian.registers.models import Equipment, WasteHandover
from anjian.registers.tests.helpers import make_equipment, make_stock, overdue_vessel, pdf, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def filled(world):
    vessel = overdue_vessel(world.officer_a)
    record = services.equipment_record(
        by=world.officer_a, equipment=vessel, performed_on=today(), result="failed", report=pdf()
    )
    stock = make_stock(world.officer_a)
    movement = services.movement_record(by=world.staff_a, stock=stock, direction="out", amount=1)
    waste = services.waste_handover_record(
        by=world.officer_a, data={"handed_on": today(), "category": "sharps", "weight_kg": 3, "receiver": "处置中心"}
    )
    return {"vessel": vessel, "record": record, "stock": stock, "movement": movement, "waste": waste}


def _pages(f) -> list[str]:
    return [
        reverse("registers:equipment-list"),
        reverse("registers:equipment-create"),
        reverse("registers:equipment-detail", args=[f["vessel"].pk]),
        reverse("registers:equipment-edit", args=[f["vessel"].pk]),
        reverse("registers:equipment-record", args=[f["vessel"].pk]),
        reverse("registers:equipment-hazard", args=[f["vessel"].pk]),
        reverse("registers:equipment-deactivate", args=[f["vessel"].pk]),
        reverse("registers:kind-list"),
        reverse("registers:stock-list"),
        reverse("registers:stock-create"),
        reverse("registers:place-create"),
        reverse("registers:place-detail", args=[f["stock"].place_id]),
        reverse("registers:place-edit", args=[f["stock"].place_id]),
        reverse("registers:place-locate", args=[f["stock"].place_id]),
        reverse("registers:place-deactivate", args=[f["stock"].place_id]),
        reverse("registers:chemical-map"),
        reverse("registers:stock-detail", args=[f["stock"].pk]),
        reverse("registers:stock-limit", args=[f["stock"].pk]),
        reverse("registers:movement-create", args=[f["stock"].pk]),
        reverse("registers:movement-cancel", args=[f["movement"].pk]),
        reverse("registers:chemical-catalogue"),
        reverse("registers:waste-list"),
        reverse("registers:waste-create"),
        reverse("registers:waste-void", args=[f["waste"].pk]),
        reverse("registers:overview"),
        reverse("registers:fire-file"),
        reverse("registers:fire-person") + "?duty=responsible",
    ]


def test_every_page_renders_for_the_safety_officer(world, client, filled):
    client.force_login(world.officer_a)

    for url in _pages(filled):
        assert client.get(url).status_code == 200, url
    report = client.get(reverse("registers:record-report", args=[filled["record"].pk]))
    assert report.status_code == 200 and report["X-Content-Type-Options"] == "nosniff"


def test_the_regulator_reads_but_does_not_write(world, client, filled):
    client.force_login(world.regulator_a)

    for url in (
        reverse("registers:equipment-list"),
        reverse("registers:equipment-detail", args=[filled["vessel"].pk]),
        reverse("registers:stock-list"),
        reverse("registers:waste-list"),
        reverse("registers:overview"),
    ):
        page = client.get(url)
        assert page.status_code == 200, url
        assert "甲区人民医院" in page.content.decode(), url
    assert client.get(reverse("registers:equipment-create")).status_code == 403
    detail = client.get(reverse("registers:equipment-detail", args=[filled["vessel"].pk])).content.decode()
    assert 'data-testid="add-record"' not in detail


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_lists_take_a_constant_number_of_queries(world, client, filled):
    client.force_login(world.regulator_a)
    urls = [reverse(n) for n in ("registers:equipment-list", "registers:stock-list", "registers:waste-list")]
    urls.append(reverse("registers:overview"))
    before = [_queries(client, url) for url in urls]

    for n in range(6):
        make_equipment(world.officer_a, name=f"电梯{n}", last=today())
        make_stock(world.officer_a, place=f"库房{n}")
        services.waste_handover_record(
            by=world.officer_a,
            data={"handed_on": today(), "category": "sharps", "weight_kg": 1, "receiver": "处置中心"},
        )

    assert [_queries(client, url) for url in urls] == before
    assert Equipment.objects.count() == 7 and WasteHandover.objects.count() == 7


def test_a_form_shows_the_services_refusal_on_its_field(world, client, filled):
    client.force_login(world.officer_a)
    url = reverse("registers:equipment-record", args=[filled["vessel"].pk])

    page = client.post(url, {"kind": "inspection", "performed_on": today().isoformat(), "result": "passed"})

    assert page.status_code == 200
    assert page.context["form"].errors["report"] == ["法定检验/检测须上传检验报告。"]
    assert filled["vessel"].records.count() == 1


def test_the_administrator_edits_a_kinds_interval_on_its_page(world, client):
    from anjian.registers.models import EquipmentKind

    kind = EquipmentKind.objects.get(code="safety_valve")
    client.force_login(world.admin)
    url = reverse("registers:kind-edit", args=[kind.pk])

    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "name": kind.name,
            "interval_months": 6,
            "inspection_name": "校验",
            "regulation": kind.regulation,
            "is_active": "on",
        },
    )

    assert response.status_code == 302 and response.url == reverse("registers:kind-list")
    listed = client.get(response.url)  # the administrator holds REGISTER_KIND_MANAGE, not REGISTER_VIEW
    assert listed.status_code == 200 and listed.context["may_edit"]
    kind.refresh_from_db()
    assert kind.interval_months == 6
    client.force_login(world.officer_a)
    assert client.get(url).status_code == 403
    listed = client.get(reverse("registers:equipment-list")).content.decode()
    assert "?kind=equipment" in listed  # the officer's way to the xlsx import
