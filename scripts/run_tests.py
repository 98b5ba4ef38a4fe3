#!/usr/bin/env python3
"""Run every check and every test: what ``make test`` (and so CI) runs after ``make setup``.

    scripts/run_tests.py                    lint, Django checks, pytest on SQLite and on PostgreSQL
    scripts/run_tests.py -k scoping -x      the same, with these arguments passed to pytest
    scripts/run_tests.py --sqlite-only      skip the PostgreSQL run
    scripts/run_tests.py --postgres-only    skip the SQLite run
    scripts/run_tests.py --serial           run the two databases one after the other
    scripts/run_tests.py --workers 4        4 pytest-xdist processes per database run
    scripts/run_tests.py --today 2027-01-01 the suite on another pinned day (default: 2026-12-05)
    scripts/run_tests.py --also-on ''       skip the reruns of the date-sensitive tests on other days
    scripts/run_tests.py --no-multihost     skip the several-hosts check (scripts/multihost.py)

"Today" is pinned for the suite (the root conftest.py reads ANJIAN_TODAY), never the day it runs.
As soon as the SQLite run ends (the PostgreSQL run, the longer one, goes on beside them), the
tests marked ``calendar`` (compliance, reminders, due dates, statistics
periods, the demo…) run again on SQLite on each day of ``--also-on``, the days side by side: by
default a 1 January, a 31 March and a 29 February, the days a date assumption breaks on. The
browser tests among them run on the pinned day only: the dates they show are computed by code
the plain calendar tests check on every day.

The PostgreSQL run uses a throwaway cluster from Debian's binaries (anjian.core.testing.pgserver),
removed afterwards even on failure or Ctrl-C. The two runs go side by side: the SQLite run prints
as it goes, the PostgreSQL run's output follows when it is done. The cores are shared between the
runs going at once; a run given more than one core spreads its test files over that many
pytest-xdist processes (each with its own test database). When both run, a test whose answer does
not depend on the database runs in one of them (the root conftest's ``_database_run``): those that
cannot reach it (validators, parsers, the production-settings subprocesses…), the browser tests
(what the page shows and does) and the API fuzz in the SQLite run, the embedded database of
``make run``; the isolation walk (every route as every attacker: the querysets' scoping) in the
PostgreSQL run, the production database. ``--sqlite-only`` or ``--postgres-only`` runs them all.
Beside the calendar days (unless pytest arguments narrow the run), scripts/multihost.py starts two app hosts behind
nginx with Redis, an S3 server and a PostgreSQL streaming replica, and checks what several hosts
depend on. Every step runs even when an earlier one failed; the summary at the end names each step, and the
exit status is non-zero if any failed.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from anjian.core.testing.pgserver import PostgresUnavailable, throwaway_postgres  # noqa: E402

PY = sys.executable
BIN = Path(PY).parent
NO_TESTS_COLLECTED = 5  # pytest's exit code when nothing ran: a failure here
DATABASE_TESTS_ONLY = "ANJIAN_DATABASE_TESTS_ONLY"  # read by the root conftest.py
BESIDE_POSTGRES = "ANJIAN_BESIDE_POSTGRES"  # read by the root conftest.py
TODAY = "ANJIAN_TODAY"  # read by the root conftest.py
OTHER_DAYS = "2027-01-01,2027-03-31,2028-02-29"


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def with_workers(pytest_args: list[str], workers: int) -> list[str]:
    """pytest's arguments, spread over ``workers`` xdist processes by test file (module fixtures such
    as the isolation walk's world are then built once) unless one core, or the caller chose ``-n``."""
    if workers <= 1 or any(arg.startswith(("-n", "--numprocesses", "--dist")) for arg in pytest_args):
        return pytest_args
    return ["-n", str(workers), "--dist", "loadfile", *pytest_args]


@dataclass
class Step:
    name: str
    returncode: int | None = None  # None: did not finish (interrupted)
    seconds: float = 0.0
    note: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    slowest: list[tuple[str, float]] = field(default_factory=list)  # (test file, seconds)

    @property
    def ok(self) -> bool:
        return self.returncode == 0


class Interrupted(Exception):
    pass


def _on_sigterm(signum, frame):
    raise Interrupted(f"signal {signum}")


def base_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)  # SQLite unless a step says otherwise
    # Let Python and pytest cache compiled modules (__pycache__, git-ignored): with the cache,
    # each of the many processes the suite starts (two runs, the production-settings checks…)
    # skips recompiling Django and the project, which otherwise takes seconds a process.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.setdefault("PYTHONUNBUFFERED", "1")
    env["CACHE_LOCATION"] = "memory"  # one cache per test process (see settings.CACHES)
    return env


class Process:
    """One step's command, started now; ``finish()`` waits and fills in the step."""

    def __init__(self, step: Step, cmd: list[str], *, env: dict[str, str], output: IO | None = None):
        self.step, self.output = step, output
        banner = f"\n=== {step.name}: {' '.join(cmd)}"
        print(banner if output is None else f"{banner}\n    (its output follows when it is done)", flush=True)
        self.started = time.monotonic()
        self.proc = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT if output else None
        )

    def finish(self) -> Step:
        try:
            self.step.returncode = self.proc.wait()
        except BaseException:
            self.stop()
            raise
        finally:
            self.step.seconds = time.monotonic() - self.started
        return self.step

    def stop(self) -> None:
        """Ctrl-C reaches the child too (same process group) and pytest tidies up; if it does not
        stop (started with SIGINT ignored, as background jobs are), terminate it, then kill it."""
        for sig, grace in ((signal.SIGINT, 10), (signal.SIGTERM, 5), (signal.SIGKILL, None)):
            if self.proc.poll() is not None:
                break
            self.proc.send_signal(sig)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(timeout=grace)
        if self.step.returncode is None:
            self.step.seconds = time.monotonic() - self.started


class PytestRun(Process):
    """pytest with a JUnit report, so that the summary can count the tests."""

    def __init__(self, step: Step, pytest_args: list[str], *, env: dict[str, str], output: IO | None = None):
        self.tmp = tempfile.TemporaryDirectory(prefix="anjian-junit-")
        self.junit = Path(self.tmp.name) / "junit.xml"
        super().__init__(step, [PY, "-m", "pytest", f"--junit-xml={self.junit}", *pytest_args], env=env, output=output)

    def finish(self) -> Step:
        try:
            super().finish()
        finally:
            self.step.counts = _junit_counts(self.junit)
            self.step.slowest = _slowest_files(self.junit)
            self.tmp.cleanup()
        if self.step.returncode == NO_TESTS_COLLECTED:
            self.step.note = "no tests ran"
        return self.step


def _junit_counts(path: Path) -> dict[str, int]:
    if not path.exists():
        return {}
    root = ET.parse(path).getroot()  # noqa: S314 - the report pytest just wrote
    suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
    total = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for suite in suites:
        for key in total:
            total[key] += int(suite.get(key, 0))
    return total


def _slowest_files(path: Path, n: int = 5) -> list[tuple[str, float]]:
    """The test files that took longest (summed over their tests), to see where the minutes go."""
    if not path.exists():
        return []
    seconds: dict[str, float] = {}
    for case in ET.parse(path).getroot().iter("testcase"):  # noqa: S314 - the report pytest just wrote
        parts = case.get("classname", "?").split(".")
        while len(parts) > 1 and parts[-1][:1].isupper():  # a test class, not the module
            parts.pop()
        name = "/".join(parts) + ".py"
        seconds[name] = seconds.get(name, 0.0) + float(case.get("time", 0) or 0)
    return sorted(seconds.items(), key=lambda item: -item[1])[:n]


def run_tests(
    steps: list[Step],
    pytest_args: list[str],
    *,
    sqlite: bool,
    postgres: bool,
    serial: bool,
    workers: int | None,
    after_sqlite: Callable[[], None] = lambda: None,
) -> None:
    """The SQLite and PostgreSQL runs; ``after_sqlite`` is called when the SQLite run ends while the
    PostgreSQL one goes on (side by side), to start the next steps on the core it leaves free."""
    at_once = 2 if sqlite and postgres and not serial else 1
    workers = workers or max(1, available_cores() // at_once)
    args = with_workers(pytest_args, workers)
    label = f" ({workers} workers)" if args is not pytest_args else ""
    sqlite_step = Step(f"pytest on SQLite{label}")
    if not postgres:
        steps.append(sqlite_step)
        PytestRun(sqlite_step, args, env=base_env()).finish()
        return
    pg_step = Step("pytest on PostgreSQL")
    print(f"\n=== {pg_step.name}: starting a throwaway cluster", flush=True)
    try:
        with throwaway_postgres() as pg:
            print(f"PostgreSQL {pg.version} at {pg.url}", flush=True)
            pg_step.name = f"{pg_step.name} {pg.version}{label}"
            pg_env = base_env() | {"DATABASE_URL": pg.url}
            sqlite_env = base_env()
            if sqlite:
                steps.append(sqlite_step)
                # each test in its run (the root conftest's _database_run): no database, browser
                # and one_database tests on SQLite; the isolation walk on PostgreSQL
                pg_env[DATABASE_TESTS_ONLY] = "1"
                sqlite_env[BESIDE_POSTGRES] = "1"
                pg_step.note = "(tests without a database and browser tests: in the SQLite run)"
                sqlite_step.note = "(the isolation walk: in the PostgreSQL run)"
            steps.append(pg_step)
            if not sqlite or serial:
                if sqlite:
                    PytestRun(sqlite_step, args, env=sqlite_env).finish()
                PytestRun(pg_step, args, env=pg_env).finish()
            else:
                _side_by_side(sqlite_step, pg_step, args, pg_env, sqlite_env, after_sqlite)
        print("PostgreSQL stopped and removed", flush=True)
    except PostgresUnavailable as exc:
        print(exc, file=sys.stderr)
        if not any(s is pg_step for s in steps):  # it did not start: SQLite has not run either
            pg_step.returncode, pg_step.note = 1, "PostgreSQL did not start"
            if sqlite:
                steps.append(sqlite_step)
                PytestRun(sqlite_step, args, env=base_env()).finish()
            steps.append(pg_step)


def _side_by_side(
    sqlite_step: Step,
    pg_step: Step,
    pytest_args: list[str],
    pg_env: dict[str, str],
    sqlite_env: dict[str, str],
    after_sqlite: Callable[[], None],
) -> None:
    with tempfile.TemporaryFile(mode="w+b", prefix="anjian-pg-pytest-") as log:
        pg_run = PytestRun(pg_step, pytest_args, env=pg_env, output=log)
        try:
            PytestRun(sqlite_step, pytest_args, env=sqlite_env).finish()
            after_sqlite()
            pg_run.finish()
        finally:
            pg_run.stop()
            log.seek(0)
            print(f"\n=== {pg_step.name}: output", flush=True)
            sys.stdout.buffer.write(log.read())
            sys.stdout.flush()


class OtherDays:
    """The date-sensitive tests (marked ``calendar``) again, on SQLite, once for each pinned day: the
    days side by side (one process each, sharing the cores), their outputs printed when done. The
    several-hosts check (scripts/multihost.py) goes beside them: it mostly waits on its servers.
    ``start()`` when a core is free (the SQLite run ended while PostgreSQL goes on), ``finish()``
    after the database runs (it starts them if they have not started)."""

    def __init__(self, steps: list[Step], pytest_args: list[str], days: list[str], *, multihost: bool):
        self.steps, self.days, self.multihost = steps, days, multihost
        self.args = ["-m", "calendar and not browser", *pytest_args]
        self.runs: list[tuple[Process, IO]] = []
        self.stack = contextlib.ExitStack()
        self.started = False

    def start(self) -> None:
        if self.started:
            return
        self.started = True
        if self.multihost:
            step = Step("several hosts (multihost.py)")
            self.steps.append(step)
            log = self.stack.enter_context(tempfile.TemporaryFile(mode="w+b", prefix="anjian-multihost-"))  # noqa: SIM115 - closed by the stack
            self.runs.append((Process(step, [PY, "scripts/multihost.py"], env=base_env(), output=log), log))
        for day in self.days:
            step = Step(f"calendar tests on {day}")
            self.steps.append(step)
            log = self.stack.enter_context(tempfile.TemporaryFile(mode="w+b", prefix=f"anjian-{day}-"))  # noqa: SIM115
            self.runs.append((PytestRun(step, self.args, env=base_env() | {TODAY: day}, output=log), log))

    def finish(self) -> None:
        with self.stack:
            self.start()
            self._wait()

    def stop(self) -> None:
        """Interrupted: stop what runs and print what it wrote."""
        with self.stack:
            self._wait(stop_only=True)

    def _wait(self, *, stop_only: bool = False) -> None:
        try:
            if not stop_only:
                for run, _log in self.runs:
                    run.finish()
        finally:
            for run, log in self.runs:
                run.stop()
                log.seek(0)
                print(f"\n=== {run.step.name}: output", flush=True)
                sys.stdout.buffer.write(log.read())
                sys.stdout.flush()
                if isinstance(run, PytestRun) and run.step.returncode == NO_TESTS_COLLECTED:
                    run.step.returncode, run.step.note = 0, "no calendar tests selected"
            self.runs = []


def _days(text: str) -> list[str]:
    import datetime as dt

    days = [part.strip() for part in text.split(",") if part.strip()]
    for day in days:
        try:
            dt.date.fromisoformat(day)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {day}") from None
    return days


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], epilog="Other arguments are passed to pytest."
    )
    only = parser.add_mutually_exclusive_group()
    only.add_argument("--sqlite-only", action="store_true", help="run the tests on SQLite only")
    only.add_argument("--postgres-only", action="store_true", help="run the tests on PostgreSQL only")
    parser.add_argument("--serial", action="store_true", help="run SQLite and PostgreSQL one after the other")
    parser.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="pytest-xdist processes per database run (default: the cores shared by the runs going at once)",
    )
    parser.add_argument(
        "--today", type=lambda text: _days(text)[0], metavar="YYYY-MM-DD", help="the pinned day of the run"
    )
    parser.add_argument(
        "--also-on",
        type=_days,
        default=_days(OTHER_DAYS),
        metavar="DAYS",
        help=f"comma-separated days to run the calendar tests again on (default {OTHER_DAYS}; '' for none)",
    )
    parser.add_argument(
        "--multihost",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="run scripts/multihost.py (beside the calendar days): two app hosts, nginx, Redis, S3, a replica",
    )
    args, pytest_args = parser.parse_known_args(argv)
    if args.today:
        os.environ[TODAY] = args.today  # every step's environment starts from this one (base_env)

    signal.signal(signal.SIGTERM, _on_sigterm)
    steps: list[Step] = []
    started = time.monotonic()
    interrupted = False
    checks = [
        ("ruff check", [str(BIN / "ruff"), "check", "."]),
        ("manage.py check", [PY, "manage.py", "check", "--fail-level", "WARNING"]),
        ("migrations up to date", [PY, "manage.py", "makemigrations", "--check", "--dry-run"]),
    ]
    other_days = OtherDays(steps, pytest_args, args.also_on, multihost=args.multihost and not pytest_args)
    try:
        for name, cmd in checks:
            steps.append(Step(name))
            Process(steps[-1], cmd, env=base_env()).finish()
        run_tests(
            steps,
            pytest_args,
            sqlite=not args.postgres_only,
            postgres=not args.sqlite_only,
            serial=args.serial,
            workers=args.workers,
            after_sqlite=other_days.start,
        )
        other_days.finish()
    except (KeyboardInterrupt, Interrupted):
        interrupted = True
        other_days.stop()
    return summary(steps, time.monotonic() - started, interrupted=interrupted)


def summary(steps: list[Step], seconds: float, *, interrupted: bool) -> int:
    print("\n" + "=" * 72)
    print("Summary")
    for step in steps:
        status = "ok" if step.ok else ("INTERRUPTED" if step.returncode is None else "FAILED")
        detail = step.note or ("" if step.ok or step.returncode is None else f"exit {step.returncode}")
        if step.counts:
            c = step.counts
            passed = c["tests"] - c["failures"] - c["errors"] - c["skipped"]
            detail = f"{passed} passed, {c['failures'] + c['errors']} failed, {c['skipped']} skipped  {detail}"
        print(f"  {status:<11} {step.name:<32} {step.seconds:7.1f}s  {detail}".rstrip())
    if interrupted:
        print("  INTERRUPTED before every step finished")
    slow = [(step.name, name, sec) for step in steps for name, sec in step.slowest[:5]]
    if slow:
        print("Slowest test files (seconds summed over their tests; the runs share the cores)")
        for step_name, name, sec in slow:
            print(f"  {sec:7.1f}s  {name}  ({step_name})")
    failed = interrupted or not steps or any(not step.ok for step in steps)
    print(f"{'FAILED' if failed else 'All checks passed'} in {seconds:.0f}s")
    tests = [s.counts for s in steps if s.counts]
    if tests:
        total = sum(c["tests"] for c in tests)
        bad = sum(c["failures"] + c["errors"] for c in tests)
        skipped = sum(c["skipped"] for c in tests)
        print(f"tests: {total - bad - skipped} passed, {bad} failed, {skipped} skipped")
    return 130 if interrupted else int(failed)


if __name__ == "__main__":
    with contextlib.suppress(BrokenPipeError):
        sys.exit(main(sys.argv[1:]))
