"""The reports routes for the isolation test (anjian.core.testing.isolation).

``extend_world`` gives hospital_b (the victim) a major hazard and a rectification notice issued by its
safety officer for ``hazard_b`` (the hazards app's victim hazard). The statistics forms take the
organization as a query parameter (``organization=``), which a Route cannot aim at the victim's id:
tests/test_monthly_statistics.py and tests/test_pages.py prove another organization's form is 404;
here each attacker's own forms must not show the victim's data, and hospital_b's officer sees its own.
Templates and topics are the platform's shared settings ("shared").
"""

from __future__ import annotations

from anjian.core.testing.isolation import Route
from anjian.core.testing.world import VICTIM


def extend_world(world) -> None:
    from anjian.hazards import services as hazard_services
    from anjian.hazards.models import Criterion, HazardCategory
    from anjian.hazards.tests.isolation_routes import hazard_b
    from anjian.reports import services

    if "notice_b" in world.extra:
        return
    hazard_services.hazard_report(
        by=world.officer_b,
        organization=world.hospital_b,
        data={
            "title": f"{VICTIM}液氧储罐安全阀失效",
            "location": f"{VICTIM}液氧站",
            "category": HazardCategory.objects.get(code="medical_gas"),
            "level": "major",
            "criterion": Criterion.objects.order_by("pk").first(),
        },
    )
    world.extra["notice_b"] = services.notice_issue(kind="rectification", target=hazard_b(world), by=world.officer_b)


def _notice(w) -> dict:
    extend_world(w)
    return {"pk": w.extra["notice_b"].pk}


def _first_topic(w) -> dict:
    from anjian.reports.models import StatisticsTopic

    return {"pk": StatisticsTopic.objects.order_by("pk").values_list("pk", flat=True)[0]}


ROUTES: list[Route] = [
    Route("api:report-monthly-statistics", "scoped", query="?month=2026-05"),
    Route("reports:index", "scoped"),
    Route("reports:monthly", "scoped", query="?month=2026-05"),
    Route("reports:analysis", "scoped", query="?kind=year&year=2026"),
    Route("reports:analysis-export", "scoped", query="?kind=year&year=2026"),
    Route("reports:major-lists", "scoped", query="?q=乙方"),
    Route(
        "reports:notice-new",
        "scoped",
        kwargs=lambda w: {"kind": "rectification", "pk": w.extra["notice_b"].hazard_id} if _notice(w) else {},
        post=True,
        data=lambda w: {},
    ),
    Route("reports:notice-detail", "scoped", kwargs=_notice),
    Route("reports:notice-download", "scoped", kwargs=_notice),
    Route(
        "reports:notice-reissue",
        "scoped",
        kwargs=_notice,
        post=True,
        data=lambda w: {"reason": "冒名重新出具", "deadline": ""},
    ),
    Route("reports:template-list", "shared"),
    Route("reports:template-edit", "shared", kwargs=lambda w: {"kind": "rectification"}),
    Route("reports:topic-create", "shared"),
    Route("reports:topic-edit", "shared", kwargs=_first_topic),
]
