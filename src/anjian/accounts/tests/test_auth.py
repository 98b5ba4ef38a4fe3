"""Signing in on the page and through the API, lock-out, tokens, changing one's password."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.contrib.sessions.models import Session
from rest_framework.authtoken.models import Token

import anjian.settings as project_settings
from anjian.accounts import services as account_services
from anjian.accounts.models import User
from anjian.core.audit import AuditVerb
from anjian.core.models import AuditEvent

LOGIN = "/accounts/login/"
TOKEN = "/api/v1/auth/token/"
ME = "/api/v1/me/"
PASSWORD_CHANGE = "/accounts/password/"
NEW_PASSWORD = "Anquan#Shengchan-2026"


def sign_in(client, username, password, next_url=""):
    return client.post(LOGIN + (f"?next={next_url}" if next_url else ""), {"username": username, "password": password})


def text(response) -> str:
    return response.content.decode()


# --- the login page ------------------------------------------------------------------------------
def test_the_login_page_asks_for_username_and_password_in_chinese(client, db):
    response = client.get(LOGIN)

    assert response.status_code == 200
    page = text(response)
    assert "登录账号" in page
    assert re.search(r'<label[^>]*for="id_username"[^>]*>用户名</label>', page)
    assert re.search(r'<label[^>]*for="id_password"[^>]*>密码</label>', page)
    assert 'autocomplete="current-password"' in page


def test_signing_in_goes_home_and_records_the_login(client, world, password):
    response = sign_in(client, "officer_a", password)

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200
    event = AuditEvent.objects.filter(verb=AuditVerb.USER_LOGGED_IN).latest("pk")
    assert event.actor == world.officer_a
    assert event.request_id == response["X-Request-ID"]


def test_signing_in_follows_a_local_next_but_not_another_site(client, world, password):
    assert sign_in(client, "officer_a", password, next_url="/orgs/")["Location"] == "/orgs/"
    client.logout()
    assert sign_in(client, "officer_a", password, next_url="https://evil.example/")["Location"] == "/"


def test_a_wrong_password_says_so_in_chinese_and_signs_nobody_in(client, world):
    response = sign_in(client, "officer_a", "wrong-password")

    assert response.status_code == 200
    assert "用户名或密码不正确。连续多次失败后账号将被暂时锁定。" in text(response)
    assert client.get("/").status_code == 302


def test_an_unknown_user_gets_the_same_message(client, world):
    response = sign_in(client, "nobody_here", "wrong-password")

    assert "用户名或密码不正确。" in text(response)


def test_a_deactivated_account_cannot_sign_in(client, world, password):
    account_services.user_set_active(user=world.staff_a, by=world.officer_a, active=False)

    response = sign_in(client, "staff_a", password)

    assert response.status_code == 200
    assert client.get("/").status_code == 302


def test_a_signed_in_user_opening_the_login_page_goes_home(client, world):
    client.force_login(world.officer_a)

    assert client.get(LOGIN)["Location"] == "/"


def test_logout_is_a_post_and_ends_the_session(client, world):
    client.force_login(world.officer_a)

    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert client.get("/")["Location"].startswith(LOGIN)


# --- lock-out ------------------------------------------------------------------------------------
def test_the_web_login_locks_at_the_failure_limit(client, world, password):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert "用户名或密码不正确" in text(sign_in(client, "officer_a", "wrong-password"))

    last_try = sign_in(client, "officer_a", "wrong-password")
    right_password = sign_in(client, "officer_a", password)  # even the right password, now

    for response in (last_try, right_password):
        assert response.status_code == 429
        assert "登录失败次数过多" in text(response)
        assert "请15分钟后再试" in text(response)
    assert client.get("/").status_code == 302


def test_a_lock_out_is_per_account(client, world, password):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "officer_a", "wrong-password")

    assert sign_in(client, "head_a", password).status_code == 302


def test_a_successful_login_resets_the_count(client, world, password):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "officer_a", "wrong-password")
    assert sign_in(client, "officer_a", password).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "officer_a", "wrong-password")

    assert sign_in(client, "officer_a", password).status_code == 302


def test_the_token_api_locks_at_the_failure_limit(client, world, password):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(TOKEN, {"username": "officer_a", "password": "wrong-password"})
        assert response.status_code == 400
        assert response.json() == {"detail": "用户名或密码不正确。"}

    last_try = client.post(TOKEN, {"username": "officer_a", "password": "wrong-password"})
    right_password = client.post(TOKEN, {"username": "officer_a", "password": password})

    for response in (last_try, right_password):
        assert response.status_code == 429
        assert response.json() == {"detail": "登录失败次数过多，账号已暂时锁定，请稍后再试。"}
    assert not Token.objects.filter(user=world.officer_a).exists()


def test_the_lock_out_is_shared_by_the_page_and_the_api(client, world, password):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(TOKEN, {"username": "officer_a", "password": "wrong-password"})

    assert sign_in(client, "officer_a", password).status_code == 429


# --- API tokens ----------------------------------------------------------------------------------
def test_the_token_api_answers_a_token_that_opens_the_api(client, world, password):
    response = client.post(TOKEN, {"username": "officer_a", "password": password}, content_type="application/json")

    assert response.status_code == 200
    assert list(response.json()) == ["token"]
    key = response.json()["token"]
    assert Token.objects.get(key=key).user == world.officer_a

    me = client.get(ME, headers={"Authorization": f"Token {key}"})

    assert me.status_code == 200
    body = me.json()
    assert body["username"] == "officer_a"
    assert body["name"] == "甲安全员"
    assert body["role"] == "safety_officer"
    assert body["role_label"] == "安全管理员"
    assert body["organization"] == {"id": world.hospital_a.pk, "name": "甲区人民医院", "type": "institution"}
    assert "user.manage" in body["permissions"]
    assert "organization.manage" not in body["permissions"]


def test_asking_again_gives_the_same_token(client, world, password):
    first = client.post(TOKEN, {"username": "officer_a", "password": password}).json()["token"]
    second = client.post(TOKEN, {"username": "officer_a", "password": password}).json()["token"]

    assert first == second


def test_me_shows_department_and_post(client, world):
    token = Token.objects.create(user=world.staff_a)

    body = client.get(ME, headers={"Authorization": f"Token {token.key}"}).json()

    assert body["department"] == {"id": world.dept_a.pk, "name": "甲心内科"}
    assert body["post"] == {"id": world.post_a.pk, "name": "甲病区护士"}


def test_an_expired_token_is_refused_and_replaced_at_the_next_issue(client, world, password):
    token = Token.objects.create(user=world.officer_a)
    Token.objects.filter(pk=token.pk).update(created=token.created - settings.API_TOKEN_TTL - timedelta(minutes=1))

    response = client.get(ME, headers={"Authorization": f"Token {token.key}"})

    assert response.status_code == 401
    assert response.json() == {"detail": "令牌已过期，请重新获取。"}
    fresh = client.post(TOKEN, {"username": "officer_a", "password": password}).json()["token"]
    assert fresh != token.key
    assert not Token.objects.filter(key=token.key).exists()  # rotated by the (audited) issue
    assert client.get(ME, headers={"Authorization": f"Token {fresh}"}).status_code == 200


def test_a_token_just_inside_its_lifetime_still_works(client, world):
    token = Token.objects.create(user=world.officer_a)
    Token.objects.filter(pk=token.pk).update(created=token.created - settings.API_TOKEN_TTL + timedelta(minutes=5))

    assert client.get(ME, headers={"Authorization": f"Token {token.key}"}).status_code == 200


@pytest.mark.parametrize("header", [None, "Token not-a-real-token", "Bearer something"])
def test_the_api_refuses_without_a_valid_token(client, db, header):
    response = client.get(ME, headers={"Authorization": header} if header else {})

    assert response.status_code == 401


def test_a_deactivated_user_loses_their_tokens(client, world):
    token = Token.objects.create(user=world.staff_a)

    account_services.user_set_active(user=world.staff_a, by=world.officer_a, active=False)

    assert client.get(ME, headers={"Authorization": f"Token {token.key}"}).status_code == 401


def test_the_token_api_is_rate_limited(client, world, password):
    for _ in range(30):
        assert client.post(TOKEN, {"username": "officer_a", "password": password}).status_code == 200

    assert client.post(TOKEN, {"username": "officer_a", "password": password}).status_code == 429


# --- changing one's password ---------------------------------------------------------------------
def change(client, old, new, confirm=None):
    return client.post(PASSWORD_CHANGE, {"old_password": old, "new_password1": new, "new_password2": confirm or new})


def test_the_password_page_needs_a_login(client, db):
    assert client.get(PASSWORD_CHANGE)["Location"].startswith(LOGIN)


def test_a_wrong_old_password_is_refused(client, world):
    client.force_login(world.officer_a)

    response = change(client, "not-my-password", NEW_PASSWORD)

    assert response.status_code == 200
    assert "原密码不正确。" in text(response)
    world.officer_a.refresh_from_db()
    assert not world.officer_a.check_password(NEW_PASSWORD)


@pytest.mark.parametrize(
    ("new", "message"),
    [
        ("12345678", "这个密码太常见了。"),
        ("87315924", "密码只包含数字。"),
        ("Ab1#", "密码长度太短。密码必须包含至少 8 个字符。"),
        ("officer_a1", "密码跟 用户名 太相似了。"),
    ],
)
def test_a_weak_new_password_is_refused_with_the_validators_message(client, world, password, new, message):
    client.force_login(world.officer_a)

    response = change(client, password, new)

    assert response.status_code == 200
    assert message in text(response)
    world.officer_a.refresh_from_db()
    assert world.officer_a.check_password(password)


def test_a_mistyped_confirmation_is_refused(client, world, password):
    client.force_login(world.officer_a)

    response = change(client, password, NEW_PASSWORD, confirm=NEW_PASSWORD + "x")

    assert "两次输入的新密码不一致。" in text(response)


def test_changing_the_password_keeps_this_session_and_ends_the_others(client, django_user_model, world, password):
    from django.test import Client

    other_device = Client()
    other_device.force_login(world.officer_a)
    token = Token.objects.create(user=world.officer_a)
    client.force_login(world.officer_a)

    response = change(client, password, NEW_PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200
    assert "密码已修改。" in text(home)
    assert other_device.get("/")["Location"].startswith(LOGIN)
    assert not Token.objects.filter(key=token.key).exists()
    assert User.objects.get(pk=world.officer_a.pk).check_password(NEW_PASSWORD)
    event = AuditEvent.objects.latest("pk")
    assert (event.verb, event.actor, event.request_id) == (
        AuditVerb.USER_PASSWORD_CHANGED,
        world.officer_a,
        response["X-Request-ID"],
    )
    client.logout()
    assert sign_in(client, "officer_a", NEW_PASSWORD).status_code == 302


# --- how passwords and sessions are kept --------------------------------------------------------
def test_passwords_are_hashed_with_argon2id(world, password):
    assert project_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    stored = User.objects.get(pk=world.officer_a.pk).password
    assert stored.startswith("argon2$argon2id$")
    assert password not in stored
    assert Argon2PasswordHasher().verify(password, stored)


def test_a_session_lasts_one_working_day_from_the_last_request(client, world, password):
    response = sign_in(client, "officer_a", password)

    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert int(cookie["max-age"]) == 8 * 3600
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert client.session.get_expiry_age() == 8 * 3600
    # a request soon after does not write the session again ...
    assert settings.SESSION_COOKIE_NAME not in client.get("/").cookies
    # ... one more than five minutes after the last refresh starts the 8 hours again
    session = client.session
    session["_refreshed"] -= settings.SESSION_REFRESH_SECONDS + 1
    session.save()
    before = Session.objects.get(session_key=session.session_key).expire_date
    renewed = client.get("/").cookies[settings.SESSION_COOKIE_NAME]
    assert int(renewed["max-age"]) == 8 * 3600
    assert Session.objects.get(session_key=session.session_key).expire_date > before
    assert settings.SESSION_COOKIE_NAME not in client.get("/").cookies
