"""The numbering counters (core.Sequence): each prefix and year counts on from 1, one by one; and
validated_insert, which the numbered records use."""

import pytest

from anjian.core.models import Sequence
from anjian.core.numbering import next_number, next_value

pytestmark = pytest.mark.django_db


def test_a_new_counter_starts_at_one_and_counts_on():
    assert next_number("ZZ", 2031) == "ZZ-2031-000001"
    assert next_number("ZZ", 2031) == "ZZ-2031-000002"
    assert next_number("ZZ", 2032) == "ZZ-2032-000001"
    assert Sequence.objects.get(name="ZZ-2031").value == 2


def test_a_counter_continues_after_its_stored_value():
    Sequence.objects.create(name="notice-x-2030", value=41)
    assert next_value("notice-x-2030") == 42
    assert next_value("notice-x-2030") == 43
    assert Sequence.objects.get(name="notice-x-2030").value == 43


def test_an_sqlite_without_returning_counts_the_same(monkeypatch):
    """SQLite before 3.35 has no UPDATE … RETURNING (Django allows 3.31): the counter is updated, then read."""
    import sqlite3

    from django.db import connection

    if connection.vendor == "sqlite":
        monkeypatch.setattr(sqlite3, "sqlite_version_info", (3, 31, 1))
    assert next_number("ZQ", 2031) == "ZQ-2031-000001"
    assert next_number("ZQ", 2031) == "ZQ-2031-000002"
    assert Sequence.objects.get(name="ZQ-2031").value == 2


def test_validated_insert_keeps_the_field_rules_and_turns_a_duplicate_into_a_domain_error():
    from django.db import transaction

    from anjian.core.errors import DomainError
    from anjian.core.services import validated_insert

    validated_insert(Sequence(name="YH-2040", value=3))
    with pytest.raises(DomainError) as too_long:
        validated_insert(Sequence(name="Y" * 65))
    assert too_long.value.field == "name"
    with pytest.raises(DomainError, match="重复"), transaction.atomic():
        validated_insert(Sequence(name="YH-2040"))
    # the transaction goes on: the duplicate was rolled back with the block it broke
    assert list(Sequence.objects.filter(name__startswith="Y").values_list("name", "value")) == [("YH-2040", 3)]
