"""Whether a schedule's checklist may be filled now (at a point), and a record corrected: the rules
``inspection_submit`` applies, asked when the page opens too."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.core.errors import DomainError
from anjian.core.permissions import Action
from anjian.core.precompiled import Precompiled
from anjian.core.scoping import get_visible_or_404
from anjian.core.services import require_action
from anjian.inspections import due, workflow
from anjian.inspections.choices import TemplateStatus
from anjian.inspections.models import (
    ChecklistTemplate,
    InspectionPoint,
    InspectionRecord,
    Schedule,
    window_text,
)


def schedule_for_submit():
    """Schedules with their checklist, the id of the checklist's current version
    (its newest published one: ``selectors.current_version``) and whether they name active points."""
    current = ChecklistTemplate.objects.filter(
        family=OuterRef("template__family"), status=TemplateStatus.PUBLISHED
    ).order_by("-version")
    active_points = Schedule.points.through.objects.filter(schedule_id=OuterRef("pk"), inspectionpoint__is_active=True)
    return Schedule.objects.select_related("template").annotate(
        current_version_id=Subquery(current.values("pk")[:1]), has_active_points=Exists(active_points)
    )


def points_of(schedule_id: int):
    """Points, with whether the schedule names them."""
    listed = Schedule.points.through.objects.filter(schedule_id=schedule_id, inspectionpoint_id=OuterRef("pk"))
    return InspectionPoint.objects.annotate(on_schedule=Exists(listed))


# The statements of a submission, compiled once per process (core.precompiled: building and compiling
# each costs more CPU than running it). The schedule, in the user's scope:
visible_schedule = Precompiled(lambda user, pk: schedule_for_submit().visible_to(user).filter(pk=pk))
# the point, in the user's scope, with whether the schedule names it:
visible_point = Precompiled(lambda user, schedule_id, pk: points_of(schedule_id).visible_to(user).filter(pk=pk))
# … locked (one inspection of a place at a time):
locked_point = Precompiled(
    lambda user, schedule_id, pk: points_of(schedule_id).select_for_update().visible_to(user).filter(pk=pk)
)
# the record filed for a schedule's period at a point (or without one; its newest correction first):
_period_record = Precompiled(
    lambda schedule_id, point_id, period_start: (
        InspectionRecord.objects.filter(schedule_id=schedule_id, point_id=point_id, period_start=period_start)
        .only("pk", "number")
        .order_by("pk")[:1]
    )
)


def check_fillable(by, schedule: Schedule, point: InspectionPoint | None, now: dt.datetime) -> due.Slot:
    """The rules for filling a schedule's checklist at ``now`` (at ``point``), in the order people are
    told them; the slot it fills. ``schedule`` from ``schedule_for_submit``, ``point`` from
    ``points_of`` (``visible_schedule``, ``visible_point``, ``locked_point``)."""
    if not schedule.is_active:
        raise DomainError(_("排查计划“%(s)s”已停用。") % {"s": schedule.name}, field="schedule")
    # whose duty it is; whether its period is done is read later, under the lock (check_slot_free)
    workflow.require(workflow.Inspection(schedule=schedule), "submit", by)
    today = timezone.localdate(now)
    if schedule.starts_on > today or (schedule.ends_on and schedule.ends_on < today):
        raise DomainError(_("排查计划“%(s)s”不在执行期内。") % {"s": schedule.name}, field="schedule")
    if schedule.current_version_id is None:
        raise DomainError(_("该计划的检查表没有已发布的版本。"), field="schedule")
    if schedule.has_active_points and (point is None or not (point.on_schedule and point.is_active)):
        points = schedule.points.filter(is_active=True)
        raise DomainError(
            _("请选择巡检点：该计划在 %(p)s 检查。") % {"p": "、".join(p.name for p in points)}, field="point"
        )
    if point is not None and point.organization_id != schedule.organization_id:
        raise DomainError(_("巡检点须属于被检查机构。"), field="point")
    slot = due.schedule_slot_at(schedule, now)
    if slot is None:
        raise DomainError(
            _("排查计划“%(s)s”每日的检查时段为 %(w)s，现在不在时段内，到时段内再填写。")
            % {"s": schedule.name, "w": window_text(schedule.day_start, schedule.day_end)},
            field="schedule",
        )
    return slot


def check_slot_free(by, schedule: Schedule, point: InspectionPoint | None, period_start: dt.datetime) -> None:
    """The period's inspection (at the point) is still due: no record filed for it yet (``SlotDoneError``)."""
    done = _period_record.first(schedule.pk, point.pk if point is not None else None, period_start)
    workflow.require(workflow.Inspection(schedule=schedule, record=done), "submit", by)


def inspection_fill_check(*, by, schedule: Schedule, point: InspectionPoint | None = None) -> due.Slot:
    """Whether ``by`` may fill the schedule's checklist now (at ``point``): the rules of
    ``inspection_submit``, checked when the page opens, so that nobody fills in a checklist only to be
    refused. Raises ``DomainError`` (``NotPermittedError``: not their task; ``SlotDoneError``: this
    period's is done); returns the slot it would fill. Writes nothing."""
    require_action(by, Action.INSPECTION_PERFORM)
    schedule = visible_schedule.get_or_404(by, schedule.pk)
    if point is not None:
        point = visible_point.get_or_404(by, schedule.pk, point.pk)
    slot = check_fillable(by, schedule, point, timezone.now())
    check_slot_free(by, schedule, point, slot.start)
    return slot


def inspection_correct_check(*, by, record: InspectionRecord) -> None:
    """Whether ``by`` may correct ``record`` (the original inspector, or the unit's leaders and
    safety officer): checked when the correction page opens. Raises ``NotPermittedError``."""
    require_action(by, Action.INSPECTION_PERFORM)
    record = get_visible_or_404(InspectionRecord, by, pk=record.pk)
    workflow.require(workflow.Inspection(record=record), "correct", by)
