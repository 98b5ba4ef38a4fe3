"""A hazard's origin in the contractors app (``hazards.links.origins`` reads it): the work permit
during whose work it was found. Read through the scoped manager; a link only when the user may
open the permit."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.contractors.models import PermitHazard
from anjian.core.permissions import Action, can
from anjian.hazards.links import Origin, url_or_none
from anjian.hazards.models import Hazard


def origins(hazard: Hazard, user) -> list[Origin]:
    links = PermitHazard.objects.visible_to(user).filter(hazard=hazard).select_related("permit__kind")
    may_open = can(user, Action.WORK_PERMIT_VIEW)
    return [
        Origin(
            kind="work_permit",
            id=link.permit_id,
            label=str(_("危险作业票")),
            text=f"{link.permit.number} {link.permit.kind.name}",
            detail=" · ".join(
                x for x in (timezone.localtime(link.created_at).strftime("%Y-%m-%d %H:%M"), link.permit.location) if x
            ),
            url=url_or_none("contractors:permit-detail", link.permit_id) if may_open else None,
            note=str(_("作业中发现")),
        )
        for link in links
    ]
