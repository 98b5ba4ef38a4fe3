#!/usr/bin/env python3
"""Run every check and every test: what ``make test`` (and so CI) runs after ``make setup``.

    scripts/run_tests.py                    lint, Django checks, pytest on SQLite, pytest on PostgreSQL
    scripts/run_tests.py -k scoping -x      the same, with these arguments passed to pytest
    scripts/run_tests.py --sqlite-only      skip the PostgreSQL run
    scripts/run_tests.py --postgres-only    skip the SQLite run

The PostgreSQL run uses a throwaway cluster from Debian's binaries (anjian.core.testing.pgserver),
removed afterwards even on failure or Ctrl-C. Every step runs even when an earlier one failed; the
summary at the end names each step, and the exit status is non-zero if any failed.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from anjian.core.testing.pgserver import PostgresUnavailable, throwaway_postgres  # noqa: E402

PY = sys.executable
BIN = Path(PY).parent
NO_TESTS_COLLECTED = 5  # pytest's exit code when nothing ran: a failure here


@dataclass
class Step:
    name: str
    returncode: int | None = None  # None: not run (interrupted)
    seconds: float = 0.0
    note: str = ""
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.returncode == 0


class Interrupted(Exception):
    pass


def _on_sigterm(signum, frame):
    raise Interrupted(f"signal {signum}")


def run(step: Step, cmd: list[str], *, env: dict[str, str] | None = None) -> Step:
    print(f"\n=== {step.name}: {' '.join(cmd)}", flush=True)
    started = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env)
    try:
        step.returncode = proc.wait()
    except BaseException:
        # Ctrl-C reaches pytest too (same process group); give it a moment to tidy up.
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        step.returncode = proc.returncode
        step.seconds = time.monotonic() - started
        raise
    step.seconds = time.monotonic() - started
    return step


def pytest_step(step: Step, pytest_args: list[str], *, env: dict[str, str]) -> Step:
    with tempfile.TemporaryDirectory(prefix="anjian-junit-") as tmp:
        junit = Path(tmp) / "junit.xml"
        try:
            run(step, [PY, "-m", "pytest", f"--junit-xml={junit}", *pytest_args], env=env)
        finally:
            step.counts = _junit_counts(junit)
    if step.returncode == NO_TESTS_COLLECTED:
        step.note = "no tests ran"
    return step


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


def base_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)  # SQLite unless a step says otherwise
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], epilog="Other arguments are passed to pytest."
    )
    only = parser.add_mutually_exclusive_group()
    only.add_argument("--sqlite-only", action="store_true", help="run the tests on SQLite only")
    only.add_argument("--postgres-only", action="store_true", help="run the tests on PostgreSQL only")
    args, pytest_args = parser.parse_known_args(argv)

    signal.signal(signal.SIGTERM, _on_sigterm)
    steps: list[Step] = []
    started = time.monotonic()
    interrupted = False
    checks = [
        ("ruff check", [str(BIN / "ruff"), "check", "."]),
        ("manage.py check", [PY, "manage.py", "check", "--fail-level", "WARNING"]),
        ("migrations up to date", [PY, "manage.py", "makemigrations", "--check", "--dry-run"]),
    ]
    try:
        for name, cmd in checks:
            steps.append(Step(name))
            run(steps[-1], cmd, env=base_env())
        if not args.postgres_only:
            steps.append(Step("pytest on SQLite"))
            pytest_step(steps[-1], pytest_args, env=base_env())
        if not args.sqlite_only:
            steps.append(Step("pytest on PostgreSQL"))
            postgres_tests(steps[-1], pytest_args)
    except (KeyboardInterrupt, Interrupted):
        interrupted = True
    return summary(steps, time.monotonic() - started, interrupted=interrupted)


def postgres_tests(step: Step, pytest_args: list[str]) -> Step:
    print(f"\n=== {step.name}: starting a throwaway cluster", flush=True)
    try:
        with throwaway_postgres() as pg:
            print(f"PostgreSQL {pg.version} at {pg.url}", flush=True)
            step.name = f"{step.name} {pg.version}"
            env = base_env()
            env["DATABASE_URL"] = pg.url
            pytest_step(step, pytest_args, env=env)
        print("PostgreSQL stopped and removed", flush=True)
    except PostgresUnavailable as exc:
        print(exc, file=sys.stderr)
        step.returncode, step.note = 1, "PostgreSQL did not start"
    return step


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
        print("  INTERRUPTED before every step ran")
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
    sys.exit(main(sys.argv[1:]))
