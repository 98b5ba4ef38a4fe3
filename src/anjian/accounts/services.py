"""Every change to people and their accounts: validated, saved, audited."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from anjian.accounts.models import User
from anjian.core import audit
from anjian.core.audit import AuditVerb
from anjian.core.errors import DomainError
from anjian.core.permissions import Action, require
from anjian.core.pinyin import initials
from anjian.core.roles import REGULATOR_ROLES, Role
from anjian.core.scoping import get_visible_or_404
from anjian.core.services import create_with_audit, set_active_with_audit, update_with_audit, validated_save
from anjian.orgs.models import Organization

USER_FIELDS = ["username", "name", "organization", "department", "post", "role", "phone", "job_title", "email"]


def _require_user_manager(by, organization: Organization | None, role: str | None) -> None:
    if by is None:
        return
    require(by, Action.USER_MANAGE)
    if organization is None:
        if by.role != Role.SYSTEM_ADMIN:
            raise DomainError(_("须选择所属单位。"), field="organization")
    elif not Organization.objects.visible_to(by).filter(pk=organization.pk).exists():
        raise DomainError(_("所属单位不在您的管辖范围内。"), field="organization")
    if role == Role.SYSTEM_ADMIN and by.role != Role.SYSTEM_ADMIN:
        raise DomainError(_("只有系统管理员可以设置系统管理员。"), field="role")
    if role in REGULATOR_ROLES and by.role not in REGULATOR_ROLES | {Role.SYSTEM_ADMIN}:
        raise DomainError(_("您不能设置监管部门的角色。"), field="role")


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
    return create_with_audit(user, by=by, verb=AuditVerb.USER_CREATED, fields=USER_FIELDS, note=note)


@transaction.atomic
def user_update(*, user: User, by, data: dict[str, Any], note: str = "") -> User:
    if by is not None:
        get_visible_or_404(User, by, pk=user.pk)
        _require_user_manager(by, data.get("organization", user.organization), data.get("role", user.role))
        if by.pk == user.pk and "role" in data and data["role"] != user.role:
            raise DomainError(_("不能修改自己的角色。"), field="role")
    if "username" in data and User.objects.filter(username__iexact=data["username"]).exclude(pk=user.pk).exists():
        raise DomainError(_("用户名“%(u)s”已被使用。") % {"u": data["username"]}, field="username")
    if "name" in data:
        user.name_initials = initials(data["name"])
    update_with_audit(user, by=by, verb=AuditVerb.USER_UPDATED, data=data, fields=USER_FIELDS, note=note)
    validated_save(user, update_fields=["name_initials"])
    return user


def user_set_active(*, user: User, by, active: bool, note: str = "") -> User:
    if by is not None:
        get_visible_or_404(User, by, pk=user.pk)
        _require_user_manager(by, user.organization, user.role)
        if by.pk == user.pk:
            raise DomainError(_("不能停用自己的账号。"))
    user = set_active_with_audit(
        user, by=by, active=active, verbs=(AuditVerb.USER_REACTIVATED, AuditVerb.USER_DEACTIVATED), note=note
    )
    if not active:
        _end_sessions_and_tokens(user)
    return user


@transaction.atomic
def user_reset_password(*, user: User, by, password: str) -> User:
    """An administrator sets a new password for someone else; their sessions and tokens end."""
    get_visible_or_404(User, by, pk=user.pk)
    _require_user_manager(by, user.organization, user.role)
    _check_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    _end_sessions_and_tokens(user)
    audit.record(actor=by, verb=AuditVerb.USER_PASSWORD_RESET, target=user)
    return user


@transaction.atomic
def user_change_password(*, user: User, old_password: str, new_password: str) -> User:
    """The user changes their own password; other tokens end (the caller keeps its session)."""
    if not user.check_password(old_password):
        raise DomainError(_("原密码不正确。"), field="old_password")
    _check_password(new_password, user)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    from rest_framework.authtoken.models import Token

    Token.objects.filter(user=user).delete()
    audit.record(actor=user, verb=AuditVerb.USER_PASSWORD_CHANGED, target=user)
    return user


def _end_sessions_and_tokens(user: User) -> None:
    from rest_framework.authtoken.models import Token

    # Sessions carry a hash of the password and die with it; tokens are separate, so drop them.
    Token.objects.filter(user=user).delete()


def record_login(*, user: User) -> None:
    audit.record(actor=user, verb=AuditVerb.USER_LOGGED_IN, target=user)
