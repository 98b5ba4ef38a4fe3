"""Escalation (DOMAIN.md §2): overdue hazards reach the regulator, who lists the hard ones for
supervision (挂牌督办) and presses the institutions that lag (通报、约谈).

All derived from the deadlines and today's date at query time, like ``selectors.overdue_q``:
nothing is stored that could go stale.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.urls import reverse

from anjian.core.roles import REGULATOR_ROLES
from anjian.hazards import selectors
from anjian.hazards.choices import OPEN_STATUSES, HazardLevel
from anjian.hazards.models import Hazard
from anjian.orgs.models import Organization

# the ledger's query string for the candidates, so the home page and the ledger agree
CANDIDATES_QUERY = "status=open&level=major&overdue=true&supervised=false"


def is_regulator(user) -> bool:
    return getattr(user, "role", None) in REGULATOR_ROLES


def days_overdue(hazard: Hazard, on: dt.date | None = None) -> int:
    """Days past the deadline of an open hazard (0 when not overdue)."""
    on = on or selectors.today()
    if not hazard.is_open or hazard.deadline is None or hazard.deadline >= on:
        return 0
    return (on - hazard.deadline).days


def supervision_days_overdue(hazard: Hazard, on: dt.date | None = None) -> int:
    """Days past the supervision deadline (督办期限) of a hazard still open and supervised."""
    on = on or selectors.today()
    if not (hazard.is_open and hazard.is_supervised and hazard.supervision_deadline):
        return 0
    return max((on - hazard.supervision_deadline).days, 0)


def supervision_candidates(*, user) -> QuerySet[Hazard]:
    """Open major hazards past their deadline and not yet listed for supervision: the regulator's
    candidates for 挂牌督办, the longest overdue first."""
    return (
        Hazard.objects.visible_to(user)
        .filter(selectors.overdue_q(), level=HazardLevel.MAJOR, is_supervised=False)
        .select_related("organization", "category")
        .order_by("deadline", "pk")
    )


def supervision_overdue(*, user) -> QuerySet[Hazard]:
    """Supervised hazards still open after the supervision deadline."""
    return (
        Hazard.objects.visible_to(user)
        .filter(status__in=OPEN_STATUSES, is_supervised=True, supervision_deadline__lt=selectors.today())
        .select_related("organization", "category")
        .order_by("supervision_deadline", "pk")
    )


def lagging_institutions(*, user, limit: int = 5) -> list[dict]:
    """The institutions with the most overdue hazards (for 通报 and 约谈), with links into the ledger."""
    rows = (
        Hazard.objects.visible_to(user)
        .filter(selectors.overdue_q())
        .values("organization")
        .annotate(
            overdue=Count("pk"),
            major=Count("pk", filter=Q(level=HazardLevel.MAJOR)),
        )
        .order_by("-overdue", "-major", "organization")[:limit]
    )
    rows = list(rows)
    names = dict(Organization.objects.filter(pk__in=[r["organization"] for r in rows]).values_list("pk", "name"))
    ledger = reverse("hazards:hazard-list")
    return [
        {
            "name": names.get(r["organization"], ""),
            "overdue": r["overdue"],
            "major": r["major"],
            "url": f"{ledger}?organization={r['organization']}&overdue=true",
        }
        for r in rows
    ]


def panel(user) -> dict | None:
    """The regulator's escalation block of the home page; None for everyone else."""
    if not is_regulator(user):
        return None
    on = selectors.today()
    candidates = list(supervision_candidates(user=user)[:6])
    late = list(supervision_overdue(user=user)[:6])
    for h in candidates:
        h.days_overdue = days_overdue(h, on)
    for h in late:
        h.days_overdue = supervision_days_overdue(h, on)
    ledger = reverse("hazards:hazard-list")
    return {
        "candidates": candidates,
        "candidate_count": supervision_candidates(user=user).count(),
        "candidates_url": f"{ledger}?{CANDIDATES_QUERY}",
        "supervision_overdue": late,
        "lagging": lagging_institutions(user=user),
    }
