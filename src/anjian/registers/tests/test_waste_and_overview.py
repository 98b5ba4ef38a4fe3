"""Waste handovers with monthly totals, the regulator's overview and the safety officer's home panel."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from anjian.core.testing.factories import api_client
from anjian.registers import selectors, services
from anjian.registers.models import WasteHandover
from anjian.registers.tests.helpers import make_equipment, make_stock, overdue_vessel, today

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]


def _handover(by, day, category="infectious", kg=10):
    return services.waste_handover_record(
        by=by, data={"handed_on": day, "category": category, "weight_kg": kg, "receiver": "市医疗废物处置中心"}
    )


def test_monthly_totals_add_up_by_category_and_leave_out_voided_records(world):
    first = today().replace(day=1)
    last_month = first - dt.timedelta(days=1)
    _handover(world.officer_a, first, "infectious", "12.5")
    _handover(world.officer_a, today(), "sharps", "3")
    wrong = _handover(world.officer_a, today(), "infectious", "99")
    _handover(world.officer_a, last_month, "chemical", "4")
    services.waste_handover_void(by=world.officer_a, handover=wrong, reason="重复登记")

    totals = selectors.waste_monthly_totals(user=world.officer_a)

    assert [t.month for t in totals] == [first, last_month.replace(day=1)]
    assert totals[0].total == Decimal("15.5") and totals[0].handovers == 2
    assert totals[0].by_category == {"infectious": Decimal("12.5"), "sharps": Decimal("3")}
    assert totals[1].by_category == {"chemical": Decimal("4")}
    assert WasteHandover.objects.count() == 4  # the voided one is kept


def test_waste_handovers_through_the_api(world):
    client = api_client(world.officer_a)

    created = client.post(
        "/api/v1/waste-handovers/",
        {
            "handed_on": today().isoformat(),
            "category": "pathological",
            "weight_kg": "8.20",
            "receiver": "市医疗废物处置中心",
            "form_number": "ZY2026-001",
        },
        format="json",
    )
    future = client.post(
        "/api/v1/waste-handovers/",
        {
            "handed_on": (today() + dt.timedelta(days=1)).isoformat(),
            "category": "sharps",
            "weight_kg": "1",
            "receiver": "x",
        },
        format="json",
    )
    month = client.get("/api/v1/waste-handovers/", {"month": today().strftime("%Y-%m")}).json()

    assert created.status_code == 201 and created.json()["form_number"] == "ZY2026-001"
    assert future.status_code == 400 and "handed_on" in future.json()["errors"]
    assert [r["weight_kg"] for r in month["results"]] == ["8.20"]


def test_the_overview_counts_per_institution_and_leads_to_the_rows(world, client):
    overdue_vessel(world.officer_a)
    make_equipment(world.officer_a, last=today())
    overdue_vessel(world.officer_b, name="乙院储罐")  # another district: not the regulator's
    client.force_login(world.regulator_a)

    response = client.get(reverse("registers:overview"))

    rows = {r.organization.name: r for r in response.context["rows"]}
    assert rows["甲区人民医院"].equipment == 2 and rows["甲区人民医院"].overdue == 1
    assert rows["甲区人民医院"].by_kind == {"压力容器（固定式）": 1, "电梯": 1}
    assert "乙院储罐" not in response.content.decode() and response.context["overdue"] == 1
    link = f"?organization={world.hospital_a.pk}&state=overdue"
    assert link in response.content.decode()
    rows_page = client.get(
        reverse("registers:equipment-list"), {"organization": world.hospital_a.pk, "state": "overdue"}
    )
    assert [i.name for i in rows_page.context["items"]] == ["液氧储罐"]


def test_the_safety_officers_home_shows_due_equipment_and_movements_to_confirm(world, client):
    overdue_vessel(world.officer_a)
    stock = make_stock(world.officer_a)
    services.movement_record(by=world.staff_a, stock=stock, direction="out", amount=1)
    client.force_login(world.officer_a)

    page = client.get(reverse("core:home")).content.decode()

    assert 'data-testid="home-registers"' in page
    assert "液氧储罐" in page and 'data-testid="home-pending"' in page
