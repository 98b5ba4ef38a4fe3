import pytest

from anjian.action_plans.defaults import ensure_defaults


@pytest.fixture
def groups(db):
    ensure_defaults()


@pytest.fixture
def imported(world, groups):
    """Seed 003 imported by district_a's regulator: every task assigned to hospital_a and clinic_a."""
    from anjian.action_plans import services
    from anjian.action_plans.tests.helpers import seed_003_xlsx

    draft = services.plan_import_preview(by=world.regulator_a, file=seed_003_xlsx(), name="附件3.xlsx")
    return services.plan_import_confirm(by=world.regulator_a, draft=draft, document_number="金卫发〔2024〕1号")
