"""Periodic reports (报送): the definitions a user sets or owes, who owes a period and who is late,
the submissions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from anjian.action_plans import due
from anjian.action_plans.choices import SubmissionStatus
from anjian.action_plans.models import ReportDefinition, ReportSubmission
from anjian.core.scoping import get_visible_or_404
from anjian.orgs.models import Organization


def report_definition_list(*, user):
    """Definitions set by the user's regulators (its own and those above) or in its jurisdiction."""
    org = getattr(user, "organization", None)
    qs = ReportDefinition.objects.visible_to(user)
    if org is not None and not org.is_regulator:
        ancestors = [int(p) for p in org.path.strip("/").split("/") if p]
        qs = ReportDefinition.objects.filter(organization_id__in=ancestors, is_active=True)
    return qs.select_related("organization").prefetch_related("unit_groups").order_by("name", "pk")


def report_definition_get(*, user, pk: int) -> ReportDefinition:
    """A definition the user sets (regulator) or owes (institution: set above it); else 404."""
    from django.http import Http404

    try:
        return report_definition_list(user=user).get(pk=pk)
    except (ReportDefinition.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


@dataclass
class PeriodStatus:
    period: dt.date
    label: str
    due: dt.date
    rows: list  # (organization, submission or None, late)
    submitted: int
    late: int


def report_period_status(*, user, definition: ReportDefinition, period: dt.date, today=None) -> PeriodStatus:
    """Who owes the report for a period, who submitted, who is late (three queries)."""
    from anjian.action_plans.services import owing_units

    today = today or timezone.localdate()
    due_on = due.definition_due_date(definition, period)
    units = list(owing_units(definition).filter(pk__in=Organization.objects.visible_to(user)))
    submissions = {
        s.organization_id: s
        for s in ReportSubmission.objects.visible_to(user).filter(definition=definition, period=period)
    }
    rows = []
    for sub in submissions.values():
        sub.definition = definition  # its entries() read the definition's fields: no query per unit
    for unit in units:
        sub = submissions.get(unit.pk)
        done = sub is not None and sub.status == SubmissionStatus.SUBMITTED
        late = due.is_late(timezone.localdate(sub.submitted_at) if done else None, due_on, today)
        rows.append((unit, sub, late))
    rows.sort(key=lambda r: (not r[2] or (r[1] is not None and r[1].status == "submitted"), r[0].path))
    return PeriodStatus(
        period=period,
        label=due.period_label(period, definition.frequency),
        due=due_on,
        rows=rows,
        submitted=sum(1 for _u, s, _l in rows if s is not None and s.status == SubmissionStatus.SUBMITTED),
        late=sum(1 for u, s, late in rows if late and (s is None or s.status != SubmissionStatus.SUBMITTED)),
    )


def submission_list(*, user, definition=None, period=None):
    qs = ReportSubmission.objects.visible_to(user).select_related("definition", "organization", "submitted_by")
    if definition is not None:
        qs = qs.filter(definition=definition)
    if period is not None:
        qs = qs.filter(period=period)
    return qs.order_by("-period", "organization__path")


def submission_get(*, user, pk: int) -> ReportSubmission:
    return get_visible_or_404(
        ReportSubmission.objects.select_related("definition", "organization", "submitted_by"), user, pk=pk
    )
