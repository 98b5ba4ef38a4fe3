"""Which reads may use the PostgreSQL replica (core.db): only GETs of the views marked
``reads_from_replica``, never after the request wrote, never for a user who wrote a moment ago,
never for who the caller is. The real replica is exercised by scripts/multihost.py."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from anjian.accounts.models import User
from anjian.core.db import ReplicaReadsMiddleware, ReplicaRouter
from anjian.hazards.models import Hazard
from anjian.hazards.views import HazardDetailView, HazardListView
from anjian.stats.views import DashboardView

pytestmark = pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
router = ReplicaRouter()


@pytest.fixture
def with_replica():
    cache.clear()
    with override_settings(DATABASES={**settings.DATABASES, "replica": settings.DATABASES["default"]}):
        yield
    cache.clear()


def reads(user, view, *, method="get", writes=False):
    """Where a request's reads go: before and after it writes (if it does)."""
    seen = []
    request = getattr(RequestFactory(), method)("/")
    request.user = user

    def respond(request):
        middleware.process_view(request, view.as_view(), (), {})
        seen.append(router.db_for_read(Hazard) or "default")
        seen.append(router.db_for_read(User) or "default")
        if writes:
            router.db_for_write(Hazard)
            seen.append(router.db_for_read(Hazard) or "default")
        return HttpResponse()

    middleware = ReplicaReadsMiddleware(respond)
    middleware(request)
    return seen


def test_the_heavy_reads_use_the_replica_and_who_the_caller_is_does_not(world, with_replica):
    assert reads(world.regulator_a, DashboardView) == ["replica", "default"]
    assert reads(world.officer_a, HazardListView) == ["replica", "default"]


def test_other_pages_and_every_post_read_the_primary(world, with_replica):
    assert reads(world.officer_a, HazardDetailView) == ["default", "default"]
    assert reads(world.officer_a, HazardListView, method="post") == ["default", "default"]


def test_after_a_write_the_request_and_the_writers_next_requests_read_the_primary(world, with_replica):
    assert reads(world.officer_a, HazardListView, writes=True) == ["replica", "default", "default"]
    assert reads(world.officer_a, HazardListView) == ["default", "default"]  # pinned (REPLICA_PIN_SECONDS)
    assert reads(world.officer_b, HazardListView) == ["replica", "default"]  # another user is not


def test_without_a_replica_nothing_changes(world):
    assert "replica" not in settings.DATABASES
    assert reads(world.officer_a, HazardListView, writes=True) == ["default", "default", "default"]


def test_an_api_token_that_wrote_a_moment_ago_reads_the_primary_and_a_hazards_page_never_the_replica(
    world, with_replica
):
    from rest_framework.authtoken.models import Token

    from anjian.hazards.api.views import HazardViewSet

    token, _ = Token.objects.get_or_create(user=world.officer_a)
    seen = []

    def api(action, *, writes=False):
        request = RequestFactory().get("/", HTTP_AUTHORIZATION=f"Token {token.key}")
        from django.contrib.auth.models import AnonymousUser

        request.user = AnonymousUser()  # DRF authenticates the token later, inside the view

        def respond(request):
            middleware.process_view(request, HazardViewSet.as_view({"get": action}), (), {})
            seen.append(router.db_for_read(Hazard) or "default")
            if writes:
                router.db_for_write(Hazard)
                request.user = world.officer_a  # as DRF leaves it once the token is read
            return HttpResponse()

        middleware = ReplicaReadsMiddleware(respond)
        middleware(request)

    api("list")
    api("retrieve")
    api("list", writes=True)
    api("list")
    assert seen == ["replica", "default", "replica", "default"]


def test_a_result_counted_on_the_replica_just_after_a_write_is_not_kept(world, with_replica):
    from anjian.core import resultcache

    counted = []

    def dashboard(request):
        middleware.process_view(request, DashboardView.as_view(), (), {})
        resultcache.cached(("probe",), lambda: counted.append(1) or len(counted))
        return HttpResponse()

    middleware = ReplicaReadsMiddleware(dashboard)
    resultcache.bump()  # a write a moment ago
    for _ in range(2):
        request = RequestFactory().get("/")
        request.user = world.regulator_a
        middleware(request)
    assert len(counted) == 2  # counted again: the first result was not kept

    request = RequestFactory().get("/")
    request.user = world.regulator_a
    with override_settings(REPLICA_PIN_SECONDS=0):  # the write is long past: the replica has it
        middleware(request)
        middleware(request)
    assert len(counted) == 3
