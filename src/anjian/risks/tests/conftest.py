import pytest

from anjian.risks.defaults import ensure_defaults


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Floor plans go to a throwaway folder, never into var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _risk_defaults(request):
    """Browser tests flush the database, data migrations included: load the method tables again."""
    if "live_server" in request.fixturenames or "transactional_db" in request.fixturenames:
        request.getfixturevalue("transactional_db")
        from anjian.inspections.defaults import ensure_defaults as inspection_defaults

        inspection_defaults()
        ensure_defaults()
