"""``accept`` and ``reject`` of the same hazard sent at the same moment: exactly one wins.

Two people may decide an awaiting hazard (here the safety officer accepts while the principal
rejects). The services lock the hazard's row (``select_for_update``), so the second to arrive
waits, re-reads the hazard and finds it no longer awaiting acceptance: a ConflictError (HTTP 409),
with nothing changed by it. Run on PostgreSQL only: SQLite serialises writers on the whole
database, so the race this test is about cannot happen there.
"""

from __future__ import annotations

import pytest
from django.db import connection
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from anjian.core.errors import ConflictError
from anjian.core.models import AuditEvent
from anjian.core.testing.concurrency import race
from anjian.hazards import services
from anjian.hazards.choices import HazardStatus
from anjian.hazards.models import Hazard
from anjian.hazards.tests.helpers import general_plan, jpeg, report

# Threads need committed data on their own connections: the tests ask for ``transactional_db``
# (by name, so hazards/tests/conftest.py reloads the default categories after the flush).
pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL's row locks with concurrent connections (scripts/run_tests.py runs the suite "
    "again on a throwaway PostgreSQL); SQLite serialises all writers, so there is no race to test",
)

ROUNDS = 5


def awaiting(people) -> Hazard:
    """A general hazard rectified by the department head, so the officer and the principal may decide it."""
    w = people
    hazard = report(w.staff_a, w.hospital_a)
    hazard = services.hazard_confirm(hazard=hazard, by=w.officer_a, plan=general_plan(w.extra["dept_head_a"]))
    return services.hazard_submit(
        hazard=hazard, by=w.extra["dept_head_a"], rectification_note="已整改", after_photos=[jpeg("after.jpg")]
    )


def decisions(hazard: Hazard) -> list[str]:
    qs = AuditEvent.objects.filter(target_type__model="hazard", target_id=str(hazard.pk))
    return sorted(qs.filter(verb__in=["hazard.accepted", "hazard.rejected"]).values_list("verb", flat=True))


def test_services_accept_and_reject_at_once(transactional_db, people):
    w = people
    winners = set()
    for _ in range(ROUNDS):
        hazard = awaiting(w)
        accept, reject = race(
            lambda h=hazard: services.hazard_accept(hazard=Hazard.objects.get(pk=h.pk), by=w.officer_a, note="合格"),
            lambda h=hazard: services.hazard_reject(hazard=Hazard.objects.get(pk=h.pk), by=w.head_a, reason="不合格"),
        )
        outcomes = sorted([accept[0], reject[0]])
        assert outcomes == ["error", "ok"], (accept, reject)
        loser = accept if accept[0] == "error" else reject
        assert isinstance(loser[1], ConflictError), loser
        hazard.refresh_from_db()
        if accept[0] == "ok":
            winners.add("accept")
            assert hazard.status == HazardStatus.CLOSED and hazard.accepted_by == w.officer_a
            assert decisions(hazard) == ["hazard.accepted"]
        else:
            winners.add("reject")
            assert hazard.status == HazardStatus.RECTIFYING and hazard.accepted_by is None
            assert decisions(hazard) == ["hazard.rejected"]
    assert winners  # which one wins is up to the scheduler; that exactly one does is the point


def test_api_accept_and_reject_at_once(transactional_db, people):
    w = people

    def client(user) -> APIClient:
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
        return api

    officer, principal = client(w.officer_a), client(w.head_a)
    for _ in range(ROUNDS):
        hazard = awaiting(w)
        url = f"/api/v1/hazards/{hazard.pk}"
        accept, reject = race(
            lambda url=url: officer.post(f"{url}/accept/", {"note": "合格"}, format="json"),
            lambda url=url: principal.post(f"{url}/reject/", {"reason": "不合格"}, format="json"),
        )
        assert accept[0] == reject[0] == "ok", (accept, reject)
        codes = sorted([accept[1].status_code, reject[1].status_code])
        assert codes == [200, 409], (accept[1].content, reject[1].content)
        winner, loser = (accept[1], reject[1]) if accept[1].status_code == 200 else (reject[1], accept[1])
        assert "不能" in loser.json()["detail"]
        hazard.refresh_from_db()
        assert winner.json()["status"] == hazard.status
        expected = "hazard.accepted" if hazard.status == HazardStatus.CLOSED else "hazard.rejected"
        assert hazard.status in (HazardStatus.CLOSED, HazardStatus.RECTIFYING)
        assert decisions(hazard) == [expected]
