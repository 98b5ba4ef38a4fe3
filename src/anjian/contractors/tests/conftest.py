import pytest

from anjian.contractors.defaults import ensure_defaults
from anjian.core.roles import Role
from anjian.core.testing import factories as f
from anjian.core.testing.database import database_as_created, uses_database
from anjian.registers.tests.helpers import after_a_flush


@pytest.fixture(autouse=True)
def _database_as_created(request):
    """Every database test starts from the rows the database was created with (a flush may have
    left them out: registers.tests.helpers.database_as_created says when); the permit kinds back
    after a flush (threads, browser), which loses the data migration's rows."""
    if not uses_database(request):
        return
    request.getfixturevalue("_django_db_helper")
    if database_as_created() or after_a_flush(request):
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
