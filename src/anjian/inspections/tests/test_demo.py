"""The demo's inspection hazards go through the loop like a real ledger's: found at the record's time,
then confirmed, rectified and closed on dates after it, the newest still open; the district's
findings put right likewise; a second run adds nothing."""

import datetime as dt

import pytest
from django.utils import timezone

from anjian.core.models import AuditEvent
from anjian.hazards.choices import HazardStatus
from anjian.hazards.models import Hazard
from anjian.inspections import demo
from anjian.inspections.models import InspectionRecord, SupervisionFinding

pytestmark = pytest.mark.calendar  # depends on the day: run again on other pinned days


def raised() -> list[Hazard]:
    return list(Hazard.objects.filter(inspection_results__hazard_created=True).distinct().order_by("found_at", "pk"))


@pytest.mark.django_db
def test_the_failed_items_hazards_are_mostly_closed_the_newest_still_open(demo_db):
    hazards = raised()
    today = timezone.localdate()
    by_status = {s: [h for h in hazards if h.status == s] for s in HazardStatus.values}

    assert len(hazards) >= 15
    assert len(by_status["closed"]) > len(hazards) / 2  # most put right and closed
    assert 2 <= len(by_status["rectifying"]) <= 6
    assert 1 <= len(by_status["awaiting_acceptance"]) <= 3
    # still to be confirmed: only the last few days' ones
    assert by_status["reported"]
    assert all((today - timezone.localdate(h.found_at)).days <= 3 for h in by_status["reported"])
    assert all((today - timezone.localdate(h.found_at)).days > 3 for h in hazards if h.confirmed_at)
    # the principal checked them before the deadline
    assert all(timezone.localdate(h.accepted_at) <= h.deadline for h in by_status["closed"])
    # closed over the weeks, not all at seed time
    assert len({timezone.localdate(h.accepted_at) for h in by_status["closed"]}) >= 8


@pytest.mark.django_db
def test_each_step_is_dated_after_the_record_and_the_history_agrees(demo_db):
    now = timezone.now()
    findings = [f.hazard for f in SupervisionFinding.objects.select_related("hazard")]
    assert findings and all(h.status == HazardStatus.CLOSED for h in findings)
    for h in [*raised(), *findings]:
        record = InspectionRecord.objects.filter(results__hazard=h).order_by("performed_at").first()
        if record is not None:
            assert h.found_at == record.performed_at, h.number
            assert record.created_at - record.performed_at < dt.timedelta(hours=1), h.number  # not at seed time
        steps = [h.found_at, h.created_at, h.confirmed_at, h.rectified_at, h.accepted_at]
        steps = [t for t in steps if t is not None]
        assert steps == sorted(steps) and steps[-1] <= now, h.number
        if h.confirmed_at:
            assert h.confirmed_at - h.created_at < dt.timedelta(days=3), h.number  # confirmed within a day or two
            assert h.deadline >= timezone.localdate(h.found_at), h.number
        events = AuditEvent.objects.filter(target_type__model="hazard", target_id=str(h.pk)).order_by("pk")
        ats = [e.at for e in events]
        assert ats == sorted(ats) and ats[0] == h.created_at, h.number
        for verb, field in (("hazard.confirmed", "confirmed_at"), ("hazard.accepted", "accepted_at")):
            if getattr(h, field):
                assert events.get(verb=verb).at == getattr(h, field), (h.number, verb)


@pytest.mark.django_db
def test_a_second_run_changes_nothing(demo_db):
    before = [(h.number, h.status, h.confirmed_at, h.accepted_at) for h in Hazard.objects.order_by("pk")]

    assert demo.seed() == 0

    assert [(h.number, h.status, h.confirmed_at, h.accepted_at) for h in Hazard.objects.order_by("pk")] == before
