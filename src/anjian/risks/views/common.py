"""What the risk pages share: the four levels with their colours, and who may manage a register's
object."""

from __future__ import annotations

from anjian.core.permissions import Action, can
from anjian.risks.choices import COLOUR_OF, CSS_OF, HEX_OF, LEVEL_OF_RANK, RiskLevel

LEVELS = [
    {"value": lv.value, "label": lv.label, "css": CSS_OF[COLOUR_OF[lv]], "colour": COLOUR_OF[lv].label}
    for lv in RiskLevel
]


def may_manage(user, obj) -> bool:
    return can(user, Action.RISK_MANAGE) and obj.organization_id == user.organization_id


def level_info(rank):
    level = LEVEL_OF_RANK.get(rank) if rank else None
    if level is None:
        return None
    return {
        "value": level.value,
        "label": level.label,
        "css": CSS_OF[COLOUR_OF[level]],
        "hex": HEX_OF[COLOUR_OF[level]],
    }
