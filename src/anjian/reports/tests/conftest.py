import pytest

from anjian.reports.defaults import ensure_defaults


@pytest.fixture(autouse=True)
def _report_defaults(request):
    """Browser tests flush the database, data migrations included: load the defaults again."""
    if "live_server" in request.fixturenames or "transactional_db" in request.fixturenames:
        request.getfixturevalue("transactional_db")
        ensure_defaults()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
