"""``manage.py seed_demo``: the demo that ``make run`` shows, loaded once, idempotent."""

import io

import pytest
from django.apps import apps
from django.core.management import call_command

from anjian.accounts.demo import ACCOUNTS, DEMO_PASSWORD
from anjian.accounts.models import User
from anjian.core.testing.database import made_once
from anjian.orgs.choices import OrganizationType
from anjian.orgs.models import Department, Organization

pytestmark = pytest.mark.calendar  # depends on the day: run again on other pinned days


@pytest.fixture(scope="module")
def demo_db(django_db_setup, django_db_blocker):
    """The demo loaded once for this module, inside a transaction rolled back at its end."""
    with made_once(django_db_blocker):
        call_command("seed_demo", stdout=io.StringIO())
        yield


@pytest.fixture
def demo(demo_db, db):
    return {username: User.objects.get(username=username) for username, *_rest in ACCOUNTS}


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._base_manager.count() for model in apps.get_models()}


def test_a_second_run_creates_nothing(demo):
    before = row_counts()
    out = io.StringIO()

    call_command("seed_demo", stdout=out)

    assert row_counts() == before
    assert before["core.AuditEvent"] > 0
    assert before["accounts.User"] >= len(ACCOUNTS)
    assert all(line.endswith(": 0 created") for line in out.getvalue().splitlines())


def test_every_demo_account_signs_in_with_the_demo_password(demo):
    for user in demo.values():
        assert user.is_active
        assert user.check_password(DEMO_PASSWORD), user.username


def test_the_clinic_officer_sees_one_institution(demo):
    visible = Organization.objects.visible_to(demo["clinic_officer"])

    assert [o.name for o in visible] == ["安宁区惠民诊所"]


def test_the_regulator_sees_the_whole_district(demo):
    visible = Organization.objects.visible_to(demo["regulator"])
    institutions = visible.filter(type=OrganizationType.INSTITUTION)

    assert institutions.count() == 20
    assert visible.filter(type=OrganizationType.REGULATOR).get().name == "示范市安宁区卫生健康委员会"
    assert not visible.filter(name="示范市卫生健康委员会").exists()  # the city above it is not its to see
    assert visible.count() == 23  # the district, its 20 institutions, the provider and the expert pool


def test_the_hospital_officer_sees_the_hospitals_departments_only(demo):
    departments = Department.objects.visible_to(demo["hospital_officer"])

    assert departments.count() == 16
    assert set(departments.values_list("organization__name", flat=True)) == {"安宁区人民医院"}


def test_the_admin_sees_everything(demo):
    assert Organization.objects.visible_to(demo["admin"]).count() == Organization.objects.count() == 24


def test_every_demo_account_opens_the_api_with_a_token_and_sees_its_scope(demo, client):
    counts = {}
    for username, _name, role, organization, *_rest in ACCOUNTS:
        answer = client.post("/api/v1/auth/token/", {"username": username, "password": DEMO_PASSWORD})
        assert answer.status_code == 200, username
        auth = {"Authorization": f"Token {answer.json()['token']}"}

        me = client.get("/api/v1/me/", headers=auth).json()
        assert (me["username"], me["role"], me["organization"]["name"]) == (username, role, organization)
        organizations = client.get("/api/v1/organizations/", headers=auth).json()
        counts[username] = organizations["count"]
        if username == "clinic_officer":
            assert [o["name"] for o in organizations["results"]] == ["安宁区惠民诊所"]

    assert counts["clinic_officer"] == 1
    assert counts["regulator"] == 23  # the whole district
    assert counts["hospital_officer"] == counts["nurse"] == 1
    assert counts["admin"] == Organization.objects.count()
