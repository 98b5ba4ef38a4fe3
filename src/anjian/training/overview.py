"""The regulator's overview, one row per institution in the user's scope: training hours per
person this year, drills this window and the rhythm, certified coverage of the posts that require
a certificate, expiring certificates (7/30/60 days, and already expired) and fire-control room
shifts without enough certified operators. The officer's home panel reads the same figures for
their own institution, so the two always agree."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Sum
from django.utils import timezone

from anjian.accounts.models import User
from anjian.orgs.models import Organization
from anjian.training import selectors
from anjian.training.choices import DrillStatus
from anjian.training.models import Attendance, Certificate, Drill, TrainingRules


@dataclass
class Row:
    organization: Organization
    staff: int = 0
    hours: Decimal = Decimal("0")
    drills: int = 0
    rhythm: object = None
    required_people: int = 0
    certified_people: int = 0
    expiring: dict = field(default_factory=dict)
    uncovered: int = 0

    @property
    def hours_per_person(self) -> Decimal:
        return (self.hours / self.staff).quantize(Decimal("0.1")) if self.staff else Decimal("0")

    @property
    def coverage(self) -> int | None:
        return round(100 * self.certified_people / self.required_people) if self.required_people else None


def rows(*, user, today: dt.date | None = None) -> list[Row]:
    today = today or timezone.localdate()
    orgs = list(Organization.objects.visible_to(user).filter(type="institution", is_active=True).order_by("name"))
    ids = [o.pk for o in orgs]
    by = {o.pk: Row(organization=o) for o in orgs}
    for org_id, n in (
        User.objects.filter(organization_id__in=ids, is_active=True)
        .values("organization_id")
        .annotate(n=Count("pk"))
        .values_list("organization_id", "n")
    ):
        by[org_id].staff = n
    for org_id, h in (
        Attendance.objects.filter(
            session__organization_id__in=ids, session__is_active=True, session__held_on__year=today.year
        )
        .values("session__organization_id")
        .annotate(h=Sum("session__hours"))
        .values_list("session__organization_id", "h")
    ):
        by[org_id].hours = h or Decimal("0")
    months = dict(
        TrainingRules.objects.filter(organization_id__in=ids).values_list("organization_id", "drill_every_months")
    )
    since = dt.date(today.year - 1, 1, 1)
    dates = defaultdict(list)
    for org_id, held in Drill.objects.filter(
        organization_id__in=ids, status=DrillStatus.DONE, held_on__gte=since
    ).values_list("organization_id", "held_on"):
        dates[org_id].append(held)
    for org_id, row in by.items():
        row.rhythm = selectors.drill_rhythm(
            row.organization, today, drills=dates[org_id], months=months.get(org_id, TrainingRules.DEFAULT_DRILL_MONTHS)
        )
        row.drills = row.rhythm.done_in_window
    for gap in selectors.certificate_gaps(user=user, today=today):
        row = by.get(gap.requirement.organization_id)
        if row is not None:
            row.required_people += len(gap.people)
            row.certified_people += len(gap.people) - len(gap.missing)
    figures = selectors.expiry_figures(today)
    empty = dict.fromkeys(figures, 0)
    for row in by.values():
        row.expiring = dict(empty)
    for values in (
        Certificate.objects.filter(organization_id__in=ids, is_active=True)
        .values("organization_id")
        .annotate(**figures)
    ):
        by[values.pop("organization_id")].expiring = values
    for check in selectors.uncovered_shifts(user=user, today=today):
        if check.shift.organization_id in by:
            by[check.shift.organization_id].uncovered += 1
    return list(by.values())


def institution_figures(user, today: dt.date | None = None) -> dict:
    """The figures of the user's own institution (the home panel)."""
    today = today or timezone.localdate()
    org = user.organization
    return {
        "expiring": selectors.expiring_counts(Certificate.objects.visible_to(user).filter(organization=org), today),
        "uncovered": [
            c for c in selectors.uncovered_shifts(user=user, today=today) if c.shift.organization_id == org.pk
        ],
        "rhythm": selectors.drill_rhythm(org, today),
    }
