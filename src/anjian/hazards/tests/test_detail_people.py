"""The hazard detail names its people (found by, responsible, confirmed by) from one query for all
of them, not a join to the user table for each (which made PostgreSQL plan the query for tens of ms)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.authtoken.models import Token

from anjian.hazards import services
from anjian.hazards.defaults import ensure_defaults
from anjian.hazards.models import HazardCategory

pytestmark = pytest.mark.django_db


def test_the_detail_names_the_people_read_in_one_query(client, world):
    ensure_defaults()  # the categories, should a test before this one have flushed the database
    hazard = services.hazard_report(
        by=world.staff_a,
        organization=world.hospital_a,
        data={
            "title": "安全出口堆放杂物",
            "location": "住院部3楼",
            "category": HazardCategory.objects.get(code="fire"),
        },
    )
    services.hazard_confirm(
        hazard=hazard,
        by=world.officer_a,
        plan={
            "responsible": world.officer_a,
            "responsible_unit": "保卫科",
            "measures": "清理杂物",
            "deadline": timezone.localdate() + dt.timedelta(days=7),
        },
    )
    token = Token.objects.create(user=world.officer_a)
    with CaptureQueriesContext(connection) as ctx:
        body = client.get(f"/api/v1/hazards/{hazard.pk}/", headers={"Authorization": f"Token {token.key}"}).json()
    assert body["found_by"] == world.staff_a.pk and body["found_by_name"] == world.staff_a.name
    assert body["responsible_name"] == world.officer_a.name and body["confirmed_by_name"] == world.officer_a.name
    assert body["accepted_by_name"] is None
    hazard_reads = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith('SELECT "hazards_hazard"."id"')]
    assert len(hazard_reads) == 1 and '"accounts_user"' not in hazard_reads[0]
