"""The result cache: a result is counted once until a write, a write counts it again at once, an
aged result is served while one request counts it again, and concurrent requests for the same
result wait for the one counting it."""

from __future__ import annotations

import threading
import time

import pytest
from django.core.cache import cache

from anjian.core import resultcache
from anjian.orgs.models import Organization

pytestmark = pytest.mark.django_db


class Counter:
    def __init__(self, pause: float = 0.0):
        self.calls, self.pause = 0, pause

    def __call__(self):
        self.calls += 1
        time.sleep(self.pause)
        return {"value": self.calls}


def test_a_result_is_counted_once_until_a_watched_row_is_written(world):
    count = Counter()
    assert resultcache.cached(("t", 1), count) == {"value": 1}
    assert resultcache.cached(("t", 1), count) == {"value": 1}
    assert resultcache.cached(("t", 2), count) == {"value": 2}  # other parts, another result
    org = Organization.objects.get(pk=world.hospital_a.pk)
    org.contact_phone = "010-12345678"
    org.save()  # organizations are watched (stats.apps)
    assert resultcache.cached(("t", 1), count) == {"value": 3}
    assert count.calls == 3


def test_nothing_is_kept_when_the_cache_is_switched_off(settings):
    settings.RESULT_CACHE_SECONDS = 0
    count = Counter()
    resultcache.cached(("off",), count)
    resultcache.cached(("off",), count)
    assert count.calls == 2


def test_an_aged_result_is_served_while_another_request_counts_it_again(settings):
    settings.RESULT_CACHE_SECONDS = 1
    count = Counter()
    assert resultcache.cached(("aged",), count) == {"value": 1}
    time.sleep(1.1)
    lock = resultcache.result_key(("aged",)) + ":computing"
    assert cache.add(lock, 1, 30)  # another request is counting it again
    assert resultcache.cached(("aged",), count) == {"value": 1}
    assert count.calls == 1
    cache.delete(lock)  # that request is done (or gave up): the next one counts
    assert resultcache.cached(("aged",), count) == {"value": 2}


def test_requests_for_a_result_being_counted_wait_for_it():
    slow = Counter(pause=0.5)
    got = {}

    def first():
        got["first"] = resultcache.cached(("slow",), slow)

    thread = threading.Thread(target=first)
    thread.start()
    time.sleep(0.1)  # the first request is counting
    got["second"] = resultcache.cached(("slow",), slow)
    thread.join()
    assert got == {"first": {"value": 1}, "second": {"value": 1}}
    assert slow.calls == 1


def test_when_the_request_counting_fails_the_waiting_one_counts_itself_at_once():
    def failing():
        time.sleep(0.3)
        raise RuntimeError("the database went away")

    errors = []

    def first():
        try:
            resultcache.cached(("fails",), failing)
        except RuntimeError as exc:
            errors.append(exc)

    thread = threading.Thread(target=first)
    thread.start()
    time.sleep(0.1)
    count = Counter()
    started = time.monotonic()
    assert resultcache.cached(("fails",), count) == {"value": 1}
    thread.join()
    assert time.monotonic() - started < 5  # not the 60 s a lost result would make it wait
    assert count.calls == 1 and len(errors) == 1
