"""Human-readable numbers from a locked counter: unique under concurrency on both databases."""

import sqlite3

from django.db import connection, transaction
from django.db.models import F


def _returning_supported() -> bool:
    return connection.vendor != "sqlite" or sqlite3.sqlite_version_info >= (3, 35)


def _increment(name: str) -> int | None:
    """Add one to the counter and return its new value in one statement (``UPDATE … RETURNING``,
    PostgreSQL and SQLite ≥ 3.35); the UPDATE holds the row lock until the transaction ends, so a
    concurrent caller waits and then reads the value after ours. None when the counter is missing.
    An older SQLite (Django allows 3.31) updates, then reads: its write lock covers both."""
    if not _returning_supported():
        from anjian.core.models import Sequence

        if not Sequence.objects.filter(name=name).update(value=F("value") + 1):
            return None
        return Sequence.objects.values_list("value", flat=True).get(name=name)
    with connection.cursor() as cur:
        cur.execute('UPDATE "core_sequence" SET "value" = "value" + 1 WHERE "name" = %s RETURNING "value"', [name])
        row = cur.fetchone()
    return row[0] if row else None


@transaction.atomic(savepoint=False)
def next_value(name: str) -> int:
    from anjian.core.models import Sequence

    value = _increment(name)
    if value is None:  # the first number of its kind (a new year, a new prefix)
        Sequence.objects.get_or_create(name=name)
        value = _increment(name)
    return value


def next_number(prefix: str, year: int, width: int = 6) -> str:
    """``YH-2026-000123``: one counter per prefix and year."""
    return f"{prefix}-{year}-{next_value(f'{prefix}-{year}'):0{width}d}"
