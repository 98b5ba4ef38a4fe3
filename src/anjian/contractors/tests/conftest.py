import pytest

from anjian.contractors.defaults import ensure_defaults
from anjian.core.roles import Role
from anjian.core.testing import factories as f


@pytest.fixture(autouse=True)
def _kinds(request):
    """Tests that flush the database (threads, browser) lose the data migration's kinds: load them."""
    if "live_server" in request.fixturenames or "transactional_db" in request.fixturenames:
        request.getfixturevalue("transactional_db")
        ensure_defaults()


@pytest.fixture
def people(world):
    """The world plus the approvers of hospital_a: a deputy and the head of dept_a."""
    w = world
    w.extra["deputy_a"] = f.make_user(organization=w.hospital_a, role=Role.DEPUTY, username="deputy_a", name="甲副院长")
    w.extra["dept_head_a"] = f.make_user(
        organization=w.hospital_a, role=Role.DEPARTMENT_HEAD, username="dh_a", name="甲科主任", department=w.dept_a
    )
    return w
