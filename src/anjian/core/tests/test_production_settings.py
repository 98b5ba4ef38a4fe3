"""With DEBUG=false the process refuses to start on unsafe settings, and starts on safe ones.

Each case starts a real Python process with the environment an operator would set."""

import os
import subprocess
import sys

import pytest

SAFE = {
    "DEBUG": "false",
    "SECRET_KEY": "k7#Qp2vX9!mZr4@Lw8^Tn1&Yb6*Hc3(Fd5)Gs0-Je_Ua+Vo=Ki",
    "ALLOWED_HOSTS": "anjian.wjw.example.gov.cn",
    "DATABASE_URL": "postgres://anjian:secret@db.internal:5432/anjian",
}
SHOW = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.DEBUG, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
    "s.SECURE_HSTS_SECONDS, s.ALLOWED_HOSTS, s.STORAGES['staticfiles']['BACKEND'])"
)
REFUSAL = "Refusing to start in production mode (DEBUG=false)"


def start(script=SHOW, **overrides):
    env = {k: v for k, v in os.environ.items() if k not in {*SAFE, "ANJIAN_ALLOW_SQLITE_IN_PRODUCTION"}}
    env |= {"DJANGO_SETTINGS_MODULE": "anjian.settings", **SAFE}
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60)  # noqa: S603


def test_safe_production_settings_start_with_https_and_secure_cookies():
    result = start()

    assert result.returncode == 0, result.stderr
    assert result.stdout.split(" ", 6) == [
        "False",
        "True",
        "True",
        "True",
        "31536000",
        "['anjian.wjw.example.gov.cn']",
        "whitenoise.storage.CompressedManifestStaticFilesStorage\n",
    ]


@pytest.mark.parametrize(
    ("overrides", "problem"),
    [
        ({"SECRET_KEY": None}, "SECRET_KEY must be set to a random value of at least 50 characters"),
        ({"SECRET_KEY": "short-secret"}, "SECRET_KEY must be set to a random value of at least 50 characters"),
        ({"SECRET_KEY": "a" * 60}, "SECRET_KEY must be set to a random value of at least 50 characters"),
        ({"ALLOWED_HOSTS": None}, "ALLOWED_HOSTS must list the host names"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS must list the host names"),
        ({"ALLOWED_HOSTS": "*"}, "ALLOWED_HOSTS must list the host names"),
        ({"DATABASE_URL": None}, "DATABASE_URL must point to PostgreSQL"),
        ({"DATABASE_URL": "sqlite:////var/lib/anjian/db.sqlite3"}, "DATABASE_URL must point to PostgreSQL"),
        ({"DATABASE_REPLICA_URL": "postgres://anjian@replica/anjian"}, "DATABASE_REPLICA_URL needs REDIS_URL"),
    ],
    ids=[
        "default-secret",
        "short-secret",
        "repetitive-secret",
        "no-hosts",
        "empty-hosts",
        "any-host",
        "default-sqlite",
        "sqlite-url",
        "replica-without-redis",
    ],
)
def test_unsafe_production_settings_refuse_to_start(overrides, problem):
    result = start(**overrides)

    assert result.returncode != 0
    assert REFUSAL in result.stderr
    assert problem in result.stderr
    assert result.stdout == ""


def test_every_problem_is_named_at_once():
    result = start(SECRET_KEY=None, ALLOWED_HOSTS=None, DATABASE_URL=None)

    assert result.returncode != 0
    for problem in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"):
        assert f"{problem} must" in result.stderr


def test_sqlite_in_production_only_when_the_operator_says_so_explicitly():
    result = start(DATABASE_URL="sqlite:////tmp/anjian-prod-test.sqlite3", ANJIAN_ALLOW_SQLITE_IN_PRODUCTION="true")

    assert result.returncode == 0, result.stderr


def test_the_embedded_default_is_debug_on_localhost_only():
    result = start(DEBUG=None, SECRET_KEY=None, ALLOWED_HOSTS=None, DATABASE_URL=None)

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("True False False False 0 ['127.0.0.1', 'localhost', '[::1]']")


def test_a_misspelt_boolean_is_an_error_not_a_guess():
    result = start(DEBUG="flase")

    assert result.returncode != 0
    assert "DEBUG must be true or false, not 'flase'" in result.stderr


def test_in_production_pages_go_to_https_but_health_checks_answer_the_load_balancer():
    script = (
        "import django; django.setup(); from django.test import Client; c = Client()\n"
        "for url in ('/healthz', '/accounts/login/'):\n"
        "    r = c.get(url)\n"
        "    print(url, r.status_code, r.get('Location', '-'))\n"
    )

    result = start(script, ALLOWED_HOSTS="testserver")

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["/healthz 200 -", "/accounts/login/ 301 https://testserver/accounts/login/"]


def test_collectstatic_in_production_mode_builds_the_manifest(tmp_path):
    """docs/deployment.md runs collectstatic with DEBUG=false: the manifest storage follows every
    url() and sourceMappingURL in the vendored CSS and JS, so a file they name must be there."""
    script = (
        "import django; django.setup(); from django.core.management import call_command\n"
        "from django.contrib.staticfiles.storage import staticfiles_storage as s\n"
        "call_command('collectstatic', interactive=False, verbosity=0)\n"
        "print(s.url('vendor/tabler/tabler.min.css'))\n"
    )

    result = start(script, ANJIAN_VAR_DIR=str(tmp_path))

    assert result.returncode == 0, result.stderr
    url = result.stdout.strip()
    assert url.startswith("/static/vendor/tabler/tabler.min.") and url.endswith(".css"), url
    assert (tmp_path / "static" / url.removeprefix("/static/")).exists()
    assert (tmp_path / "static" / "staticfiles.json").exists()


def test_the_api_schema_and_docs_need_a_login_in_production(tmp_path):
    """In production (DEBUG off) the schema and the interactive docs answer only signed-in users;
    API_DOCS_PUBLIC=true opens them again."""
    script = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "for url in ('/api/v1/schema/', '/api/v1/docs/'):\n"
        "    print(url, Client().get(url, secure=True).status_code)\n"
    )
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "ANJIAN_ALLOW_SQLITE_IN_PRODUCTION": "true"}
    closed = start(script, ALLOWED_HOSTS="testserver", **env)
    assert closed.returncode == 0, closed.stderr
    assert "/api/v1/schema/ 401" in closed.stdout and "/api/v1/docs/ 401" in closed.stdout
    schema_only = script.replace("('/api/v1/schema/', '/api/v1/docs/')", "('/api/v1/schema/',)")  # docs: static
    opened = start(schema_only, ALLOWED_HOSTS="testserver", API_DOCS_PUBLIC="true", **env)
    assert "/api/v1/schema/ 200" in opened.stdout, opened.stderr
