"""Reads on a PostgreSQL streaming replica, when one is configured (``DATABASE_REPLICA_URL``); and
prepared statements for a hot path (``prepared_statements``).

Only the reads that are heavy and tolerate a replica's lag of a moment go there: the views that say
so (``reads_from_replica = True`` on the class: dashboards, statistics, exports, the ledger list).
Everything else reads the primary, and so does a request that has written (a write turns the rest
of the request to the primary), and so does every request of a user for ``REPLICA_PIN_SECONDS``
after that user's last write (the page after "登记成功" shows what was just entered, whichever host
answers it: the pin is kept in the shared cache).

``ReplicaRouter`` is Django's database router; ``ReplicaReadsMiddleware`` decides per request.
Without a replica neither does anything.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connections

REPLICA = "replica"


@dataclass
class _RequestReads:
    replica: bool = False  # this request's reads may go to the replica
    wrote: bool = False  # … until it writes


_current: contextvars.ContextVar[_RequestReads | None] = contextvars.ContextVar("anjian_reads", default=None)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def reading_replica() -> bool:
    """Whether the current request's reads go to the replica now."""
    state = _current.get()
    return state is not None and state.replica and not state.wrote


def _pin_key(user_id) -> str:
    return f"anjian:primary-pin:{user_id}"


# Who the caller is is always read from the primary: a token issued or a password changed a moment
# ago must count at once (DRF authenticates inside the view, after the middleware's switch).
PRIMARY_ONLY = frozenset({"accounts.user", "authtoken.token", "sessions.session", "core.idempotencykey"})


class ReplicaRouter:
    """Reads go to the replica only inside a request that ``ReplicaReadsMiddleware`` allowed and that
    has not written; writes, migrations and everything else use the primary (``default``)."""

    def db_for_read(self, model, **hints):
        state = _current.get()
        if state is not None and state.replica and not state.wrote and model._meta.label_lower not in PRIMARY_ONLY:
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        state = _current.get()
        if state is not None:
            state.wrote = True
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is a copy of the primary: the same rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


class ReplicaReadsMiddleware:
    """Per request: may its reads use the replica? Only GET/HEAD of a view marked
    ``reads_from_replica``, for a user not pinned to the primary by a recent write. The user (and
    the session behind it) is loaded from the primary before the switch. After a request that
    wrote, the user is pinned to the primary for ``REPLICA_PIN_SECONDS``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_configured():
            return self.get_response(request)
        state = _RequestReads()
        token = _current.set(state)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        user = getattr(request, "user", None)
        if state.wrote and user is not None and user.is_authenticated:
            cache.set(_pin_key(user.pk), 1, settings.REPLICA_PIN_SECONDS)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        state = _current.get()
        if state is None or request.method not in ("GET", "HEAD"):
            return None
        view = getattr(view_func, "view_class", None) or getattr(view_func, "cls", None) or view_func
        marked = getattr(view, "reads_from_replica", False)
        actions = getattr(view_func, "actions", None)  # a DRF viewset: {"get": "list"}
        if not marked or (marked is not True and (actions or {}).get(request.method.lower()) not in marked):
            return None
        # who asks: the session's user (loaded here, from the primary: not switched yet) or the API
        # token's (DRF authenticates later, inside the view)
        user = getattr(request, "user", None)
        user_id = user.pk if user is not None and user.is_authenticated else _token_user_id(request)
        if user_id is not None and cache.get(_pin_key(user_id)):
            return None
        state.replica = not state.wrote
        return None


def _token_user_id(request):
    """The user of an ``Authorization: Token …`` header, read from the primary; None without one."""
    scheme, _sep, key = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    if scheme.lower() != "token" or not key.strip():
        return None
    from rest_framework.authtoken.models import Token

    return Token.objects.using("default").filter(key=key.strip()).values_list("user_id", flat=True).first()


# --- prepared statements ---------------------------------------------------------------------------
PREPARE_AFTER = 2  # runs of a statement on a connection before it is prepared


@contextlib.contextmanager
def prepared_statements(using: str = "default") -> Iterator[None]:
    """Inside, PostgreSQL receives the statements' values apart from their text (server-side
    binding) and keeps each statement parsed and planned on the connection from its second run
    (psycopg's prepared statements): a path run thousands of times with the same dozen statements
    (an inspection submission) spends about 40 % less of the database's CPU.

    Only around code whose statements are known to work so: Django's server-side binding cannot
    group by an expression with a value in it (each value its own parameter), so it is not the
    connection's default. Nothing changes on SQLite, nor behind pgbouncer's transaction mode
    (``PGBOUNCER``: a prepared statement lives in one server connection, the next transaction may
    get another)."""
    connection = connections[using]
    options = settings.DATABASES[using].get("OPTIONS", {})
    if connection.vendor != "postgresql" or options.get("prepare_threshold", PREPARE_AFTER) is None:
        yield
        return
    from django.db.backends.postgresql.base import ServerBindingCursor

    connection.ensure_connection()
    raw = connection.connection
    if raw.cursor_factory is ServerBindingCursor:  # already inside
        yield
        return
    before = raw.cursor_factory, raw.prepare_threshold
    raw.cursor_factory, raw.prepare_threshold = ServerBindingCursor, PREPARE_AFTER
    try:
        yield
    finally:
        raw.cursor_factory, raw.prepare_threshold = before
