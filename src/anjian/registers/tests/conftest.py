import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Inspection reports go to a throwaway folder, never into var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _after_a_flush(request):
    """Browser tests (a flushed database): content types and the registers' reference data back
    (the contractors' conftest says why the content types can be missing)."""
    if "live_server" in request.fixturenames:
        from anjian.contractors.tests.conftest import ensure_content_types
        from anjian.registers.defaults import ensure_defaults

        request.getfixturevalue("transactional_db")
        ensure_content_types()
        ensure_defaults()
