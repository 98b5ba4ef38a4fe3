"""The reads of contractors and permits that pages, the API and the home panels share: always from
``visible_to(user)``, with the related rows each page shows fetched in a constant number of queries."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from anjian.accounts.models import User
from anjian.contractors import rules
from anjian.contractors.choices import LIVE, ApprovalStep, PermitStatus
from anjian.contractors.models import (
    Contractor,
    Evaluation,
    GasTest,
    PermitApproval,
    PermitKind,
    Qualification,
    SafetyAgreement,
    Worker,
    WorkPermit,
)
from anjian.core.periods import Period
from anjian.core.roles import Role
from anjian.core.scoping import get_visible_or_404

EXPIRY_WARNING_DAYS = 30


# --- contractors ---------------------------------------------------------------------------------
def contractor_list(*, user, q: str = "", active: bool | None = True) -> QuerySet[Contractor]:
    qs = (
        Contractor.objects.visible_to(user)
        .select_related("organization")
        .annotate(worker_count=Count("workers", filter=Q(workers__is_active=True), distinct=True))
        .order_by("organization__name", "name", "pk")
    )
    if active is not None:
        qs = qs.filter(is_active=active)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(services__icontains=q) | Q(credit_code__icontains=q))
    return qs


def contractor_get(*, user, pk) -> Contractor:
    qs = Contractor.objects.select_related("organization").prefetch_related(
        Prefetch("qualifications", queryset=Qualification.objects.order_by("expires_on", "pk")),
        Prefetch("agreements", queryset=SafetyAgreement.objects.order_by("-ends_on", "pk")),
        Prefetch("workers", queryset=Worker.objects.order_by("-is_active", "name", "pk")),
        Prefetch("evaluations", queryset=Evaluation.objects.select_related("evaluated_by", "permit")),
    )
    return get_visible_or_404(qs, user, pk=pk)


def qualification_list(
    *, user, contractor_id: int | None = None, active: bool | None = True
) -> QuerySet[Qualification]:
    qs = (
        Qualification.objects.visible_to(user)
        .select_related("contractor")
        .order_by("contractor_id", "expires_on", "pk")
    )
    if contractor_id is not None:
        qs = qs.filter(contractor_id=contractor_id)
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs


def worker_list(*, user, contractor: Contractor | None = None) -> QuerySet[Worker]:
    qs = Worker.objects.visible_to(user).select_related("contractor").order_by("contractor_id", "name", "pk")
    return qs.filter(contractor=contractor) if contractor is not None else qs


def expiring_documents(*, user, today: dt.date | None = None, days: int = EXPIRY_WARNING_DAYS) -> list[dict]:
    """Qualifications, agreements and insurance of active contractors expired or expiring within
    ``days``, soonest first: [{contractor, what, expires_on, expired}]. A renewed qualification
    (a later active one of the same name) is not listed; at most the 50 soonest qualifications."""
    today = today or timezone.localdate()
    until = today + dt.timedelta(days=days)
    found = []
    for q in (
        Qualification.objects.visible_to(user)
        .filter(is_active=True, contractor__is_active=True, expires_on__lte=until)
        .exclude(rules.qualification_superseded_q())
        .select_related("contractor")
        .order_by("expires_on", "pk")[:50]
    ):
        found.append({"contractor": q.contractor, "what": q.name, "expires_on": q.expires_on})
    # an agreement matters only when no later one covers the contractor
    latest = {}
    for a in (
        SafetyAgreement.objects.visible_to(user)
        .filter(is_active=True, contractor__is_active=True)
        .select_related("contractor")
    ):
        if a.contractor_id not in latest or a.ends_on > latest[a.contractor_id].ends_on:
            latest[a.contractor_id] = a
    for a in latest.values():
        if a.ends_on <= until:
            found.append({"contractor": a.contractor, "what": a.title, "expires_on": a.ends_on})
    for c in Contractor.objects.visible_to(user).filter(is_active=True, insurance_expires_on__lte=until):
        found.append(
            {
                "contractor": c,
                "what": str(Contractor._meta.get_field("insurance_expires_on").verbose_name),
                "expires_on": c.insurance_expires_on,
            }
        )
    for item in found:
        item["expired"] = item["expires_on"] < today
    return sorted(found, key=lambda i: (i["expires_on"], i["contractor"].name))


# --- permits -------------------------------------------------------------------------------------
def kind_list(*, active: bool | None = True) -> QuerySet[PermitKind]:
    qs = PermitKind.objects.order_by("order", "pk")
    return qs.filter(is_active=active) if active is not None else qs


def permit_list(
    *, user, status: str = "", kind: str = "", q: str = "", contractor: Contractor | None = None
) -> QuerySet[WorkPermit]:
    qs = (
        WorkPermit.objects.visible_to(user)
        .select_related("organization", "kind", "contractor", "department", "guardian", "applicant")
        .order_by("-created_at", "-pk")
    )
    if status == "live":
        qs = qs.filter(status__in=LIVE)
    elif status in PermitStatus.values:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind__code=kind)
    if contractor is not None:
        qs = qs.filter(contractor=contractor)
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(location__icontains=q) | Q(content__icontains=q))
    return qs


def permit_get(*, user, pk) -> WorkPermit:
    qs = WorkPermit.objects.select_related(
        "organization",
        "kind",
        "contractor",
        "department",
        "guardian",
        "applicant",
        "started_by",
        "closed_by",
        "risk_point",
    ).prefetch_related(
        Prefetch(
            "approvals", queryset=PermitApproval.objects.select_related("decided_by").order_by("decided_at", "pk")
        ),
        Prefetch("gas_tests", queryset=GasTest.objects.select_related("recorded_by").order_by("-tested_at", "-pk")),
        Prefetch("workers", queryset=Worker.objects.order_by("name", "pk")),
        "photos",
        "contractor__agreements",
        "contractor__qualifications",
    )
    return get_visible_or_404(qs, user, pk=pk)


def _approvable_steps(user) -> Q:
    """The pending steps ``user`` decides, as a filter on permits (workflow.step_approver in SQL)."""
    role = user.role
    if role == Role.DEPUTY:
        return Q(pending_step=ApprovalStep.DEPARTMENT)
    if role == Role.DEPARTMENT_HEAD and user.department_id:
        return Q(pending_step=ApprovalStep.DEPARTMENT, department_id=user.department_id)
    if role == Role.SAFETY_OFFICER:
        return Q(pending_step=ApprovalStep.SAFETY_OFFICE)
    if role == Role.PRINCIPAL:
        return Q(pending_step=ApprovalStep.PRINCIPAL)
    return Q(pk__in=[])


def permits_awaiting_me(*, user) -> QuerySet[WorkPermit]:
    """Permits whose pending step is the user's to decide (not their own applications)."""
    return (
        permit_list(user=user, status=PermitStatus.APPROVING)
        .filter(organization_id=user.organization_id)
        .filter(_approvable_steps(user))
        .exclude(applicant_id=user.pk)
    )


def permits_live(*, user) -> QuerySet[WorkPermit]:
    return permit_list(user=user, status="live").order_by("planned_end", "pk")


def permits_overrun(*, user, now=None) -> QuerySet[WorkPermit]:
    """Work still under way after its planned end."""
    return permits_live(user=user).filter(planned_end__lt=now or timezone.now())


def counts_by_kind(*, user, since: dt.datetime | None = None) -> list[dict]:
    """Permits by kind (since a date, default the start of this year): all, and under way now."""
    if since is None:
        since = Period.year(timezone.localdate().year).start_at
    rows = (
        WorkPermit.objects.visible_to(user)
        .filter(created_at__gte=since)
        .values("kind__name", "kind__order")
        .annotate(total=Count("pk"), live=Count("pk", filter=Q(status__in=LIVE)))
        .order_by("kind__order")
    )
    return [{"kind": r["kind__name"], "total": r["total"], "live": r["live"]} for r in rows]


def guardian_choices(*, organization) -> QuerySet[User]:
    """Who may be named guardian: the institution's active staff."""
    return User.objects.filter(organization=organization, is_active=True).order_by("department_id", "username")
