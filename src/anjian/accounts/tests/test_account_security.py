"""Accounts as 等保 2.0 asks: people of a deactivated organization are shut out (sign-in, sessions,
tokens), passwords mix kinds of characters and are not the username, a password someone else set
is changed at the next sign-in, and the published demo password opens nothing in production."""

import datetime as dt

import pytest
from django.urls import reverse

from anjian.accounts import services
from anjian.accounts.demo import DEMO_PASSWORD
from anjian.core.errors import DomainError
from anjian.core.roles import Role
from anjian.core.testing import factories as f
from anjian.orgs import services as org_services

pytestmark = pytest.mark.django_db
TOKEN = "/api/v1/auth/token/"


def sign_in(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_people_of_a_deactivated_organization_cannot_sign_in_or_use_tokens(client, world):
    token = client.post(TOKEN, {"username": "officer_a", "password": f.PASSWORD}).json()["token"]
    client.force_login(world.officer_a)
    org_services.organization_set_active(organization=world.hospital_a, by=world.regulator_a, active=False)
    assert client.get("/").status_code == 302  # the session ended with the organization
    assert sign_in(client, "officer_a", f.PASSWORD).status_code == 200  # the form again, not signed in
    assert client.post(TOKEN, {"username": "officer_a", "password": f.PASSWORD}).status_code == 400
    api = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}")
    assert api.status_code == 401 and "已停用" in api.json()["detail"]


@pytest.mark.parametrize(
    ("password", "says"),
    [
        ("alllowercase1", "至少 3 种"),  # two kinds
        ("Short1!", "太短"),
        ("li_hua", "太短"),
    ],
)
def test_a_weak_password_is_refused_with_the_rule_it_breaks(world, password, says):
    with pytest.raises(DomainError, match=says):
        services.user_reset_password(user=world.staff_a, by=world.officer_a, password=password)


def test_a_password_equal_to_the_username_is_refused(world):
    user = f.make_user(organization=world.hospital_a, role=Role.STAFF, username="Zhang-San.2026")
    with pytest.raises(DomainError, match="不能与用户名相同"):
        services.user_reset_password(user=user, by=world.officer_a, password="zhang-san.2026")


def test_a_password_set_by_someone_else_is_changed_at_the_next_sign_in(client, world):
    services.user_reset_password(user=world.staff_a, by=world.officer_a, password="Reset-by-Officer1")
    assert client.post(TOKEN, {"username": "staff_a", "password": "Reset-by-Officer1"}).status_code == 403
    response = sign_in(client, "staff_a", "Reset-by-Officer1")
    follow = client.get("/hazards/")
    assert follow.status_code == 302 and follow["Location"].startswith(reverse("accounts:password-change"))
    assert client.get("/api/v1/me/").status_code == 403  # the session's API calls wait too
    response = client.post(
        reverse("accounts:password-change") + "?next=/hazards/",
        {"old_password": "Reset-by-Officer1", "new_password1": "My-own-pass9", "new_password2": "My-own-pass9"},
    )
    assert response.status_code == 302 and response["Location"] == "/hazards/"
    assert client.get("/hazards/").status_code == 200
    world.staff_a.refresh_from_db()
    assert not world.staff_a.must_change_password


def test_the_demo_password_opens_nothing_in_production(client, world, settings):
    world.staff_a.set_password(DEMO_PASSWORD)
    world.staff_a.save(update_fields=["password"])
    settings.DEMO_PASSWORD_ALLOWED = False  # DEBUG off, not the embedded `make run`
    assert sign_in(client, "staff_a", DEMO_PASSWORD).status_code == 200  # refused: the form again
    assert client.post(TOKEN, {"username": "staff_a", "password": DEMO_PASSWORD}).status_code == 400
    with pytest.raises(DomainError, match="不能使用演示密码"):
        services.user_reset_password(user=world.staff_a, by=world.officer_a, password=DEMO_PASSWORD)
    settings.DEMO_PASSWORD_ALLOWED = True  # the demo of `make run`
    assert sign_in(client, "staff_a", DEMO_PASSWORD).status_code == 302


def test_failed_sign_ins_lock_outs_unlocks_and_tokens_are_audit_events(client, world, settings):
    from anjian.core.models import AuditEvent

    settings.AXES_FAILURE_LIMIT = 3
    for _attempt in range(2):
        sign_in(client, "staff_a", "wrong-password")
    client.post(TOKEN, {"username": "staff_a", "password": "wrong-too"})  # the API's failures count too
    failed = AuditEvent.objects.filter(verb="user.login_failed", target_id=str(world.staff_a.pk))
    assert failed.count() == 3 and {e.note[:2] for e in failed} == {"网页", "接口"}
    assert AuditEvent.objects.filter(verb="user.locked_out", target_id=str(world.staff_a.pk)).exists()
    assert sign_in(client, "staff_a", f.PASSWORD).status_code == 429  # locked: even the right password
    client.force_login(world.officer_a)
    page = client.get(reverse("people:user-detail", args=[world.staff_a.pk])).content.decode()
    assert 'data-testid="locked-out"' in page and 'data-testid="user-unlock"' in page
    client.post(reverse("people:user-unlock", args=[world.staff_a.pk]))
    unlocked = AuditEvent.objects.get(verb="user.unlocked", target_id=str(world.staff_a.pk))
    assert unlocked.actor == world.officer_a and world.staff_a.name in unlocked.note
    client.logout()
    assert client.post(TOKEN, {"username": "staff_a", "password": f.PASSWORD}).status_code == 200
    issued = AuditEvent.objects.filter(verb="user.token_issued", target_id=str(world.staff_a.pk))
    assert issued.count() == 1
    client.post(TOKEN, {"username": "staff_a", "password": f.PASSWORD})  # the same token again: no new event
    assert issued.count() == 1
    unknown = sign_in(client, "nobody_here", "whatever")
    assert unknown.status_code == 200
    assert AuditEvent.objects.filter(verb="user.login_failed", note__contains="nobody_here").exists()


def test_an_expired_token_is_refused_then_rotated_and_a_reset_revokes_it_audited(client, world, settings):
    from rest_framework.authtoken.models import Token

    from anjian.core.models import AuditEvent

    key = client.post(TOKEN, {"username": "staff_a", "password": f.PASSWORD}).json()["token"]
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
    settings.API_TOKEN_TTL = dt.timedelta(seconds=0)  # every token has expired
    refused = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}")
    assert refused.status_code == 401 and "令牌已过期" in refused.json()["detail"]
    assert Token.objects.filter(key=key).exists()  # refused, not deleted behind the trail's back
    new_key = client.post(TOKEN, {"username": "staff_a", "password": f.PASSWORD}).json()["token"]
    assert new_key != key
    rotated = AuditEvent.objects.filter(verb="user.token_issued", target_id=str(world.staff_a.pk)).order_by("pk")
    assert [e.note for e in rotated] == ["获取接口令牌", "更换了过期的接口令牌"]

    settings.API_TOKEN_TTL = dt.timedelta(days=30)
    services.user_reset_password(user=world.staff_a, by=world.officer_a, password="Reset#2026abc")
    assert not Token.objects.filter(user=world.staff_a).exists()
    revoked = AuditEvent.objects.get(verb="user.token_revoked", target_id=str(world.staff_a.pk))
    assert revoked.actor == world.officer_a and revoked.note == "密码被重置"
    # nothing to revoke the second time: no event
    services.user_reset_password(user=world.staff_a, by=world.officer_a, password="Reset#2026xyz")
    assert AuditEvent.objects.filter(verb="user.token_revoked").count() == 1
