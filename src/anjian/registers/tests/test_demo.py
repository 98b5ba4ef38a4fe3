"""The demo shows every register filled in: due and overdue equipment, a stock over its limit, a
movement waiting for a second person, waste handovers this month, a storage place on the map."""

import pytest

from anjian.accounts import demo as accounts_demo
from anjian.orgs import demo as orgs_demo
from anjian.registers import demo, selectors
from anjian.registers.models import Equipment
from anjian.risks import demo as risks_demo

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]


def test_the_demo_fills_every_register_once(django_user_model):
    orgs_demo.seed()
    accounts_demo.seed()
    risks_demo.seed()

    assert demo.seed() > 0
    assert demo.seed() == 0

    officer = django_user_model.objects.get(username="hospital_officer")
    counts = selectors.due_counts(user=officer)
    assert counts["overdue"] == 1 and counts["due_soon"] == 1
    assert Equipment.objects.get(name="液氧储罐").risk_point.name == "液氧站"
    assert [s.chemical.name for s in selectors.stock_list(user=officer, over_limit=True)] == ["甲醛溶液"]
    assert selectors.movements_to_confirm(user=officer).count() == 1
    assert selectors.waste_monthly_totals(user=officer)[0].total > 0
    chemical_map = selectors.chemical_map(user=officer, organization=officer.organization)
    assert [[p.name for p in e["places"]] for e in chemical_map["plans"]] == [["药剂科危化品库"]]
