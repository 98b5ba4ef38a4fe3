"""How the platform is started: ``make run`` (PORT respected, the URL and demo accounts printed) and
gunicorn in production (its configuration loads the application, and refuses unsafe settings)."""

import io
import os
import shutil
import subprocess
import sys
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


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed (.ci/run installs it)")
def test_make_run_serves_and_prints_on_the_port_asked_for():
    dry_run = subprocess.run(
        ["make", "-n", "run", "PORT=8123"],  # noqa: S607 - make from PATH, as a person runs it
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout

    assert "manage.py demo_accounts --url http://127.0.0.1:8123/" in dry_run
    assert "manage.py runserver 127.0.0.1:8123" in dry_run
    steps = [line for line in dry_run.splitlines() if "manage.py" in line]
    assert [s.split("manage.py ")[1].split()[0] for s in steps][-4:] == [
        "migrate",
        "seed_demo",
        "demo_accounts",
        "runserver",
    ]


def test_the_demo_accounts_are_printed_with_the_url_and_the_password():
    out = io.StringIO()

    call_command("demo_accounts", "--url", "http://127.0.0.1:8123/", stdout=out)

    text = out.getvalue()
    assert "http://127.0.0.1:8123/" in text
    assert DEMO_PASSWORD in text
    for username, *_rest in ACCOUNTS:
        assert f"  {username} " in text
