"""Every change to people and their accounts: validated, saved, audited."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.models import Token

from anjian.accounts.models import User
from anjian.core import audit
from anjian.core.audit import AuditVerb
from anjian.core.authentication import token_expired
from anjian.core.errors import DomainError, NotPermittedError
from anjian.core.permissions import Action, grantable_roles, require
from anjian.core.pinyin import initials
from anjian.core.roles import Role
from anjian.core.scoping import get_visible_or_404
from anjian.core.services import create_with_audit, set_active_with_audit, update_with_audit, validated_save
from anjian.orgs.models import Organization

USER_FIELDS = ["username", "name", "organization", "department", "post", "role", "phone", "job_title", "email"]


def _require_user_manager(by, organization: Organization | None, role: str | None) -> None:
    """``by`` may manage an account of ``role`` in ``organization``: the permission, the scope, and
    the role grants of the matrix (``core.permissions.ROLE_GRANTS``): nobody gives or manages a
    role above their own duties."""
    if by is None:
        return
    require(by, Action.USER_MANAGE)
    if organization is None:
        if by.role != Role.SYSTEM_ADMIN:
            raise DomainError(_("须选择所属单位。"), field="organization")
    elif not Organization.objects.visible_to(by).filter(pk=organization.pk).exists():
        raise DomainError(_("所属单位不在您的管辖范围内。"), field="organization")
    if role and role not in grantable_roles(by):
        raise NotPermittedError(
            _("您不能授予或管理“%(role)s”角色：请由%(who)s办理。")
            % {"role": Role(role).label, "who": _granter_of(role)},
            field="role",
        )


def _granter_of(role: str) -> str:
    if role == Role.SYSTEM_ADMIN:
        return str(_("系统管理员"))
    return str(_("监管部门的监管管理员或系统管理员"))


def _check_password(password: str, user: User) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise DomainError("；".join(exc.messages), field="password") from exc


@transaction.atomic
def user_create(*, by, data: dict[str, Any], password: str, note: str = "") -> User:
    """Create a person with an account in an organization the actor manages."""
    _require_user_manager(by, data.get("organization"), data.get("role"))
    if User.objects.filter(username__iexact=data.get("username", "")).exists():
        raise DomainError(_("用户名“%(u)s”已被使用。") % {"u": data.get("username")}, field="username")
    user = User(**data)
    user.name_initials = initials(user.name)
    _check_password(password, user)
    user.set_password(password)
    user.must_change_password = by is not None  # set by someone else: changed at the first sign-in
    user = create_with_audit(user, by=by, verb=AuditVerb.USER_CREATED, fields=USER_FIELDS, note=note)
    _record_role_grant(by, user, "", user.role)
    return user


def _record_role_grant(by, user: User, before: str, after: str) -> None:
    """A role given is its own event, naming who gave it and to whom (等保: 权限变更留痕)."""
    if before == after:
        return
    labels = [str(Role(r).label) if r else "" for r in (before, after)]
    audit.record(
        actor=by,
        verb=AuditVerb.USER_ROLE_GRANTED,
        target=user,
        changes={"role": labels},
        note=_("%(by)s 将 %(user)s 的角色设为“%(role)s”") % {"by": _name(by), "user": _name(user), "role": labels[1]},
    )


def _name(user) -> str:
    if user is None:
        return str(_("系统"))
    return f"{user.name}（{user.username}）"


@transaction.atomic
def user_update(*, user: User, by, data: dict[str, Any], note: str = "") -> User:
    if by is not None:
        get_visible_or_404(User, by, pk=user.pk)
        if by.pk != user.pk:  # the account as it is: may ``by`` manage its holder at all?
            _require_user_manager(by, user.organization, user.role)
        _require_user_manager(by, data.get("organization", user.organization), data.get("role", user.role))
        if by.pk == user.pk and "role" in data and data["role"] != user.role:
            raise DomainError(_("不能修改自己的角色。"), field="role")
    role_before = user.role
    if "username" in data and User.objects.filter(username__iexact=data["username"]).exclude(pk=user.pk).exists():
        raise DomainError(_("用户名“%(u)s”已被使用。") % {"u": data["username"]}, field="username")
    if "name" in data:
        user.name_initials = initials(data["name"])
    update_with_audit(user, by=by, verb=AuditVerb.USER_UPDATED, data=data, fields=USER_FIELDS, note=note)
    validated_save(user, update_fields=["name_initials"])
    _record_role_grant(by, user, role_before, user.role)
    return user


def user_set_active(*, user: User, by, active: bool, note: str = "") -> User:
    if by is not None:
        get_visible_or_404(User, by, pk=user.pk)
        if by.pk == user.pk:
            raise DomainError(_("不能停用自己的账号。"))
        _require_user_manager(by, user.organization, user.role)
    user = set_active_with_audit(
        user, by=by, active=active, verbs=(AuditVerb.USER_REACTIVATED, AuditVerb.USER_DEACTIVATED), note=note
    )
    if not active:
        token_revoke(user=user, by=by, reason=_("账号停用"))
    return user


@transaction.atomic
def user_reset_password(*, user: User, by, password: str) -> User:
    """An administrator sets a new password for someone else; their sessions and tokens end."""
    get_visible_or_404(User, by, pk=user.pk)
    _require_user_manager(by, user.organization, user.role)
    _check_password(password, user)
    user.set_password(password)
    user.must_change_password = True  # the person chooses their own at the next sign-in
    user.save(update_fields=["password", "must_change_password"])
    token_revoke(user=user, by=by, reason=_("密码被重置"))  # sessions carry a hash of the password and die with it
    audit.record(
        actor=by,
        verb=AuditVerb.USER_PASSWORD_RESET,
        target=user,
        note=_("%(by)s 重置了 %(user)s 的密码") % {"by": _name(by), "user": _name(user)},
    )
    return user


@transaction.atomic
def user_change_password(*, user: User, old_password: str, new_password: str) -> User:
    """The user changes their own password; other tokens end (the caller keeps its session)."""
    if not user.check_password(old_password):
        raise DomainError(_("原密码不正确。"), field="old_password")
    _check_password(new_password, user)
    if user.check_password(new_password):
        raise DomainError(_("新密码不能与原密码相同。"), field="password")
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    token_revoke(user=user, by=user, reason=_("修改密码"))
    audit.record(actor=user, verb=AuditVerb.USER_PASSWORD_CHANGED, target=user)
    return user


# --- API tokens -----------------------------------------------------------------------------------
@transaction.atomic
def token_issue(*, user: User, address: str = "") -> str:
    """The user's API token: the one they have, or a new one (the first, or in place of an expired
    one: rotated). A new token is an audit event with the address it went to."""
    token, created = Token.objects.get_or_create(user=user)
    rotated = not created and token_expired(token)
    if rotated:
        token.delete()
        token = Token.objects.create(user=user)
    if created or rotated:
        audit.record(
            actor=user,
            verb=AuditVerb.USER_TOKEN_ISSUED,
            target=user,
            changes={"address": [None, address]},
            note=_("更换了过期的接口令牌") if rotated else _("获取接口令牌"),
        )
    return token.key


@transaction.atomic
def token_revoke(*, user: User, by, reason: str) -> bool:
    """End the user's API token (password changed or reset, account stopped); audited when there was one."""
    deleted, _rows = Token.objects.filter(user=user).delete()
    if deleted:
        audit.record(actor=by, verb=AuditVerb.USER_TOKEN_REVOKED, target=user, note=reason)
    return bool(deleted)


def record_login(*, user: User) -> None:
    audit.record(actor=user, verb=AuditVerb.USER_LOGGED_IN, target=user)


def user_is_locked_out(user: User) -> bool:
    """Whether django-axes holds the account locked (repeated failed sign-ins, until the cool-off)."""
    from axes.models import AccessAttempt
    from django.conf import settings

    return AccessAttempt.objects.filter(
        username=user.username, failures_since_start__gte=settings.AXES_FAILURE_LIMIT
    ).exists()


@transaction.atomic
def user_unlock(*, user: User, by) -> User:
    """An administrator lifts a lock-out before its cool-off (the person called to say it was them)."""
    from axes.utils import reset

    get_visible_or_404(User, by, pk=user.pk)
    _require_user_manager(by, user.organization, user.role)
    if not user_is_locked_out(user):
        raise DomainError(_("该账号没有被锁定。"))
    reset(username=user.username)
    from anjian.accounts import security_events

    security_events.unlocked(user=user, by=by, request=None)
    return user
