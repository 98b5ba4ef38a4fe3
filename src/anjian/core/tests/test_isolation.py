"""Cross-organization isolation: every URL pattern of the project is declared, and no user of
another organization can read or change hospital_b's data through any of them (HTML or API).

The routes are declared by each app in ``<app>/tests/isolation_routes.py``; the rules are in
``anjian.core.testing.isolation``.
"""

import copy

import pytest

from anjian.core.testing.database import made_once
from anjian.core.testing.isolation import (
    Route,
    attackers,
    check_route,
    collect_routes,
    coverage_problems,
    url_patterns,
)
from anjian.core.testing.world import build_world

DECLARED = collect_routes()

# What the walk checks (every route, as every attacker) is the scoping of the querysets, the same on
# both databases; an hour of requests is paid once, on the production database, when both run.
pytestmark = pytest.mark.one_database("postgresql")


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker):
    """One World for the whole module (there are a hundred routes), in a transaction rolled back at
    the end; each test runs inside it in a savepoint of its own, as Django's TestCase does."""
    with made_once(django_db_blocker):
        world = build_world()
        attackers(world)  # the provider and inspector under district_a, made once too
        yield world


@pytest.fixture
def world(shared_world, db):
    """A copy per test (like setUpTestData's), so that a test changing an object in memory
    cannot change the next test's world."""
    return copy.deepcopy(shared_world)


def test_every_url_pattern_has_a_route():
    problems = coverage_problems(DECLARED)

    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("declared", DECLARED, ids=[d.route.name for d in DECLARED])
def test_route_does_not_leak_across_organizations(world, declared):
    problems = check_route(declared.route, world, extend_world=declared.extend_world)

    assert not problems, f"{declared.route.name} ({declared.module}):\n" + "\n".join(problems)


# --- the test above can fail: it catches what it is there to catch --------------------------------
LEAKY_URLS = "anjian.core.tests.leaky_urls"


def test_the_walker_sees_included_namespaced_and_router_patterns():
    names = url_patterns()

    assert "core:home" in names
    assert "set_language" in names  # included without a namespace
    assert "api:organization-detail" in names  # a DRF router's regex pattern, in a namespace
    assert any(text.startswith("api/v1/") for text in names["api:organization-detail"])


def test_a_new_pattern_without_a_route_is_reported():
    problems = coverage_problems(DECLARED, urlconf=LEAKY_URLS)

    new = set(problems) - set(coverage_problems(DECLARED))
    assert sorted(new) == [
        "no Route for URL pattern 'leak' (leak/<int:pk>/): add it to ROUTES in <app>/tests/isolation_routes.py "
        "(see anjian.core.testing.isolation)",
        "no Route for URL pattern 'leak-list' (leak/): add it to ROUTES in <app>/tests/isolation_routes.py "
        "(see anjian.core.testing.isolation)",
        "no Route for URL pattern 'leak-rename' (leak/<int:pk>/rename/): add it to ROUTES in "
        "<app>/tests/isolation_routes.py (see anjian.core.testing.isolation)",
    ]


def test_a_route_for_a_pattern_that_does_not_exist_is_reported():
    problems = coverage_problems([*DECLARED, type(DECLARED[0])(Route("orgs:gone", "scoped"), "a test")])

    assert "Route 'orgs:gone' in a test names no URL pattern" in problems


@pytest.mark.urls(LEAKY_URLS)
def test_an_unscoped_detail_view_is_caught(world):
    problems = check_route(Route("leak", "scoped", kwargs=lambda w: {"pk": w.hospital_b.pk}), world)

    assert any(p.startswith("officer_a") and "shows the victim's data" in p for p in problems), problems
    assert any(p.startswith("regulator_a") and "answered 200" in p for p in problems), problems


@pytest.mark.urls(LEAKY_URLS)
def test_an_unscoped_list_view_is_caught(world):
    problems = check_route(Route("leak-list", "scoped"), world)

    leaked_to = {p.split(" ")[0] for p in problems if "shows the victim's data" in p}
    assert leaked_to == {"officer_a", "head_a", "staff_a", "clinic_officer_a", "regulator_a", "inspector_a"}


@pytest.mark.urls(LEAKY_URLS)
def test_an_unscoped_write_is_caught_and_named(world):
    route = Route(
        "leak-rename",
        "scoped",
        kwargs=lambda w: {"pk": w.hospital_b.pk},
        post=True,
        data=lambda w: {"name": "改掉了"},
    )

    problems = check_route(route, world)

    assert any("POST" in p and "changed orgs.Organization" in p for p in problems), problems


def test_a_route_whose_kwargs_point_nowhere_is_caught(world):
    route = Route("api:organization-detail", "scoped", kwargs=lambda w: {"pk": 987654321})

    problems = check_route(route, world)

    assert len(problems) == 1
    assert "no user of the victim's side" in problems[0]


def test_a_list_that_shows_no_victim_data_even_to_the_victim_is_caught(world):
    problems = check_route(Route("api:organization-list", "scoped", query="?q=nothing-matches-this"), world)

    assert len(problems) == 1
    assert "could see the victim's data" in problems[0]


def test_a_scoped_page_served_without_login_is_caught(world):
    problems = check_route(Route("healthz", "scoped", witness=False), world)

    assert problems == ["anonymous GET /healthz answered 200: a scoped route must ask for login"]
