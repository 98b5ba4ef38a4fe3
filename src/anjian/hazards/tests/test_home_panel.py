"""The home page's hazards panel: what needs doing now, within scope, in a bounded number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from anjian.hazards.tests.helpers import report

pytestmark = pytest.mark.django_db


def test_officer_sees_what_awaits_confirmation(client, people):
    w = people
    report(w.staff_a, w.hospital_a, title="配电箱未上锁")
    report(w.officer_b, w.hospital_b, title="乙方机密隐患")
    client.force_login(w.officer_a)
    body = client.get(reverse("core:home")).content.decode()
    assert 'data-testid="home-hazards"' in body
    todo = body.split('data-testid="home-todo"')[1]
    assert "配电箱未上锁" in todo and "乙方机密" not in body


def test_staff_sees_own_reports_but_has_nothing_to_do(client, people):
    w = people
    report(w.staff_a, w.hospital_a, title="插线板串接")
    client.force_login(w.staff_a)
    body = client.get(reverse("core:home")).content.decode()
    assert "暂无需要您处理的隐患" in body and "插线板串接" in body


def test_home_queries_do_not_grow_with_hazards(client, people):
    w = people
    client.force_login(w.officer_a)
    report(w.staff_a, w.hospital_a)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("core:home"))
    for i in range(10):
        report(w.staff_a, w.hospital_a, title=f"隐患{i}")
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("core:home"))
    assert len(many) == len(few)
