import pytest

from anjian.core.roles import Role
from anjian.core.testing import factories as f
from anjian.hazards.defaults import ensure_defaults


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Photos go to a throwaway folder, never into var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _hazard_defaults(request):
    """Browser tests flush the database, data migrations included: load the categories again."""
    if "live_server" in request.fixturenames or "transactional_db" in request.fixturenames:
        request.getfixturevalue("transactional_db")
        ensure_defaults()


@pytest.fixture
def people(world):
    """The world plus the roles the hazard loop needs at hospital_a: a deputy and a department head."""
    w = world
    w.extra["deputy_a"] = f.make_user(organization=w.hospital_a, role=Role.DEPUTY, username="deputy_a")
    w.extra["dept_head_a"] = f.make_user(
        organization=w.hospital_a, role=Role.DEPARTMENT_HEAD, username="dh_a", name="甲科主任", department=w.dept_a
    )
    return w
