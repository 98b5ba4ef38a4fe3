import pytest

from anjian.core.testing.database import database_as_created, uses_database
from anjian.registers.defaults import ensure_defaults
from anjian.registers.tests.helpers import after_a_flush


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Inspection reports go to a throwaway folder, never into var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _database_as_created(request):
    """Every database test starts from the rows the database was created with (helpers says why
    a flush may have left them out); the registers' reference data back after a flush."""
    if not uses_database(request):
        return
    request.getfixturevalue("_django_db_helper")
    if database_as_created() or after_a_flush(request):
        ensure_defaults()
