"""The scale generator at a tiny size: consistent data in every state, the counts asked for, the same
data for the same seed, and the application working on it (the ledger, a new hazard's number)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from rest_framework.test import APIClient

from anjian.accounts.models import User
from anjian.action_plans.models import Assignment
from anjian.hazards import summary
from anjian.hazards.choices import HazardStatus
from anjian.hazards.models import Hazard
from anjian.hazards.tests.helpers import jpeg
from anjian.inspections.models import ChecklistItem, InspectionRecord, InspectionResult
from anjian.orgs.models import Organization
from scale import CITY_NAME, CITY_USERNAME, Generator

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the generator writes with PostgreSQL's COPY; scripts/run_tests.py runs this on a throwaway PostgreSQL",
    ),
]

INSTITUTIONS = 4


def generate(seed: int = 7, today=None):
    return Generator(institutions=INSTITUTIONS, years=1, seed=seed, today=today, log=lambda _msg: None).run()


def fingerprint() -> list[tuple]:
    """What the set holds, without ids (which depend on the sequences)."""
    return list(
        Hazard.objects.order_by("number").values_list(
            "number", "organization__name", "title", "status", "level", "found_at", "deadline"
        )[:300]
    )


def test_same_seed_same_data_other_seed_other_data():
    runs = []
    yesterday = timezone.localdate() - dt.timedelta(days=1)  # a fixed day: the set ends at its 18:00
    for seed in (7, 7, 8):
        with transaction.atomic():
            generate(seed, today=yesterday)
            runs.append(fingerprint())
            transaction.set_rollback(True)
    assert runs[0] == runs[1]
    assert runs[0] != runs[2]


def test_counts_and_consistency():
    report = generate()
    city = Organization.objects.get(name=CITY_NAME)
    institutions = Organization.objects.filter(path__startswith=city.path, type="institution")
    assert institutions.count() == INSTITUTIONS
    assert report.counts["organizations"] == INSTITUTIONS + 1 + Organization.objects.filter(parent=city).count()

    hazards = Hazard.objects.filter(organization__in=institutions)
    assert hazards.count() == report.counts["hazards"] > 300
    statuses = set(hazards.values_list("status", flat=True))
    assert statuses == set(HazardStatus.values)
    assert hazards.filter(level="major").exists()
    assert report.counts["hazard summary"] > 0
    assert summary.differences() == []  # the dashboards' summary counts the generated hazards
    # every state carries what the closed loop writes at that step, and nothing of a later one
    assert not hazards.filter(status="reported", confirmed_at__isnull=False).exists()
    assert not hazards.filter(status="rectifying").filter(Q(deadline__isnull=True) | Q(responsible=None)).exists()
    assert not hazards.filter(status="rectifying", rectified_at__isnull=False).exists()
    assert not hazards.filter(status="awaiting_acceptance", rectified_at__isnull=True).exists()
    assert not hazards.filter(status="closed").filter(Q(accepted_at=None) | Q(rectified_at=None)).exists()
    assert not hazards.filter(status="closed", accepted_by=F("rectified_by")).exists()
    assert not hazards.filter(status="closed", level="major", endorsed_at=None).exists()
    assert not hazards.filter(status="closed", accepted_at__lt=F("rectified_at")).exists()
    assert not hazards.filter(level="major", criterion=None).exists()
    assert not hazards.filter(status="dismissed", dismissed_reason="").exists()
    assert not hazards.filter(found_at__gt=timezone.now()).exists()
    assert len(set(hazards.values_list("number", flat=True))) == hazards.count()

    # each record: one result per item of its checklist, and its counts match its results
    records = InspectionRecord.objects.filter(organization__in=institutions)
    assert records.count() == report.counts["inspection records"] > 0
    results = InspectionResult.objects.filter(record__in=records)
    assert results.count() == report.counts["inspection results"]
    items = dict(ChecklistItem.objects.values("template").annotate(n=Count("pk")).values_list("template", "n"))
    per_record = records.annotate(
        n=Count("results"),
        p=Count("results", filter=Q(results__result="pass")),
        f=Count("results", filter=Q(results__result="fail")),
        a=Count("results", filter=Q(results__result="na")),
    )
    for r in per_record:
        assert r.n == items[r.template_id]
        assert (r.p, r.f, r.a) == (r.pass_count, r.fail_count, r.na_count)
    assert not results.filter(result="fail", hazard=None).exists()
    assert not results.filter(result="fail").exclude(hazard__organization=F("record__organization")).exists()
    month_start = dt.datetime.combine(
        timezone.localdate().replace(day=1), dt.time.min, tzinfo=timezone.get_current_timezone()
    )
    assert not records.filter(period_start__gte=month_start).exists()  # left free for the benchmark

    assert Assignment.objects.filter(organization__in=institutions).count() == 30 * INSTITUTIONS
    assert User.objects.filter(organization__in=institutions, role="safety_officer").count() == INSTITUTIONS


def test_the_app_works_on_the_generated_data():
    generate()
    regulator = User.objects.get(username=CITY_USERNAME)
    client = APIClient()
    client.force_authenticate(regulator)
    response = client.get("/api/v1/hazards/", {"status": "open"})
    assert response.status_code == 200
    assert (
        response.data["count"]
        == Hazard.objects.filter(status__in=["reported", "rectifying", "awaiting_acceptance"]).count()
        > 0
    )
    assert len(response.data["results"]) == 50

    officer = User.objects.filter(role="safety_officer", organization__path__startswith=regulator.organization.path)
    officer = officer.order_by("pk").first()
    client.force_authenticate(officer)
    year = timezone.localdate().year
    generated = Hazard.objects.filter(number__startswith=f"YH-{year}-").order_by("-number").first()
    response = client.post(
        "/api/v1/hazards/",
        {"title": "新登记的隐患", "location": "门诊楼一层", "category": "fire", "photos": [jpeg()]},
        format="multipart",
    )
    assert response.status_code == 201, response.data
    last = int(generated.number.rsplit("-", 1)[1]) if generated else 0
    assert response.data["number"] == f"YH-{year}-{last + 1:06d}"
    assert Hazard.objects.get(pk=response.data["id"]).organization_id == officer.organization_id
