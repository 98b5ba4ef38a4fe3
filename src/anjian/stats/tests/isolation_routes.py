"""The statistics routes for the isolation test (anjian.core.testing.isolation).

``extend_world`` gives hospital_b (the victim) an open hazard (the hazards app's), a schedule with
a record (the inspections app's) and a task assigned to it (the action plans app's), so that
district_b's regulator, the witness, sees hospital_b by name in the rankings; attackers of district
A must not, and asking for hospital_b (``?organization=``) is 404 for them (tests/test_api.py).
"""

from __future__ import annotations

from anjian.core.testing.isolation import Route


def extend_world(world) -> None:
    from anjian.action_plans.tests import isolation_routes as plans
    from anjian.hazards.tests import isolation_routes as hazards
    from anjian.inspections.tests import isolation_routes as inspections

    hazards.extend_world(world)
    inspections.extend_world(world)
    plans.extend_world(world)


ROUTES = [
    Route("stats:dashboard", "scoped"),
    Route("api:stats-hazards", "scoped", query="?group=institution"),
    Route("api:stats-major-clearance", "scoped", witness=False),  # figures only, no names
    Route("api:stats-inspections", "scoped"),
    Route("api:stats-tasks", "scoped"),
    Route("api:stats-dashboard", "scoped"),
]
