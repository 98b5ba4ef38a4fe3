"""The demo's tips and accidents load, make sense, and load only once."""

import pytest

from anjian.accounts import demo as accounts_demo
from anjian.hazards.choices import HazardSource
from anjian.orgs import demo as orgs_demo
from anjian.oversight import demo
from anjian.oversight.choices import TipStatus
from anjian.oversight.models import Accident, Assessment, Tip

pytestmark = pytest.mark.calendar  # depends on the day: run again on other pinned days


@pytest.mark.django_db
def test_demo_tips_and_accidents_are_idempotent():
    orgs_demo.seed()
    accounts_demo.seed()
    assert demo.seed() > 0
    statuses = set(Tip.objects.values_list("status", flat=True))
    assert statuses == {TipStatus.RECEIVED, TipStatus.ACCEPTED, TipStatus.DISMISSED}
    internal = Tip.objects.get(is_internal=True)
    assert internal.reporter.username == "nurse" and internal.organization == internal.reporter.organization
    accepted = Tip.objects.get(status=TipStatus.ACCEPTED)
    assert accepted.hazard.source == HazardSource.TIP_OFF and accepted.reply
    assert Accident.objects.filter(occurred_at__year=2023).count() == 3
    assert Assessment.objects.filter(status="published").count() == 1
    before = (Tip.objects.count(), Accident.objects.count())
    assert demo.seed() == 0
    assert (Tip.objects.count(), Accident.objects.count()) == before
