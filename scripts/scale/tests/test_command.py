"""``scripts/generate_scale.py``, the generator's command line: sizes below one refused before anything
is touched, a database other than PostgreSQL refused with its reason (exit status 1), and on
PostgreSQL the set generated and its counts printed."""

from __future__ import annotations

import pytest
from django.db import connection

import generate_scale


def test_sizes_below_one_are_refused(capsys):
    with pytest.raises(SystemExit) as exc:
        generate_scale.main(["--institutions", "0"])
    assert exc.value.code == 2
    assert "--institutions and --years must be at least 1" in capsys.readouterr().err


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor == "postgresql", reason="on PostgreSQL the command generates the set")
def test_a_database_other_than_postgresql_is_refused(capsys):
    assert generate_scale.main(["--institutions", "2", "--years", "1"]) == 1
    assert "error: generate_scale needs PostgreSQL (COPY); set DATABASE_URL" in capsys.readouterr().err


@pytest.mark.django_db
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the generator writes with PostgreSQL's COPY; scripts/run_tests.py runs this on a throwaway PostgreSQL",
)
def test_the_set_is_generated_and_counted(capsys):
    assert generate_scale.main(["--institutions", "2", "--years", "1", "--seed", "3", "--today", "2026-10-14"]) == 0
    out = capsys.readouterr().out
    assert "organizations: 5" in out  # the city, two district commissions (the fewest), two institutions
    assert "hazards: " in out
