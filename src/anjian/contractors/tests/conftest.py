import pytest

from anjian.contractors.defaults import ensure_defaults
from anjian.core.roles import Role
from anjian.core.testing import factories as f


def ensure_content_types() -> None:
    """The content types (and permissions) back after a flush that skipped them.

    A test with serialized rollback (the concurrency tests) flushes without post_migrate, counting
    on the next test to restore the serialized rows; but once Playwright runs, the browser tests
    see another connection object than the one the serialized rows hang on, so nothing is restored
    and, on PostgreSQL, their first audit event fails on a missing content type. Recreate them as a
    flush with post_migrate would."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.management.sql import emit_post_migrate_signal

    if not ContentType.objects.exists():
        ContentType.objects.clear_cache()
        emit_post_migrate_signal(verbosity=0, interactive=False, db="default")


@pytest.fixture(autouse=True)
def _kinds(request):
    """Tests that flush the database (threads, browser) lose the data migration's kinds: load them."""
    if "live_server" in request.fixturenames or "transactional_db" in request.fixturenames:
        request.getfixturevalue("transactional_db")
        ensure_content_types()
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
