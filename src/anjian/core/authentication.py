"""API token authentication with an expiry (kept apart from core.api to avoid an import cycle in DRF)."""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_lazy as drf_  # DRF's own messages: its catalog translates them
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from anjian.core.precompiled import Precompiled


def _token_with_user(key: str):
    # DRF's own query, with the user's organization in the same statement: scoping reads it on every
    # request; compiled once (core.precompiled): every API request runs it
    from rest_framework.authtoken.models import Token

    return Token.objects.select_related("user__organization").filter(key=key)


token_with_user = Precompiled(_token_with_user)


class ExpiringTokenAuthentication(TokenAuthentication):
    """``Authorization: Token …``; a token older than API_TOKEN_TTL no longer works."""

    def authenticate_credentials(self, key):
        model = self.get_model()
        try:
            token = token_with_user.get(key)
        except model.DoesNotExist:
            raise exceptions.AuthenticationFailed(drf_("Invalid token.")) from None
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(drf_("User inactive or deleted."))
        organization = token.user.organization
        if organization is not None and not organization.is_active:
            raise exceptions.AuthenticationFailed(_("所属单位已停用。"))
        if token.user.must_change_password:
            raise exceptions.AuthenticationFailed(_("您的密码由他人设置，请先登录网页修改密码。"))
        if token_expired(token):  # kept: the next issue replaces it (accounts.services.token_issue, audited)
            raise exceptions.AuthenticationFailed(_("令牌已过期，请重新获取。"))
        return token.user, token


def token_expired(token) -> bool:
    return token.created < timezone.now() - settings.API_TOKEN_TTL


def lockout_response(request, original_response=None, credentials=None):
    """What django-axes answers once an account is locked (AXES_LOCKOUT_CALLABLE): the API's JSON
    error for API calls (an integration cannot read the HTML page), the page for people."""
    from django.http import JsonResponse
    from django.shortcuts import render

    status = settings.AXES_HTTP_RESPONSE_CODE
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": str(_("登录失败次数过多，账号已暂时锁定，请稍后再试。"))}, status=status)
    return render(request, settings.AXES_LOCKOUT_TEMPLATE, {}, status=status)
