"""A hazard's origin in the registers (``hazards.links.origins`` reads it): the equipment whose
statutory inspection was overdue. Read through the scoped manager; a link only when the user may
open the equipment's page."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from anjian.core.permissions import Action, can
from anjian.hazards.links import Origin, url_or_none
from anjian.hazards.models import Hazard
from anjian.registers.models import EquipmentHazard


def origins(hazard: Hazard, user) -> list[Origin]:
    links = EquipmentHazard.objects.visible_to(user).filter(hazard=hazard).select_related("equipment__kind")
    may_open = can(user, Action.REGISTER_VIEW)
    return [
        Origin(
            kind="equipment",
            id=link.equipment_id,
            label=str(_("设备设施")),
            text=f"{link.equipment.kind.name} · {link.equipment.name}",
            detail=str(_("应检日期 %(d)s") % {"d": link.due_on.isoformat()}),
            url=url_or_none("registers:equipment-detail", link.equipment_id) if may_open else None,
            note=str(_("使用登记证编号：%(r)s") % {"r": link.equipment.registration_number})
            if link.equipment.registration_number
            else "",
        )
        for link in links
    ]
