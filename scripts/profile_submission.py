#!/usr/bin/env python3
"""Where an inspection submission's CPU goes, in-process, on the bench's generated set.

    DATABASE_URL=postgres://… .venv/bin/python scripts/profile_submission.py [-n 300] [--phases]

The database must hold the set ``scripts/bench.py`` uses (it generates one on first use; keep a
cluster with ``python -m anjian.core.testing.pgserver``). Each submission is a real one (a free slot
of this month, the bench's 30-item checklist, posted as the institution's safety officer through
Django's test client with the production settings), committed like the bench's: run it on a
throwaway set. Prints the CPU of each request (10th percentile and median: the machine's slow
moments lift the mean), the PostgreSQL backend's CPU per request, the statements of one request,
and with ``--phases`` the CPU spent in each step of ``inspection_submit`` and around it (the
timers add some CPU of their own); ``--functions N`` the functions that cost most under cProfile
(which inflates the many small calls several times over), ``--callees RE`` what some of them call;
``--gc`` the garbage collector's CPU (``--gc-freeze``: after ``gc.freeze()``, as in the workers).
docs/performance.md, "Submissions per second", used it.
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import functools
import gc
import json
import os
import pstats
import secrets
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))

import bench  # noqa: E402 - after the paths

spent: collections.Counter = collections.Counter()


def timed(owner, name: str, label: str) -> None:
    """Count the CPU spent inside ``owner.name`` under ``label`` (nested steps count in both)."""
    inner = getattr(owner, name)

    @functools.wraps(inner)
    def wrapper(*args, **kwargs):
        started = time.process_time()
        try:
            return inner(*args, **kwargs)
        finally:
            spent[label] += time.process_time() - started

    setattr(owner, name, wrapper)


def time_the_phases() -> None:
    from django.db.backends.utils import CursorWrapper
    from django.db.models.sql.compiler import SQLCompiler, SQLInsertCompiler
    from rest_framework.views import APIView

    from anjian.core import audit, resultcache
    from anjian.inspections.api import serializers, views
    from anjian.inspections.services import submission

    timed(views.services, "inspection_submit", "inspection_submit")
    for step in (
        "_filing_for_schedule",
        "_lock_place",
        "check_slot_free",
        "clean_results",
        "_record_create",
        "results_write",
        "_number_last",
        "_record_audit",
        "get_visible_or_404",
    ):
        timed(submission, step, f"  {step}")
    timed(audit, "record", "  audit.record")
    timed(resultcache, "bump", "result cache renewed")
    timed(APIView, "initial", "DRF: token, permission")
    timed(serializers.RecordSerializer, "to_representation", "the answer")
    timed(SQLCompiler, "as_sql", "(SQL compiled: SELECT)")
    timed(SQLInsertCompiler, "as_sql", "(SQL compiled: INSERT)")
    timed(CursorWrapper, "execute", "(statements run)")


def backend_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=300, help="submissions measured (after 10 to warm up)")
    parser.add_argument("--phases", action="store_true", help="the CPU of each step too")
    parser.add_argument("--functions", type=int, metavar="N", help="the N functions with most CPU (cProfile)")
    parser.add_argument("--callees", metavar="RE", help="with --functions: what the functions matching RE call")
    parser.add_argument("--statements", action="store_true", help="the SQL of one submission's statements")
    parser.add_argument("--gc", action="store_true", help="the CPU the garbage collector takes")
    parser.add_argument("--gc-freeze", action="store_true", help="gc.freeze() first, as the gunicorn workers do")
    args = parser.parse_args(argv)
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("DATABASE_URL must name a PostgreSQL database holding the bench's set")
    env = bench.bench_env(url, ROOT / "var" / "bench", secrets.token_urlsafe(48))
    bench.ensure_data(env, 50, 3, 1)
    bench.setup_django(env)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from rest_framework.authtoken.models import Token

    from anjian.accounts.models import User
    from anjian.inspections.models import ChecklistItem, ChecklistTemplate
    from anjian.orgs.models import Organization
    from scale import CITY_NAME, TEMPLATE_CODE

    city = Organization.objects.get(name=CITY_NAME)
    template = ChecklistTemplate.objects.get(code=TEMPLATE_CODE, owner=city)
    items = ChecklistItem.objects.filter(template=template).order_by("pk").values_list("pk", flat=True)
    answers = [{"item": i, "result": "na" if k % 10 == 9 else "pass", "note": ""} for k, i in enumerate(items)]
    slots = bench.free_slots(template, city, args.n + 11)
    officers = dict(
        User.objects.filter(organization__path__startswith=city.path, role="safety_officer").values_list(
            "organization_id", "pk"
        )
    )
    tokens = {org: Token.objects.get_or_create(user_id=officers[org])[0].key for _s, _p, org in slots}
    client = Client()

    def submit(schedule: int, point: int, org: int) -> None:
        response = client.post(
            "/api/v1/inspections/",
            data=json.dumps({"schedule": schedule, "point": point, "results": answers}),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Token {tokens[org]}",
            HTTP_HOST="127.0.0.1",
        )
        if response.status_code != 201:
            sys.exit(f"submission answered {response.status_code}: {response.content[:300]!r}")

    for slot in slots[:10]:
        submit(*slot)
    with CaptureQueriesContext(connection) as captured:
        submit(*slots[10])
    statements = len(captured.captured_queries)  # now: the next request empties the log
    if args.statements:  # those run prepared come without their text (server-side binding)
        for q in captured.captured_queries:
            print(q["time"], (q["sql"] or "(prepared)")[:400])
    if args.phases:
        time_the_phases()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    if args.gc_freeze:  # as gunicorn.conf.py's post_worker_init does in each worker
        gc.collect()
        gc.freeze()
    gc_spent = collections.Counter()
    if args.gc:
        gc.callbacks.append(lambda phase, _info: gc_spent.update({phase: time.process_time()}))
    profiler = cProfile.Profile(time.process_time) if args.functions else None
    db_before, each = backend_cpu(pid), []
    for slot in slots[11 : 11 + args.n]:
        started = time.process_time()
        if profiler:
            profiler.enable()
        submit(*slot)
        if profiler:
            profiler.disable()
        each.append(time.process_time() - started)
    db = (backend_cpu(pid) - db_before) / len(each)
    if profiler:
        pstats.Stats(profiler).sort_stats("tottime").print_stats(args.functions)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.functions)
        if args.callees:
            pstats.Stats(profiler).sort_stats("cumulative").print_callees(args.callees)
    each.sort()
    print(f"{len(each)} submissions of {len(answers)} items; {statements} statements each")
    print(
        f"CPU per submission, this process: 10th percentile {each[len(each) // 10] * 1000:.2f} ms, "
        f"median {each[len(each) // 2] * 1000:.2f} ms; PostgreSQL backend: {db * 1000:.2f} ms"
    )
    if args.gc:
        collected = gc_spent["stop"] - gc_spent["start"]  # the sums of the stops' and the starts' times
        print(f"garbage collection: {collected * 1000 / len(each):.2f} ms per submission")
    for label, seconds in sorted(spent.items(), key=lambda kv: -kv[1]):
        print(f"  {label:<40} {seconds * 1000 / len(each):7.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
