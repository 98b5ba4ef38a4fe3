"""Two approvers of the same step at the same moment: exactly one decision is made.

The deputy and the department's head may both decide the department step. The services lock the
permit's row (``select_for_update``), so the second to arrive waits, re-reads the permit and finds
the step decided: a ConflictError (HTTP 409), with nothing written by it. Run on PostgreSQL only:
SQLite serialises writers on the whole database, so the race cannot happen there (the pattern of
hazards/tests/test_concurrency_accept_reject.py).
"""

from __future__ import annotations

import pytest
from django.db import connection
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from anjian.contractors import services
from anjian.contractors.models import PermitApproval, WorkPermit
from anjian.contractors.tests.helpers import make_permit
from anjian.core.errors import ConflictError
from anjian.core.models import AuditEvent
from anjian.core.testing.concurrency import race

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL's row locks with concurrent connections (scripts/run_tests.py runs the suite "
    "again on a throwaway PostgreSQL); SQLite serialises all writers, so there is no race to test",
)

ROUNDS = 5


def submitted(w) -> WorkPermit:
    return services.permit_submit(permit=make_permit(w), by=w.staff_a)


def decisions(permit) -> list[str]:
    qs = AuditEvent.objects.filter(target_type__model="workpermit", target_id=str(permit.pk))
    return sorted(qs.filter(verb__in=["work_permit.approved", "work_permit.rejected"]).values_list("verb", flat=True))


def test_services_two_approvers_at_once(transactional_db, people):
    w = people
    for _ in range(ROUNDS):
        permit = submitted(w)
        approve, reject = race(
            lambda p=permit: services.permit_approve(permit=WorkPermit.objects.get(pk=p.pk), by=w.extra["deputy_a"]),
            lambda p=permit: services.permit_reject(
                permit=WorkPermit.objects.get(pk=p.pk), by=w.extra["dept_head_a"], reason="措施不全"
            ),
        )
        assert sorted([approve[0], reject[0]]) == ["error", "ok"], (approve, reject)
        loser = approve if approve[0] == "error" else reject
        assert isinstance(loser[1], ConflictError), loser
        assert PermitApproval.objects.filter(permit=permit).count() == 1
        assert len(decisions(permit)) == 1


def test_api_two_approvers_at_once(transactional_db, people):
    w = people

    def client(user) -> APIClient:
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
        return api

    deputy, head = client(w.extra["deputy_a"]), client(w.extra["dept_head_a"])
    for _ in range(ROUNDS):
        permit = submitted(w)
        url = f"/api/v1/work-permits/{permit.pk}"
        one, two = race(
            lambda url=url: deputy.post(f"{url}/approve/", {"comment": "同意"}, format="json"),
            lambda url=url: head.post(f"{url}/approve/", {"comment": "同意"}, format="json"),
        )
        assert one[0] == two[0] == "ok", (one, two)
        codes = sorted([one[1].status_code, two[1].status_code])
        assert codes == [200, 409], (one[1].content, two[1].content)
        permit.refresh_from_db()
        assert permit.pending_step == "safety_office"
        assert decisions(permit) == ["work_permit.approved"]
        assert PermitApproval.objects.filter(permit=permit).count() == 1
