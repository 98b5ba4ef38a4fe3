import pytest

from anjian.hazards.defaults import ensure_defaults as hazard_defaults
from anjian.training.defaults import ensure_defaults


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Scans, materials and plans go to a throwaway folder, never into var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _training_defaults(request):
    """Browser tests flush the database, data migrations included: load the reference data again."""
    if "live_server" in request.fixturenames or "transactional_db" in request.fixturenames:
        request.getfixturevalue("transactional_db")
        hazard_defaults()
        ensure_defaults()
