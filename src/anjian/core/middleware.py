"""Request ids for logs and audit events, the security headers Django does not set itself, the
input layer (``InputGuardMiddleware``) and the phone forms' idempotency (``IdempotencyMiddleware``)."""

import functools
import ipaddress
import logging
import re
import time
import uuid
from contextvars import ContextVar

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse, QueryDict
from django.shortcuts import render

from anjian.core import idempotency, inputs
from anjian.core.errors import DomainError

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


API_PREFIX = "/api/"
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _wants_json(request) -> bool:
    return request.path.startswith(API_PREFIX) or "application/json" in request.headers.get("Accept", "")


def refusal(request, exc: DomainError):
    """A refusal before (or instead of) the view: the API's ``{"detail": …}``, the JSON a page's
    script reads (``message``, ``errors``, as inspections' checklist), or the product's 400 page."""
    message = str(exc.message)
    if _wants_json(request):
        body = {"detail": message}
        if not request.path.startswith(API_PREFIX):
            body.update(message=message, errors={})
        return JsonResponse(body, status=exc.status_code, json_dumps_params={"ensure_ascii": False})
    return render(request, "400.html", {"message": message, "status": exc.status_code}, status=exc.status_code)


def _is_json(request) -> bool:
    content_type = request.content_type or ""
    return content_type == "application/json" or content_type.endswith("+json")


def _body_text(request) -> str:
    charset = request.content_params.get("charset") or "utf-8"
    try:
        return request.body.decode(charset, errors="replace")
    except LookupError:  # a made-up charset
        return request.body.decode("utf-8", errors="replace")


class InputGuardMiddleware:
    """One input layer for what no view may be handed (``anjian.core.inputs``): a NUL character in
    the query string, a form field or a JSON body; a JSON body nested too deep to parse, or larger
    than DATA_UPLOAD_MAX_MEMORY_SIZE; an integer in the query string or the path beyond the database's
    bigint.
    Refused with a 400 before any view runs (the API answers ``{"detail": …}``, a page the
    product's 400 page). A ``BadInput`` that a view raises later (a filter form's id out of range)
    is answered the same way."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            self.check(request)
        except inputs.BadInput as exc:
            return refusal(request, exc)
        except RequestDataTooBig:  # a JSON body over DATA_UPLOAD_MAX_MEMORY_SIZE
            return refusal(request, inputs.BadInput(inputs.TOO_BIG_MESSAGE))
        return self.get_response(request)

    @staticmethod
    def check(request) -> None:
        inputs.check_query(request.GET)
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return
        content_type = request.content_type or ""
        if _is_json(request):
            inputs.check_json_text(_body_text(request))
        elif request.method == "POST" and content_type in _FORM_TYPES:
            inputs.check_fields(request.POST.lists())
        elif content_type == _FORM_TYPES[0]:  # PUT, PATCH: Django leaves the body to the view
            inputs.check_fields(QueryDict(request.body, encoding=request.encoding).lists())

    def process_view(self, request, view_func, view_args, view_kwargs):
        try:
            inputs.check_path(view_kwargs)
        except inputs.BadInput as exc:
            return refusal(request, exc)
        return None

    def process_exception(self, request, exception):
        if isinstance(exception, inputs.BadInput):
            return refusal(request, exception)
        return None


class IdempotencyMiddleware:
    """A page's form sent with a key (the hidden ``idempotency_key`` of ``core.idempotency``) runs
    once: sent again (a double tap, a retry after the network failed) it writes nothing and answers
    what the first one answered (the redirect to the record), after waiting for it if it is still
    running. Checked after the CSRF check (``process_view``); the API does the same in its views
    (``@idempotent``, the ``Idempotency-Key`` header)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST" or request.path.startswith(API_PREFIX):
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        key = idempotency.form_key(request)
        if key is None:
            return None
        try:
            idempotency.check_key(key)
        except DomainError as exc:
            return refusal(request, exc)
        try:
            return idempotency.run(
                user=user,
                key=key,
                method=request.method,
                path=request.path,
                digest=idempotency.form_body_hash(request),
                call=lambda: view_func(request, *view_args, **view_kwargs),
                store=idempotency.store_page,
                replay=lambda answer: self.replay(request, answer),
                wait=idempotency.FORM_WAIT_SECONDS,
            )
        except idempotency.IdempotencyMismatch:
            return refusal(request, idempotency.IdempotencyMismatch(idempotency.FORM_MISMATCH))
        except (idempotency.IdempotencyInProgress, inputs.BadInput) as exc:
            return refusal(request, exc)

    @staticmethod
    def replay(request, answer):
        messages.info(request, idempotency.FORM_REPLAYED)
        return idempotency.replay_page(answer)


def client_address(request) -> str:
    """The address a request came from, as audit events, sign-in lock-outs and rate limits count it
    ("" without a request).

    That is ``REMOTE_ADDR``, the peer of the connection, unless the peer is one of
    ``settings.TRUSTED_PROXIES`` (addresses or networks, empty by default): then nginx (or a load
    balancer) in front forwarded the request, and the client is read from ``X-Forwarded-For``, right to
    left, as the first address that is not itself a trusted proxy. A header sent by anyone else is
    ignored, so a client cannot choose its own address; a malformed entry ends the walk at the last
    proxy trusted (the requests behind it then count together, never as someone else)."""
    if request is None:
        return ""
    peer = request.META.get("REMOTE_ADDR", "")
    networks = trusted_proxy_networks(tuple(getattr(settings, "TRUSTED_PROXIES", ()) or ()))
    if not networks or not _trusted(_ip(peer), networks):
        return peer
    address = peer
    for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        ip = _ip(hop)
        if ip is None:
            break
        address = str(ip)
        if not _trusted(ip, networks):
            break
    return address


@functools.lru_cache(maxsize=8)
def trusted_proxy_networks(entries: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    """``TRUSTED_PROXIES`` parsed ("10.0.0.5", "10.0.0.0/24", "::1"). The environment variable is
    checked when the settings load (``core.env.env_networks``): a typo stops the start, not a request."""
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry.strip())


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """An address of a header entry or ``REMOTE_ADDR`` ("203.0.113.7", "203.0.113.7:5123",
    "[2001:db8::1]:443"), or None when it is none."""
    text = (text or "").strip()
    if text.startswith("[") and "]" in text:
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # IPv4 with a port
        text = text.split(":", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _trusted(ip, networks) -> bool:
    return ip is not None and any(ip in net for net in networks if net.version == ip.version)
