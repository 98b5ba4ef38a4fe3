"""The time-driven events, found by the periodic job (``manage.py notify_scan``), never by page views:

- due soon: an open hazard whose deadline is within ``HAZARD_DUE_SOON_DAYS`` → its responsible person;
- overdue: past its deadline → the responsible person and the department head, on the first day;
- the escalation ladder (逐级督办): N days overdue → the rung's people (``EscalationStep``, editable:
  department head, safety officer, principal, regulator), each rung once per deadline;
- a supervision (挂牌督办) past its deadline → the principal and the regulator.

Each message's key carries the hazard, the deadline it is about and the rung, so the scan run every
few minutes, or on several hosts at once, tells each person once; a postponed deadline starts anew.
``run`` takes a row lock (``JobLock``, skip_locked): a second host finding it taken steps aside."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.action_plans import rules as task_rules
from anjian.action_plans.models import Assignment
from anjian.hazards.choices import OPEN_STATUSES
from anjian.hazards.escalation import days_overdue, supervision_days_overdue
from anjian.hazards.models import Hazard
from anjian.hazards.selectors import due_soon_q, overdue_q
from anjian.notifications import delivery, digest, dispatch
from anjian.notifications import recipients as who
from anjian.notifications.choices import DEFAULT_LADDER, Audience, Kind
from anjian.notifications.models import EscalationStep, JobLock, Notification
from anjian.notifications.texts import assignment_message, hazard_message

LOCK_NAME = "notify_scan"


@dataclass
class ScanResult:
    ran: bool = True
    dispatched: int = 0
    due_soon: int = 0
    overdue: int = 0
    escalated: int = 0
    supervision_overdue: int = 0
    tasks: int = 0
    digests: int = 0
    requeued: int = 0

    @property
    def written(self) -> int:
        return self.dispatched + self.due_soon + self.overdue + self.escalated + self.supervision_overdue + self.tasks


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


BATCH = 200


def _batches(qs):
    """The rows of ``qs`` in lists of ``BATCH``."""
    batch = []
    for row in qs.iterator(chunk_size=BATCH):
        batch.append(row)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _notified(keys) -> set[str]:
    """Of these message keys, the ones already in someone's inbox, in one query: the scan skips
    them before finding their recipients (a run every few minutes would otherwise ask again for
    every open hazard's people and try every insert)."""
    keys = list(keys)
    if not keys:
        return set()
    q = Q()
    for key in keys:
        q |= Q(key__startswith=f"{key}:user:")
    return {item.rsplit(":user:", 1)[0] for item in Notification.objects.filter(q).values_list("key", flat=True)}


def scan_due_soon(today: dt.date) -> int:
    written = 0
    hazards = _open_hazards().filter(due_soon_q(today)).order_by("deadline", "pk")
    for batch in _batches(hazards):
        keys = {h.pk: f"scan:due_soon:{h.pk}:{h.deadline.isoformat()}" for h in batch}
        done = _notified(keys.values())
        for h in batch:
            if keys[h.pk] in done:
                continue
            left = (h.deadline - today).days
            extra = [_("距整改期限还有 %(days)s 天") % {"days": left}] if left else [_("今天到期")]
            items = dispatch.notify(
                key=keys[h.pk],
                message=hazard_message(Kind.HAZARD_DUE_SOON, h, extra=extra),
                recipients=who.unique(who.responsible(h), who.department_heads(h) if not h.responsible_id else []),
                organization=h.organization,
                target=h,
            )
            written += len(items)
    return written


def scan_overdue(today: dt.date) -> tuple[int, int]:
    """The overdue message (first day) and the ladder's rungs reached by now."""
    rungs = ladder()
    overdue = escalated = 0
    hazards = _open_hazards().filter(overdue_q(today)).order_by("deadline", "pk")
    for batch in _batches(hazards):
        keys = {}
        for h in batch:
            days = days_overdue(h, today)
            deadline = h.deadline.isoformat()
            reached = [audience for threshold, audience in rungs if days >= threshold]
            keys[h.pk] = (
                days,
                f"scan:overdue:{h.pk}:{deadline}",
                [(audience, f"scan:escalate:{h.pk}:{deadline}:{audience}") for audience in reached],
            )
        done = _notified(k for _d, key, steps in keys.values() for k in [key, *(s[1] for s in steps)])
        for h in batch:
            days, key, steps = keys[h.pk]
            if key not in done:
                overdue += len(
                    dispatch.notify(
                        key=key,
                        message=hazard_message(Kind.HAZARD_OVERDUE, h, extra=[_days(days)]),
                        recipients=who.responsible(h),
                        organization=h.organization,
                        target=h,
                    )
                )
            for audience, step_key in steps:
                if step_key in done:
                    continue
                extra = [_days(days), _("逐级督办：%(who)s") % {"who": Audience(audience).label}]
                escalated += len(
                    dispatch.notify(
                        key=step_key,
                        message=hazard_message(Kind.HAZARD_ESCALATED, h, extra=extra),
                        recipients=who.audience(h, audience),
                        organization=h.organization,
                        target=h,
                    )
                )
    return overdue, escalated


def scan_supervision_overdue(today: dt.date) -> int:
    written = 0
    late = _open_hazards().filter(is_supervised=True, supervision_deadline__lt=today).order_by("pk")
    for batch in _batches(late):
        keys = {h.pk: f"scan:supervision_overdue:{h.pk}:{h.supervision_deadline.isoformat()}" for h in batch}
        done = _notified(keys.values())
        for h in batch:
            if keys[h.pk] in done:
                continue
            days = supervision_days_overdue(h, today)
            written += len(
                dispatch.notify(
                    key=keys[h.pk],
                    message=hazard_message(
                        Kind.SUPERVISION_OVERDUE, h, extra=[_("督办期限已过 %(days)s 天") % {"days": days}]
                    ),
                    recipients=who.unique(who.principals(h.organization), who.regulators(h.organization)),
                    organization=h.organization,
                    target=h,
                )
            )
    return written


def scan_assignments(today: dt.date) -> int:
    """Key tasks (重点任务) of active plans not done by a unit, by action_plans' own reminder rules:
    due soon (临期) and overdue (逾期) → the unit's principal, deputy and safety officers, once per
    deadline."""
    written = 0
    open_ones = Assignment.objects.filter(task__plan__is_active=True, organization__is_active=True).select_related(
        "task__plan", "organization"
    )
    for kind, condition in (
        (Kind.TASK_DUE_SOON, task_rules.assignment_due_soon_q(today)),
        (Kind.TASK_OVERDUE, task_rules.assignment_overdue_q(today)),
    ):
        for batch in _batches(open_ones.filter(condition).order_by("pk")):
            keys = {a.pk: f"scan:{kind}:{a.pk}:{a.task.deadline.isoformat()}" for a in batch}
            done = _notified(keys.values())
            for a in batch:
                if keys[a.pk] in done:
                    continue
                org = a.organization
                days = (a.task.deadline - today).days
                extra = [_("距完成时限还有 %(days)s 天") % {"days": days} if days >= 0 else _days(-days)]
                written += len(
                    dispatch.notify(
                        key=keys[a.pk],
                        message=assignment_message(kind, a, extra=extra),
                        recipients=who.with_role(org, "principal", "deputy", "safety_officer"),
                        organization=org,
                        target=a,
                    )
                )
    return written


def run(*, today: dt.date | None = None) -> ScanResult:
    """One scan under the lock. ``ran`` is False when another host holds it."""
    JobLock.objects.get_or_create(name=LOCK_NAME)
    today = today or timezone.localdate()
    result = ScanResult()
    with transaction.atomic():
        lock = JobLock.objects.select_for_update(skip_locked=True).filter(name=LOCK_NAME).first()
        if lock is None:
            return ScanResult(ran=False)
        result.due_soon = scan_due_soon(today)
        result.overdue, result.escalated = scan_overdue(today)
        result.supervision_overdue = scan_supervision_overdue(today)
        result.tasks = scan_assignments(today)
        result.digests = digest.send_digests()
    # outside the lock: each in its own transactions, safe on several hosts by their unique keys
    result.dispatched = dispatch.dispatch_pending()
    result.requeued = delivery.requeue_due()
    return result
