"""Reads of hazards shared by the ledger page, the API, exports and statistics.

Overdue and due-soon are derived from the deadline and today's date in the configured time zone
(Asia/Shanghai) at query time, never stored, so they cannot go stale.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import BooleanField, Case, Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from anjian.core.scoping import get_visible_or_404
from anjian.hazards import pagination
from anjian.hazards.choices import OPEN_STATUSES, HazardStatus, PostponementDecision
from anjian.hazards.models import Hazard, HazardCategory, HazardPhoto, Postponement
from anjian.orgs.choices import OrganizationType
from anjian.orgs.models import Organization


def today() -> dt.date:
    return timezone.localdate()


def overdue_q(on: dt.date | None = None) -> Q:
    return Q(status__in=OPEN_STATUSES, deadline__lt=on or today())


def due_soon_q(on: dt.date | None = None) -> Q:
    on = on or today()
    return Q(
        status__in=OPEN_STATUSES, deadline__gte=on, deadline__lte=on + dt.timedelta(days=settings.HAZARD_DUE_SOON_DAYS)
    )


def _local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


def closed_by_q(moment: dt.datetime) -> Q:
    """Closed (销号) before ``moment``; a closed hazard without an acceptance time counts as closed long ago."""
    return Q(status=HazardStatus.CLOSED) & (Q(accepted_at__lt=moment) | Q(accepted_at__isnull=True))


def closed_between_q(start: dt.datetime, end: dt.datetime) -> Q:
    """Closed (销号) at ``start <= accepted_at < end``."""
    return Q(status=HazardStatus.CLOSED, accepted_at__gte=start, accepted_at__lt=end)


def open_on_q(day: dt.date) -> Q:
    """Open at the end of ``day`` (local): found by then, not closed by then, never dismissed.

    Dismissed hazards are left out altogether (a dismissal records no time; a dismissed report was
    never a hazard). For today or later this is the hazards open now (``OPEN_STATUSES``).
    """
    if day >= today():
        return Q(status__in=OPEN_STATUSES)
    end = _local_midnight(day + dt.timedelta(days=1))
    return Q(found_at__lt=end) & ~Q(status=HazardStatus.DISMISSED) & ~closed_by_q(end)


def overdue_on_q(day: dt.date) -> Q:
    """Overdue at the end of ``day``: open then and its (current) deadline before that day; ``overdue_q`` for today."""
    if day >= today():
        return overdue_q()
    return open_on_q(day) & Q(deadline__lt=day)


def in_time_q() -> Q:
    """Closed on or before its deadline (local date of acceptance); no deadline (fixed on the spot) is in time."""
    return Q(status=HazardStatus.CLOSED) & (Q(deadline__isnull=True) | Q(accepted_at__date__lte=F("deadline")))


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
    # from the statistics' click-through (stats.selectors): the rows behind a figure
    closed_from: dt.date | None = None
    closed_to: dt.date | None = None
    open_on: dt.date | None = None  # open at the end of that day
    overdue_on: dt.date | None = None  # overdue at the end of that day
    in_time: bool | None = None  # closed within the deadline
    dismissed: bool | None = None  # False: leave dismissed reports out (they count in no statistic)
    no_department: bool = False  # only hazards not placed in a department
    kind: str = ""  # institution kind
    jurisdiction: int | None = None  # a regulator: its whole subtree
    q: str = ""
    ordering: str = ""


ORDERINGS = {
    "found": ("found_at", "pk"),
    "-found": ("-found_at", "-pk"),
    # hazards without a deadline (not yet confirmed) come last on SQLite and PostgreSQL alike
    "deadline": (F("deadline").asc(nulls_last=True), "pk"),
    "-deadline": (F("deadline").desc(nulls_last=True), "-pk"),
    "number": ("number",),
    "-number": ("-number",),
    "overdue": ("-is_overdue", F("deadline").asc(nulls_last=True), "pk"),
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
        # the category's id, not a join on its code: the plan then walks the ledger's indexes in order
        category = HazardCategory.objects.filter(code=f.category).values_list("pk", flat=True).first()
        qs = qs.filter(category_id=category) if category is not None else qs.none()
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
    if f.closed_from:
        qs = qs.filter(status=HazardStatus.CLOSED, accepted_at__gte=_local_midnight(f.closed_from))
    if f.closed_to:
        qs = qs.filter(closed_by_q(_local_midnight(f.closed_to + dt.timedelta(days=1))))
    if f.open_on:
        qs = qs.filter(open_on_q(f.open_on))
    if f.overdue_on:
        qs = qs.filter(overdue_on_q(f.overdue_on))
    if f.in_time is not None:
        qs = qs.filter(in_time_q()) if f.in_time else qs.filter(status=HazardStatus.CLOSED).exclude(in_time_q())
    if f.no_department:
        qs = qs.filter(department__isnull=True)
    if f.dismissed is not None:
        dismissed = Q(status=HazardStatus.DISMISSED)
        qs = qs.filter(dismissed) if f.dismissed else qs.exclude(dismissed)
    if f.kind:
        qs = qs.filter(organization__kind=f.kind)
    if f.jurisdiction:
        regulators = Organization.objects.filter(pk=f.jurisdiction, type=OrganizationType.REGULATOR)
        path = regulators.values_list("path", flat=True)
        qs = qs.filter(organization__path__startswith=path[0]) if path else qs.none()
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
    # not the criterion: a row shows its id only, and a sixth join made planning cost 12 ms (1.7 ms with five)
    qs = qs.select_related("organization", "department", "category", "responsible")
    return qs.order_by(*ORDERINGS.get(f.ordering, ("-found_at", "-pk")))


# what a row of the ledger shows (the API's HazardListSerializer, hazards/hazard_list.html); a
# hazard's plan, notes and acceptance stay in the database: a page of 50 is fetched in 2 ms less
LEDGER_ROW_FIELDS = (
    "number",
    "organization__name",
    "department__name",
    "location",
    "title",
    "category__code",
    "category__name",
    "level",
    "source",
    "status",
    "criterion",
    "found_at",
    "fixed_on_spot",
    "responsible__name",
    "deadline",
    "original_deadline",
    "is_supervised",
    "supervision_level",
    "supervision_deadline",
    "created_at",
    "updated_at",
    "is_backfill",
    "original_found_on",
    "original_closed_on",
)


def hazard_ledger(*, user, filters: HazardFilters | None = None) -> QuerySet[Hazard]:
    """``hazard_list`` with only the columns a ledger row shows."""
    return hazard_list(user=user, filters=filters).only(*LEDGER_ROW_FIELDS)


def ledger_count_cap(*, user, filters: HazardFilters | None = None) -> int | None:
    """How far the ledger counts for this user: ``None`` (exactly) within one organization, else the
    cap (``pagination.count_cap()``) for a scope spanning many: a regulator, an inspector, the admin."""
    f = filters or HazardFilters()
    org = getattr(user, "organization", None)
    if f.organization or (org is not None and org.is_institution):
        return None
    return pagination.count_cap()


def hazard_status_counts(*, user, filters: HazardFilters | None = None, cap: int | None = None) -> dict[str, int]:
    """Counts per status for the ledger's tabs, under every filter but the status itself.

    With ``cap``, each status is counted up to ``cap`` rows only (one statement); a count beyond it
    is ``cap + 1``; ``bounded_status_tabs`` turns that into "10,000+".
    """
    f = filters or HazardFilters()
    base = _apply(Hazard.objects.visible_to(user), f, skip_status=True)
    if cap is None:
        counts = {s: 0 for s in HazardStatus.values}
        for row in base.values("status").annotate(n=Count("pk")):
            counts[row["status"]] = row["n"]
    else:
        counts = pagination.bounded_counts({s: base.filter(status=s) for s in HazardStatus.values}, cap)
    counts["open"] = sum(counts[s] for s in OPEN_STATUSES)
    counts["all"] = sum(counts[s] for s in HazardStatus.values)
    return counts


def status_tab_counts(*, user, filters: HazardFilters | None = None) -> dict[str, str]:
    """The ledger tabs' figures as shown: exact, or "N+" where a status reached the cap (the open
    and all tabs then add up the statuses' lower bounds)."""
    cap = ledger_count_cap(user=user, filters=filters)
    counts = hazard_status_counts(user=user, filters=filters, cap=cap)
    if cap is None:
        return {key: str(n) for key, n in counts.items()}
    capped = {s for s in HazardStatus.values if counts[s] > cap}
    groups = {s: {s} for s in HazardStatus.values} | {"open": set(OPEN_STATUSES), "all": set(HazardStatus.values)}
    return {
        key: pagination.display_count(sum(min(counts[s], cap) for s in members), exact=not (members & capped))
        for key, members in groups.items()
    }


PEOPLE = ("responsible", "found_by", "confirmed_by", "rectified_by", "endorsed_by", "accepted_by", "supervised_by")


def hazard_get(*, user, pk) -> Hazard:
    """One hazard with what its detail page shows; out of scope is 404 like missing."""
    qs = (
        hazard_base(user=user)
        .select_related("organization", "department", "category", "criterion__criterion_set")
        .prefetch_related(
            Prefetch("photos", queryset=HazardPhoto.objects.order_by("uploaded_at", "pk")),
            "postponements__requested_by",
            "postponements__decided_by",
        )
    )
    hazard = get_visible_or_404(qs, user, pk=pk)
    _with_people(hazard)
    return hazard


def _with_people(hazard: Hazard) -> None:
    """The people the hazard names, read in one query rather than seven joins to the user table:
    with them PostgreSQL spent 9–40 ms planning the detail query at city scale (measured on 1M
    hazards), against about 1 ms without."""
    from anjian.accounts.models import User

    ids = {getattr(hazard, f"{name}_id") for name in PEOPLE} - {None}
    people = User._base_manager.in_bulk(ids) if ids else {}
    for name in PEOPLE:
        person_id = getattr(hazard, f"{name}_id")
        Hazard._meta.get_field(name).set_cached_value(hazard, people[person_id] if person_id else None)
