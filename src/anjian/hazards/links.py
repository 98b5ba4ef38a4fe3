"""Where a hazard came from: the inspection records and checklist items that raised it (or found it
again), the supervision inspection that entered it, the risk it was found at.

Each origin is read through the other app's scoped manager, so a user sees only what they may see;
a link is given only when the user may open the page behind it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.core.permissions import Action, can
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


def _url(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:  # the app's page is not there (yet): show the origin without a link
        return None


def _inspection_origins(hazard: Hazard, user) -> list[Origin]:
    if not apps.is_installed("anjian.inspections"):
        return []
    from anjian.inspections.models import InspectionResult, SupervisionFinding

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
                url=_url("inspections:record-detail", record.pk) if may_open_records else None,
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
                url=_url("inspections:supervision-detail", supervision.pk) if may_open_supervision else None,
            )
        )
    return origins


def _risk_origin(hazard: Hazard, user) -> list[Origin]:
    risk = getattr(hazard, "risk", None)  # the risks app links a hazard found at a risk point
    if risk is None or risk.organization_id != hazard.organization_id:
        return []
    point = getattr(risk, "risk_point", None)
    url = None
    if can(user, Action.RISK_VIEW):
        url = _url("risks:risk-detail", risk.pk) or (_url("risks:point-detail", point.pk) if point else None)
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
    """What raised the hazard, oldest first: inspection records, supervision, the risk."""
    return [*_inspection_origins(hazard, user), *_risk_origin(hazard, user)]
