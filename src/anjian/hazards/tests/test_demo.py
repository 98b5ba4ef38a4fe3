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

pytestmark = pytest.mark.django_db


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
