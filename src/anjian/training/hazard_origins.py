"""A hazard's origin in the training app (``hazards.links.origins`` reads it): the drill whose
finding it is. Read through the scoped manager; a link only when the user may open the drill."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from anjian.core.permissions import Action, can
from anjian.hazards.links import Origin, url_or_none
from anjian.hazards.models import Hazard
from anjian.training.models import DrillFinding


def origins(hazard: Hazard, user) -> list[Origin]:
    if hazard.source != "drill":
        return []
    finding = DrillFinding.objects.visible_to(user).filter(hazard=hazard).select_related("drill").first()
    if finding is None:
        return []
    drill = finding.drill
    return [
        Origin(
            kind="drill",
            id=drill.pk,
            label=str(_("应急演练")),
            text=drill.title,
            detail=drill.held_on.strftime("%Y-%m-%d"),
            url=url_or_none("training:drill-detail", drill.pk) if can(user, Action.TRAINING_VIEW) else None,
            note=str(_("演练发现问题")),
        )
    ]
