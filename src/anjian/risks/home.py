"""The risks panel of the home page: the register by colour, risks to re-assess, and for staff the
post's cards (两单两卡) with whether they acknowledged the current version."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from anjian.core.permissions import Action, can
from anjian.risks import selectors
from anjian.risks.choices import COLOUR_OF, CSS_OF, RiskLevel
from anjian.risks.models import CardAcknowledgement


def panels(user) -> list[dict]:
    if not can(user, Action.RISK_VIEW) or user.organization is None:
        return []
    totals = selectors.level_totals(user=user)
    table = reverse("risks:risk-table")
    tiles = [
        {"label": lv.label, "value": totals[lv.value], "url": f"{table}?level={lv.value}", "css": CSS_OF[COLOUR_OF[lv]]}
        for lv in RiskLevel
    ]
    card = selectors.card_of_user(user)
    acknowledged = (
        card is not None and CardAcknowledgement.objects.filter(card=card, user=user, version=card.version).exists()
    )
    flagged = selectors.flagged_risks(user=user)
    if not any(totals.values()) and card is None:
        return []
    return [
        {
            "template": "risks/_home_panel.html",
            "tiles": tiles,
            "card": card,
            "acknowledged": acknowledged,
            "flagged": flagged,
            "title": _("风险分级管控"),
        }
    ]
