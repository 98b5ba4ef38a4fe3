"""How the platform is started: ``make run`` (PORT respected, the URL and demo accounts printed) and
gunicorn in production (its configuration loads the application, and refuses unsafe settings)."""

import io
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command

from anjian.accounts.demo import ACCOUNTS, DEMO_PASSWORD
from anjian.core.tests.test_production_settings import REFUSAL, SAFE

ROOT = Path(__file__).resolve().parents[4]
GUNICORN = Path(sys.executable).parent / "gunicorn"


def _gunicorn(*args, **env_overrides):
    env = {k: v for k, v in os.environ.items() if k not in {*SAFE, "PORT", "GUNICORN_BIND"}}
    env |= {**SAFE, "PYTHONPATH": str(ROOT / "src"), **env_overrides}
    env.pop("DJANGO_SETTINGS_MODULE", None)  # anjian.wsgi sets it, as in production
    cmd = [str(GUNICORN), *args, "-c", str(ROOT / "src/anjian/gunicorn.conf.py"), "anjian.wsgi"]
    return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)  # noqa: S603


def test_gunicorn_loads_the_application_with_safe_production_settings():
    result = _gunicorn("--check-config")

    assert result.returncode == 0, result.stderr


def test_gunicorn_refuses_unsafe_production_settings():
    result = _gunicorn("--check-config", SECRET_KEY="short")

    assert result.returncode != 0
    assert REFUSAL in result.stderr and "SECRET_KEY" in result.stderr


def test_gunicorn_listens_on_localhost_at_port_behind_nginx():
    config = _gunicorn("--print-config", PORT="8123", GUNICORN_WORKERS="3").stdout

    settings = {
        k.strip(): v.strip() for k, v in (line.split(" = ", 1) for line in config.splitlines() if " = " in line)
    }
    assert settings["bind"] == "['127.0.0.1:8123']"
    assert settings["workers"] == "3"
    assert settings["worker_class"] == "sync"  # CPU-bound requests: processes, evenly spread
    assert settings["threads"] == "1"  # gunicorn runs a sync worker of more threads as gthread


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed (.ci/run installs it)")
def test_make_run_serves_like_production_on_the_port_asked_for():
    dry_run = subprocess.run(
        ["make", "-n", "run", "PORT=8123"],  # noqa: S607 - make from PATH, as a person runs it
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout

    assert "manage.py demo_accounts --url http://127.0.0.1:8123/" in dry_run
    steps = [line for line in dry_run.splitlines() if "manage.py" in line or "gunicorn" in line]
    names = [s.split("manage.py ")[1].split()[0] if "manage.py" in s else "gunicorn" for s in steps]
    assert names[-7:] == [
        "migrate",
        "seed_demo",
        "collectstatic",
        "demo_accounts",
        "db_worker",
        "notify_scan",
        "gunicorn",
    ]
    serve = steps[-1]
    assert "DEBUG=false" in serve and "ANJIAN_EMBEDDED=true" in serve and "PORT=8123" in serve
    # one secret key (the installation's) for every step: what the demo encrypts (webhooks, tip
    # contacts, ID numbers), the server and the worker can read
    assert all("ANJIAN_EMBEDDED=true" in step for step in steps[-7:]), steps[-7:]
    # the links in the notices and reminders the worker sends point at this port
    assert all("SITE_URL=${SITE_URL:-http://127.0.0.1:8123}" in step for step in steps[-7:]), steps[-7:]
    assert "runserver" not in dry_run  # the debug server is `make dev`'s


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_embedded_run_answers_the_products_own_pages_not_djangos_debug_pages(tmp_path):
    """What `make run` starts (gunicorn, DEBUG off, ANJIAN_EMBEDDED) on a database of its own: an
    unknown URL gets the Chinese 404 page, static files come from the app, the cookies work over
    plain http on localhost, and the installation made its own secret key."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in {*SAFE, "PORT", "GUNICORN_BIND", "DJANGO_SETTINGS_MODULE"}}
    env |= {
        "DEBUG": "false",
        "ANJIAN_EMBEDDED": "true",
        "ANJIAN_VAR_DIR": str(tmp_path),
        "PORT": str(port),
        "GUNICORN_WORKERS": "1",
        "PYTHONPATH": str(ROOT / "src"),
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    for command in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run([*manage, *command], cwd=ROOT, env=env, check=True, timeout=300)  # noqa: S603
    cmd = [str(GUNICORN), "-c", str(ROOT / "src/anjian/gunicorn.conf.py"), "anjian.wsgi"]
    server = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # noqa: S603
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):  # up to 30 s
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2)  # noqa: S310 - our own server
                break
            except OSError:
                time.sleep(0.2)
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(f"{base}/no-such-page/", timeout=10)  # noqa: S310
        page = missing.value.read().decode()
        assert missing.value.code == 404
        assert "页面不存在" in page and "返回首页" in page and "Traceback" not in page and "Page not found" not in page
        login = urllib.request.urlopen(f"{base}/accounts/login/", timeout=10)  # noqa: S310
        body = login.read().decode()
        css = re.search(r'href="(/static/vendor/tabler/tabler[^"]+\.css)"', body).group(1)
        assert css != "/static/vendor/tabler/tabler.min.css"  # hashed by the manifest: production's storage
        assert urllib.request.urlopen(base + css, timeout=10).status == 200  # noqa: S310 - served by the app
        cookie = login.headers["Set-Cookie"]
        assert "csrftoken=" in cookie and "Secure" not in cookie  # plain http on localhost
        assert "Strict-Transport-Security" not in login.headers
        secret = (tmp_path / "secret_key").read_text()
        assert len(secret) >= 50 and oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_the_demo_accounts_are_printed_with_the_url_and_the_password():
    out = io.StringIO()

    call_command("demo_accounts", "--url", "http://127.0.0.1:8123/", stdout=out)

    text = out.getvalue()
    assert "http://127.0.0.1:8123/" in text
    assert DEMO_PASSWORD in text
    for username, *_rest in ACCOUNTS:
        assert f"  {username} " in text
