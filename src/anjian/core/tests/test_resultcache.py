"""The result cache: a result is counted once until a write, a write counts it again at once, an
aged result is served while one request counts it again, and concurrent requests for the same
result wait for the one counting it."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
import time_machine
from django.core.cache import cache

from anjian.core import resultcache
from anjian.orgs.models import Organization

pytestmark = pytest.mark.django_db


class Counter:
    """A computation that counts its calls; ``hold()`` makes the next ones wait until ``release()``,
    so that a test can have one request counting while another asks (events, not sleeps)."""

    def __init__(self, fails: bool = False):
        self.calls, self.fails = 0, fails
        self.started, self.released = threading.Event(), threading.Event()
        self.released.set()

    def hold(self) -> Counter:
        self.released.clear()
        return self

    def release(self) -> None:
        self.released.set()

    def __call__(self):
        self.calls += 1
        self.started.set()
        assert self.released.wait(30), "the test never released the computation"
        if self.fails:
            raise RuntimeError("the database went away")
        return {"value": self.calls}


def in_thread(target) -> tuple[threading.Thread, threading.Event, dict]:
    """Run ``target`` in a thread; returns it, an event set when it has returned, and its result."""
    done, out = threading.Event(), {}

    def run():
        try:
            out["value"] = target()
        except Exception as exc:  # handed to the test to look at
            out["error"] = exc
        finally:
            done.set()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, done, out


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
    settings.RESULT_CACHE_SECONDS = 60
    count = Counter()
    assert resultcache.cached(("aged",), count) == {"value": 1}
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=61), tick=True):  # aged now
        lock = resultcache.result_key(("aged",)) + ":computing"
        assert cache.add(lock, 1, 30)  # another request is counting it again
        assert resultcache.cached(("aged",), count) == {"value": 1}
        assert count.calls == 1
        cache.delete(lock)  # that request is done (or gave up): the next one counts
        assert resultcache.cached(("aged",), count) == {"value": 2}


def test_requests_for_a_result_being_counted_wait_for_it():
    slow = Counter().hold()
    first, _first_done, got_first = in_thread(lambda: resultcache.cached(("slow",), slow))
    assert slow.started.wait(10)  # the first request is counting
    second, second_done, got_second = in_thread(lambda: resultcache.cached(("slow",), slow))
    assert not second_done.wait(0.3)  # the second waits for it…
    slow.release()
    first.join(10)
    second.join(10)
    assert got_first == got_second == {"value": {"value": 1}}  # …and gets its result
    assert slow.calls == 1


def test_when_the_request_counting_fails_the_waiting_one_counts_itself_at_once():
    failing = Counter(fails=True).hold()
    first, _first_done, got_first = in_thread(lambda: resultcache.cached(("fails",), failing))
    assert failing.started.wait(10)
    count = Counter()
    second, second_done, got_second = in_thread(lambda: resultcache.cached(("fails",), count))
    assert not second_done.wait(0.3)  # waiting for the first
    started = time.monotonic()
    failing.release()  # the first fails and drops its lock
    assert second_done.wait(5)  # not the 60 s a lost result would make it wait
    first.join(10)
    second.join(10)
    assert time.monotonic() - started < 5
    assert got_second == {"value": {"value": 1}} and count.calls == 1
    assert isinstance(got_first["error"], RuntimeError)


def test_a_write_renews_its_own_topics_and_everything_but_not_the_other_topics(world):
    """A result counted from the inspections stays cached after a hazard write; one counted from
    everything (the home page's) does not."""
    from anjian.hazards.models import HazardCategory

    inspections, everything = Counter(), Counter()
    resultcache.cached(("t",), inspections, topics=("inspections",))
    resultcache.cached(("t",), everything)
    category = HazardCategory.objects.first()
    category.sort_order += 1
    category.save()  # a hazard category: topic "hazards" (stats.apps)
    assert resultcache.cached(("t",), inspections, topics=("inspections",)) == {"value": 1}
    assert resultcache.cached(("t",), everything) == {"value": 2}
    resultcache.bump("inspections")
    assert resultcache.cached(("t",), inspections, topics=("inspections",)) == {"value": 2}
