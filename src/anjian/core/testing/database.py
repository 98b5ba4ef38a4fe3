"""The test database as it was created, for every test that uses it (the root conftest's autouse
fixture ``_database_as_created``), and rows made once for a whole test module."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator


def database_as_created() -> bool:
    """The rows the test database was created with (content types, permissions, the data
    migrations' reference rows) back, when a flush left them out.

    A test with serialized rollback (the contractors' and hazards' concurrency tests) empties the
    database at its end, without post_migrate: Django puts the rows back at the start of the next
    test that asks for serialized rollback, and of no other. pytest-xdist's ``--dist loadfile`` runs
    the files biggest first, so such a file may come before any other on its worker, whose first
    audit event then fails on a missing content type (PostgreSQL checks the foreign key). And once
    Playwright runs, the browser tests see another connection object than the one the serialized
    rows hang on: there, the flush's post_migrate rows are rebuilt instead."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.management.sql import emit_post_migrate_signal
    from django.db import connection

    if ContentType.objects.exists():
        return False
    ContentType.objects.clear_cache()
    contents = getattr(connection, "_test_serialized_contents", None)
    if contents:
        connection.creation.deserialize_db_from_string(contents)
    else:
        emit_post_migrate_signal(verbosity=0, interactive=False, db=connection.alias)
    return True


def uses_database(request) -> bool:
    names = request.fixturenames
    return bool({"db", "transactional_db", "live_server"} & set(names)) or bool(
        request.node.get_closest_marker("django_db")
    )


@contextlib.contextmanager
def made_once(django_db_blocker) -> Iterator[None]:
    """Rows made once for a test module, as Django's ``setUpTestData``: what a module-scoped fixture
    makes inside this block is there for each of the module's tests (each in a savepoint of its own,
    pytest-django's ``db``) and rolled back when the block ends::

        @pytest.fixture(scope="module")
        def demo_db(django_db_setup, django_db_blocker):
            with made_once(django_db_blocker):
                call_command("seed_demo")
                yield
    """
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)
