"""What the register pages share: who may manage a row, the badge of a due state."""

from __future__ import annotations

from anjian.core.permissions import Action, can
from anjian.registers.choices import DueState

DUE_CSS = {
    DueState.OVERDUE: "red",
    DueState.DUE_SOON: "orange",
    DueState.OK: "green",
    DueState.UNKNOWN: "secondary",
}


def may_manage(user, obj=None) -> bool:
    if not can(user, Action.REGISTER_MANAGE):
        return False
    if obj is None:
        return user.organization is not None and user.organization.is_institution
    return obj.organization_id == user.organization_id


def decorate(items) -> list:
    """The items with their due state and its colour, for the templates."""
    items = list(items)
    for item in items:
        item.state = item.due_state
        item.state_css = DUE_CSS[item.state]
    return items
