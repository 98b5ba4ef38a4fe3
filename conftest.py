"""Fixtures every test shares.

Tests run on a real database: SQLite by default, PostgreSQL when DATABASE_URL points at the
throwaway cluster that scripts/run_tests.py starts (anjian.core.testing.pgserver). Browser tests
(``@pytest.mark.browser``) drive Debian's Chromium through Playwright against pytest-django's
live server, which also serves the static files (Tabler from src/anjian/static/vendor).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.test.utils import override_settings

from anjian.core.testing import factories
from anjian.core.testing.world import build_world

CHROMIUM = os.environ.get("ANJIAN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}
PHONE_USER_AGENT = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.40"
)
RESULTS_DIR = Path(__file__).resolve().parent / "test-results"  # screenshots of failed browser tests
# Generous: CI runs the SQLite and PostgreSQL suites side by side on 2 cores.
TIMEOUT_MS = 20_000


# --- the whole suite ------------------------------------------------------------------------------
# "Today" is pinned for every test: the clock starts at 10:00 (Asia/Shanghai) of this day when the
# session starts and runs on from there (time-machine, in this process and its threads: the live
# server included). ``scripts/run_tests.py --today YYYY-MM-DD`` sets another day; the tests marked
# ``calendar`` are run again on other days (``--also-on``) to catch an assumption about the date.
TODAY = "ANJIAN_TODAY"
DEFAULT_TODAY = "2026-12-05"
_clock = None


def pinned_today() -> dt.date:
    value = os.environ.get(TODAY) or DEFAULT_TODAY
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise pytest.UsageError(f"{TODAY}={value!r} is not a date (YYYY-MM-DD)") from None


def pytest_configure(config):
    global _clock
    import time_machine
    from django.conf import settings

    settings.PRECOMPILED_CHECK = True  # every precompiled statement checked against the ORM's (core.precompiled)

    start = dt.datetime.combine(pinned_today(), dt.time(10, 0), tzinfo=ZoneInfo("Asia/Shanghai"))
    _clock = time_machine.travel(start, tick=True)
    _clock.start()


def pytest_unconfigure(config):
    if _clock is not None:
        _clock.stop()


def pytest_report_header(config):
    return f"today (pinned): {pinned_today().isoformat()}"


# Set by scripts/run_tests.py when both database runs go: DATABASE_TESTS_ONLY for the PostgreSQL run,
# BESIDE_POSTGRES for the SQLite one. Each test then runs in one run or both (``_database_run``):
# - a test that cannot reach the database gives the same answer on both: the SQLite run;
# - a browser test checks what the page shows and does, the same on both: the SQLite run, the
#   embedded database ``make run`` serves;
# - a test marked ``one_database`` uses the database, but what it checks hardly depends on which one
#   and it costs too much to pay twice: the run its marker names, SQLite unless
#   ``one_database("postgresql")`` (the API fuzz on SQLite; the isolation walk, every route as every
#   attacker, on the production database). ``run_tests.py --postgres-only`` or ``--sqlite-only``
#   runs them all on the one database.
DATABASE_TESTS_ONLY = "ANJIAN_DATABASE_TESTS_ONLY"
BESIDE_POSTGRES = "ANJIAN_BESIDE_POSTGRES"
_DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_setup",
    "live_server",
    "django_db_serialized_rollback",
    "django_db_reset_sequences",
}


def _uses_the_database(item) -> bool:
    names = set(getattr(item, "fixturenames", ()))
    return bool(names & _DATABASE_FIXTURES) or item.get_closest_marker("django_db") is not None


def _database_run(item) -> str:
    """The run that takes ``item`` when both go: ``"both"``, ``"sqlite"`` or ``"postgresql"``."""
    if not _uses_the_database(item) or item.get_closest_marker("browser") is not None:
        return "sqlite"
    marker = item.get_closest_marker("one_database")
    if marker is not None:
        return marker.args[0] if marker.args else "sqlite"
    return "both"


def pytest_collection_modifyitems(config, items):
    """Each test in its database run (``_database_run``); browser tests last: Playwright's event loop
    then starts once, after the plain tests."""
    skipped = ""
    if os.environ.get(DATABASE_TESTS_ONLY) == "1":
        skipped = "sqlite"
    elif os.environ.get(BESIDE_POSTGRES) == "1":
        skipped = "postgresql"
    if skipped:
        elsewhere = [item for item in items if _database_run(item) == skipped]
        if elsewhere:
            config.hook.pytest_deselected(items=elsewhere)
            items[:] = [item for item in items if _database_run(item) != skipped]
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)  # the page fixtures screenshot a failed test
    return report


class _RealMediaWatch:
    """Notes every file this process (the live server's thread included) opens for writing, creates
    or moves into the real MEDIA_ROOT: the test run fails if there is any. An audit hook, not a look
    at the directory, so that another process writing there (a dev server) is not blamed on us."""

    EVENTS = frozenset({"open", "os.rename", "os.replace", "os.mkdir", "shutil.copyfile", "os.link", "os.symlink"})
    WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC

    def __init__(self, root: Path):
        self.root = os.path.join(os.path.abspath(root), "")
        self.written: list[str] = []
        self.active = True

    def _inside(self, path) -> bool:
        if not isinstance(path, str | bytes | os.PathLike):
            return False  # a file descriptor
        return os.path.join(os.path.abspath(os.fsdecode(path)), "").startswith(self.root)

    def __call__(self, event: str, args: tuple) -> None:
        if event not in self.EVENTS or not self.active:
            return
        if event == "open":
            path, mode, flags = args
            writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
                isinstance(flags, int) and flags & self.WRITE_FLAGS
            )
            targets = [path] if writing else []
        elif event == "os.mkdir":
            targets = [args[0]]
        else:
            targets = [args[1]]  # (source, destination, ...)
        self.written.extend(os.fsdecode(t) for t in targets if self._inside(t))


_REAL_MEDIA = pytest.StashKey[_RealMediaWatch]()


def pytest_sessionstart(session):
    from django.conf import settings

    watch = _RealMediaWatch(Path(settings.MEDIA_ROOT))
    sys.addaudithook(watch)  # cannot be removed: it goes inactive at the end instead
    session.config.stash[_REAL_MEDIA] = watch


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """pytest-xdist: a worker's findings join the controller's, which reports them."""
    watch = node.config.stash.get(_REAL_MEDIA, None)
    if watch is not None:
        watch.written.extend(getattr(node, "workeroutput", {}).get("real_media_written", []))


def pytest_sessionfinish(session, exitstatus):
    watch = session.config.stash.get(_REAL_MEDIA, None)
    if watch is None:
        return
    watch.active = False
    if hasattr(session.config, "workeroutput"):  # an xdist worker: the controller reports
        session.config.workeroutput["real_media_written"] = watch.written
        return
    if watch.written:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        shown = "\n  ".join(sorted(set(watch.written))[:20])
        message = f"tests wrote into the real MEDIA_ROOT {watch.root}:\n  {shown}"
        if reporter is not None:
            reporter.ensure_newline()
            reporter.write_line(message, red=True, bold=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(scope="session", autouse=True)
def _media_in_a_temporary_directory(tmp_path_factory):
    """Uploads, photos and generated files go to a directory of this run, never into var/media.

    override_settings changes the settings of the whole process, so the live server of the browser
    tests (a thread) stores there too; MEDIA_ROOT in the environment carries it to subprocesses."""
    media = tmp_path_factory.mktemp("media")
    previous = os.environ.get("MEDIA_ROOT")
    os.environ["MEDIA_ROOT"] = str(media)
    try:
        with override_settings(MEDIA_ROOT=media):
            yield media
    finally:
        if previous is None:
            os.environ.pop("MEDIA_ROOT", None)
        else:
            os.environ["MEDIA_ROOT"] = previous


@pytest.fixture(scope="session", autouse=True)
def _cheap_password_hashing():
    """Argon2 at its smallest cost: see anjian.core.testing.hashers (production keeps its own)."""
    with override_settings(
        PASSWORD_HASHERS=[
            "anjian.core.testing.hashers.FastArgon2PasswordHasher",
            "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        ]
    ):
        yield


@pytest.fixture(autouse=True)
def _database_as_created(request):
    """Every database test starts from the rows the database was created with: a test with
    serialized rollback (the concurrency tests, the browser tests) leaves it empty at its end, content
    types included (``core.testing.database.database_as_created`` says why and puts them back)."""
    from anjian.core.testing.database import database_as_created, uses_database

    if uses_database(request):
        request.getfixturevalue("_django_db_helper")
        database_as_created()


@pytest.fixture(autouse=True)
def _empty_cache():
    """The API's rate limits count in the cache; every test starts with none counted."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def password():
    return factories.PASSWORD


# --- the browser ----------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, once per test session (``playwright install`` cannot download here)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (see .ci/run)", pytrace=False)
    # Playwright's sync API keeps an asyncio loop in this thread; Django would then refuse the
    # ORM calls that tests and the live server make from it.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)

    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _new_page(request, browser, live_server, kind: str, **context_options):
    if request.node.get_closest_marker("browser") is None:
        pytest.fail("a test that drives the browser is marked @pytest.mark.browser", pytrace=False)
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", timezone_id="Asia/Shanghai", **context_options
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        from django.db import connection

        RESULTS_DIR.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", f"{connection.vendor}-{kind}-{request.node.nodeid}")[-150:]
        page.screenshot(path=str(RESULTS_DIR / f"{name}.png"), full_page=True)
    context.close()


@pytest.fixture
def page(request, browser, live_server, django_db_serialized_rollback):
    """A desktop browser tab whose relative URLs go to the live server.

    The live server needs a transactional database, which is emptied after each test; the
    serialized rollback puts back the rows that data migrations made (hazard categories…)."""
    yield from _new_page(request, browser, live_server, "desktop", viewport=DESKTOP)


@pytest.fixture
def phone_page(request, browser, live_server, django_db_serialized_rollback):
    """A phone-sized tab (390×844, touch), as in WeChat on a hospital worker's phone."""
    yield from _new_page(
        request,
        browser,
        live_server,
        "phone",
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        user_agent=PHONE_USER_AGENT,
    )


def login(page, username: str, password: str, *, next_url: str = "/"):
    """Sign in through the real login form, as a person does; returns the page after the redirect."""
    page.goto(f"/accounts/login/?next={next_url}")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    with page.expect_navigation():  # to next_url, or the login page again with the error
        page.get_by_role("button", name="登录").click()
    return page


@pytest.fixture
def browser_login():
    """``browser_login(page, username, password)``: sign in through the login page."""
    return login
