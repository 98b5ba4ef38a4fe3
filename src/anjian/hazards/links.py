"""Where a hazard came from: the inspection records and checklist items that raised it (or found it
again), the supervision inspection that entered it, the risk it was found at.

Each origin is read through the other app's scoped manager, so a user sees only what they may see;
a link is given only when the user may open the page behind it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from anjian.core.permissions import Action, can
from anjian.core.registry import app_modules
from anjian.hazards.models import Hazard


@dataclass
class Origin:
    kind: str  # "inspection" | "supervision" | "risk"
    id: int  # the inspection record's, supervision's or risk's id
    label: str  # what the origin is: 检查记录 / 督导检查 / 关联风险
    text: str  # its number and name
    detail: str  # the item that failed, the date …
    url: str | None  # its page, when the user may open it
    note: str = ""  # e.g. "首次发现" / "再次发现"


def url_or_none(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:  # the app's page is not there (yet): show the origin without a link
        return None


def _risk_origin(hazard: Hazard, user) -> list[Origin]:
    risk = getattr(hazard, "risk", None)  # the risks app links a hazard found at a risk point
    if risk is None or risk.organization_id != hazard.organization_id:
        return []
    point = getattr(risk, "risk_point", None)
    url = None
    if can(user, Action.RISK_VIEW):
        url = url_or_none("risks:risk-detail", risk.pk) or (
            url_or_none("risks:point-detail", point.pk) if point else None
        )
    return [
        Origin(
            kind="risk",
            id=risk.pk,
            label=str(_("关联风险")),
            text=" · ".join(x for x in (getattr(point, "name", ""), risk.name) if x),
            detail=risk.get_level_display() if hasattr(risk, "get_level_display") else "",
            url=url,
        )
    ]


def origins(hazard: Hazard, user) -> list[Origin]:
    """What raised the hazard, oldest first: the origins the apps above register (an app's
    ``hazard_origins.origins(hazard, user)``: the inspections app's records and supervisions), then
    the risk it was found at."""
    found = [o for module in app_modules("hazard_origins") for o in module.origins(hazard, user)]
    return [*found, *_risk_origin(hazard, user)]
