"""The life of a work permit as data: which action moves it from which states, and who may take it.

    draft ──submit──▶ approving (the kind's steps in order: department → safety office [→ principal])
      │                 │  approve (last step) ──▶ approved ──start──▶ active ⇄ suspended ──close──▶ closed
      │                 └─ reject ──▶ rejected
      └─ cancel (draft, approving, approved) ──▶ cancelled

Each rule is checked in one place (``require``) by every service; ``allowed_actions`` tells the
pages and the API which actions the user can take now. Scoping (can the user see the permit at
all) is decided before: out of scope is 404. Conditions that depend on time and on other records
(a fresh gas test, approvals complete, the contractor's documents) are ``contractors.rules``.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from anjian.contractors import rules
from anjian.contractors.choices import ApprovalStep
from anjian.contractors.choices import PermitStatus as S
from anjian.contractors.models import WorkPermit
from anjian.core.permissions import Action, can
from anjian.core.roles import Role
from anjian.core.workflow import Rule, Table

LEADERS = frozenset({Role.PRINCIPAL, Role.DEPUTY, Role.SAFETY_OFFICER})


# --- who: the user's relation to the permit ------------------------------------------------------
def _own(p: WorkPermit, u) -> bool:
    return u.organization_id == p.organization_id


def applicant_or_leader(p: WorkPermit, u) -> bool:
    return _own(p, u) and (p.applicant_id == u.pk or u.role in LEADERS)


def step_approver(step: str, p: WorkPermit, u) -> bool:
    """Who decides a step: the department's head (or the deputy in charge), the safety officer,
    the principal."""
    if not _own(p, u):
        return False
    if step == ApprovalStep.DEPARTMENT:
        if u.role == Role.DEPUTY:
            return True
        return u.role == Role.DEPARTMENT_HEAD and p.department_id is not None and u.department_id == p.department_id
    if step == ApprovalStep.SAFETY_OFFICE:
        return u.role == Role.SAFETY_OFFICER
    if step == ApprovalStep.PRINCIPAL:
        return u.role == Role.PRINCIPAL
    return False


def approver(p: WorkPermit, u) -> bool:
    return bool(p.pending_step) and step_approver(p.pending_step, p, u)


def on_site(p: WorkPermit, u) -> bool:
    """Whoever answers for the site: the guardian, the applicant, the safety officer."""
    return _own(p, u) and (u.pk in (p.guardian_id, p.applicant_id) or u.role == Role.SAFETY_OFFICER)


def on_site_or_leader(p: WorkPermit, u) -> bool:
    """Anyone on site, or the institution's leaders, may stop the work."""
    return on_site(p, u) or (_own(p, u) and u.role in LEADERS)


# --- extra conditions ----------------------------------------------------------------------------
def _not_own_application(p: WorkPermit, u) -> str | None:
    return str(_("审批人不能是申请人本人。")) if p.applicant_id == u.pk else None


def _submittable(p: WorkPermit, u) -> str | None:
    if p.guardian_id is None:
        return str(_("请先指定监护人，再提交审批。"))
    if p.contractor_id:
        blockers = rules.contractor_blockers(p.contractor)
        if blockers:
            return " ".join(blockers)
    return None


def _startable(p: WorkPermit, u) -> str | None:
    blockers = rules.start_blockers(p)
    return " ".join(blockers) if blockers else None


def _resumable(p: WorkPermit, u) -> str | None:
    problem = rules.gas_test_problem(p, since=p.suspended_at)
    return problem or None


def _not_started_message(p: WorkPermit) -> str | None:
    """Start asked of a permit still in draft or approval: say what is missing, not just the state."""
    if p.status in (S.DRAFT, S.APPROVING):
        return " ".join(rules.start_blockers(p))
    return None


def _state_refusal(obj, action) -> str:
    return _("作业票当前状态为“%(status)s”，不能%(action)s。") % {"status": obj.get_status_display(), "action": action}


def _gate(user) -> str | None:
    return None if can(user, Action.WORK_PERMIT_VIEW) else str(_("您的角色无权处理危险作业票。"))


TABLE = Table(
    [
        Rule(
            "submit",
            _("提交审批"),
            frozenset({S.DRAFT}),
            S.APPROVING,
            applicant_or_leader,
            _("须由申请人或本单位负责人、安全管理员执行"),
            _submittable,
        ),
        Rule(
            "approve",
            _("审批同意"),
            frozenset({S.APPROVING}),
            None,
            approver,
            _("须由当前审批环节的审批人执行（科室负责人或分管负责人、安全管理员、主要负责人）"),
            _not_own_application,
        ),
        Rule(
            "reject",
            _("审批驳回"),
            frozenset({S.APPROVING}),
            S.REJECTED,
            approver,
            _("须由当前审批环节的审批人执行"),
            _not_own_application,
        ),
        Rule(
            "cancel",
            _("取消作业票"),
            frozenset({S.DRAFT, S.APPROVING, S.APPROVED}),
            S.CANCELLED,
            applicant_or_leader,
            _("须由申请人或本单位负责人、安全管理员执行"),
        ),
        Rule(
            "gas-test",
            _("登记气体分析"),
            frozenset({S.APPROVING, S.APPROVED, S.ACTIVE, S.SUSPENDED}),
            None,
            on_site,
            _("须由监护人、申请人或安全管理员执行"),
        ),
        Rule(
            "start",
            _("开始作业"),
            frozenset({S.APPROVED}),
            S.ACTIVE,
            on_site,
            _("须由监护人、申请人或安全管理员执行"),
            _startable,
            _not_started_message,
        ),
        Rule(
            "suspend",
            _("暂停作业"),
            frozenset({S.ACTIVE}),
            S.SUSPENDED,
            on_site_or_leader,
            _("须由监护人、申请人、安全管理员或本单位负责人执行"),
        ),
        Rule(
            "resume",
            _("恢复作业"),
            frozenset({S.SUSPENDED}),
            S.ACTIVE,
            on_site,
            _("须由监护人、申请人或安全管理员执行"),
            _resumable,
        ),
        Rule(
            "close",
            _("完工验收"),
            frozenset({S.ACTIVE, S.SUSPENDED}),
            S.CLOSED,
            on_site,
            _("须由监护人、申请人或安全管理员执行"),
        ),
    ],
    state_refusal=_state_refusal,
    gate=_gate,
)
RULES = TABLE.rules
refusal, require, allowed_actions = TABLE.refusal, TABLE.require, TABLE.allowed_actions


def awaits_approval_from(permit: WorkPermit, user) -> bool:
    """The permit waits for ``user``'s decision (the home page's 待我审批)."""
    return permit.status == S.APPROVING and refusal(permit, "approve", user) is None
