"""The reports routes for the isolation test (anjian.core.testing.isolation).

The forms of one organization are asked for by id in the query (``organization=``), which a Route
cannot aim at the victim; tests/test_monthly_statistics.py and test_pages.py prove another's id is 404.
Here each attacker's own form must not show the victim's data, and hospital_b's officer sees its own.
"""

from __future__ import annotations

from anjian.core.testing.isolation import Route

ROUTES: list[Route] = [
    Route("api:report-monthly-statistics", "scoped", query="?month=2026-05"),
]
