"""A hazard entered in the ledger as it is found (隐患登记), fixed on the spot (即查即改) or not,
and the rules of that entry: how far back it may have been found, when it needs a photo."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.core import audit
from anjian.core.audit import AuditVerb
from anjian.core.errors import DomainError, NotPermittedError
from anjian.core.roles import Role
from anjian.hazards.choices import HazardLevel, HazardSource, HazardStatus, PhotoPhase
from anjian.hazards.models import Hazard
from anjian.hazards.services.common import DESCRIPTION_FIELDS, default_source, insert_numbered, require_institution
from anjian.hazards.services.photos import store_photos
from anjian.orgs.models import Organization

# A hazard known from a numbered document may be entered before anyone has photographed it: a
# tip-off taken by telephone (its acceptance number), a superior's assignment (its document number).
PHOTO_EXEMPT_SOURCES = (HazardSource.TIP_OFF, HazardSource.ASSIGNED)
PHOTO_REQUIRED = _("请上传至少一张隐患现场照片（举报、上级交办的隐患填写来源编号后可暂不上传）。")
REPORT_FIELDS = [*DESCRIPTION_FIELDS, "found_at", "found_by_name", "fixed_on_spot", "risk", "source_reference"]


def earliest_found_on(when: dt.datetime) -> dt.date:
    """The earliest day a hazard entered at ``when`` may have been found: the first day of the
    previous month. Months before it have had their monthly forms sent; a hazard found then would
    rewrite them."""
    first = timezone.localdate(when).replace(day=1)
    return (first - dt.timedelta(days=1)).replace(day=1)


def photo_exempt(data: dict[str, Any]) -> bool:
    """Whether a report may come without a photo of the scene: a tip-off or an assignment with its
    number (来源编号). Everything seen on site (self-inspection, a regulator's supervision, a third
    party's inspection) comes with its photo."""
    return data.get("source") in PHOTO_EXEMPT_SOURCES and bool((data.get("source_reference") or "").strip())


def _check_found_at(found_at: dt.datetime, when: dt.datetime) -> None:
    if found_at > timezone.now() + dt.timedelta(minutes=5):
        raise DomainError(_("发现时间不能晚于现在。"), field="found_at")
    earliest = earliest_found_on(when)
    if timezone.localdate(found_at) < earliest:
        raise DomainError(
            _(
                "发现时间不能早于 %(day)s（上月1日）：此前各月的统计报表已报送，更早发现的隐患不能在此登记，"
                "请由安全管理员或监管部门通过“批量导入 → 历史隐患台账（补录）”补录。"
            )
            % {"day": earliest.isoformat()},
            field="found_at",
        )


@transaction.atomic
def hazard_report(
    *,
    by,
    organization: Organization,
    data: dict[str, Any],
    photos=(),
    after_photos=(),
    note: str = "",
    at: dt.datetime | None = None,
    photo_required: bool = False,
) -> Hazard:
    """Enter a hazard in the ledger. ``data['fixed_on_spot']`` with an after-photo: fixed on the spot
    (即查即改), straight to acceptance.

    ``photo_required``: a report made directly (随手拍, ``POST /api/v1/hazards/``) needs at least one
    photo of the scene, whoever reports it, unless it is known from a numbered document
    (``photo_exempt``). Hazards raised from a record that is their evidence (an inspection's failed
    item, a supervision's finding) are entered by their own services without it.

    ``at`` (every service here takes it): when the step happened, if not now, for replaying a dated
    history (the demo); the step's own time fields and its audit event carry it. Views never pass it."""
    when = at or timezone.now()
    data = _checked_report(
        by, organization, data, when=when, photos=photos, after_photos=after_photos, photo_required=photo_required
    )
    hazard = Hazard(organization=organization, found_by=by, **data)
    if not hazard.found_by_name:
        hazard.found_by_name = by.name
    insert_numbered(hazard, when=when, at=at)
    store_photos(hazard, by, PhotoPhase.BEFORE, photos, at)
    audit.record(
        actor=by,
        verb=AuditVerb.HAZARD_REPORTED,
        target=hazard,
        changes=audit.diff({}, audit.snapshot(hazard, REPORT_FIELDS)),
        note=note,
        at=when,
    )
    if data.get("fixed_on_spot"):
        _fixed_on_spot(hazard, by, after_photos=after_photos, note=note, when=when, at=at)
    return hazard


def _checked_report(
    by, organization: Organization, data: dict[str, Any], *, when: dt.datetime, photos, after_photos, photo_required
) -> dict[str, Any]:
    """The report's data with its defaults, or the first rule it breaks raised."""
    require_institution(by, organization)
    if by.role == Role.SYSTEM_ADMIN:
        raise NotPermittedError(_("系统管理员不登记隐患。"))
    data = dict(data)
    data.setdefault("source", default_source(by))
    data.setdefault("found_at", timezone.now())
    data.setdefault("level", HazardLevel.GENERAL)
    department = data.get("department")
    if department is not None and department.organization_id != organization.pk:
        raise DomainError(_("科室须属于该机构。"), field="department")
    risk = data.get("risk")
    if risk is not None and risk.organization_id != organization.pk:
        raise DomainError(_("关联风险须属于该机构。"), field="risk")
    if data.get("level") == HazardLevel.MAJOR and data.get("criterion") is None:
        raise DomainError(_("重大事故隐患须选择判定依据（判定标准条目）。"), field="criterion")
    _check_found_at(data["found_at"], when)
    if photo_required and not photos and not photo_exempt(data):
        raise DomainError(PHOTO_REQUIRED, field="photos")
    if data.get("fixed_on_spot"):
        if data.get("level") == HazardLevel.MAJOR:
            raise DomainError(_("重大事故隐患不能即查即改，须制定整改方案。"), field="fixed_on_spot")
        if not after_photos:
            raise DomainError(_("即查即改须上传整改后照片。"), field="after_photos")
    return data


def _fixed_on_spot(hazard: Hazard, by, *, after_photos, note: str, when: dt.datetime, at: dt.datetime | None) -> None:
    """即查即改: the rectification reported with the entry, the hazard straight to acceptance."""
    store_photos(hazard, by, PhotoPhase.AFTER, after_photos, at)
    hazard.status = HazardStatus.AWAITING_ACCEPTANCE
    hazard.rectification_note = note or str(_("现场即查即改。"))
    hazard.rectified_at = when
    hazard.rectified_by = by
    hazard.save(update_fields=["status", "rectification_note", "rectified_at", "rectified_by", "updated_at"])
    audit.record(
        actor=by,
        verb=AuditVerb.HAZARD_SUBMITTED,
        target=hazard,
        changes={"status": [HazardStatus.REPORTED.label, hazard.get_status_display()]},
        note=str(_("即查即改")),
        at=when,
    )
