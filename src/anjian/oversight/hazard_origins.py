"""A hazard's origin in the oversight app (``hazards.links.origins`` reads it): the tip-off it was
accepted from. Read through the tip's scoped manager: the regulator who handles tips sees it; the
institution sees the hazard's source (举报) and reference number, never the tip itself."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.core.permissions import Action, can
from anjian.hazards.links import Origin, url_or_none
from anjian.hazards.models import Hazard
from anjian.oversight.models import Tip


def origins(hazard: Hazard, user) -> list[Origin]:
    if hazard.source != "tip_off" or not can(user, Action.TIP_HANDLE):
        return []
    tip = Tip.objects.visible_to(user).filter(hazard=hazard).first()
    if tip is None:
        return []
    return [
        Origin(
            kind="tip",
            id=tip.pk,
            label=str(_("群众举报")),
            text=tip.number,
            detail=timezone.localtime(tip.created_at).strftime("%Y-%m-%d %H:%M"),
            url=url_or_none("oversight:tip-detail", tip.pk),
        )
    ]
