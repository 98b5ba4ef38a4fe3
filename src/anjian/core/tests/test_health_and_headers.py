"""Health checks answer without login; every response carries the security headers."""

import json
import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/healthz", "/readyz"])
def test_health_checks_answer_without_login(client, url):
    response = client.get(url)

    assert response.status_code == 200
    assert json.loads(response.content)["status"] == "ok"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_readyz_reports_the_database(client):
    body = json.loads(client.get("/readyz").content)

    assert body == {"status": "ok", "database": "ok"}


def test_readyz_says_unavailable_when_the_database_does_not_answer(tmp_path):
    # A real process whose database cannot be opened: /healthz still answers, /readyz says 503.
    script = (
        "import django, json; django.setup()\n"
        "from django.test import Client\n"
        "c = Client()\n"
        "for url in ('/healthz', '/readyz'):\n"
        "    r = c.get(url)\n"
        "    print(url, r.status_code, json.loads(r.content))\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "anjian.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'missing-dir' / 'db.sqlite3'}",
        "ALLOWED_HOSTS": "testserver",
        "LOG_LEVEL": "CRITICAL",
    }
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60)  # noqa: S603

    assert result.returncode == 0, result.stderr
    assert "/healthz 200 {'status': 'ok'}" in result.stdout
    assert "/readyz 503 {'status': 'unavailable', 'database': 'unreachable'}" in result.stdout


@pytest.mark.parametrize("url", ["/accounts/login/", "/healthz", "/api/v1/me/"])
def test_security_headers_on_every_kind_of_response(client, url):
    response = client.get(url)

    assert response["Content-Security-Policy"].startswith("default-src 'self'")
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert len(response["X-Request-ID"]) >= 8


def test_a_sane_request_id_from_the_proxy_is_echoed(client):
    response = client.get("/healthz", headers={"X-Request-ID": "nginx-7f3a9c01"})

    assert response["X-Request-ID"] == "nginx-7f3a9c01"


def test_an_unsafe_request_id_is_replaced(client):
    response = client.get("/healthz", headers={"X-Request-ID": "<script>alert(1)</script>"})

    assert response["X-Request-ID"] != "<script>alert(1)</script>"
    assert response["X-Request-ID"].isalnum()


def test_each_request_gets_its_own_id(client):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]

    assert first != second


def test_signed_in_pages_are_not_cached(client, world):
    client.force_login(world.officer_a)

    response = client.get("/")

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_no_page_template_relies_on_javascript_urls():
    """The CSP (script-src 'self') refuses ``javascript:`` links: a 取消 written that way does nothing."""
    from pathlib import Path

    from django.conf import settings

    offenders = [
        str(path.relative_to(settings.BASE_DIR))
        for path in Path(settings.BASE_DIR, "src", "anjian").rglob("*.html")
        if "javascript:" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
