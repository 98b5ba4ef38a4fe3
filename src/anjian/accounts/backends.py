"""Who may sign in: an active person of an active organization, and in production never with the
demo password (``make run``'s demo accounts must not be a way into a real installation)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.backends import ModelBackend


def organization_active(user) -> bool:
    org = getattr(user, "organization", None)
    return org is None or org.is_active


def demo_password_refused() -> bool:
    """Production (DEBUG off, not the embedded ``make run``): the published demo password opens nothing."""
    return not getattr(settings, "DEMO_PASSWORD_ALLOWED", True)


class AccountBackend(ModelBackend):
    """Django's model backend, refusing the people of a deactivated organization (their sessions
    end at their next request too: ``get_user`` asks the same) and the demo password in production."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        from anjian.accounts.demo import DEMO_PASSWORD

        if password == DEMO_PASSWORD and demo_password_refused():
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)

    def user_can_authenticate(self, user) -> bool:
        return super().user_can_authenticate(user) and organization_active(user)
