"""Results of expensive reads (dashboards, statistics) kept for a short while, never stale after a write.

A result is stored under a key made of what it was asked for and the data's *generation*, a
random token that every write to a watched model replaces (at once, and again when the
transaction commits, so a result computed from the data before the commit cannot be stored
under the new token). A changed figure therefore shows on the next request; what changes with
time alone (a deadline passing at midnight, an inspection slot ending) shows within
``RESULT_CACHE_SECONDS`` (0 switches the cache off) and the time the result takes to count.

The cache is Django's default cache: in production a file cache in ``ANJIAN_VAR_DIR`` that the
server's worker processes share (settings.CACHES). Keys carry the database's name, so two
databases never read each other's results.

Apps watch the models their cached reads depend on, in ``AppConfig.ready``, under a *topic*
(``DATA``, everything, unless said), each topic with its own generation::

    resultcache.watch(Hazard, Organization)
    resultcache.watch(Hazard, Organization, topic="hazards")

and read through ``cached``, naming the topics the result is counted from: a write to a model of
another topic leaves it cached (a hazard written does not make the inspection compliance count
again)::

    resultcache.cached(("dashboard", user.pk, period.key), lambda: build(user, period))
    resultcache.cached(("hazard figures", user.pk), lambda: count(user), topics=("hazards",))
"""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import translation

from anjian.core import db

T = TypeVar("T")
DATA = "data"  # every watched model: the generations of all topics together
_watched: dict[type, set[str]] = {}  # model (or many-to-many table) → its topics


def _key(name: str) -> str:
    return f"anjian:{connection.settings_dict['NAME']}:{name}"


def _generation_key(topic: str) -> str:
    return _key("generation" if topic == DATA else f"generation:{topic}")


def generation(topic: str = DATA) -> str:
    """The current generation of ``topic``'s data (created on first use); of ``DATA``: every
    topic's together, so a write (which replaces its own topics' tokens only) changes it too."""
    if topic == DATA:
        return "|".join(_token(t) for t in sorted(topics()))
    return _token(topic)


def _token(topic: str) -> str:
    key = _generation_key(topic)
    token = cache.get(key)
    if token is None:
        cache.add(key, _new_token(), None)
        token = cache.get(key)
    return token


def topics() -> set[str]:
    """The topics models are watched under (``DATA`` for a model watched without one)."""
    return set().union(*_watched.values()) or {DATA}


def bump(*names: str) -> None:
    """Rows of these topics changed (none named: of every topic): results counted from them
    before now are not served again."""
    chosen = set(names or (DATA,))
    if DATA in chosen:  # everything: each topic (DATA itself only when a model is watched without one)
        chosen = (chosen - {DATA}) | topics()
    cache.set_many({_generation_key(t): _new_token() for t in chosen}, None)


def _new_token() -> str:
    return f"{time.time():.3f}:{uuid.uuid4().hex}"  # when it was made, then the random part


def _age(token: str) -> float:
    """Seconds since the generation ``token`` was made (a token of the older form: long ago)."""
    made, _sep, _rest = token.partition(":")
    try:
        return time.time() - float(made)
    except ValueError:
        return float("inf")


def _on_write(sender, **kwargs) -> None:
    names = tuple(_watched.get(sender, ()))
    bump(*names)
    transaction.on_commit(lambda: bump(*names))


def watch(*models: type, topic: str = DATA) -> None:
    """Replace the generation of ``topic`` (and so of ``DATA``, everything) on every save, delete
    and many-to-many change of these models."""
    for model in models:
        senders = [model, *(f.remote_field.through for f in model._meta.local_many_to_many)]
        for sender in senders:
            _watched.setdefault(sender, set()).add(topic)
        if model in _connected:
            continue
        _connected.add(model)
        post_save.connect(_on_write, sender=model, weak=False, dispatch_uid=f"resultcache-save-{model._meta.label}")
        post_delete.connect(_on_write, sender=model, weak=False, dispatch_uid=f"resultcache-del-{model._meta.label}")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                _on_write,
                sender=field.remote_field.through,
                weak=False,
                dispatch_uid=f"resultcache-m2m-{model._meta.label}-{field.name}",
            )


_connected: set[type] = set()


def cached(parts: tuple, compute: Callable[[], T], topics: tuple[str, ...] = (DATA,)) -> T:
    """``compute()``, or the result a request with the same ``parts`` (and language) got since the
    last write to the ``topics`` it is counted from. ``parts`` must hold everything the result
    depends on besides the data: the user (their scope), the parameters, the day.

    One request computes at a time: others asking for the same result meanwhile wait for it
    (after a write) or get the previous one (when it has only aged past ``RESULT_CACHE_SECONDS``),
    so a popular dashboard is never counted by every worker at once."""
    seconds = getattr(settings, "RESULT_CACHE_SECONDS", 60)
    if seconds <= 0:
        return compute()
    key = result_key(parts, topics)
    lock = key + ":computing"
    entry = cache.get(key)
    if entry is not None:
        value, computed_at = entry
        if time.time() - computed_at < seconds or not cache.add(lock, 1, COMPUTE_SECONDS):
            return value  # fresh, or another request is already counting it again
        locked = True
    else:
        locked = cache.add(lock, 1, COMPUTE_SECONDS)
        if not locked:
            entry = _wait_for(key, lock)  # another request is counting this very result: wait for it
            if entry is not None:
                return entry[0]
    try:
        value = compute()
        # Counted on a replica within moments of a write, the result may predate the write: serve it
        # to this request, but do not keep it under the new generation (core.db).
        if not (db.reading_replica() and min(_age(generation(t)) for t in topics) < settings.REPLICA_PIN_SECONDS):
            cache.set(key, (value, time.time()), KEEP_SECONDS)
    finally:
        if locked:
            cache.delete(lock)  # only the lock this request took
    return value


def result_key(parts: tuple, topics: tuple[str, ...] = (DATA,)) -> str:
    """Where the result for ``parts`` is kept now (the topics' generations and the language included)."""
    raw = repr((*(generation(t) for t in topics), translation.get_language(), *parts))
    return _key("result:" + hashlib.sha256(raw.encode()).hexdigest())


COMPUTE_SECONDS = 60  # the longest a result may take to count before another request tries too
KEEP_SECONDS = 3600  # an aged result is kept this long to be served while it is counted again


def _wait_for(key: str, lock: str):
    """The result once the request counting it stored it; None if that request gave up (its lock
    gone, nothing stored: it failed) or took longer than ``COMPUTE_SECONDS``."""
    deadline = time.monotonic() + COMPUTE_SECONDS
    while time.monotonic() < deadline:
        time.sleep(0.05)
        entry = cache.get(key)
        if entry is not None or cache.get(lock) is None:
            return entry
    return None
