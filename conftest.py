"""Fixtures every test shares.

Tests run on a real database: SQLite by default, PostgreSQL when DATABASE_URL points at the
throwaway cluster that scripts/run_tests.py starts (anjian.core.testing.pgserver). Browser tests
(``@pytest.mark.browser``) drive Debian's Chromium through Playwright against pytest-django's
live server, which also serves the static files (Tabler from src/anjian/static/vendor).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

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
DESKTOP = {"width": 1440, "height": 900}  # wide enough for the name in the navigation bar
PHONE = {"width": 390, "height": 844}
PHONE_USER_AGENT = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.40"
)
RESULTS_DIR = Path(__file__).resolve().parent / "test-results"  # screenshots of failed browser tests
# Generous: CI runs the SQLite and PostgreSQL suites side by side on 2 cores.
TIMEOUT_MS = 20_000


# --- the whole suite ------------------------------------------------------------------------------
def pytest_collection_modifyitems(config, items):
    """Browser tests last: Playwright's event loop then starts once, after the plain tests."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)  # the page fixtures screenshot a failed test
    return report


_REAL_MEDIA = pytest.StashKey[tuple[Path, set[Path]]]()


def _files_under(root: Path) -> set[Path]:
    return {path for path in root.rglob("*") if path.is_file()} if root.is_dir() else set()


def pytest_sessionstart(session):
    """Note what the real media directory holds, to prove at the end that no test wrote into it."""
    from django.conf import settings

    root = Path(settings.MEDIA_ROOT)
    session.config.stash[_REAL_MEDIA] = (root, _files_under(root))


def pytest_sessionfinish(session, exitstatus):
    if _REAL_MEDIA not in session.config.stash:
        return
    root, before = session.config.stash[_REAL_MEDIA]
    written = sorted(_files_under(root) - before)
    if written:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        shown = "\n  ".join(str(path) for path in written[:20])
        message = f"tests wrote {len(written)} file(s) into the real MEDIA_ROOT {root}:\n  {shown}"
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
