"""The life of a task assignment as data: which action it allows in which state, who may take it, and
the state it leads to.

An assignment's state is its status (未开始, 推进中, 已完成) with the review state of the regulator's
last word (待审核 after a claim of done, 已退回, 已确认完成). The responsible unit reports progress
(``report``), or reports and asks the regulator to confirm the task as done (``claim``); the
regulator of its jurisdiction confirms it (``accept``, once there is a report to confirm) or sends it
back with a comment (``return``). Until it is done every action stays open whatever the review state:
a unit may report again while its claim waits, and the regulator may decide without a claim (only
the bulk review takes the claims alone, ``services.assignment_bulk_review``). A done task takes no
action.

Each rule is checked in one place (``require``) by the services, and ``allowed_actions`` tells the
pages which buttons work. Scoping (can the user see the assignment at all) is decided before: out of
scope is 404. ``by=None`` is the system (the demo data), which passes the role and who checks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from anjian.action_plans.choices import AssignmentStatus as S
from anjian.action_plans.choices import ReviewState as R
from anjian.action_plans.models import Assignment
from anjian.core.errors import ConflictError, DomainError, NotPermittedError
from anjian.core.permissions import Action, can

OPEN = frozenset({S.NOT_STARTED, S.IN_PROGRESS})

# The states an assignment passes through, (status, review state), in order of its life.
STATES: tuple[tuple[str, str], ...] = (
    (S.NOT_STARTED, R.NONE),
    (S.IN_PROGRESS, R.NONE),
    (S.IN_PROGRESS, R.PENDING),
    (S.IN_PROGRESS, R.RETURNED),
    (S.DONE, R.ACCEPTED),
)


# --- who: the user's relation to the assignment --------------------------------------------------
def unit_member(a: Assignment, u) -> bool:
    """A member of the responsible unit."""
    return u is None or u.organization_id == a.organization_id


def jurisdiction_regulator(a: Assignment, u) -> bool:
    """A regulator whose jurisdiction holds the responsible unit."""
    org = getattr(u, "organization", None) if u is not None else None
    return u is None or (org is not None and org.is_regulator and a.organization.path.startswith(org.path))


# --- extra conditions on the assignment ----------------------------------------------------------
def _reported(a: Assignment, u) -> Exception | None:
    if a.report_count == 0:
        return DomainError(gettext("责任单位尚未报告进展，不能确认完成。"))
    return None


@dataclass(frozen=True)
class Rule:
    action: str
    label: str
    permission: Action  # the role's permission (core.permissions)
    permission_text: str  # the refusal of a role without it
    sources: frozenset  # the statuses it starts from (any review state)
    status: str  # the status it leads to
    review_state: str | None  # the review state it leads to; None: unchanged
    who: Callable[[Assignment, object], bool]
    who_text: str  # the refusal of anyone else
    state_text: str  # the refusal outside ``sources``
    condition: Callable[[Assignment, object], Exception | None] | None = None


_REPORTER = {
    "permission": Action.PLAN_REPORT,
    "permission_text": _("您的角色不能报告任务进展。"),
    "sources": OPEN,
    "status": S.IN_PROGRESS,
    "who": unit_member,
    "who_text": _("只有责任单位本单位的人员可以填报。"),
    "state_text": _("该任务已确认完成，无需再报告进展。"),
}
_REVIEWER = {
    "permission": Action.PLAN_REVIEW,
    "permission_text": _("您的角色不能审核任务进展。"),
    "sources": OPEN,
    "who": jurisdiction_regulator,
    "who_text": _("只有本辖区的监管部门可以审核。"),
    "state_text": _("该任务已确认完成。"),
}

RULES: dict[str, Rule] = {
    r.action: r
    for r in [
        Rule("report", _("报告进展"), review_state=None, **_REPORTER),
        Rule("claim", _("申请确认完成"), review_state=R.PENDING, **_REPORTER),
        Rule("accept", _("确认完成"), status=S.DONE, review_state=R.ACCEPTED, condition=_reported, **_REVIEWER),
        Rule("return", _("退回，继续推进"), status=S.IN_PROGRESS, review_state=R.RETURNED, **_REVIEWER),
    ]
}


def refusal(assignment: Assignment, action: str, user) -> Exception | None:
    """Why ``user`` may not take ``action`` on ``assignment`` now, or None when they may."""
    rule = RULES[action]
    if user is not None and not can(user, rule.permission):
        return NotPermittedError(str(rule.permission_text))
    if not rule.who(assignment, user):
        return NotPermittedError(str(rule.who_text))
    if assignment.status not in rule.sources:
        return ConflictError(str(rule.state_text))
    if rule.condition is not None:
        return rule.condition(assignment, user)
    return None


def require(assignment: Assignment, action: str, user) -> Rule:
    problem = refusal(assignment, action, user)
    if problem is not None:
        raise problem
    return RULES[action]


def allowed_actions(assignment: Assignment, user) -> list[str]:
    """The actions the user can take on the assignment now, in the order of RULES."""
    return [action for action in RULES if refusal(assignment, action, user) is None]


def apply(assignment: Assignment, rule: Rule) -> None:
    """Move the assignment to the state the rule leads to (the caller saves it)."""
    assignment.status = rule.status
    if rule.review_state is not None:
        assignment.review_state = rule.review_state
