"""Storage places of hazardous chemicals on the floor plans of the four-colour map (一图一表: the
一张图): a place is marked on a plan by a click (the page fills two percentages, the service checks
the spot and the plan), shown on its own page and on the institution's map; a place still holding
chemicals is not taken out of use; the API lists and creates places."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from anjian.core.errors import DomainError, NotPermittedError
from anjian.core.models import AuditEvent
from anjian.registers import selectors, services
from anjian.registers.models import Chemical, ChemicalStock, StoragePlace
from anjian.registers.tests.helpers import floor_plan, make_stock

pytestmark = pytest.mark.django_db


@pytest.fixture
def mapped(world):
    """hospital_a: a floor plan (400×300) and two storage places, the first with ethanol."""
    stock = make_stock(world.officer_a, quantity=10)
    other = services.storage_place_create(by=world.officer_a, data={"name": "病理科试剂柜"})
    return {"plan": floor_plan(world.officer_a), "place": stock.place, "stock": stock, "other": other}


def _state(place) -> tuple:
    place.refresh_from_db()
    return place.floor_plan_id, place.plan_x, place.plan_y, place.is_active, place.name


def test_the_officer_marks_a_place_on_the_plan_and_it_shows_on_its_page_and_the_map(world, client, mapped):
    place, plan = mapped["place"], mapped["plan"]
    client.force_login(world.officer_a)
    url = reverse("registers:place-locate", args=[place.pk])

    chooser = client.get(url, {"plan": plan.pk})
    saved = client.post(url, {"floor_plan": plan.pk, "plan_x": "30", "plan_y": "60"})

    assert chooser.status_code == 200 and f'src="{reverse("risks:plan-image", args=[plan.pk])}"' in chooser.text
    assert saved.status_code == 302 and saved["Location"] == reverse("registers:place-detail", args=[place.pk])
    assert _state(place)[:3] == (plan.pk, Decimal("0.3000"), Decimal("0.6000"))
    event = AuditEvent.objects.get(verb="storage_place.located")
    assert event.actor == world.officer_a and event.changes["floor_plan"] == [None, "住院楼 1F"]

    page = client.get(reverse("registers:place-detail", args=[place.pk])).text
    # the marker at 30 % × 400 px, 60 % × 300 px of the plan, with what the place holds beside it
    assert f'data-testid="marker-{place.pk}"' in page and 'cx="120.0" cy="180.0"' in page
    assert "住院楼 1F" in page and "乙醇（75%、95%）" in page

    chemical_map = client.get(reverse("registers:chemical-map"))
    html = chemical_map.text
    assert [e["places"] for e in chemical_map.context["map"]["plans"]] == [[place]]
    assert chemical_map.context["map"]["unlocated"] == [mapped["other"]]
    assert f'data-testid="marker-{place.pk}"' in html and f'data-testid="marker-{mapped["other"].pk}"' not in html
    assert reverse("registers:place-locate", args=[mapped["other"].pk]) in html


def test_a_spot_off_the_plan_or_on_another_institutions_plan_is_refused_and_changes_nothing(world, client, mapped):
    place, plan = mapped["place"], mapped["plan"]
    plan_b = floor_plan(world.officer_b, building="乙住院楼")
    before = _state(place)
    events = AuditEvent.objects.count()

    for kwargs, field in (
        ({"floor_plan": plan, "x": "1.5", "y": "0.2"}, "plan_x"),
        ({"floor_plan": plan, "x": "0.5", "y": "-0.01"}, "plan_y"),
        ({"floor_plan": plan, "x": "abc", "y": "0.2"}, "plan_x"),
        ({"floor_plan": plan, "x": None, "y": "0.2"}, "plan_x"),
        ({"floor_plan": plan_b, "x": "0.5", "y": "0.5"}, "floor_plan"),
    ):
        with pytest.raises(DomainError) as refused:
            services.storage_place_locate(by=world.officer_a, place=place, **kwargs)
        assert refused.value.field == field, kwargs
    with pytest.raises(NotPermittedError):
        services.storage_place_locate(by=world.regulator_a, place=place, floor_plan=plan, x="0.5", y="0.5")

    client.force_login(world.officer_a)
    url = reverse("registers:place-locate", args=[place.pk])
    other_plan = client.post(url, {"floor_plan": plan_b.pk, "plan_x": "50", "plan_y": "50"})
    no_spot = client.post(url, {"floor_plan": plan.pk, "plan_x": "", "plan_y": ""})
    off_plan = client.post(url, {"floor_plan": plan.pk, "plan_x": "120", "plan_y": "50"})

    assert "floor_plan" in other_plan.context["form"].errors
    assert no_spot.context["form"].errors["plan_x"] == ["请在平面图上点选储存地点的位置。"]
    assert "plan_x" in off_plan.context["form"].errors
    assert _state(place) == before and AuditEvent.objects.count() == events


def test_the_mark_comes_off_when_no_plan_is_chosen(world, client, mapped):
    place = mapped["place"]
    services.storage_place_locate(by=world.officer_a, place=place, floor_plan=mapped["plan"], x="0.1", y="0.1")
    client.force_login(world.officer_a)

    client.post(reverse("registers:place-locate", args=[place.pk]), {"floor_plan": "", "plan_x": "", "plan_y": ""})

    assert _state(place)[:3] == (None, None, None)
    assert 'data-testid="no-plan"' in client.get(reverse("registers:place-detail", args=[place.pk])).text


def test_a_place_still_holding_chemicals_is_not_taken_out_of_use(world, mapped):
    place, stock = mapped["place"], mapped["stock"]

    with pytest.raises(DomainError, match="仍存有乙醇"):
        services.storage_place_set_active(by=world.officer_a, place=place, active=False, note="库房改造")
    issue = services.movement_record(by=world.staff_a, stock=stock, direction="out", amount=10, purpose="调拨")
    services.movement_confirm(by=world.officer_a, movement=issue)
    delivery = services.movement_record(by=world.staff_a, stock=stock, direction="in", amount=5, purpose="采购")
    with pytest.raises(DomainError, match="待复核"):
        services.storage_place_set_active(by=world.officer_a, place=place, active=False)
    services.movement_cancel(by=world.officer_a, movement=delivery, reason="未到货")
    services.storage_place_set_active(by=world.officer_a, place=place, active=False, note="库房改造")

    assert _state(place)[3] is False and ChemicalStock.objects.get(pk=stock.pk).quantity == 0
    assert AuditEvent.objects.filter(verb="storage_place.deactivated", note="库房改造").count() == 1
    with pytest.raises(DomainError, match="已停用"):
        services.movement_record(by=world.staff_a, stock=stock, direction="in", amount=5)
    assert list(selectors.place_list(user=world.officer_a)) == [mapped["other"]]
    services.storage_place_set_active(by=world.officer_a, place=place, active=True)
    assert _state(place)[3] is True


def test_a_place_is_renamed_on_its_page_and_a_duplicate_name_is_refused_on_the_field(world, client, mapped):
    client.force_login(world.officer_a)
    url = reverse("registers:place-edit", args=[mapped["place"].pk])

    duplicate = client.post(url, {"name": "病理科试剂柜", "keepers": ""})
    renamed = client.post(url, {"name": "药剂科危化品专用库", "keepers": "王药师、李药师"})

    assert duplicate.status_code == 200 and duplicate.context["form"].errors["name"]
    assert renamed.status_code == 302 and _state(mapped["place"])[4] == "药剂科危化品专用库"
    assert AuditEvent.objects.filter(verb="storage_place.updated").count() == 1


def test_the_regulator_reads_an_institutions_map_but_not_another_districts(world, client, mapped):
    services.storage_place_locate(
        by=world.officer_a, place=mapped["place"], floor_plan=mapped["plan"], x="0.2", y="0.2"
    )
    client.force_login(world.regulator_a)
    url = reverse("registers:chemical-map")

    choose = client.get(url)
    hospital = client.get(url, {"organization": world.hospital_a.pk})

    assert choose.status_code == 200 and choose.context["map"] is None and "甲区人民医院" in choose.text
    assert hospital.status_code == 200 and "药剂科危化品库" in hospital.text
    assert client.get(url, {"organization": world.hospital_b.pk}).status_code == 404
    assert client.get(reverse("registers:place-locate", args=[mapped["place"].pk])).status_code == 403
    assert 'data-testid="locate"' not in client.get(reverse("registers:place-detail", args=[mapped["place"].pk])).text


def test_the_map_takes_a_constant_number_of_queries(world, client, mapped, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.officer_a)
    url = reverse("registers:chemical-map")
    services.storage_place_locate(by=world.officer_a, place=mapped["place"], floor_plan=mapped["plan"], x=0, y=0)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(4):
        plan = floor_plan(world.officer_a, floor=f"{n + 2}F")
        stock = make_stock(world.officer_a, place=f"库房{n}")
        services.storage_place_locate(by=world.officer_a, place=stock.place, floor_plan=plan, x="0.5", y="0.5")
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(url)
    assert len(page.context["map"]["plans"]) == 5


def test_places_through_the_api(world, mapped):
    api = APIClient()
    api.force_authenticate(world.officer_a)
    from anjian.risks import services as risk_services

    point_b = risk_services.risk_point_create(by=world.officer_b, data={"name": "乙锅炉房", "kind": "place"})

    listed = api.get("/api/v1/chemical-storage-places/")
    foreign = api.post("/api/v1/chemical-storage-places/", {"name": "冒名库", "risk_point": point_b.pk}, format="json")
    created = api.post("/api/v1/chemical-storage-places/", {"name": "检验科试剂库", "keepers": "甲、乙"}, format="json")

    assert {p["name"] for p in listed.json()["results"]} == {"药剂科危化品库", "病理科试剂柜"}
    assert foreign.status_code == 400 and "risk_point" in foreign.json()["errors"]
    assert created.status_code == 201 and created.json()["floor_plan"] is None
    assert StoragePlace.objects.filter(name="冒名库").count() == 0
    ethanol = Chemical.objects.get(name="乙醇（75%、95%）")  # the catalogue's, whatever its id
    stock = api.post(
        "/api/v1/chemicals/",
        {"place": created.json()["id"], "chemical": ethanol.pk, "unit": "L", "max_quantity": "20"},
        format="json",
    )
    assert stock.status_code == 201 and stock.json()["place_name"] == "检验科试剂库"
