"""Reads of hazards shared by the ledger page, the API, exports and statistics.

Overdue and due-soon are derived from the deadline and today's date in the configured time zone
(Asia/Shanghai) at query time, never stored, so they cannot go stale.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import BooleanField, Case, Count, Exists, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from anjian.core.scoping import get_visible_or_404
from anjian.hazards.choices import OPEN_STATUSES, HazardStatus, PostponementDecision
from anjian.hazards.models import Hazard, HazardPhoto, Postponement


def today() -> dt.date:
    return timezone.localdate()


def overdue_q(on: dt.date | None = None) -> Q:
    return Q(status__in=OPEN_STATUSES, deadline__lt=on or today())


def due_soon_q(on: dt.date | None = None) -> Q:
    on = on or today()
    return Q(
        status__in=OPEN_STATUSES, deadline__gte=on, deadline__lte=on + dt.timedelta(days=settings.HAZARD_DUE_SOON_DAYS)
    )


@dataclass
class HazardFilters:
    status: str = ""
    level: str = ""
    category: str = ""  # category code
    source: str = ""
    organization: int | None = None
    department: int | None = None
    overdue: bool | None = None
    due_soon: bool | None = None
    supervised: bool | None = None
    found_from: dt.date | None = None
    found_to: dt.date | None = None
    deadline_from: dt.date | None = None
    deadline_to: dt.date | None = None
    q: str = ""
    ordering: str = ""


ORDERINGS = {
    "found": ("found_at", "pk"),
    "-found": ("-found_at", "-pk"),
    "deadline": ("deadline", "pk"),
    "-deadline": ("-deadline", "-pk"),
    "number": ("number",),
    "-number": ("-number",),
    "overdue": ("-is_overdue", "deadline", "pk"),
}


def _annotated(qs: QuerySet[Hazard]) -> QuerySet[Hazard]:
    on = today()
    pending = Postponement.objects.filter(hazard=OuterRef("pk"), decision=PostponementDecision.PENDING)
    return qs.annotate(
        has_pending_postponement=Exists(pending),
        is_overdue=Case(When(overdue_q(on), then=Value(True)), default=Value(False), output_field=BooleanField()),
        is_due_soon=Case(When(due_soon_q(on), then=Value(True)), default=Value(False), output_field=BooleanField()),
    )


def hazard_base(*, user) -> QuerySet[Hazard]:
    return _annotated(Hazard.objects.visible_to(user))


def _apply(qs: QuerySet[Hazard], f: HazardFilters, *, skip_status: bool = False) -> QuerySet[Hazard]:
    if f.status and not skip_status:
        qs = qs.filter(status__in=OPEN_STATUSES) if f.status == "open" else qs.filter(status=f.status)
    if f.level:
        qs = qs.filter(level=f.level)
    if f.category:
        qs = qs.filter(category__code=f.category)
    if f.source:
        qs = qs.filter(source=f.source)
    if f.organization:
        qs = qs.filter(organization_id=f.organization)
    if f.department:
        qs = qs.filter(department_id=f.department)
    if f.overdue is not None:
        qs = qs.filter(overdue_q()) if f.overdue else qs.exclude(overdue_q())
    if f.due_soon is not None:
        qs = qs.filter(due_soon_q()) if f.due_soon else qs.exclude(due_soon_q())
    if f.supervised is not None:
        qs = qs.filter(is_supervised=f.supervised)
    tz = timezone.get_current_timezone()
    if f.found_from:
        qs = qs.filter(found_at__gte=dt.datetime.combine(f.found_from, dt.time.min, tzinfo=tz))
    if f.found_to:
        qs = qs.filter(found_at__lt=dt.datetime.combine(f.found_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz))
    if f.deadline_from:
        qs = qs.filter(deadline__gte=f.deadline_from)
    if f.deadline_to:
        qs = qs.filter(deadline__lte=f.deadline_to)
    q = (f.q or "").strip()
    if q:
        qs = qs.filter(
            Q(number__icontains=q)
            | Q(title__icontains=q)
            | Q(location__icontains=q)
            | Q(description__icontains=q)
            | Q(organization__name__icontains=q)
        )
    return qs


def hazard_list(*, user, filters: HazardFilters | None = None) -> QuerySet[Hazard]:
    """The ledger: the user's hazards, filtered, with what a row shows fetched in a constant number of queries."""
    f = filters or HazardFilters()
    qs = _apply(hazard_base(user=user), f)
    qs = qs.select_related("organization", "department", "category", "responsible", "criterion")
    return qs.order_by(*ORDERINGS.get(f.ordering, ("-found_at", "-pk")))


def hazard_status_counts(*, user, filters: HazardFilters | None = None) -> dict[str, int]:
    """Counts per status for the ledger's tabs, under every filter but the status itself."""
    f = filters or HazardFilters()
    rows = _apply(Hazard.objects.visible_to(user), f, skip_status=True).values("status").annotate(n=Count("pk"))
    counts = {s: 0 for s in HazardStatus.values}
    for row in rows:
        counts[row["status"]] = row["n"]
    counts["open"] = sum(counts[s] for s in OPEN_STATUSES)
    counts["all"] = sum(counts[s] for s in HazardStatus.values)
    return counts


def hazard_get(*, user, pk) -> Hazard:
    """One hazard with what its detail page shows; out of scope is 404 like missing."""
    qs = (
        hazard_base(user=user)
        .select_related(
            "organization",
            "department",
            "category",
            "criterion__criterion_set",
            "responsible",
            "found_by",
            "confirmed_by",
            "rectified_by",
            "endorsed_by",
            "accepted_by",
            "supervised_by",
        )
        .prefetch_related(
            Prefetch("photos", queryset=HazardPhoto.objects.order_by("uploaded_at", "pk")),
            "postponements__requested_by",
            "postponements__decided_by",
        )
    )
    return get_visible_or_404(qs, user, pk=pk)
