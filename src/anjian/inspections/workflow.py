"""The life cycles of the inspection regime as data, in the shape of ``hazards.workflow``: which
actions each state allows, who may take them, and the refusal (in Chinese) when they may not.

Two tables:

- ``TEMPLATE_RULES``, a checklist's versions: draft → published → retired. A draft is edited (its
  name and its items) and published by the unit that owns it; a published version never changes, is
  used for inspections, and a new version starts from it; publishing the next version retires it
  (``RETIRED_ON_PUBLISH``), and records that used it keep it. Copying a checklist (the starter
  library, a district's) is open in any state to whoever may manage checklists: a permission of the
  role (``core.permissions``), not a step of the life cycle.
- ``RECORD_RULES``, an inspection (``Inspection``): a schedule's period (at a point) or a supervision's
  checklist is due until a record is filed for it (``submit``), then done; a done one is corrected by a
  new record that refers to it (``correct``). The checks of the schedule itself (switched off, out of
  its dates, out of its day window, the point) stay with the services (``services.filling``).

Each service asks ``require`` before it writes; ``allowed_actions`` tells what a user can do now.
Unlike a hazard's table, who may act is checked before the state: someone else's checklist is
"copy it first" whatever its state (the starter library is published), and a schedule that is not
the user's duty is not theirs whether its period is done or not. Scoping (can the user see the
object at all) is decided before: out of scope is 404.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from anjian.core.errors import ConflictError, DomainError, NotPermittedError
from anjian.core.permissions import Action, can
from anjian.core.roles import INSTITUTION_LEADERS, REGULATOR_ROLES, Role
from anjian.inspections.choices import InspectionState
from anjian.inspections.choices import TemplateStatus as T
from anjian.inspections.models import ChecklistTemplate, InspectionRecord, Schedule, SupervisionInspection

DRAFT = frozenset({T.DRAFT})
USABLE = frozenset({T.PUBLISHED, T.RETIRED})  # a version that was published, the current one or an earlier one
DUE, DONE = frozenset({InspectionState.DUE}), frozenset({InspectionState.DONE})
# Publishing a draft retires the version it replaces: (the state it leaves, the state it takes).
RETIRED_ON_PUBLISH = (T.PUBLISHED, T.RETIRED)


@dataclass(frozen=True)
class Inspection:
    """One inspection: a schedule's period (``schedule``) or a supervision's checklist
    (``supervision``), and the record filed for it (``record``), if any. For a correction, the record
    alone."""

    schedule: Schedule | None = None
    supervision: SupervisionInspection | None = None
    record: InspectionRecord | None = None

    @property
    def state(self) -> str:
        return InspectionState.DONE if self.record is not None else InspectionState.DUE


class SlotDoneError(ConflictError):
    """This period's inspection (of the schedule, at the point) is done: ``record`` is the one."""

    def __init__(self, record: InspectionRecord):
        self.record = record
        super().__init__(_("本周期已完成该检查（记录 %(n)s）；如需更正，请在该记录上提交更正。") % {"n": record.number})


# --- who ----------------------------------------------------------------------------------------------
def editor(t: ChecklistTemplate, u) -> bool:
    """Regulators edit their district-wide checklists, safety officers their institution's own; the
    platform's starter library is copied, never edited in place."""
    return can(u, Action.CHECKLIST_MANAGE) and t.owner_id is not None and t.owner_id == u.organization_id


def filer(i: Inspection, u) -> bool:
    """Under a schedule: the one whose duty it is (person, post or role), or the unit's leaders. Under
    a supervision: the regulator or an inspector it engaged (scoping keeps the others out)."""
    if i.supervision is not None:
        return u.role in REGULATOR_ROLES or u.role == Role.INSPECTOR
    s = i.schedule
    if s is None:  # known by its record alone (a correction's subject): nothing to file under
        return False
    return s.assigned_to(u) or (u.role in INSTITUTION_LEADERS and u.organization_id == s.organization_id)


def corrector(i: Inspection, u) -> bool:
    """The original inspector, or the unit's leaders and safety officer."""
    r = i.record
    if r is None:
        return False
    return r.performed_by_id == u.pk or (u.role in INSTITUTION_LEADERS and u.organization_id == r.organization_id)


# --- the refusals, in the words the pages and the API have always used ----------------------------
def _not_editor(t: ChecklistTemplate) -> DomainError:
    return NotPermittedError(_("只能修改本单位的检查表；通用检查表请先复制为本单位检查表。"))


def _not_draft(t: ChecklistTemplate) -> DomainError:
    return ConflictError(_("已发布的检查表版本不能修改，请新建版本后再修改。"))


def _draft_pending(t: ChecklistTemplate) -> DomainError:
    """Asked of the family's latest version (``services.template_new_version`` passes it, locked)."""
    return ConflictError(_("该检查表已有未发布的草稿（第%(v)s版），请先编辑或发布它。") % {"v": t.version})


def _not_published(t: ChecklistTemplate) -> DomainError:
    return DomainError(_("检查表尚未发布，不能用于检查。"), field="template")


def _no_items(t: ChecklistTemplate, u) -> DomainError | None:
    return None if t.items.exists() else DomainError(_("检查表至少要有一个检查项才能发布。"))


def _not_filer(i: Inspection) -> DomainError:
    if i.supervision is not None:
        return NotPermittedError(_("督导检查记录由监管部门或其委托的检查人员填写。"))
    if i.schedule is None:
        return _done(i) if i.record is not None else DomainError(_("请选择排查计划。"), field="schedule")
    return NotPermittedError(_("排查计划“%(s)s”不是您的排查任务。") % {"s": i.schedule.name})


def _done(i: Inspection) -> DomainError:
    return SlotDoneError(i.record)


def _not_corrector(i: Inspection) -> DomainError:
    return NotPermittedError(_("只有原检查人或本单位负责人、安全管理员可以更正检查记录。"))


def _nothing_to_correct(i: Inspection) -> DomainError:
    return DomainError(_("未找到该记录。"))


@dataclass(frozen=True)
class Rule:
    """One action: the states it is open in, the state it leads to, who may take it, and its refusals.
    The refusals are built by functions (not a sentence, as in hazards' table) because each keeps the
    message and the kind the pages and the API have always given: 403 not theirs, 409 the state,
    400 on the field concerned."""

    action: str
    label: str
    sources: frozenset
    target: str | None  # None: the state stays
    who: Callable[[Any, Any], bool] | None  # None: whoever sees it (scoping decided that)
    not_theirs: Callable[[Any], DomainError] | None  # the refusal when ``who`` says no
    wrong_state: Callable[[Any], DomainError]  # the refusal in a state outside ``sources``
    condition: Callable[[Any, Any], DomainError | None] | None = None


TEMPLATE_RULES: dict[str, Rule] = {
    r.action: r
    for r in [
        Rule("edit", _("修改检查表草稿"), DRAFT, None, editor, _not_editor, _not_draft),
        Rule("publish", _("发布检查表"), DRAFT, T.PUBLISHED, editor, _not_editor, _not_draft, _no_items),
        Rule("new-version", _("新建版本"), USABLE, None, editor, _not_editor, _draft_pending),
        Rule("use", _("用于检查"), USABLE, None, None, None, _not_published),
    ]
}

RECORD_RULES: dict[str, Rule] = {
    r.action: r
    for r in [
        Rule("submit", _("提交检查记录"), DUE, InspectionState.DONE, filer, _not_filer, _done),
        Rule("correct", _("提交更正"), DONE, None, corrector, _not_corrector, _nothing_to_correct),
    ]
}


def _table(subject) -> tuple[dict[str, Rule], str]:
    if isinstance(subject, ChecklistTemplate):
        return TEMPLATE_RULES, subject.status
    return RECORD_RULES, subject.state


def refusal(subject: ChecklistTemplate | Inspection, action: str, user) -> DomainError | None:
    """Why ``user`` may not take ``action`` on ``subject`` now, or None when they may: who, then the
    state, then the rule's condition."""
    rules, state = _table(subject)
    rule = rules[action]
    if rule.who is not None and not rule.who(subject, user):
        return rule.not_theirs(subject)
    if state not in rule.sources:
        return rule.wrong_state(subject)
    if rule.condition is not None:
        return rule.condition(subject, user)
    return None


def require(subject: ChecklistTemplate | Inspection, action: str, user) -> Rule:
    problem = refusal(subject, action, user)
    if problem is not None:
        raise problem
    return _table(subject)[0][action]


def allowed_actions(subject: ChecklistTemplate | Inspection, user) -> list[str]:
    """The actions the user can take on ``subject`` now, in the order of its table."""
    return [action for action in _table(subject)[0] if refusal(subject, action, user) is None]
