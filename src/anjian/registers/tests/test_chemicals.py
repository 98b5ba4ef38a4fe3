"""Hazardous chemicals: the stock changes only when a second person confirms a movement (双人收发),
storage over its limit is flagged, and the institution's 一张表 opens in LibreOffice."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from anjian.core.errors import DomainError, NotPermittedError
from anjian.core.models import AuditEvent
from anjian.core.testing.factories import api_client
from anjian.registers import services
from anjian.registers.models import ChemicalMovement, ChemicalStock
from anjian.registers.tests.helpers import floor_plan, make_stock
from anjian.reports.tests.office import pdf_text, squeeze

pytestmark = pytest.mark.django_db


def test_an_issue_changes_the_stock_only_when_a_second_person_confirms_it(world):
    stock = make_stock(world.officer_a, quantity=10)
    movement = services.movement_record(by=world.staff_a, stock=stock, direction="out", amount=3, purpose="病区领用")
    stock.refresh_from_db()
    assert stock.quantity == 10 and movement.status == "pending"

    with pytest.raises(NotPermittedError):
        services.movement_confirm(by=world.staff_a, movement=movement)  # the one who entered it

    services.movement_confirm(by=world.officer_a, movement=movement)

    stock.refresh_from_db()
    movement.refresh_from_db()
    assert stock.quantity == 7
    assert movement.status == "confirmed" and movement.confirmed_by == world.officer_a
    assert movement.balance_after == 7
    assert AuditEvent.objects.filter(verb="chemical_movement.confirmed", actor=world.officer_a).count() == 1
    with pytest.raises(DomainError):
        services.movement_confirm(by=world.head_a, movement=movement)  # confirmed once only


def test_an_issue_beyond_the_stock_is_refused(world):
    stock = make_stock(world.officer_a, quantity=2)
    first = services.movement_record(by=world.staff_a, stock=stock, direction="out", amount=2)
    second = services.movement_record(by=world.staff_a, stock=stock, direction="out", amount=2)
    services.movement_confirm(by=world.officer_a, movement=first)

    with pytest.raises(DomainError):
        services.movement_confirm(by=world.officer_a, movement=second)
    with pytest.raises(DomainError) as refused:
        services.movement_record(by=world.staff_a, stock=stock, direction="out", amount=1)

    assert "quantity" in refused.value.errors
    stock.refresh_from_db()
    assert stock.quantity == 0
    assert ChemicalMovement.objects.get(pk=second.pk).status == "pending"


def test_storage_over_its_limit_is_flagged_on_the_list_and_the_overview(world, client):
    stock = make_stock(world.officer_a, quantity=45, max_quantity=50)
    services.movement_confirm(
        by=world.officer_a,
        movement=services.movement_record(by=world.staff_a, stock=stock, direction="in", amount=10),
    )
    stock.refresh_from_db()
    assert stock.quantity == Decimal("55") and stock.over_limit

    client.force_login(world.regulator_a)
    listed = client.get(reverse("registers:stock-list"), {"over_limit": "on"}).content.decode()
    overview = client.get(reverse("registers:overview"))

    assert "乙醇" in listed and 'data-testid="over-limit"' in listed
    row = next(r for r in overview.context["rows"] if r.organization == world.hospital_a)
    assert row.over_limit == 1 and overview.context["over_limit"] == 1


def test_the_chemical_table_renders_in_libreoffice(world, client):
    stock = make_stock(world.officer_a, quantity=60, max_quantity=50)
    plan = floor_plan(world.officer_a, building="门诊楼", floor="B1")
    services.storage_place_locate(by=world.officer_a, place=stock.place, floor_plan=plan, x="0.5", y="0.5")
    client.force_login(world.officer_a)

    response = client.get(reverse("registers:chemical-table"))

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    text = squeeze(pdf_text(response.content, ".xlsx"))
    assert "甲区人民医院危险化学品管理使用一张表" in text
    for expected in ("乙醇", "64-17-5", "第3类易燃液体", "药剂科危化品库", "门诊楼B1", "王药师、李药师", "超量"):
        assert expected in text, expected
    assert AuditEvent.objects.filter(verb="data.exported", actor=world.officer_a).count() == 1


def test_a_regulator_reads_an_institutions_table_but_not_another_districts(world, client):
    make_stock(world.officer_a)
    make_stock(world.officer_b, place="乙库")
    client.force_login(world.regulator_a)
    url = reverse("registers:chemical-table")

    assert client.get(url, {"organization": world.hospital_a.pk}).status_code == 200
    assert client.get(url, {"organization": world.hospital_b.pk}).status_code == 404


def test_chemicals_and_movements_through_the_api(world):
    stock = make_stock(world.officer_a, quantity=5)
    staff, officer = api_client(world.staff_a), api_client(world.officer_a)

    listed = officer.get("/api/v1/chemicals/").json()["results"]
    created = staff.post(
        "/api/v1/chemical-movements/", {"stock": stock.pk, "direction": "in", "quantity": "2.5"}, format="json"
    )
    own = staff.post(f"/api/v1/chemical-movements/{created.json()['id']}/confirm/", format="json")
    confirmed = officer.post(f"/api/v1/chemical-movements/{created.json()['id']}/confirm/", format="json")

    assert [r["cas_number"] for r in listed] == ["64-17-5"] and listed[0]["is_typical"] is True
    assert created.status_code == 201 and created.json()["status"] == "pending"
    assert own.status_code == 403
    assert confirmed.status_code == 200 and confirmed.json()["balance_after"] == "7.50"
    assert ChemicalStock.objects.get().quantity == Decimal("7.50")


def test_a_pending_movement_is_voided_with_a_reason(world, client):
    stock = make_stock(world.officer_a)
    movement = services.movement_record(by=world.staff_a, stock=stock, direction="in", amount=1)
    client.force_login(world.staff_a)
    url = reverse("registers:movement-cancel", args=[movement.pk])

    assert client.post(url, {"reason": ""}).status_code == 200
    assert client.post(url, {"reason": "数量录错"}).status_code == 302

    movement.refresh_from_db()
    assert movement.status == "cancelled" and movement.cancel_reason == "数量录错"
    assert ChemicalMovement.objects.count() == 1  # kept, never deleted
