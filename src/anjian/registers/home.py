"""The registers panel of the home page, for an institution's people who manage or move things:
equipment overdue or due within 30 days, chemical stocks over their limit, movements waiting for
the user's confirmation (双人收发)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from anjian.core.permissions import Action, can
from anjian.registers import selectors
from anjian.registers.choices import DueState
from anjian.registers.views.common import decorate


def panels(user) -> list[dict]:
    org = user.organization
    if org is None or not org.is_institution or not can(user, Action.REGISTER_VIEW):
        return []
    if not (can(user, Action.REGISTER_MANAGE) or can(user, Action.CHEMICAL_MOVE)):
        return []
    due = []
    if can(user, Action.REGISTER_MANAGE):  # those who arrange the inspections, not everyone who moves stock
        overdue_or_soon = selectors.due_q(DueState.OVERDUE) | selectors.due_q(DueState.DUE_SOON)
        due = decorate(selectors.equipment_list(user=user).filter(overdue_or_soon)[:10])
    over = list(selectors.stock_list(user=user, over_limit=True)[:10]) if can(user, Action.REGISTER_MANAGE) else []
    pending = list(selectors.movements_to_confirm(user=user)[:10]) if can(user, Action.CHEMICAL_MOVE) else []
    if not (due or over or pending):
        return []
    base = reverse("registers:equipment-list")
    return [
        {
            "template": "registers/_home_panel.html",
            "title": _("安全台账"),
            "due": due,
            "over": over,
            "pending": pending,
            "overdue_url": f"{base}?state={DueState.OVERDUE}",
            "due_soon_url": f"{base}?state={DueState.DUE_SOON}",
        }
    ]
