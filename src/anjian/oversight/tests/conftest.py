import pytest
from django.core.cache import cache

from anjian.hazards.defaults import ensure_defaults


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Photos go to a throwaway folder, never into var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits and used challenges live in the cache: each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _hazard_defaults(request):
    """Browser tests flush the database, data migrations included: load the categories again."""
    if "live_server" in request.fixturenames or "transactional_db" in request.fixturenames:
        request.getfixturevalue("transactional_db")
        ensure_defaults()
