"""Races for the PostgreSQL tests: calls released together in threads, each on its own connection."""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connection


def race(*calls: Callable[[], object]) -> list[tuple[str, object]]:
    """Run the calls in threads released together by a barrier; each thread closes its connection.
    Returns ("ok", result) or ("error", exception) per call, in the calls' order."""
    barrier = threading.Barrier(len(calls))
    results: list[tuple[str, object]] = [("not run", None)] * len(calls)

    def run(i: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=10)
            results[i] = ("ok", call())
        except Exception as exc:  # the loser's exception is the result the test checks
            results[i] = ("error", exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread hung (a lock never released?)"
    return results
