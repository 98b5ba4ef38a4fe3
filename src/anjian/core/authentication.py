"""API token authentication with an expiry (kept apart from core.api to avoid an import cycle in DRF)."""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication


class ExpiringTokenAuthentication(TokenAuthentication):
    """``Authorization: Token …``; a token older than API_TOKEN_TTL no longer works."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if token_expired(token):
            token.delete()
            raise exceptions.AuthenticationFailed(_("令牌已过期，请重新获取。"))
        return user, token


def token_expired(token) -> bool:
    return token.created < timezone.now() - settings.API_TOKEN_TTL
