"""Security events as audit events: failed sign-ins and lock-outs (received from Django's and
django-axes' signals, the hooks those libraries give) and unlocks (called by the views; token
issues and revocations are account services). Each names the account (when the username
exists), the address it came from and the channel."""

from __future__ import annotations

from django.utils.translation import gettext as _

from anjian.accounts.models import User
from anjian.core import audit
from anjian.core.audit import AuditVerb
from anjian.core.middleware import client_address


def _channel(request) -> str:
    path = getattr(request, "path", "") or ""
    return _("接口") if path.startswith("/api/") else _("网页")


def _account(username: str) -> User | None:
    if not username:
        return None
    return User.objects.filter(username__iexact=username).select_related("organization").first()


def login_failed(sender, credentials, request=None, **kwargs) -> None:
    username = (credentials or {}).get("username", "") or ""
    user = _account(username)
    audit.record(
        actor=None,
        verb=AuditVerb.USER_LOGIN_FAILED,
        target=user,
        organization=getattr(user, "organization", None),
        changes={"username": [None, username[:150]], "address": [None, client_address(request)]},
        note=_("%(channel)s登录失败：用户名“%(username)s”，来自 %(address)s")
        % {"channel": _channel(request), "username": username[:150], "address": client_address(request) or "—"},
    )


def locked_out(sender, request=None, username=None, ip_address=None, **kwargs) -> None:
    user = _account(username or "")
    audit.record(
        actor=None,
        verb=AuditVerb.USER_LOCKED_OUT,
        target=user,
        organization=getattr(user, "organization", None),
        changes={"username": [None, (username or "")[:150]], "address": [None, ip_address or ""]},
        note=_("连续登录失败，账号“%(username)s”被暂时锁定（来自 %(address)s）")
        % {"username": username or "", "address": ip_address or "—"},
    )


def unlocked(*, user: User, by, request) -> None:
    audit.record(
        actor=by,
        verb=AuditVerb.USER_UNLOCKED,
        target=user,
        note=_("%(by)s 解除了 %(user)s 的登录锁定") % {"by": by.name, "user": user.name},
    )
