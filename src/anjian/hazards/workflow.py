"""The closed loop of a hazard as data: which action moves it from which states, and who may take it.

Each rule is checked in one place (``require``) by every service, and ``allowed_actions`` tells
the pages and the API which actions the user can take now, so only working buttons are shown.
Scoping (can the user see the hazard at all) is decided before: out of scope is 404.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from anjian.core.permissions import Action, can
from anjian.core.roles import REGULATOR_ROLES, Role
from anjian.core.workflow import Rule, Table
from anjian.hazards.choices import HazardStatus as S
from anjian.hazards.models import Hazard

OPEN = frozenset({S.REPORTED, S.RECTIFYING, S.AWAITING_ACCEPTANCE})
LEADERS = frozenset({Role.PRINCIPAL, Role.DEPUTY, Role.SAFETY_OFFICER})


# --- who: the user's relation to the hazard ------------------------------------------------------
def _own(h: Hazard, u) -> bool:
    return u.organization_id == h.organization_id


def leader(h: Hazard, u) -> bool:
    """The institution's safety officer, deputy in charge or principal."""
    return _own(h, u) and u.role in LEADERS


def principal(h: Hazard, u) -> bool:
    return _own(h, u) and u.role == Role.PRINCIPAL


def principal_or_deputy(h: Hazard, u) -> bool:
    return _own(h, u) and u.role in (Role.PRINCIPAL, Role.DEPUTY)


def safety_officer(h: Hazard, u) -> bool:
    return _own(h, u) and u.role == Role.SAFETY_OFFICER


def regulator(h: Hazard, u) -> bool:
    """A regulator whose jurisdiction holds the hazard's institution."""
    org = u.organization
    return u.role in REGULATOR_ROLES and org is not None and h.organization.path.startswith(org.path)


def rectifier(h: Hazard, u) -> bool:
    """Whoever carries out the rectification: the responsible person, the department head, leaders."""
    if not _own(h, u):
        return False
    if u.role in LEADERS or (h.responsible_id is not None and h.responsible_id == u.pk):
        return True
    return u.role == Role.DEPARTMENT_HEAD and h.department_id is not None and u.department_id == h.department_id


def acceptor(h: Hazard, u) -> bool:
    """General: the institution's leaders. Major: the regulator, after the principal's endorsement."""
    return regulator(h, u) if h.is_major else leader(h, u)


def rejecter(h: Hazard, u) -> bool:
    if h.is_major:
        return regulator(h, u) if h.endorsed_at else principal(h, u)
    return leader(h, u)


def postponement_decider(h: Hazard, u) -> bool:
    """General: principal or deputy. Major: the regulator."""
    return regulator(h, u) if h.is_major else principal_or_deputy(h, u)


def safety_officer_or_regulator(h: Hazard, u) -> bool:
    return safety_officer(h, u) or regulator(h, u)


# --- extra conditions on the hazard's state ------------------------------------------------------
def _needs_endorsement(h: Hazard, u) -> str | None:
    if not h.is_major:
        return str(_("一般事故隐患无需单位负责人审核。"))
    if h.endorsed_at:
        return str(_("单位负责人已审核。"))
    return None


def _acceptable(h: Hazard, u) -> str | None:
    if h.is_major and not h.endorsed_at:
        return str(_("重大事故隐患须先经单位主要负责人审核，再报监管部门审核销号。"))
    if h.rectified_by_id is not None and h.rectified_by_id == u.pk:
        return str(_("验收人不能是整改提交人。"))
    return None


def _has_pending_postponement(h: Hazard) -> bool:
    """Annotated by the selectors (no query per hazard in a list); asked of the database otherwise."""
    annotated = getattr(h, "has_pending_postponement", None)
    return annotated if annotated is not None else h.postponements.filter(decision="pending").exists()


def _no_pending_postponement(h: Hazard, u) -> str | None:
    if _has_pending_postponement(h):
        return str(_("已有待审批的延期申请。"))
    return None


def _pending_postponement(h: Hazard, u) -> str | None:
    if not _has_pending_postponement(h):
        return str(_("没有待审批的延期申请。"))
    return None


def _major_unsupervised(h: Hazard, u) -> str | None:
    if not h.is_major:
        return str(_("只有重大事故隐患可以挂牌督办。"))
    if h.is_supervised:
        return str(_("该隐患已挂牌督办。"))
    return None


def _supervised(h: Hazard, u) -> str | None:
    return None if h.is_supervised else str(_("该隐患未挂牌督办。"))


def _state_refusal(obj, action) -> str:
    return _("隐患当前状态为“%(status)s”，不能%(action)s。") % {"status": obj.get_status_display(), "action": action}


TABLE = Table(
    [
        Rule(
            "confirm",
            _("确认并制定整改方案"),
            frozenset({S.REPORTED}),
            S.RECTIFYING,
            leader,
            _("须由本单位安全管理员、分管负责人或主要负责人执行"),
        ),
        Rule(
            "dismiss",
            _("撤销"),
            frozenset({S.REPORTED}),
            S.DISMISSED,
            leader,
            _("须由本单位安全管理员、分管负责人或主要负责人执行"),
        ),
        Rule(
            "submit",
            _("提交整改结果"),
            frozenset({S.RECTIFYING}),
            S.AWAITING_ACCEPTANCE,
            rectifier,
            _("须由整改责任人、所在科室负责人或本单位负责人执行"),
        ),
        Rule(
            "endorse",
            _("单位负责人审核"),
            frozenset({S.AWAITING_ACCEPTANCE}),
            None,
            principal,
            _("须由本单位主要负责人执行"),
            _needs_endorsement,
        ),
        Rule(
            "accept",
            _("验收销号"),
            frozenset({S.AWAITING_ACCEPTANCE}),
            S.CLOSED,
            acceptor,
            _("一般隐患由本单位负责人验收，重大隐患由监管部门审核销号"),
            _acceptable,
        ),
        Rule(
            "reject",
            _("验收不通过"),
            frozenset({S.AWAITING_ACCEPTANCE}),
            S.RECTIFYING,
            rejecter,
            _("须由验收人执行（一般隐患为本单位负责人，重大隐患为主要负责人或监管部门）"),
            lambda h, u: _("验收人不能是整改提交人。") if h.rectified_by_id == u.pk else None,
        ),
        Rule(
            "postpone",
            _("申请延期"),
            frozenset({S.RECTIFYING}),
            None,
            rectifier,
            _("须由整改责任人、所在科室负责人或本单位负责人执行"),
            _no_pending_postponement,
        ),
        Rule(
            "approve-postponement",
            _("批准延期"),
            frozenset({S.RECTIFYING}),
            None,
            postponement_decider,
            _("一般隐患由主要负责人或分管负责人审批，重大隐患由监管部门审批"),
            _pending_postponement,
        ),
        Rule(
            "refuse-postponement",
            _("不批准延期"),
            frozenset({S.RECTIFYING}),
            None,
            postponement_decider,
            _("一般隐患由主要负责人或分管负责人审批，重大隐患由监管部门审批"),
            _pending_postponement,
        ),
        Rule(
            "change-plan",
            _("变更整改方案"),
            frozenset({S.RECTIFYING, S.AWAITING_ACCEPTANCE}),
            None,
            safety_officer,
            _("须由本单位安全管理员执行"),
        ),
        Rule(
            "reclassify",
            _("调整隐患等级"),
            OPEN,
            None,
            safety_officer_or_regulator,
            _("须由本单位安全管理员或监管部门执行"),
        ),
        Rule("supervise", _("挂牌督办"), OPEN, None, regulator, _("须由属地监管部门执行"), _major_unsupervised),
        Rule("unsupervise", _("解除挂牌督办"), frozenset(S), None, regulator, _("须由属地监管部门执行"), _supervised),
    ],
    state_refusal=_state_refusal,
)
RULES = TABLE.rules
refusal, require, allowed_actions = TABLE.refusal, TABLE.require, TABLE.allowed_actions


# --- the notices a hazard's page offers ------------------------------------------------------------
# reports.NoticeKind values; reports stands above hazards in the import order, so its rule
# (reports.services._check_target) is stated here for the buttons, and a test walks every demo role
# through both (test_buttons_per_role.py) so that the two cannot drift apart.
CLOSED_OR_DISMISSED = frozenset({S.CLOSED, S.DISMISSED})


def notices(hazard: Hazard, user) -> list[str]:
    """The notices ``user`` may issue for ``hazard`` now: 隐患整改通知书 (an institution's leaders or
    the regulator, while the hazard is open or awaiting acceptance), 挂牌督办通知书 (the regulator, for a
    supervised major hazard)."""
    if user.organization_id is None:
        return []
    kinds = []
    if can(user, Action.NOTICE_ISSUE) and hazard.status not in CLOSED_OR_DISMISSED:
        kinds.append("rectification")
    if can(user, Action.SUPERVISION_MANAGE) and hazard.is_major and hazard.is_supervised:
        kinds.append("supervision")
    return kinds


# The actions that wait for someone (the home page's 待我处理). Reclassifying, postponing and
# listing for supervision are open to a leader or the regulator on any open hazard: possible, not owed.
DUTIES = frozenset(
    {"confirm", "dismiss", "submit", "endorse", "accept", "reject", "approve-postponement", "refuse-postponement"}
)


def duties(hazard: Hazard, user) -> list[str]:
    """The actions the hazard waits for from ``user`` now."""
    return [action for action in allowed_actions(hazard, user) if action in DUTIES]
