import pytest

from anjian.inspections.defaults import ensure_defaults


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Photos go to a throwaway folder, never into var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _inspection_defaults(request):
    """Browser tests flush the database, data migrations included: load the starter library again."""
    if "live_server" in request.fixturenames or "transactional_db" in request.fixturenames:
        request.getfixturevalue("transactional_db")
        ensure_defaults()
