#!/usr/bin/env python3
"""Benchmark Anjian at city scale: gunicorn (2 workers) on PostgreSQL, driven by wrk.

    scripts/bench.py --quick             50 institutions, short runs: the whole table in a few minutes
    scripts/bench.py                     1,000 institutions × 3 years (1M hazards, 10M inspection results)
    DATABASE_URL=postgres://… scripts/bench.py
                                         use that database: the set is generated once and reused
                                         (keep a cluster up with ``python -m anjian.core.testing.pgserver``)

Without DATABASE_URL a throwaway cluster is started (anjian.core.testing.pgserver) and removed at
the end. The data comes from ``scripts/generate_scale.py`` (scripts/scale). The app is served by
gunicorn with src/anjian/gunicorn.conf.py, 2 sync workers (``GUNICORN_WORKER_CLASS=gthread`` and
``GUNICORN_THREADS`` to compare), never replaced during the bench (``GUNICORN_MAX_REQUESTS=10000``
to measure with production's replacement), production settings (DEBUG off), and each
scenario is driven by Debian's ``wrk`` with a Lua script (tokens, POST bodies, rotating URLs) that
reports p50/p95/p99. Beside each figure:

- ``SQL ms``: the sum of the endpoint's queries, and ``main ms``: its slowest SELECT run again
  under EXPLAIN ANALYZE (execution + planning), both measured on the same request made in-process;
- ``/min``: the endpoint's p50 divided by the p50 of ``/healthz`` (a minimal Django view on the
  same server, same concurrency), so the app's own overhead shows as a ratio.

Writes (create, submit) are measured in-process inside a transaction that is rolled back.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from anjian.core.testing.pgserver import throwaway_postgres  # noqa: E402

PY = sys.executable
BIN = Path(PY).parent
HOST = "127.0.0.1"

LUA_COMMON = r"""
local threads = {}
local counter = 0
function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end
function init(args)
  counter = 0
end
function next_index(n)
  -- thread tid takes indexes tid, tid + nthreads, ...: no two threads send the same item
  local i = counter * nthreads + tid
  counter = counter + 1
  return (i % n) + 1
end
done = function(summary, latency, requests)
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "status_errors": %d, "socket_errors": %d, ' ..
    '"p50": %d, "p95": %d, "p99": %d, "max": %d, "mean": %f}\n',
    summary.requests, summary.duration, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max, latency.mean))
end
"""


@dataclass
class Scenario:
    key: str
    label: str
    method: str = "GET"
    paths: list[str] = field(default_factory=list)
    token: str | None = None  # API token, or
    cookie: str | None = None  # a session cookie
    bodies: list[str] | None = None  # POST bodies (JSON), one per request, in order
    tokens: list[str] | None = None  # per-body token (same length as bodies)
    connections: int = 4
    slow: bool = False  # seconds a request: timed one by one from Python instead of wrk
    target: str = ""
    measure: object = None  # in-process: a callable returning (n_queries, sql_ms, main_ms, main_sql)
    available: bool = True
    note: str = ""
    before: object = None  # slow rows: called before each request (e.g. a write that empties the result cache)


@dataclass
class Row:
    label: str
    connections: int = 0
    rps: float | None = None
    p50: float | None = None
    p95: float | None = None
    p99: float | None = None
    errors: int = 0
    requests: int = 0
    queries: int | None = None
    sql_ms: float | None = None
    main_ms: float | None = None
    ratio_min: float | None = None
    cpu_ms: float | None = None  # CPU time per request, gunicorn workers + PostgreSQL backends
    db_cpu_ms: float | None = None  # of which the PostgreSQL backends'
    target: str = ""
    note: str = ""


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def free_port() -> int:
    with contextlib.closing(socket.socket()) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def run(cmd: list[str], env: dict, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=ROOT, env=env, check=True, **kw)


def bench_env(database_url: str, var_dir: Path, secret: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DEBUG="false",
        SECRET_KEY=secret,
        ALLOWED_HOSTS=f"{HOST},localhost,testserver",
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        ANJIAN_VAR_DIR=str(var_dir),
        MEDIA_ROOT=str(var_dir / "media"),
        CACHE_LOCATION=str(var_dir / "cache"),  # the workers' and this process's shared cache
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT / "src"),
        DJANGO_SETTINGS_MODULE="anjian.settings",
        AXES_FAILURE_LIMIT="1000",
    )
    return env


# --- gunicorn ----------------------------------------------------------------------------------------
class Server:
    def __init__(self, env: dict, port: int, logfile: Path):
        self.port = port
        env = env | {"GUNICORN_WORKERS": "2", "PORT": str(port), "GUNICORN_TIMEOUT": "120"}
        # No replacing of workers after GUNICORN_MAX_REQUESTS (10,000 in production) unless asked:
        # the minimal view alone makes some 40,000 requests, and a row measured while a worker is
        # replaced measures the replacement (a second of CPU, a cold worker) more than the endpoint.
        env.setdefault("GUNICORN_MAX_REQUESTS", "0")
        self.log = open(logfile, "wb")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", str(ROOT / "src/anjian/gunicorn.conf.py"), "anjian.wsgi"],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.wait_ready()

    def url(self, path: str) -> str:
        return f"http://{HOST}:{self.port}{path}"

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("gunicorn exited; see its log")
            try:
                with urllib.request.urlopen(self.url("/readyz"), timeout=5) as r:  # noqa: S310 - our server
                    if r.status == 200 and len(self.workers()) >= 2:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer /readyz")

    def workers(self) -> list[int]:
        out = subprocess.run(["pgrep", "-P", str(self.proc.pid)], capture_output=True, text=True).stdout
        return [int(p) for p in out.split()]

    def reload(self) -> None:
        """New workers (HUP), so that their peak memory counts from now."""
        old = set(self.workers())
        self.proc.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            now = set(self.workers())
            if len(now) >= 2 and not (now & old):
                break
            time.sleep(0.2)
        self.wait_ready()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.log.close()


def vm(pid: int, key: str) -> int:
    """VmRSS / VmHWM of a process in kB."""
    with contextlib.suppress(FileNotFoundError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


CLK_TCK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids, *, reaped: bool = False) -> dict[int, float]:
    """utime + stime of each live process, in seconds; with ``reaped``, that of the children it has
    waited for (cutime + cstime): gunicorn's master counts so the workers it replaced during a run."""
    out = {}
    for pid in pids:
        with contextlib.suppress(FileNotFoundError, ProcessLookupError, IndexError, ValueError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            out[pid] = int(fields[11 + 2 * reaped]) + int(fields[12 + 2 * reaped])
            out[pid] /= CLK_TCK
    return out


def db_backends() -> list[int]:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
        pids = [r[0] for r in cur.fetchall()]
    connection.close()
    return pids


class CpuMeter:
    """CPU spent by the app (gunicorn workers) and the database (its backends) during a run: the
    cost of a request whatever else the machine is doing, unlike latency under a shared load."""

    def __init__(self, server: Server):
        self.server = server
        self.workers_before = cpu_seconds(server.workers())
        self.before = self.workers_before | cpu_seconds(db_backends())
        self.reaped_before = self._reaped()

    def _reaped(self) -> float:
        """The CPU of the workers gunicorn replaced (GUNICORN_MAX_REQUESTS), gone from /proc."""
        return sum(cpu_seconds([self.server.proc.pid], reaped=True).values())

    def measure(self, row: Row, requests: int) -> None:
        """The run's CPU per request on ``row``: all of it, and the database's part."""
        db = db_backends()
        after = cpu_seconds([*self.server.workers(), *db, *self.before])
        spent = {p: after[p] - self.before.get(p, 0.0) for p in after}
        # the workers replaced during the run, less what they had spent before it
        spent[0] = self._reaped() - self.reaped_before
        spent[0] -= sum(seconds for p, seconds in self.workers_before.items() if p not in after)
        row.cpu_ms = sum(spent.values()) * 1000 / max(1, requests)
        row.db_cpu_ms = sum(spent.get(p, 0.0) for p in {*db, *(set(self.before) - set(self.server.workers()))})
        row.db_cpu_ms *= 1000 / max(1, requests)


# --- wrk ---------------------------------------------------------------------------------------------
def lua_str(text: str) -> str:
    """A Lua long string: no escapes to get wrong (UTF-8 passes through as is)."""
    assert "]==]" not in text
    return f"[==[{text}]==]"


def lua_for(s: Scenario, workdir: Path) -> Path:
    lines = [LUA_COMMON, f"nthreads = {min(2, s.connections)}"]
    auth = ""
    if s.token:
        auth = f'wrk.headers["Authorization"] = "Token {s.token}"'
    if s.cookie:
        auth = f'wrk.headers["Cookie"] = "{s.cookie}"'
    lines.append(auth)
    if s.bodies is not None:
        lines.append('wrk.headers["Content-Type"] = "application/json"')
        lines.append("local bodies = {" + ",".join(lua_str(b) for b in s.bodies) + "}")
        lines.append("local tokens = {" + ",".join(lua_str(t) for t in (s.tokens or [])) + "}")
        lines.append(f'local path = "{s.paths[0]}"')
        lines.append(
            """
request = function()
  local i = next_index(#bodies)
  local headers = {}
  for k, v in pairs(wrk.headers) do headers[k] = v end
  if #tokens > 0 then headers["Authorization"] = "Token " .. tokens[i] end
  return wrk.format("POST", path, headers, bodies[i])
end
"""
        )
    else:
        lines.append("local paths = {" + ",".join(lua_str(p) for p in s.paths) + "}")
        lines.append(
            """
request = function()
  return wrk.format(nil, paths[next_index(#paths)])
end
"""
        )
    script = workdir / f"{s.key}.lua"
    script.write_text("\n".join(lines), encoding="utf-8")
    return script


def wrk(server: Server, s: Scenario, duration: int, workdir: Path) -> dict:
    script = lua_for(s, workdir)
    threads = min(2, s.connections)
    cmd = ["wrk", "-t", str(threads), "-c", str(s.connections), "-d", f"{duration}s", "--timeout", "30s"]
    cmd += ["-s", str(script), server.url("/")]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    out = proc.stdout + proc.stderr
    for line in out.splitlines():
        if line.startswith("BENCH "):
            return json.loads(line[6:])
    raise RuntimeError(f"wrk gave no result for {s.key}:\n{out}")


def pydrive(server: Server, s: Scenario, duration: int, *, at_least: int = 5) -> dict:
    """Slow endpoints: ``connections`` threads each requesting in turn, for ``duration`` seconds and
    at least ``at_least`` requests in all; every request timed to its last byte."""
    headers = {}
    if s.token:
        headers["Authorization"] = f"Token {s.token}"
    if s.cookie:
        headers["Cookie"] = s.cookie
    times: list[float] = []
    errors = 0
    lock = threading.Lock()
    started = time.monotonic()
    counter = iter(range(10**9))

    def worker():
        nonlocal errors
        while True:
            with lock:
                i = next(counter)
                if time.monotonic() - started > duration and len(times) >= at_least:
                    return
            req = urllib.request.Request(server.url(s.paths[i % len(s.paths)]), headers=headers)  # noqa: S310
            if s.before is not None:
                with lock:
                    s.before()
            t0 = time.monotonic()
            try:
                with urllib.request.urlopen(req, timeout=300) as r:  # noqa: S310 - our server
                    while r.read(1 << 16):
                        pass
                    ok = r.status < 400
            except urllib.error.HTTPError:
                ok = False
            with lock:
                times.append(time.monotonic() - t0)
                errors += 0 if ok else 1

    threads = [threading.Thread(target=worker) for _ in range(s.connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    times.sort()

    def pct(q: float) -> int:
        return int(times[min(len(times) - 1, int(q * len(times)))] * 1e6)

    return {"requests": len(times), "duration_us": int(elapsed * 1e6), "status_errors": errors, "socket_errors": 0,
            "p50": pct(0.5), "p95": pct(0.95), "p99": pct(0.99)}  # fmt: skip


# --- in-process measurement (Django in this process, same database) ----------------------------------
def setup_django(env: dict) -> None:
    for k, v in env.items():
        if k not in os.environ or os.environ[k] != v:
            os.environ[k] = v
    import django

    django.setup()


def explain_ms(sql: str, params=None) -> float:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
        plan = cur.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return plan[0]["Execution Time"] + plan[0].get("Planning Time", 0.0)


SERVER_BOUND = re.compile(r"\$\d")


def measure_request(client, method: str, path: str, *, rollback: bool = False, **kw):
    """Make the request in-process; return (n queries, their total ms, the slowest SELECT's EXPLAIN
    ANALYZE ms, that SQL, status)."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    with contextlib.ExitStack() as stack:
        if rollback:
            stack.enter_context(transaction.atomic())
        with CaptureQueriesContext(connection) as ctx:
            response = getattr(client, method.lower())(path, **kw)
            if hasattr(response, "streaming_content"):
                for _chunk in response.streaming_content:
                    pass
        queries = list(ctx.captured_queries)
        # a statement bound server-side (core.db.prepared_statements) is captured without its values
        # (``$1`` or no text at all): it cannot be run again under EXPLAIN
        selects = [
            q
            for q in queries
            if (q["sql"] or "").lstrip().upper().startswith("SELECT") and not SERVER_BOUND.search(q["sql"])
        ]
        main = max(selects, key=lambda q: float(q["time"]), default=None)
        main_ms = explain_ms(main["sql"]) if main else None
        if rollback:
            transaction.set_rollback(True)
    total = sum(float(q["time"]) for q in queries) * 1000
    return len(queries), total, main_ms, main["sql"] if main else "", response.status_code


# --- the data the scenarios use ----------------------------------------------------------------------
def ensure_data(env: dict, institutions: int, years: int, seed: int) -> None:
    log("migrating …")
    run([PY, "manage.py", "migrate", "--noinput", "-v0"], env)
    from scale import CITY_NAME

    check = (
        f"from anjian.orgs.models import Organization as O; c=O.objects.filter(name={CITY_NAME!r}).first();"
        "print(O.objects.filter(path__startswith=c.path, type='institution').count() if c else -1)"
    )
    out = run([PY, "manage.py", "shell", "-c", check], env, capture_output=True, text=True).stdout.strip()
    have = int(out.splitlines()[-1])
    if have == -1:
        log(f"generating {institutions} institutions × {years} years …")
        started = time.monotonic()
        run(
            [
                PY,
                "scripts/generate_scale.py",
                f"--institutions={institutions}",
                f"--years={years}",
                f"--seed={seed}",
            ],
            env,
        )
        log(f"generated in {time.monotonic() - started:.0f}s")
    elif have != institutions:
        log(f"note: the database holds a generated set of {have} institutions (asked {institutions}); using it")
    else:
        log(f"reusing the generated set of {have} institutions")


def collectstatic(env: dict, var_dir: Path) -> None:
    """Every run: the pages name the hashed files of the current checkout."""
    log("collecting static files …")
    run([PY, "manage.py", "collectstatic", "--noinput", "-v0"], env)


def resolve_ok(path: str) -> bool:
    from django.urls import Resolver404, resolve

    try:
        resolve(path.split("?")[0])
        return True
    except Resolver404:
        return False


def prepare(duration: int) -> tuple[list[Scenario], dict]:
    """Users, tokens, ids and bodies for every scenario, from the generated set."""
    import datetime as dt

    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from anjian.accounts.models import User
    from anjian.action_plans.models import Plan
    from anjian.core import resultcache
    from anjian.hazards.models import Hazard
    from anjian.inspections.models import ChecklistItem, ChecklistTemplate, InspectionRecord, Schedule
    from anjian.orgs.models import Organization
    from scale import CITY_NAME, CITY_USERNAME, TEMPLATE_CODE

    city = Organization.objects.get(name=CITY_NAME)
    regulator = User.objects.get(username=CITY_USERNAME)
    # the institution with the most hazards (a big hospital) and its safety officer
    big = (
        Hazard.objects.filter(organization__path__startswith=city.path)
        .values("organization")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    officer = User.objects.get(organization_id=big["organization"], role="safety_officer")

    def token(user) -> str:
        Token.objects.filter(user=user).delete()
        return Token.objects.create(user=user).key

    reg_token, off_token = token(regulator), token(officer)
    info = {"institutions": Organization.objects.filter(path__startswith=city.path, type="institution").count()}
    info["hazards"] = Hazard.objects.count()
    info["results"] = None
    with connection.cursor() as cur:
        cur.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = 'inspections_inspectionresult'")
        info["results"] = cur.fetchone()[0]

    def session_cookie(user) -> str:
        c = Client()
        c.force_login(user)
        return f"sessionid={c.cookies['sessionid'].value}"

    reg_cookie = session_cookie(regulator)
    scenarios: list[Scenario] = []
    regc, offc = Client(), Client()
    regc.force_login(regulator)
    offc.force_login(officer)

    scenarios.append(Scenario("healthz", "minimal view /healthz (no DB)", paths=["/healthz"]))
    scenarios.append(Scenario("readyz", "minimal view /readyz (SELECT 1)", paths=["/readyz"]))
    scenarios.append(
        Scenario(
            "login",
            "login page",
            paths=["/accounts/login/"],
            measure=lambda: measure_request(Client(), "GET", "/accounts/login/"),
        )
    )
    reg_lists = [
        "/api/v1/hazards/?status=open",
        "/api/v1/hazards/?status=rectifying&category=fire",
        "/api/v1/hazards/?overdue=true",
        "/api/v1/hazards/?level=major&status=closed",
        "/api/v1/hazards/?status=open&page=3",
        "/api/v1/hazards/?category=electrical&ordering=deadline",
    ]
    scenarios.append(
        Scenario(
            "list_regulator",
            "hazard list, city regulator (API, filtered, 50/page)",
            paths=reg_lists,
            token=reg_token,
            target="p95 ≤ 100 ms",
            measure=lambda: measure_request(regc, "GET", reg_lists[0]),
        )
    )
    inst_lists = ["/api/v1/hazards/?status=open", "/api/v1/hazards/", "/api/v1/hazards/?status=closed&page=2"]
    scenarios.append(
        Scenario(
            "list_institution",
            "hazard list, institution officer (API)",
            paths=inst_lists,
            token=off_token,
            target="p95 ≤ 100 ms",
            measure=lambda: measure_request(offc, "GET", inst_lists[0]),
        )
    )
    scenarios.append(
        Scenario(
            "list_html",
            "hazard list page, city regulator (HTML)",
            paths=["/hazards/?status=open", "/hazards/?status=rectifying&category=fire"],
            cookie=reg_cookie,
            target="p95 ≤ 100 ms",
            measure=lambda: measure_request(regc, "GET", "/hazards/?status=open"),
        )
    )
    ids = list(
        Hazard.objects.filter(organization__path__startswith=city.path).order_by("?").values_list("pk", flat=True)[:500]
    )
    scenarios.append(
        Scenario(
            "detail",
            "hazard detail, city regulator (API)",
            paths=[f"/api/v1/hazards/{i}/" for i in ids],
            token=reg_token,
            measure=lambda: measure_request(regc, "GET", f"/api/v1/hazards/{ids[0]}/"),
        )
    )
    # JSON without a photo: a tip-off with its number (a direct report otherwise needs a photo, multipart)
    create_body = {
        "title": "压测登记的隐患",
        "location": "门诊楼一层大厅",
        "category": "fire",
        "description": "压测",
        "source": "tip_off",
        "source_reference": "压测-0001",
    }
    scenarios.append(
        Scenario(
            "create",
            "hazard create (API POST)",
            paths=["/api/v1/hazards/"],
            bodies=[json.dumps(create_body, ensure_ascii=False)],
            token=off_token,
            target="p95 ≤ 150 ms",
            measure=lambda: measure_request(
                offc, "POST", "/api/v1/hazards/", rollback=True, data=create_body, content_type="application/json"
            ),
        )
    )
    # inspection submissions: one free (schedule, point) slot of the current month per request
    template = ChecklistTemplate.objects.get(code=TEMPLATE_CODE, owner=city)
    items = list(ChecklistItem.objects.filter(template=template).order_by("pk").values_list("pk", flat=True))
    results = [{"item": i, "result": "na" if k % 10 == 9 else "pass", "note": ""} for k, i in enumerate(items)]
    needed = max(4000, 220 * duration * 2)
    slots = free_slots(template, city, needed)
    officers = dict(
        User.objects.filter(organization__path__startswith=city.path, role="safety_officer").values_list(
            "organization_id", "pk"
        )
    )
    tokens = {}
    for org_id in {org for _s, _p, org in slots}:
        tokens[org_id] = Token.objects.get_or_create(user_id=officers[org_id])[0].key
    bodies = [json.dumps({"schedule": s, "point": p, "results": results}) for s, p, _o in slots]
    body_tokens = [tokens[o] for _s, _p, o in slots]
    first_slot = slots[0]
    first_user = User.objects.get(pk=officers[first_slot[2]])
    subc = Client()
    subc.force_login(first_user)
    submit_measure = lambda: measure_request(  # noqa: E731
        subc,
        "POST",
        "/api/v1/inspections/",
        rollback=True,
        data={"schedule": first_slot[0], "point": first_slot[1], "results": results},
        content_type="application/json",
    )
    half = len(bodies) // 2
    scenarios.append(
        Scenario(
            "submit",
            f"inspection submission, {len(items)} items (API POST)",
            paths=["/api/v1/inspections/"],
            bodies=bodies[1:half],
            tokens=body_tokens[1:half],
            target="p95 ≤ 150 ms",
            measure=submit_measure,
        )
    )
    scenarios.append(
        Scenario(
            "submit_rate",
            "inspection submissions, throughput (8 connections)",
            paths=["/api/v1/inspections/"],
            bodies=bodies[half:],
            tokens=body_tokens[half:],
            connections=8,
            target="≥ 100/s",
        )
    )
    # the regulator's dashboard API and the city's monthly statistics form (other apps; may be missing)
    month = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    dashboard = find_dashboard(regc)

    def dashboard_warm():
        regc.get(dashboard)  # the figures counted once: what follows is served from the cache
        return measure_request(regc, "GET", dashboard)

    def after_hazard_write():
        resultcache.bump("hazards")  # what a hazard write does: the hazard figures are counted again

    def after_any_write():
        resultcache.bump()  # a write to every topic (a hazard, an inspection, a task): every part counted again

    def dashboard_cold():
        after_hazard_write()
        return measure_request(regc, "GET", dashboard)

    def dashboard_cold_all():
        after_any_write()
        return measure_request(regc, "GET", dashboard)

    scenarios.append(
        Scenario(
            "dashboard",
            "regulator dashboard API, no write since last look",
            paths=[dashboard or "/"],
            token=reg_token,
            connections=4,
            target="p95 ≤ 300 ms",
            available=bool(dashboard),
            measure=dashboard_warm if dashboard else None,
        )
    )
    for key, label, target, measure, write in (
        ("dashboard_cold", "after a hazard write (cold)", "p95 ≤ 300 ms", dashboard_cold, after_hazard_write),
        ("dashboard_cold_all", "after a write to all its parts", "", dashboard_cold_all, after_any_write),
    ):
        scenarios.append(
            Scenario(
                key,
                f"regulator dashboard API, {label}",
                paths=[dashboard or "/"],
                token=reg_token,
                connections=1,
                slow=True,
                target=target,
                available=bool(dashboard),
                measure=measure if dashboard else None,
                before=write,
            )
        )
    monthly = f"/api/v1/reports/monthly-statistics/?month={month}&organization={city.pk}"
    monthly_ok = resolve_ok(monthly) and regc.get(monthly).status_code == 200
    scenarios.append(
        Scenario(
            "monthly",
            "monthly statistics form, whole city (API)",
            paths=[monthly],
            token=reg_token,
            connections=1,
            slow=True,
            target="≤ 2 s",
            available=monthly_ok,
            measure=(lambda: measure_request(regc, "GET", monthly)) if monthly_ok else None,
        )
    )
    plan = Plan.objects.filter(organization=city).order_by("pk").first()
    matrix = f"/plans/{plan.pk}/matrix/"
    scenarios.append(
        Scenario(
            "matrix",
            f"task matrix ({plan.tasks.count()} tasks × units), city regulator (HTML)",
            paths=[matrix],
            cookie=reg_cookie,
            connections=2,
            slow=True,
            measure=lambda: measure_request(regc, "GET", matrix),
        )
    )
    # the ledger export: a found_from date that selects about 100,000 rows of the city
    qs = Hazard.objects.filter(organization__path__startswith=city.path)
    total = qs.count()
    want = min(100_000, total)
    found_from = None
    if want < total:
        at = qs.order_by("-found_at").values_list("found_at", flat=True)[want - 1]
        found_from = timezone.localtime(at).date()
    export_path = "/hazards/export.xlsx" + (f"?found_from={found_from:%Y-%m-%d}" if found_from else "")
    info["export_rows"] = qs.filter(found_at__date__gte=found_from).count() if found_from else total
    info["export_path"] = export_path
    info["reg_cookie"] = reg_cookie
    info["export_measure"] = lambda: export_main_sql(regulator, found_from)
    info["record_count_before"] = InspectionRecord.objects.count()
    info["schedules"] = Schedule.objects.count()
    return scenarios, info


def free_slots(template, city, needed: int) -> list[tuple[int, int, int]]:
    """(schedule, point, organization) with no record in the current month; adds monthly bench
    schedules (the same 30-item checklist at the same points) until there are ``needed``."""
    from django.db import connection
    from django.utils import timezone

    from anjian.inspections import due
    from anjian.inspections.models import Schedule

    start = due.slot_at("monthly", None, timezone.now()).start
    sql = """
        SELECT s.id, sp.inspectionpoint_id, s.organization_id
        FROM inspections_schedule s
        JOIN inspections_schedule_points sp ON sp.schedule_id = s.id
        WHERE s.template_id = %s AND s.rhythm = 'monthly' AND s.is_active
          AND NOT EXISTS (SELECT 1 FROM inspections_inspectionrecord r WHERE r.schedule_id = s.id
                          AND r.point_id = sp.inspectionpoint_id AND r.period_start = %s)
        ORDER BY sp.inspectionpoint_id, s.id
    """
    for _round in range(50):
        with connection.cursor() as cur:
            cur.execute(sql, [template.pk, start])
            slots = cur.fetchall()
        if len(slots) >= needed:
            break
        originals = list(
            Schedule.objects.filter(template=template, rhythm="monthly", organization__path__startswith=city.path)
            .exclude(name__startswith="压测")
            .prefetch_related("points")
        )
        copies = []
        for s in originals:
            copy = Schedule(
                organization_id=s.organization_id,
                name=f"压测专用检查计划{_round + 1}",
                template=template,
                role=s.role,
                rhythm="monthly",
                starts_on=s.starts_on,
                is_active=True,
            )
            copies.append((copy, [p.pk for p in s.points.all()]))
        Schedule.objects.bulk_create([c for c, _p in copies])
        Through = Schedule.points.through
        Through.objects.bulk_create([Through(schedule_id=c.pk, inspectionpoint_id=p) for c, pts in copies for p in pts])
    # spread the institutions: consecutive requests go to different points (and so institutions)
    return slots


def find_dashboard(client) -> str | None:
    """The stats app's regulator dashboard API, if it has landed."""
    for path in ("/api/v1/stats/dashboard/", "/api/v1/stats/overview/", "/api/v1/stats/"):
        if resolve_ok(path):
            with contextlib.suppress(Exception):
                if client.get(path).status_code == 200:
                    return path
    return None


def export_main_sql(user, found_from):
    """The export's one big query (a server-side cursor is not captured), under EXPLAIN ANALYZE."""
    from anjian.hazards import selectors

    f = selectors.HazardFilters(found_from=found_from)
    qs = selectors.hazard_list(user=user, filters=f)
    qs = qs.select_related(None).select_related(
        "organization", "department", "category", "criterion__criterion_set", "responsible", "accepted_by"
    )
    sql, params = qs.query.sql_with_params()
    return explain_ms(sql, params)


def run_export(server: Server, path: str, cookie: str) -> dict:
    server.reload()
    pids = server.workers()
    base = max(vm(p, "VmRSS") for p in pids)
    peak = {"rss": 0}
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            for p in pids:
                peak["rss"] = max(peak["rss"], vm(p, "VmRSS"))
            time.sleep(0.05)

    t = threading.Thread(target=sample, daemon=True)
    t.start()
    req = urllib.request.Request(server.url(path), headers={"Cookie": cookie})  # noqa: S310 - our server
    started = time.monotonic()
    size = 0
    with urllib.request.urlopen(req, timeout=600) as r:  # noqa: S310
        status = r.status
        while chunk := r.read(1 << 16):
            size += len(chunk)
    seconds = time.monotonic() - started
    stop.set()
    t.join()
    hwm = max(vm(p, "VmHWM") for p in pids)
    return {
        "seconds": seconds,
        "bytes": size,
        "status": status,
        "base_mb": base / 1024,
        "peak_mb": max(hwm, peak["rss"]) / 1024,
    }


# --- the table ---------------------------------------------------------------------------------------
def fmt(v, spec=".0f", none="—"):
    return none if v is None else format(v, spec)


def print_table(rows: list[Row], header: str) -> None:
    print()
    print(header)
    cols = [
        "scenario",
        "conc",
        "req/s",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "errors",
        "queries",
        "SQL ms",
        "main ms",
        "p50/min",
        "CPU ms",
        "of DB",
        "target",
    ]
    widths = [58, 4, 7, 7, 7, 7, 6, 7, 7, 7, 7, 7, 6, 14]
    line = "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cols, widths, strict=True)))
    print(line)
    print("-" * len(line))
    for r in rows:
        if r.note and r.rps is None and r.p50 is None:
            print(f"{r.label:<58}  {r.note}")
            continue
        cells = [
            r.label,
            str(r.connections or ""),
            fmt(r.rps, ".1f"),
            fmt(r.p50, ".1f"),
            fmt(r.p95, ".1f"),
            fmt(r.p99, ".1f"),
            str(r.errors),
            fmt(r.queries, "d"),
            fmt(r.sql_ms, ".1f"),
            fmt(r.main_ms, ".1f"),
            fmt(r.ratio_min, ".1f"),
            fmt(r.cpu_ms, ".1f"),
            fmt(r.db_cpu_ms, ".1f"),
            r.target,
        ]
        print(
            "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True)))
        )
        if r.note:
            print(f"{'':<4}{r.note}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="50 institutions, 5-second runs")
    parser.add_argument("--institutions", type=int, default=None)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--duration", type=int, default=None, help="seconds per wrk run (default 5 quick, 15 full)")
    parser.add_argument("--only", default="", help="comma-separated scenario keys")
    parser.add_argument(
        "--connections",
        type=int,
        default=None,
        help="connections for the latency rows (default 4; the throughput row keeps 8, slow rows their own)",
    )
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install wrk (Debian's package drives every scenario)")
    institutions = args.institutions or (50 if args.quick else 1000)
    duration = args.duration or (5 if args.quick else 15)
    started = time.monotonic()
    with contextlib.ExitStack() as stack:
        url = os.environ.get("DATABASE_URL", "")
        if not url.startswith("postgres"):
            log("starting a throwaway PostgreSQL …")
            pg = stack.enter_context(
                throwaway_postgres(settings={"shared_buffers": "1GB", "work_mem": "32MB", "max_connections": "50"})
            )
            url = pg.url
        var_dir = ROOT / "var" / "bench"
        var_dir.mkdir(parents=True, exist_ok=True)
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="anjian-bench-")))
        env = bench_env(url, var_dir, secrets.token_urlsafe(48))
        ensure_data(env, institutions, args.years, args.seed)
        collectstatic(env, var_dir)
        setup_django(env)
        scenarios, info = prepare(duration)
        from django.db import connection

        connection.close()
        port = free_port()
        log(f"gunicorn on {HOST}:{port} (2 workers) …")
        server = Server(env, port, var_dir / "gunicorn.log")  # kept: look here when a row has errors
        stack.callback(server.stop)
        rows: list[Row] = []
        only = {k for k in args.only.split(",") if k}
        minimal_p50 = None
        for s in scenarios:
            if args.connections and not s.slow and s.key != "submit_rate":
                s.connections = args.connections
            if only and s.key not in only and s.key != "healthz":
                continue
            row = Row(s.label, connections=s.connections, target=s.target, note=s.note)
            rows.append(row)
            if not s.available:
                row.note = "not available (the endpoint has not landed in this checkout)"
                continue
            log(f"  {s.key} …")
            if s.measure is not None:
                try:
                    row.queries, row.sql_ms, row.main_ms, _sql, status = s.measure()
                    if status >= 400:
                        row.note = f"in-process request answered {status}"
                except Exception as exc:  # report, keep benching
                    row.note = f"in-process measurement failed: {exc!r}"[:200]
                connection.close()
            if s.slow:
                pydrive(server, Scenario(s.key, "", paths=s.paths, token=s.token, cookie=s.cookie), 0, at_least=2)
                meter = CpuMeter(server)
                r = pydrive(server, s, duration)
                meter.measure(row, r["requests"])
                row.requests = r["requests"]
                row.rps = r["requests"] / (r["duration_us"] / 1e6)
                row.p50, row.p95, row.p99 = r["p50"] / 1000, r["p95"] / 1000, r["p99"] / 1000
                row.errors = r["status_errors"]
                if minimal_p50:
                    row.ratio_min = row.p50 / minimal_p50
                log(f"    p50 {row.p50:.1f} ms, p95 {row.p95:.1f} ms, {row.requests} requests, {row.errors} errors")
                continue
            # warm-up: every worker thread renders the page once (templates compile, caches fill)
            if s.bodies is None:
                warm = Scenario(s.key, "", paths=s.paths, token=s.token, cookie=s.cookie, connections=s.connections)
                pydrive(server, warm, 0, at_least=3 * s.connections)
            meter = CpuMeter(server)
            r = wrk(server, s, duration, workdir)
            meter.measure(row, r["requests"])
            row.requests = r["requests"]
            row.rps = r["requests"] / (r["duration_us"] / 1e6)
            row.p50, row.p95, row.p99 = r["p50"] / 1000, r["p95"] / 1000, r["p99"] / 1000
            row.errors = r["status_errors"] + r["socket_errors"]
            log(f"    p50 {row.p50:.1f} ms, p95 {row.p95:.1f} ms, {row.rps:.1f}/s, {row.errors} errors")
            if s.key == "healthz":
                minimal_p50 = row.p50
            elif minimal_p50:
                row.ratio_min = row.p50 / minimal_p50
        if not only or "export" in only:
            log("  export …")
            row = Row(
                f"ledger xlsx, {info['export_rows']:,} rows, city regulator (HTML)",
                connections=1,
                target="≤ 15 s, ≤ 300 MB",
            )
            rows.append(row)
            with contextlib.suppress(Exception):
                row.main_ms = info["export_measure"]()
            connection.close()
            try:
                e = run_export(server, info["export_path"], info["reg_cookie"])
            except (urllib.error.URLError, OSError) as exc:
                row.errors = 1
                row.note = f"failed: {exc}"
            else:
                row.p50 = e["seconds"] * 1000
                row.errors = 0 if e["status"] == 200 else 1
                row.note = (
                    f"{e['seconds']:.1f} s, {e['bytes'] / 1e6:.1f} MB file; worker peak RSS {e['peak_mb']:.0f} MB "
                    f"(idle {e['base_mb']:.0f} MB)"
                )
        load = Path("/proc/loadavg").read_text().split()[:3]
        workers = env.get("GUNICORN_WORKER_CLASS", "sync")
        if workers == "gthread":
            workers += f" × {env.get('GUNICORN_THREADS', '2')} threads"
        header = (
            f"Anjian bench: {info['institutions']:,} institutions, {info['hazards']:,} hazards, "
            f"~{info['results']:,} inspection results; gunicorn 2 workers ({workers}); "
            f"wrk {duration}s per row; "
            f"load average before/after: {' '.join(load)}; {os.cpu_count()} CPUs"
        )
        print_table(rows, header)
        print(
            "\nCPU ms: CPU time of the gunicorn workers and the PostgreSQL backends per request (what a "
            "request costs whatever else runs), of DB: the backends' part; 2 idle cores serve about 2000 / CPU ms "
            "requests a second."
        )
        print(f"minimal view p50: {fmt(minimal_p50, '.2f')} ms; total bench time {time.monotonic() - started:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
