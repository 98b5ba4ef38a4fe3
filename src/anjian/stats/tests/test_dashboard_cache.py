"""The dashboard is served again from the cache until the data changes: a second look does not
count a million rows again, and a write shows on the very next request."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from anjian.core.testing.factories import api_client as api
from anjian.hazards.choices import HazardStatus
from anjian.stats.tests.records import at, hazard, random_ledger

pytestmark = pytest.mark.django_db

URL = "/api/v1/stats/dashboard/"


def kpis(body: dict) -> dict:
    return {k["key"]: k["value"] for k in body["kpis"]}


def hazard_queries(ctx) -> list[str]:
    return [q["sql"] for q in ctx.captured_queries if "hazards_hazard" in q["sql"]]


@pytest.fixture
def ledger(world):
    random_ledger(
        [world.hospital_a, world.clinic_a, world.hospital_b],
        [world.dept_a, world.dept_a, world.dept_b],
        seed=5,
        n=60,
        first=timezone.localdate().replace(month=1, day=1),
        last=timezone.localdate(),
    )
    return world


def test_a_second_look_is_served_without_counting_again(ledger):
    client = api(ledger.regulator_a)
    with CaptureQueriesContext(connection) as first:
        a = client.get(URL).json()
    with CaptureQueriesContext(connection) as second:
        b = client.get(URL).json()
    assert a == b
    assert len(hazard_queries(first)) >= 5
    assert hazard_queries(second) == []


def test_a_new_hazard_shows_on_the_next_request(ledger, settings):
    client = api(ledger.regulator_a)
    before = kpis(client.get(URL).json())
    hazard(ledger.clinic_a, found=at(timezone.localdate(), 0, 1), status=HazardStatus.RECTIFYING)
    after = kpis(client.get(URL).json())
    assert after["found"] == before["found"] + 1
    assert after["open"] == before["open"] + 1
    # and the figures are those of a fresh count
    settings.RESULT_CACHE_SECONDS = 0
    assert kpis(client.get(URL).json()) == after


def test_a_closed_hazard_shows_on_the_next_request(ledger):
    client = api(ledger.regulator_a)
    h = hazard(ledger.hospital_a, found=at(timezone.localdate() - dt.timedelta(days=1)))
    before = kpis(client.get(URL).json())
    h.status, h.accepted_at = HazardStatus.CLOSED, timezone.now()
    h.save()
    after = kpis(client.get(URL).json())
    assert (after["open"], after["rectified"]) == (before["open"] - 1, before["rectified"] + 1)


def queries_of(ctx, table: str) -> list[str]:
    return [q["sql"] for q in ctx.captured_queries if f'FROM "{table}"' in q["sql"]]


def test_a_write_counts_again_only_the_part_it_changes(ledger):
    """A hazard written: the hazard figures are counted again, the inspection compliance and the
    tasks are served from the cache; an inspection point written: the compliance only."""
    from anjian.inspections.models import InspectionPoint

    client = api(ledger.regulator_a)
    first = client.get(URL).json()
    hazard(ledger.clinic_a, found=at(timezone.localdate(), 0, 1), status=HazardStatus.RECTIFYING)
    with CaptureQueriesContext(connection) as after_hazard:
        second = client.get(URL).json()
    assert kpis(second)["found"] == kpis(first)["found"] + 1
    assert hazard_queries(after_hazard)
    assert queries_of(after_hazard, "inspections_schedule") == []
    assert queries_of(after_hazard, "action_plans_assignment") == []
    assert kpis(second)["compliance"] == kpis(first)["compliance"]

    InspectionPoint.objects.create(organization=ledger.hospital_a, name="新增巡检点")
    with CaptureQueriesContext(connection) as after_point:
        third = client.get(URL).json()
    assert queries_of(after_point, "inspections_schedule")
    assert hazard_queries(after_point) == []
    assert third == second


def test_each_user_gets_the_figures_of_their_own_scope(ledger):
    w = ledger
    a = api(w.regulator_a).get(URL).json()
    b = api(w.regulator_b).get(URL).json()
    assert a["scope"] != b["scope"] or kpis(a) != kpis(b)
    assert kpis(b)["found"] == kpis(api(w.regulator_b).get(URL).json())["found"]
    one = api(w.regulator_a).get(URL, {"organization": w.clinic_a.pk}).json()
    assert one["role"] == "institution" and one["scope"]["label"] == w.clinic_a.name
    assert kpis(one)["found"] < kpis(a)["found"]


def test_the_language_is_part_of_what_is_cached(ledger):
    client = api(ledger.regulator_a)
    zh = client.get(URL).json()
    client.cookies["django_language"] = "en"
    with translation.override("zh-hans"):  # the request switches this thread to English: switch back after
        en = client.get(URL).json()
    assert zh["kpis"][0]["label"] == "发现隐患"
    assert en["kpis"][0]["label"] == "Hazards found"
    assert kpis(zh) == kpis(en)


def test_each_institutions_compliance_bar_opens_that_institutions_compliance_page(world, client):
    from anjian.inspections.tests.helpers import make_point, make_schedule

    make_schedule(world.officer_a, points=[make_point(world.officer_a, department=world.dept_a)])
    chart = next(c for c in api(world.regulator_a).get(URL).json()["charts"] if c["id"] == "compliance")
    bars = dict(zip(chart["categories"], chart["series"][0]["data"], strict=True))
    url = bars[world.hospital_a.name]["url"]
    assert f"organization={world.hospital_a.pk}" in url
    client.force_login(world.regulator_a)
    page = client.get(url)
    assert page.status_code == 200
    assert world.hospital_a.name in page.content.decode()
