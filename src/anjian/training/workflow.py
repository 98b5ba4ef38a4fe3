"""The life of a drill as data: which action is open in which state, and who may take it.

    plan ──▶ planned ──record──▶ done      (add-finding, add-photo; participants sign in by QR)
               │
               └──cancel──▶ cancelled

A drill entered at once as held starts in ``done``. Each rule is checked in one place
(``require``) by the services; ``allowed_actions`` tells the pages and the API which actions the
user can take now. Scoping (can the user see the drill at all) is decided before: out of scope is
404; a regulator who sees the drill may not change it (403).
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.core.permissions import Action, can
from anjian.core.workflow import Rule, Table
from anjian.training.choices import DrillStatus as S
from anjian.training.models import Drill

SIGN_IN_DAYS_AFTER = 7  # a participant may still scan within the week after the drill


def _own(d: Drill, u) -> bool:
    return u.organization_id == d.organization_id


def manager(d: Drill, u) -> bool:
    return _own(d, u) and can(u, Action.TRAINING_MANAGE)


def participant(d: Drill, u) -> bool:
    return _own(d, u) and can(u, Action.TRAINING_ATTEND)


def _started(d: Drill, u) -> str | None:
    """Photos and scans belong to a drill under way or held, not one still to come."""
    if d.held_on > timezone.localdate():
        return str(_("演练计划于 %(d)s 开展，尚未开始。") % {"d": d.held_on.isoformat()})
    return None


def _sign_in_open(d: Drill, u) -> str | None:
    problem = _started(d, u)
    if problem:
        return problem
    if (timezone.localdate() - d.held_on).days > SIGN_IN_DAYS_AFTER:
        return str(_("演练已过去一周以上，请联系安全管理员补登参演人员。"))
    return None


def _not_done_message(d: Drill) -> str | None:
    if d.status == S.PLANNED:
        return str(_("演练尚未登记开展情况，请先登记演练情况，再登记发现的问题。"))
    return None


def _state_refusal(obj, action) -> str:
    return _("演练当前状态为“%(status)s”，不能%(action)s。") % {"status": obj.get_status_display(), "action": action}


TABLE = Table(
    [
        Rule(
            "record",
            _("登记演练情况"),
            frozenset({S.PLANNED}),
            S.DONE,
            manager,
            _("须由本单位的安全管理员或负责人执行"),
        ),
        Rule(
            "cancel",
            _("取消演练计划"),
            frozenset({S.PLANNED}),
            S.CANCELLED,
            manager,
            _("须由本单位的安全管理员或负责人执行"),
        ),
        Rule(
            "add-finding",
            _("登记发现的问题"),
            frozenset({S.DONE}),
            None,
            manager,
            _("须由本单位的安全管理员或负责人执行"),
            state_message=_not_done_message,
        ),
        Rule(
            "add-photo",
            _("上传演练照片"),
            frozenset({S.PLANNED, S.DONE}),
            None,
            manager,
            _("须由本单位的安全管理员或负责人执行"),
            _started,
        ),
        Rule(
            "sign-in",
            _("参演签到"),
            frozenset({S.PLANNED, S.DONE}),
            None,
            participant,
            _("只有本单位人员可以签到"),
            _sign_in_open,
        ),
    ],
    state_refusal=_state_refusal,
)
RULES = TABLE.rules
refusal, require, allowed_actions = TABLE.refusal, TABLE.require, TABLE.allowed_actions
