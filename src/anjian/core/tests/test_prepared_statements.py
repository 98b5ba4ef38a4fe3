"""``core.db.prepared_statements``: inside, PostgreSQL keeps the repeated statements prepared on the
connection; outside, and after an error inside, the connection binds its values client-side again
(Django's default, which a GROUP BY on an expression with a value needs). Elsewhere it changes
nothing."""

import pytest
from django.db import connection
from django.db.models import Count, Value
from django.db.models.functions import Concat

from anjian.core.db import prepared_statements
from anjian.orgs.models import Organization

pytestmark = pytest.mark.django_db


def _prepared() -> int:
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM pg_prepared_statements")
        return cur.fetchone()[0]


def _ask_three_times() -> None:
    for _ in range(3):
        assert Organization.objects.filter(name="没有这个单位").count() == 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
def test_repeated_statements_are_prepared_inside_only(world):
    connection.ensure_connection()
    before = _prepared()
    _ask_three_times()
    assert _prepared() == before  # Django's client-side binding: nothing prepared
    with prepared_statements():
        _ask_three_times()
        assert _prepared() > before
    with pytest.raises(RuntimeError), prepared_statements():
        raise RuntimeError("a refusal inside")
    # back to client-side binding: a value inside a grouped expression works again
    grouped = Organization.objects.annotate(label=Concat("name", Value("·"))).values("label").annotate(n=Count("id"))
    assert {"label": f"{world.hospital_a.name}·", "n": 1} in list(grouped)


def test_inside_the_statements_answer_as_outside(world):
    """On either database: the rows read and the row written inside are those outside would give."""
    hospital = world.hospital_a
    outside = list(Organization.objects.filter(path__startswith=hospital.path).values_list("pk", "name", "path"))
    with prepared_statements():
        for _ in range(3):  # prepared from the second run on PostgreSQL
            inside = list(Organization.objects.filter(path__startswith=hospital.path).values_list("pk", "name", "path"))
            assert inside == outside
        Organization.objects.filter(pk=hospital.pk).update(short_name="甲院")
    assert Organization.objects.get(pk=hospital.pk).short_name == "甲院"
