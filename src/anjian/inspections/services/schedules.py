"""Schedules (排查计划): who inspects what, where and how often."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.core import audit
from anjian.core.audit import AuditVerb
from anjian.core.errors import DomainError, NotPermittedError
from anjian.core.permissions import Action
from anjian.core.scoping import get_visible_or_404
from anjian.core.services import require_action, validated_save
from anjian.inspections import selectors
from anjian.inspections.models import (
    ChecklistTemplate,
    Schedule,
)
from anjian.inspections.services.common import institution_of, only_fields
from anjian.orgs.models import Organization

SCHEDULE_FIELDS = [
    "name",
    "template",
    "assignee",
    "post",
    "role",
    "department",
    "rhythm",
    "every_hours",
    "day_start",
    "day_end",
    "starts_on",
    "ends_on",
    "is_active",
]


def _check_schedule_refs(by, organization: Organization, data: dict, points) -> None:
    template = data.get("template")
    if template is not None:
        get_visible_or_404(ChecklistTemplate, by, pk=template.pk)
        if selectors.current_version(template) is None:
            raise DomainError(_("检查表“%(t)s”尚未发布，不能用于排查计划。") % {"t": template.name}, field="template")
    for p in points or []:
        if p.organization_id != organization.pk:
            raise DomainError(_("巡检点须属于本机构。"), field="points")


@transaction.atomic
def schedule_create(*, by, data: dict[str, Any], points=(), organization: Organization | None = None) -> Schedule:
    require_action(by, Action.SCHEDULE_MANAGE)
    organization = organization or institution_of(by)
    get_visible_or_404(Organization, by, pk=organization.pk)
    only_fields(data, SCHEDULE_FIELDS)
    data = dict(data)
    data.setdefault("starts_on", timezone.localdate())
    _check_schedule_refs(by, organization, data, points)
    schedule = Schedule(organization=organization, created_by=by, **data)
    validated_save(schedule)
    schedule.points.set(points)
    audit.record(
        actor=by,
        verb=AuditVerb.SCHEDULE_CREATED,
        target=schedule,
        changes=audit.diff({}, audit.snapshot(schedule, [f for f in SCHEDULE_FIELDS if f != "is_active"])),
    )
    return schedule


@transaction.atomic
def schedule_update(*, by, schedule: Schedule, data: dict[str, Any], points=None) -> Schedule:
    require_action(by, Action.SCHEDULE_MANAGE)
    schedule = get_visible_or_404(Schedule.objects.select_for_update(), by, pk=schedule.pk)
    if schedule.organization_id != by.organization_id:
        raise NotPermittedError(_("只能修改本单位的排查计划。"))
    only_fields(data, SCHEDULE_FIELDS)
    _check_schedule_refs(by, schedule.organization, data, points)
    data = dict(data)
    today = timezone.localdate()
    was_active = schedule.is_active
    if was_active and data.get("is_active") is False:
        # switched off: it ends today, so what was due until now stays due (and missed stays missed:
        # switching a schedule off does not hide its history from compliance)
        ends_on = data.get("ends_on", schedule.ends_on)
        if ends_on is None or ends_on > today:
            data["ends_on"] = max(today, data.get("starts_on", schedule.starts_on))
    if (
        "starts_on" in data
        and data["starts_on"] != schedule.starts_on
        and min(data["starts_on"], schedule.starts_on) < today
    ):
        raise DomainError(_("计划已开始执行，不能修改开始日期（已到期的检查不因修改计划而改变）。"), field="starts_on")
    new_end = data.get("ends_on", schedule.ends_on)
    if new_end != schedule.ends_on and new_end is not None and new_end < today:
        raise DomainError(_("结束日期不能早于今天（已到期的检查不因修改计划而改变）。"), field="ends_on")
    if not was_active and data.get("is_active") is True:
        ends_on = data.get("ends_on", schedule.ends_on)
        if ends_on is not None and ends_on < today:
            raise DomainError(
                _("该计划已于 %(d)s 结束；重新启用时请把结束日期改为今天以后或留空。") % {"d": ends_on},
                field="ends_on",
            )
    before = audit.snapshot(schedule, list(data))
    for k, v in data.items():
        setattr(schedule, k, v)
    validated_save(schedule)
    changes = audit.diff(before, audit.snapshot(schedule, list(data)))
    if points is not None:
        old = sorted(p.name for p in schedule.points.all())
        schedule.points.set(points)
        new = sorted(p.name for p in points)
        if old != new:
            changes["points"] = [old, new]
    if changes:
        audit.record(actor=by, verb=AuditVerb.SCHEDULE_UPDATED, target=schedule, changes=changes)
    return schedule
