"""Inspection compliance and task progress for the statistics, read through those apps' selectors.

Compliance (排查完成率) is ``inspections.selectors.compliance``: due slots against done ones, per
institution, department and person. Task progress (任务进展) counts the assignments (one task, one
responsible unit) of active plans as ``action_plans.selectors.assignment_list`` selects them:
done, in progress, not started, overdue and due within 30 days (``action_plans.rules``), and
awaiting the regulator's review.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.action_plans import selectors as plan_selectors
from anjian.action_plans.choices import AssignmentStatus, ReviewState
from anjian.action_plans.rules import assignment_due_soon_q, assignment_overdue_q
from anjian.core.periods import Period
from anjian.inspections import selectors as inspection_selectors
from anjian.orgs.choices import OrganizationType
from anjian.orgs.models import Organization
from anjian.stats.selectors import Scope, percent


def compliance_url(period: Period, organization: Organization | None = None, *, organization_id=None) -> str:
    """The compliance page for the period (a custom period shows its last month there)."""
    params = {"period": period.code if period.kind != "custom" else f"{period.end:%Y-%m}"}
    if organization is not None:
        organization_id = organization.pk
    if organization_id is not None:
        params["organization"] = organization_id
    return f"{reverse('inspections:compliance')}?{urlencode(params)}"


@dataclass
class ComplianceRow:
    key: str
    label: str
    due: int
    done: int
    url: str = ""
    no_plan: bool = False  # an institution without any schedule (未建立排查计划)

    @property
    def rate(self) -> float | None:
        return 0.0 if self.no_plan else percent(self.done, self.due)

    @property
    def missed(self) -> int:
        return self.due - self.done

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "label": self.label,
            "due": self.due,
            "done": self.done,
            "rate": self.rate,
            "no_plan": self.no_plan,
        }


@dataclass
class ComplianceFigures:
    total: ComplianceRow
    by_institution: list[ComplianceRow]
    by_department: list[ComplianceRow]

    def as_dict(self) -> dict:
        return {
            **self.total.as_dict(),
            "by_institution": [r.as_dict() for r in self.by_institution],
            "by_department": [r.as_dict() for r in self.by_department],
        }


def compliance_figures(user, scope: Scope, period: Period, by: str = "") -> ComplianceFigures:
    """Due against done inspections of the scope in the period (``inspections.selectors.compliance``),
    per institution and per department, or (``by``) only one of the two."""
    org = scope.organization
    groups = (by,) if by else ("institution", "department")
    result = inspection_selectors.compliance(
        user=user, period=period, organization=org, kind=scope.kind, detail=False, groups=groups
    )
    total = ComplianceRow("", str(_("合计")), result.total.due, result.total.done, compliance_url(period, org))
    by_institution = [
        ComplianceRow(str(t.key), t.label, t.due, t.done, compliance_url(period, organization_id=t.key), t.no_plan)
        for t in result.by_institution
    ]
    by_department = [ComplianceRow(str(t.key), t.label, t.due, t.done) for t in result.by_department]
    for row in by_department:
        row.url = total.url
    order = lambda r: (r.rate if r.rate is not None else 101, not r.no_plan, r.label)  # noqa: E731 - worst first
    return ComplianceFigures(total, sorted(by_institution, key=order), sorted(by_department, key=order))


# ---- tasks ------------------------------------------------------------------------------------

TASK_STATES = ("done", "in_progress", "not_started", "overdue", "soon", "pending")


@dataclass
class TaskFigures:
    total: int = 0
    done: int = 0
    in_progress: int = 0
    not_started: int = 0
    overdue: int = 0
    soon: int = 0
    pending: int = 0

    @property
    def done_rate(self) -> float | None:
        return percent(self.done, self.total)

    def as_dict(self) -> dict:
        return {**asdict(self), "done_rate": self.done_rate}


def _assignments(user, scope: Scope):
    qs = plan_selectors.assignment_list(user=user).order_by()
    if scope.organization is not None:
        if scope.organization.type == OrganizationType.REGULATOR:
            qs = qs.filter(organization__path__startswith=scope.organization.path)
        else:
            qs = qs.filter(organization=scope.organization)
    if scope.kind:
        qs = qs.filter(organization__kind=scope.kind)
    return qs


def _task_aggregates(today: dt.date) -> dict:
    return {
        "total": Count("pk"),
        "done": Count("pk", filter=Q(status=AssignmentStatus.DONE)),
        "in_progress": Count("pk", filter=Q(status=AssignmentStatus.IN_PROGRESS)),
        "not_started": Count("pk", filter=Q(status=AssignmentStatus.NOT_STARTED)),
        "overdue": Count("pk", filter=assignment_overdue_q(today)),
        "soon": Count("pk", filter=assignment_due_soon_q(today)),
        "pending": Count("pk", filter=Q(review_state=ReviewState.PENDING)),
    }


def task_figures(user, scope: Scope) -> TaskFigures:
    """The progress of the scope's assignments of active plans, as of today."""
    return TaskFigures(**_assignments(user, scope).aggregate(**_task_aggregates(timezone.localdate())))


def task_figures_by_institution(user, scope: Scope) -> list[tuple[int, str, TaskFigures]]:
    """(organization id, name, figures) per responsible unit, most overdue first."""
    rows = (
        _assignments(user, scope)
        .values("organization_id", "organization__name")
        .annotate(**_task_aggregates(timezone.localdate()))
    )
    out = [
        (r["organization_id"], r["organization__name"], TaskFigures(**{k: r[k] for k in asdict(TaskFigures())}))
        for r in rows
    ]
    return sorted(out, key=lambda t: (-t[2].overdue, -(t[2].total - t[2].done), t[1]))


def task_url(state: str = "", organization: Organization | None = None) -> str:
    """The assignments list on one state tab (the user's own scope); for one institution, searched
    by its name (the list's search covers the responsible unit's name)."""
    params = {"state": state} if state else {}
    if organization is not None and organization.type == OrganizationType.INSTITUTION:
        params["q"] = organization.name
    url = reverse("action_plans:assignment-list")
    return f"{url}?{urlencode(params)}" if params else url
