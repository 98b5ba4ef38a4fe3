"""Fixtures every test shares. Tests run on a real database: SQLite by default, PostgreSQL when
DATABASE_URL points at the throwaway cluster that scripts/run_tests.py starts."""

import pytest

from anjian.core.testing import factories
from anjian.core.testing.world import build_world


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def password():
    return factories.PASSWORD
