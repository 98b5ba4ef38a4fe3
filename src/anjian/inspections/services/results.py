"""The results of a record written: a failed item raises a hazard (or is linked to the one it raised
before at the same place), the photos are stored."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Min
from django.utils.translation import gettext_lazy as _

from anjian.core import precompiled
from anjian.core.registry import app_modules
from anjian.hazards import services as hazard_services
from anjian.hazards.choices import OPEN_STATUSES, HazardSource
from anjian.hazards.models import HazardCategory
from anjian.inspections.choices import Result
from anjian.inspections.models import (
    ChecklistItem,
    InspectionRecord,
    InspectionResult,
    ResultPhoto,
)


def _open_hazards_for(items: list[ChecklistItem], record: InspectionRecord) -> dict:
    """Item key → the open hazard raised by the same item (across versions) at the same place (the
    first such result's), for the failed items; one query for them all."""
    if not items:
        return {}
    same = InspectionResult.objects.filter(
        item__key__in={i.key for i in items},
        record__organization_id=record.organization_id,
        hazard__status__in=OPEN_STATUSES,
    )
    if record.point_id:
        same = same.filter(record__point_id=record.point_id)
    else:
        same = same.filter(record__point__isnull=True, record__department_id=record.department_id)
    firsts = dict(same.order_by().values("item__key").annotate(first=Min("pk")).values_list("first", "item__key"))
    if not firsts:  # the usual case: one light query
        return {}
    found = InspectionResult.objects.filter(pk__in=firsts).select_related("hazard").order_by()
    return {firsts[r.pk]: r.hazard for r in found}


def _location(record: InspectionRecord) -> str:
    if record.point_id:
        return record.point.location or record.point.name
    if record.department_id:
        return record.department.name
    return record.template.applies_to or record.organization.name


def _risks_checked_by(items: list[ChecklistItem]) -> dict:
    """Item key → the risk whose control measure the item checks, for the failed items: asked of the
    apps above that generate checklist items (``<app>.checked_items.risks_for(keys)``: the risks app,
    whose control measures carry the item's key)."""
    if not items:
        return {}
    keys = {i.key for i in items}
    found = {}
    for module in app_modules("checked_items"):
        found.update(module.risks_for(keys))
    return found


def _raise_hazard(
    by,
    record: InspectionRecord,
    item: ChecklistItem,
    note: str,
    photos,
    *,
    existing,
    risk,
    at: dt.datetime | None = None,
) -> tuple[Any, bool]:
    """``existing``: the open hazard this item raised at the place (linked instead); ``risk``: the
    risk whose control the item checks (``_open_hazards_for``, ``_risks_checked_by``).

    The hazard is named by the problem (the item's 不合格表述, ``ChecklistItem.problem``) and
    described by what the inspector wrote; where it came from (record, checklist, item, basis) is
    its origin (``hazards.links``) and the note of its audit event."""
    if existing is not None:
        return existing, False
    # the item's category as it is now (the kept items carry none: ``answers.checklist_items``)
    category = (
        (item.category_id and HazardCategory.objects.filter(pk=item.category_id).first())
        or record.template.category
        or HazardCategory.objects.filter(code="other").first()
    )
    origin = str(_("检查记录 %(number)s 不合格项：检查表“%(template)s”，检查项“%(item)s”%(basis)s")) % {
        "number": record.number,
        "template": record.template,
        "item": item.text,
        "basis": str(_("，依据：%(b)s")) % {"b": item.basis} if item.basis else "",
    }
    if item.suggests_major:
        origin += str(_("；该项不合格可能构成重大事故隐患，请对照判定标准核定等级。"))
    hazard = hazard_services.hazard_report(
        by=by,
        organization=record.organization,
        data={
            "title": item.problem[:200],
            "location": _location(record)[:200],
            "description": note,
            "department": record.department,
            "category": category,
            "source": HazardSource.SUPERVISION if record.supervision_id else HazardSource.SELF_INSPECTION,
            "found_at": record.performed_at,
            "risk": risk,
        },
        photos=photos,
        note=origin,
        at=at,
    )
    return hazard, True


@dataclass(frozen=True)
class Written:
    """The results written for a record, in the checklist's order, and the numbers of the hazards the
    failed items raised and of those they were linked to."""

    results: list[InspectionResult]
    raised: list[str]
    linked: list[str]


def results_write(*, by, record: InspectionRecord, cleaned: list[tuple[ChecklistItem, dict]], at=None) -> Written:
    """Write the record's results (``cleaned``: ``answers.clean_results``): each failed item raises a
    hazard or is linked to the one still open (``_raise_hazard``); then the photos."""
    raised, linked = [], []
    results, photos = [], []
    failed = [item for item, row in cleaned if row["result"] == Result.FAIL]
    open_hazards = _open_hazards_for(failed, record)
    risks = _risks_checked_by(failed)
    for item, row in cleaned:
        result = InspectionResult(record=record, item=item, result=row["result"], note=row["note"])
        if row["result"] == Result.FAIL:
            hazard, created = _raise_hazard(
                by,
                record,
                item,
                row["note"],
                row["photos"],
                existing=open_hazards.get(item.key),
                risk=risks.get(item.key),
                at=at,
            )
            result.hazard, result.hazard_created = hazard, created
            (raised if created else linked).append(hazard.number)
        results.append(result)
        photos.append(row["processed"])
    # one INSERT for all the results (ids returned on PostgreSQL and SQLite ≥ 3.35), not one per item,
    # its text made once per number of items
    precompiled.insert(results)
    _save_photos(by, results, photos)
    return Written(results, raised, linked)


def _save_photos(by, results: list[InspectionResult], photos: list[list]) -> None:
    """Each result's photos (decoded by ``answers.clean_results``), image and thumbnail."""
    for result, processed in zip(results, photos, strict=True):
        for p in processed:
            photo = ResultPhoto(result=result, uploaded_by=by, width=p.width, height=p.height)
            photo.image.save(p.image.name, p.image, save=False)
            photo.thumbnail.save(p.thumbnail.name, p.thumbnail, save=False)
            photo.save()
