"""The hazards demo: every state, some overdue, one supervised major hazard, the same every time."""

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from anjian.accounts import demo as accounts_demo
from anjian.accounts.models import User
from anjian.hazards import demo, selectors, workflow
from anjian.hazards.choices import HazardLevel, HazardStatus
from anjian.hazards.models import Hazard
from anjian.orgs import demo as orgs_demo

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]  # calendar: run again on other pinned days


def fingerprint() -> list[tuple]:
    today = timezone.localdate()
    return [
        (
            h.number,
            h.organization.name,
            h.department.name if h.department else None,
            h.title,
            h.status,
            (today - timezone.localtime(h.found_at).date()).days,
            (h.deadline - today).days if h.deadline else None,
            h.funds,
        )
        for h in Hazard.objects.select_related("organization", "department").order_by("number")
    ]


def test_demo_is_complete_and_deterministic():
    orgs_demo.seed()
    accounts_demo.seed()

    with transaction.atomic():
        assert demo.seed() > 30
        first = fingerprint()
        transaction.set_rollback(True)
    assert demo.seed() > 30
    second = fingerprint()

    assert first == second  # the same institutions, departments, dates and states on every fresh database
    assert demo.seed() == 0  # and a second run adds nothing
    assert fingerprint() == second
    statuses = set(Hazard.objects.values_list("status", flat=True))
    assert statuses == set(HazardStatus.values)
    assert Hazard.objects.filter(selectors.overdue_q()).count() >= 3
    assert Hazard.objects.filter(level=HazardLevel.MAJOR, is_supervised=True, status__in=["rectifying"]).count() == 1
    # and one overdue major hazard not yet supervised: the regulator's candidate for 挂牌督办
    assert Hazard.objects.filter(selectors.overdue_q(), level=HazardLevel.MAJOR, is_supervised=False).count() == 1
    # every demo role of the loop has something to do: the department head rectifications to submit
    dept_head = User.objects.get(username="dept_head")
    assert sum("submit" in workflow.duties(h, dept_head) for h in Hazard.objects.filter(status="rectifying")) >= 3
    oldest = min(h.found_at for h in Hazard.objects.all())
    assert timezone.now() - oldest > dt.timedelta(days=150)


def test_demo_history_is_spread_over_time_and_consistent():
    """Found, confirmed, submitted and closed in that order, on dates spread over the past months,
    with the audit history dated alike, and 2023's major hazards in stock for 动态清零."""
    from anjian.core.models import AuditEvent

    orgs_demo.seed()
    accounts_demo.seed()
    demo.seed()
    now = timezone.now()

    closed = Hazard.objects.filter(status=HazardStatus.CLOSED)
    months = {timezone.localtime(h.accepted_at).strftime("%Y-%m") for h in closed}
    assert len(months) >= 12  # closed in (nearly) every month of the past year, not all at seed time
    late = [h for h in closed if h.deadline and timezone.localdate(h.accepted_at) > h.deadline]
    assert 2 <= len(late) < closed.count() / 3  # some closed late, most on time
    for h in Hazard.objects.all():
        steps = [h.found_at, h.created_at, h.confirmed_at, h.rectified_at, h.endorsed_at, h.accepted_at]
        steps = [t for t in steps if t is not None]
        assert steps == sorted(steps) and steps[-1] <= now, h.number
        if h.confirmed_at and h.deadline:
            assert h.deadline >= timezone.localdate(h.found_at), h.number
        events = AuditEvent.objects.filter(target_type__model="hazard", target_id=str(h.pk)).order_by("pk")
        ats = [e.at for e in events]
        assert ats == sorted(ats) and ats[0] == h.created_at, h.number  # the history agrees with the hazard
        for verb, field in (("hazard.confirmed", "confirmed_at"), ("hazard.accepted", "accepted_at")):
            if getattr(h, field):
                assert events.filter(verb=verb).latest("pk").at == getattr(h, field), (h.number, verb)

    stock = Hazard.objects.filter(level=HazardLevel.MAJOR, found_at__lt=dt.datetime(2024, 1, 1, tzinfo=dt.UTC))
    assert stock.count() >= 3
    assert {timezone.localtime(h.accepted_at).year for h in stock.filter(status=HazardStatus.CLOSED)} >= {2024, 2025}
    assert stock.filter(is_supervised=True, status__in=["rectifying", "awaiting_acceptance"]).count() == 2
