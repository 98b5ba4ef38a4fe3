"""Request ids for logs and audit events, and the security headers Django does not set itself."""

import logging
import re
import time
import uuid
from contextvars import ContextVar

from django.conf import settings

_request_id: ContextVar[str] = ContextVar("request_id", default="")
_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def current_request_id() -> str:
    return _request_id.get()


class RequestIdMiddleware:
    """Take a sane X-Request-ID from the proxy or make one; echo it in the response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _VALID_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = _request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response["X-Request-ID"] = request_id
        return response


class RequestIdLogFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id() or "-"
        return True


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response; no caching of pages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.setdefault("Permissions-Policy", "geolocation=(self), camera=(self), microphone=()")
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            response.setdefault("Cache-Control", "no-store")
        return response


class ChosenLanguageMiddleware:
    """Chinese unless the user chose another language (the switcher's cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, so a hospital PC with an
    English browser would get a half-translated page; here only an explicit choice counts.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class SessionRefreshMiddleware:
    """Idle expiry without a write on every request: the session's 8 hours start again (the row
    saved, the cookie sent anew) when it was last refreshed more than ``SESSION_REFRESH_SECONDS``
    ago. Django's ``SESSION_SAVE_EVERY_REQUEST`` would update the session row on each request."""

    KEY = "_refreshed"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.is_empty() or response.status_code >= 500:
            return response
        if time.time() - session.get(self.KEY, 0) >= settings.SESSION_REFRESH_SECONDS:
            self.mark(session)  # modified: SessionMiddleware saves it and sets the cookie
        return response

    @classmethod
    def mark(cls, session) -> None:
        session[cls.KEY] = int(time.time())

    @classmethod
    def on_login(cls, sender, request, user, **kwargs) -> None:
        """Signing in saves a new session: it counts as refreshed."""
        if request is not None and hasattr(request, "session"):
            cls.mark(request.session)
