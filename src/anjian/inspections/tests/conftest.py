import pytest
from django.utils import timezone

from anjian.accounts import demo as accounts_demo
from anjian.accounts.models import User
from anjian.core.testing.database import made_once
from anjian.inspections import demo, services
from anjian.inspections.defaults import ensure_defaults
from anjian.inspections.tests.helpers import jpeg, starter
from anjian.orgs import demo as orgs_demo
from anjian.orgs.models import Department


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
    with made_once(django_db_blocker):
        orgs_demo.seed()
        accounts_demo.seed()
        demo.seed()
        yield


@pytest.fixture
def photo_file(tmp_path):
    """A photo on disk, for a file input in the browser."""
    path = tmp_path / "安全出口.jpg"
    path.write_bytes(jpeg().read())
    return str(path)


@pytest.fixture
def ward(transactional_db):
    """The demo hospital and its people; a point at the ward's east exit and the nurses' daily patrol."""
    orgs_demo.seed()
    accounts_demo.seed()
    officer = User.objects.get(username="hospital_officer")
    nurse = User.objects.get(username="nurse")
    point = services.point_create(
        by=officer,
        data={
            "name": "心内科东侧安全出口",
            "location": "住院部5楼东侧疏散楼梯间",
            "department": Department.objects.get(organization=officer.organization, name="心内科"),
        },
    )
    services.schedule_create(
        by=officer,
        data={
            "name": "心内科病区每日防火巡查",
            "template": starter(),
            "post": nurse.post,
            "rhythm": "daily",
            "starts_on": timezone.localdate(),
        },
        points=[point],
    )
    return point
