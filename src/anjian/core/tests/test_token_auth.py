"""API tokens: a bad token and an inactive user's token are refused with DRF's Chinese messages;
a good one costs one query for the user and their organization together."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/"


def test_a_bad_token_and_an_inactive_users_token_are_refused_in_chinese(client, world):
    bad = client.get(ME, headers={"Authorization": "Token 0123456789abcdef0123456789abcdef01234567"})
    assert bad.status_code == 401 and bad.json() == {"detail": "认证令牌无效。"}
    token = Token.objects.create(user=world.staff_a)
    world.staff_a.is_active = False
    world.staff_a.save(update_fields=["is_active"])
    inactive = client.get(ME, headers={"Authorization": f"Token {token.key}"})
    assert inactive.status_code == 401 and inactive.json() == {"detail": "用户未激活或者已删除。"}


def test_the_token_brings_the_users_organization_along(client, world):
    token = Token.objects.create(user=world.officer_a)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/api/v1/hazards/", headers={"Authorization": f"Token {token.key}"})
    assert response.status_code == 200
    organization_reads = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith('SELECT "orgs_organization"')]
    assert organization_reads == []
    assert (
        '"authtoken_token"' in ctx.captured_queries[0]["sql"]
        and '"orgs_organization"' in ctx.captured_queries[0]["sql"]
    )
