"""The time-driven events, found by the periodic job (``manage.py notify_scan``), never by page views:

- due soon: an open hazard whose deadline is within ``HAZARD_DUE_SOON_DAYS`` → its responsible person
  (its department head while it has none);
- overdue: past its deadline → the responsible person, on the first day;
- the escalation ladder (逐级督办): N days overdue → the rung's people (``EscalationStep``, editable:
  department head, safety officer, principal, regulator), each rung once per deadline;
- a supervision (挂牌督办) whose deadline is within ``HAZARD_DUE_SOON_DAYS`` → the principal, the
  safety officers and the responsible person; past it → the principal and the regulator;
- key tasks (重点任务) due soon and overdue, and standing ones whose reporting rhythm says a
  progress report is owed (待报进展), by action_plans' reminder rules → the unit's leaders;
- and the duties of the other registers (``duties.py``): inspections missed, periodic reports owed
  (and the 16号令 statistical analysis due), certificates expiring, equipment due for its statutory
  inspection.

Each message's key carries the object, the deadline it is about and the rung, and each inbox item
the recipient too: the scan run every few minutes, or on several hosts at once, tells each person
once; someone named later (a new responsible person, a new department head) is told once at the
next run; a postponed deadline starts anew. ``run`` takes a row lock (``JobLock``, skip_locked): a
second host finding it taken steps aside."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.action_plans import rules as task_rules
from anjian.action_plans.choices import AssignmentStatus
from anjian.action_plans.models import Assignment
from anjian.action_plans.selectors.plans import rhythm_due_q
from anjian.hazards.choices import OPEN_STATUSES
from anjian.hazards.escalation import days_overdue, supervision_days_overdue
from anjian.hazards.models import Hazard
from anjian.hazards.selectors import due_soon_q, overdue_q
from anjian.notifications import delivery, digest, dispatch, duties
from anjian.notifications import recipients as who
from anjian.notifications.choices import DEFAULT_LADDER, Audience, Kind
from anjian.notifications.dispatch import Pending, batches, notify_pending
from anjian.notifications.models import EscalationStep, JobLock
from anjian.notifications.texts import assignment_message, hazard_message

LOCK_NAME = "notify_scan"


@dataclass
class ScanResult:
    ran: bool = True
    dispatched: int = 0
    due_soon: int = 0
    overdue: int = 0
    escalated: int = 0
    supervision_due_soon: int = 0
    supervision_overdue: int = 0
    tasks: int = 0
    inspections: int = 0
    reports: int = 0
    certificates: int = 0
    equipment: int = 0
    digests: int = 0
    requeued: int = 0

    @property
    def written(self) -> int:
        return (
            self.dispatched
            + self.due_soon
            + self.overdue
            + self.escalated
            + self.supervision_due_soon
            + self.supervision_overdue
            + self.tasks
            + self.inspections
            + self.reports
            + self.certificates
            + self.equipment
        )


def ladder() -> list[tuple[int, str]]:
    """The rungs as (days, audience), lowest first; the defaults where none is saved."""
    saved = dict(EscalationStep.objects.values_list("audience", "days"))
    rungs = {a.value: saved.get(a.value, DEFAULT_LADDER[a]) for a in Audience}
    return sorted(
        ((days, audience) for audience, days in rungs.items()), key=lambda r: (r[0], list(Audience).index(r[1]))
    )


def _open_hazards():
    return Hazard.objects.filter(status__in=OPEN_STATUSES).select_related(
        "organization", "organization__parent", "responsible"
    )


def _days(n: int) -> str:
    return _("已逾期 %(days)s 天") % {"days": n}


def _load(people: who.People, hazards) -> None:
    """The people of a batch's institutions and of the regulators right above them, in one query."""
    people.load({h.organization_id for h in hazards} | {h.organization.parent_id for h in hazards})


def scan_due_soon(today: dt.date, people: who.People) -> int:
    written = 0
    hazards = _open_hazards().filter(due_soon_q(today)).order_by("deadline", "pk")
    for batch in batches(hazards):
        _load(people, batch)
        pending = []
        for h in batch:
            left = (h.deadline - today).days
            extra = [_("距整改期限还有 %(days)s 天") % {"days": left}] if left else [_("今天到期")]
            pending.append(
                Pending(
                    key=f"scan:due_soon:{h.pk}:{h.deadline.isoformat()}",
                    recipients=who.responsible(h) or people.department_heads(h),
                    message=partial(hazard_message, Kind.HAZARD_DUE_SOON, h, extra=extra),
                    organization=h.organization,
                    target=h,
                )
            )
        written += notify_pending(pending)
    return written


def scan_overdue(today: dt.date, people: who.People) -> tuple[int, int]:
    """The overdue message (first day) and the ladder's rungs reached by now."""
    rungs = ladder()
    overdue = escalated = 0
    hazards = _open_hazards().filter(overdue_q(today)).order_by("deadline", "pk")
    for batch in batches(hazards):
        _load(people, batch)
        late, steps = [], []
        for h in batch:
            days = days_overdue(h, today)
            deadline = h.deadline.isoformat()
            late.append(
                Pending(
                    key=f"scan:overdue:{h.pk}:{deadline}",
                    recipients=who.responsible(h),
                    message=partial(hazard_message, Kind.HAZARD_OVERDUE, h, extra=[_days(days)]),
                    organization=h.organization,
                    target=h,
                )
            )
            for threshold, audience in rungs:
                if days < threshold:
                    continue
                extra = [_days(days), _("逐级督办：%(who)s") % {"who": Audience(audience).label}]
                steps.append(
                    Pending(
                        key=f"scan:escalate:{h.pk}:{deadline}:{audience}",
                        recipients=people.audience(h, audience),
                        message=partial(hazard_message, Kind.HAZARD_ESCALATED, h, extra=extra),
                        organization=h.organization,
                        target=h,
                    )
                )
        overdue += notify_pending(late)
        escalated += notify_pending(steps)
    return overdue, escalated


def scan_supervision_due_soon(today: dt.date, people: who.People) -> int:
    written = 0
    until = today + dt.timedelta(days=settings.HAZARD_DUE_SOON_DAYS)
    near = _open_hazards().filter(is_supervised=True, supervision_deadline__gte=today, supervision_deadline__lte=until)
    for batch in batches(near.order_by("supervision_deadline", "pk")):
        _load(people, batch)
        pending = []
        for h in batch:
            left = (h.supervision_deadline - today).days
            extra = [_("距督办期限还有 %(days)s 天") % {"days": left}] if left else [_("督办期限今天到期")]
            org = h.organization
            pending.append(
                Pending(
                    key=f"scan:supervision_due_soon:{h.pk}:{h.supervision_deadline.isoformat()}",
                    recipients=who.unique(people.principals(org), people.safety_officers(org), who.responsible(h)),
                    message=partial(hazard_message, Kind.SUPERVISION_DUE_SOON, h, extra=extra),
                    organization=org,
                    target=h,
                )
            )
        written += notify_pending(pending)
    return written


def scan_supervision_overdue(today: dt.date, people: who.People) -> int:
    written = 0
    late = _open_hazards().filter(is_supervised=True, supervision_deadline__lt=today).order_by("pk")
    for batch in batches(late):
        _load(people, batch)
        pending = []
        for h in batch:
            extra = [_("督办期限已过 %(days)s 天") % {"days": supervision_days_overdue(h, today)}]
            pending.append(
                Pending(
                    key=f"scan:supervision_overdue:{h.pk}:{h.supervision_deadline.isoformat()}",
                    recipients=who.unique(people.principals(h.organization), people.regulators(h.organization)),
                    message=partial(hazard_message, Kind.SUPERVISION_OVERDUE, h, extra=extra),
                    organization=h.organization,
                    target=h,
                )
            )
        written += notify_pending(pending)
    return written


def _assignment_pending(kind: str, a, key: str, extra: list[str], people: who.People) -> Pending:
    return Pending(
        key=key,
        recipients=people.leaders(a.organization),
        message=partial(assignment_message, kind, a, extra=extra),
        organization=a.organization,
        target=a,
    )


def scan_assignments(today: dt.date, people: who.People) -> int:
    """Key tasks (重点任务) of active plans not done by a unit, by action_plans' own reminder rules:
    due soon (临期) and overdue (逾期), once per deadline; a standing task's progress report owed by
    its rhythm (待报进展), once per report missed (the key carries the last report's date) → the
    unit's principal, deputy and safety officers."""
    written = 0
    open_ones = (
        Assignment.objects.filter(task__plan__is_active=True, organization__is_active=True)
        .exclude(status=AssignmentStatus.DONE)
        .select_related("task__plan", "organization")
    )
    for kind, condition in (
        (Kind.TASK_DUE_SOON, task_rules.assignment_due_soon_q(today)),
        (Kind.TASK_OVERDUE, task_rules.assignment_overdue_q(today)),
        (Kind.TASK_PROGRESS_DUE, rhythm_due_q(today)),
    ):
        for batch in batches(open_ones.filter(condition).order_by("pk")):
            people.load({a.organization_id for a in batch})
            pending = []
            for a in batch:
                if kind == Kind.TASK_PROGRESS_DUE:
                    last = a.last_reported_on
                    extra = [
                        _("报送频次：%(rhythm)s；上次报告：%(last)s")
                        % {"rhythm": a.task.get_rhythm_display(), "last": last.isoformat() if last else _("尚未报告")}
                    ]
                    key = f"scan:{kind}:{a.pk}:{last.isoformat() if last else 'never'}"
                else:
                    days = (a.task.deadline - today).days
                    extra = [_("距完成时限还有 %(days)s 天") % {"days": days} if days >= 0 else _days(-days)]
                    key = f"scan:{kind}:{a.pk}:{a.task.deadline.isoformat()}"
                pending.append(_assignment_pending(kind, a, key, extra, people))
            written += notify_pending(pending)
    return written


def run(*, today: dt.date | None = None) -> ScanResult:
    """One scan under the lock. ``ran`` is False when another host holds it."""
    JobLock.objects.get_or_create(name=LOCK_NAME)
    today = today or timezone.localdate()
    result = ScanResult()
    people = who.People()
    with transaction.atomic():
        lock = JobLock.objects.select_for_update(skip_locked=True).filter(name=LOCK_NAME).first()
        if lock is None:
            return ScanResult(ran=False)
        result.due_soon = scan_due_soon(today, people)
        result.overdue, result.escalated = scan_overdue(today, people)
        result.supervision_due_soon = scan_supervision_due_soon(today, people)
        result.supervision_overdue = scan_supervision_overdue(today, people)
        result.tasks = scan_assignments(today, people)
        result.inspections = duties.scan_missed_inspections(today, people)
        result.reports = duties.scan_reports(today, people) + duties.scan_analysis_due(today, people)
        result.certificates = duties.scan_certificates(today, people)
        result.equipment = duties.scan_equipment(today, people)
        result.digests = digest.send_digests()
    # outside the lock: each in its own transactions, safe on several hosts by their unique keys
    result.dispatched = dispatch.dispatch_pending()
    result.requeued = delivery.requeue_due()
    return result
