"""A hazard's origins in the inspections app (``hazards.links.origins`` reads them): the inspection
records and checklist items that raised it or found it again, and the supervision that entered it.
Read through the scoped managers; a link only when the user may open the page behind it."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.core.permissions import Action, can
from anjian.hazards.links import Origin, url_or_none
from anjian.hazards.models import Hazard
from anjian.inspections.models import InspectionResult, SupervisionFinding


def origins(hazard: Hazard, user) -> list[Origin]:
    may_open_records = can(user, Action.INSPECTION_VIEW)
    may_open_supervision = can(user, Action.SUPERVISION_VIEW)
    origins = []
    results = (
        InspectionResult.objects.visible_to(user)
        .filter(hazard=hazard)
        .select_related("record__template", "record__point", "record__supervision", "item")
        .order_by("record__performed_at", "pk")
    )
    results = list(results)
    for result in results:
        record = result.record
        place = record.point.name if record.point_id else ""
        origins.append(
            Origin(
                kind="inspection",
                id=record.pk,
                label=str(_("检查记录")),
                text=f"{record.number} {record.template.name}",
                detail=" · ".join(
                    x for x in (timezone.localtime(record.performed_at).strftime("%Y-%m-%d %H:%M"), place) if x
                ),
                url=url_or_none("inspections:record-detail", record.pk) if may_open_records else None,
                note=str(_("检查项不合格：%(item)s") % {"item": result.item.text})
                + ("" if result.hazard_created else str(_("（再次发现）"))),
            )
        )
    findings = (
        SupervisionFinding.objects.visible_to(user)
        .filter(hazard=hazard)
        .select_related("supervision")
        .order_by("supervision__date", "pk")
    )
    supervisions = [r.record.supervision for r in results if r.record.supervision_id]
    supervisions += [finding.supervision for finding in findings]
    seen = set()
    for supervision in supervisions:
        if supervision.pk in seen:
            continue
        seen.add(supervision.pk)
        origins.append(
            Origin(
                kind="supervision",
                id=supervision.pk,
                label=str(_("督导检查")),
                text=f"{supervision.number} {supervision.subject}",
                detail=supervision.date.strftime("%Y-%m-%d"),
                url=url_or_none("inspections:supervision-detail", supervision.pk) if may_open_supervision else None,
            )
        )
    return origins
