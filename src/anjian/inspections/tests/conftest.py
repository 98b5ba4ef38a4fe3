import pytest
from django.db import transaction

from anjian.accounts import demo as accounts_demo
from anjian.inspections import demo
from anjian.inspections.defaults import ensure_defaults
from anjian.orgs import demo as orgs_demo


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


@pytest.fixture(scope="module")
def demo_db(django_db_setup, django_db_blocker):
    """The demo organizations, people and inspections, loaded once for this module and rolled back."""
    with django_db_blocker.unblock(), transaction.atomic():
        orgs_demo.seed()
        accounts_demo.seed()
        demo.seed()
        yield
        transaction.set_rollback(True)
