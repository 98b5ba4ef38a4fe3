import pytest

from anjian.core.roles import Role
from anjian.core.testing import factories as f


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _local_webhooks(settings):
    """The robots' hosts, and this machine for the receiver the tests start."""
    settings.NOTIFY_WEBHOOK_HOSTS = [*settings.NOTIFY_WEBHOOK_HOSTS, "127.0.0.1"]
    settings.SITE_URL = "https://anjian.example.org"


@pytest.fixture
def people(world):
    """The world plus hospital_a's department head of dept_a and a deputy."""
    w = world
    w.extra["dept_head_a"] = f.make_user(
        organization=w.hospital_a, role=Role.DEPARTMENT_HEAD, username="dh_a", name="甲科主任", department=w.dept_a
    )
    w.extra["deputy_a"] = f.make_user(organization=w.hospital_a, role=Role.DEPUTY, username="deputy_a")
    return w


@pytest.fixture
def receiver():
    from anjian.notifications.tests.helpers import Receiver

    r = Receiver()
    yield r
    r.stop()
