"""The catalogue: which events notify whom.

Immediate events are the audit events the services of the lower apps already record (no lower app
imports this one): ``RULES`` maps an audit verb to a function that, given the event and its target,
answers the message and its recipients. Time-driven events (due soon, overdue, the escalation
ladder, a supervision past its deadline) are found by the periodic scan (``scan.py``).

Recipients by responsibility: the hazard's responsible person (整改责任人), the department head of
its department, the institution's safety officers, its principal (主要负责人: every major hazard
and every 挂牌督办, seed 002), and the regulator right above it. Whoever acted is not told of their
own act."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from anjian.core.audit import AuditVerb
from anjian.hazards.models import Hazard
from anjian.notifications import recipients as who
from anjian.notifications.choices import Kind
from anjian.notifications.texts import Message, assignment_message, hazard_message, notice_message


@dataclass
class Outcome:
    message: Message
    recipients: list


def _reported(event, hazard: Hazard) -> Outcome:
    org = hazard.organization
    if hazard.is_major:  # reported to the principal and to the regulator at once (16号令)
        people = who.unique(who.principals(org), who.safety_officers(org), who.regulators(org), exclude=event.actor)
        return Outcome(hazard_message(Kind.MAJOR_HAZARD_REPORTED, hazard), people)
    return Outcome(
        hazard_message(Kind.HAZARD_REPORTED, hazard), who.unique(who.safety_officers(org), exclude=event.actor)
    )


def _confirmed(event, hazard: Hazard) -> Outcome:
    people = who.unique(who.responsible(hazard), who.department_heads(hazard), exclude=event.actor)
    return Outcome(hazard_message(Kind.HAZARD_ASSIGNED, hazard), people)


def _plan_changed(event, hazard: Hazard) -> Outcome:
    """A new responsible person (整改责任人) named by a change of plan is told of the task, as at
    confirmation; a plan changed in other parts tells no one."""
    people = who.responsible(hazard) if "responsible" in (event.changes or {}) else []
    return Outcome(hazard_message(Kind.HAZARD_ASSIGNED, hazard), who.unique(people, exclude=event.actor))


def _rejected(event, hazard: Hazard) -> Outcome:
    people = who.unique(who.responsible(hazard), who.department_heads(hazard), exclude=event.actor)
    extra = [_("验收意见：%(note)s") % {"note": event.note[:200]}] if event.note else []
    return Outcome(hazard_message(Kind.HAZARD_REJECTED, hazard, extra=extra), people)


def _submitted(event, hazard: Hazard) -> Outcome:
    org = hazard.organization
    # a major hazard is endorsed by the principal first; a general one accepted by the leaders
    people = who.principals(org) if hazard.is_major else who.safety_officers(org)
    return Outcome(hazard_message(Kind.HAZARD_AWAITING_ACCEPTANCE, hazard), who.unique(people, exclude=event.actor))


def _endorsed(event, hazard: Hazard) -> Outcome:
    people = who.regulators(hazard.organization) if hazard.is_major else []
    return Outcome(hazard_message(Kind.HAZARD_AWAITING_ACCEPTANCE, hazard), who.unique(people, exclude=event.actor))


def _postpone_requested(event, hazard: Hazard) -> Outcome:
    org = hazard.organization
    people = who.regulators(org) if hazard.is_major else who.with_role(org, "principal", "deputy")
    return Outcome(hazard_message(Kind.HAZARD_POSTPONE_REQUESTED, hazard), who.unique(people, exclude=event.actor))


def _reclassified(event, hazard: Hazard) -> Outcome:
    """Raised to major: told as a major hazard reported (a lowered one tells no one)."""
    if not hazard.is_major or "level" not in (event.changes or {}):
        return Outcome(hazard_message(Kind.MAJOR_HAZARD_REPORTED, hazard), [])
    return _reported(event, hazard)


def _supervised(event, hazard: Hazard) -> Outcome:
    org = hazard.organization
    people = who.unique(who.principals(org), who.safety_officers(org), who.responsible(hazard), exclude=event.actor)
    return Outcome(hazard_message(Kind.HAZARD_SUPERVISED, hazard), people)


def _notice_issued(event, notice) -> Outcome:
    org = notice.organization
    return Outcome(
        notice_message(notice), who.unique(who.principals(org), who.safety_officers(org), exclude=event.actor)
    )


def _assignment_returned(event, assignment) -> Outcome:
    org = assignment.organization
    extra = [_("审核意见：%(note)s") % {"note": assignment.review_comment[:200]}] if assignment.review_comment else []
    people = who.unique(who.People().leaders(org), exclude=event.actor)
    return Outcome(assignment_message(Kind.TASK_RETURNED, assignment, extra=extra), people)


@dataclass(frozen=True)
class Rule:
    model: str  # the target's model label
    outcome: Callable


RULES: dict[str, Rule] = {
    AuditVerb.HAZARD_REPORTED: Rule("hazards.Hazard", _reported),
    AuditVerb.HAZARD_CONFIRMED: Rule("hazards.Hazard", _confirmed),
    AuditVerb.HAZARD_PLAN_CHANGED: Rule("hazards.Hazard", _plan_changed),
    AuditVerb.HAZARD_REJECTED: Rule("hazards.Hazard", _rejected),
    AuditVerb.HAZARD_SUBMITTED: Rule("hazards.Hazard", _submitted),
    AuditVerb.HAZARD_ENDORSED: Rule("hazards.Hazard", _endorsed),
    AuditVerb.HAZARD_POSTPONE_REQUESTED: Rule("hazards.Hazard", _postpone_requested),
    AuditVerb.HAZARD_RECLASSIFIED: Rule("hazards.Hazard", _reclassified),
    AuditVerb.HAZARD_SUPERVISED: Rule("hazards.Hazard", _supervised),
    AuditVerb.NOTICE_ISSUED: Rule("reports.Notice", _notice_issued),
    AuditVerb.NOTICE_REISSUED: Rule("reports.Notice", _notice_issued),  # the new version, told anew
    AuditVerb.ASSIGNMENT_RETURNED: Rule("action_plans.Assignment", _assignment_returned),
}
VERBS = frozenset(str(v) for v in RULES)
