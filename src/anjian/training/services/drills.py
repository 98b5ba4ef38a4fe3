"""Emergency plans (versioned documents with review dates) and drills: planned ahead and recorded
once held (or entered at once as held), or cancelled; their findings are entered in the hazard
ledger through the hazards app's own reporting service (source 应急演练), so they are closed
through the same loop as every other hazard. The states and who may move them: training.workflow."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.core import audit
from anjian.core.audit import AuditVerb
from anjian.core.errors import DomainError
from anjian.core.images import process_upload
from anjian.core.periods import check_year
from anjian.core.permissions import Action
from anjian.core.scoping import get_visible_or_404
from anjian.core.services import require_action, validated_save
from anjian.core.uploads import DOCUMENT_KINDS
from anjian.hazards import services as hazard_services
from anjian.hazards.choices import HazardLevel, HazardSource
from anjian.hazards.models import HazardCategory
from anjian.training import workflow
from anjian.training.choices import DrillStatus
from anjian.training.models import Drill, DrillFinding, DrillPhoto, EmergencyPlan
from anjian.training.services.common import attach, institution_of, own, people_of

PLAN_FIELDS = ["kind", "title", "effective_on", "review_on", "note"]
DRILL_FIELDS = ["title", "scenario", "held_on", "emergency_plan", "place", "timeline", "evaluation"]
PLANNED_FIELDS = ["title", "scenario", "held_on", "emergency_plan", "place"]  # what a plan says
RECORD_FIELDS = ["held_on", "place", "timeline", "evaluation"]  # what recording a planned drill adds
DEFAULT_CATEGORY = "fire"  # most drills are fire and evacuation drills


def _check_plan(data: dict[str, Any]) -> None:
    if not (data.get("title") or "").strip():
        raise DomainError(_("请填写预案名称。"), field="title")
    for name, label in (("effective_on", _("发布日期")), ("review_on", _("下次评审日期"))):
        if not isinstance(data.get(name), dt.date):
            raise DomainError(_("请填写%(f)s。") % {"f": label}, field=name)
    if data["review_on"] <= data["effective_on"]:
        raise DomainError(_("下次评审日期须晚于发布日期。"), field="review_on")


@transaction.atomic
def emergency_plan_create(*, by, data: dict[str, Any], document=None, posts=()) -> EmergencyPlan:
    require_action(by, Action.TRAINING_MANAGE)
    org = institution_of(by)
    _check_plan(data)
    posts = list(posts or [])
    if any(p.organization_id != org.pk for p in posts):
        raise DomainError(_("适用岗位须属于本单位。"), field="posts")
    plan = EmergencyPlan(organization=org, created_by=by, **{k: data[k] for k in PLAN_FIELDS if k in data})
    attach(plan, "document", document, allowed=DOCUMENT_KINDS, name_field="document_name", label="plan.pdf")
    validated_save(plan)
    plan.family = plan.pk
    plan.save(update_fields=["family"])
    plan.posts.set(posts)
    audit.record(
        actor=by,
        verb=AuditVerb.EMERGENCY_PLAN_SAVED,
        target=plan,
        changes={**audit.diff({}, audit.snapshot(plan, PLAN_FIELDS)), "version": [None, 1]},
    )
    return plan


@transaction.atomic
def emergency_plan_revise(*, by, plan: EmergencyPlan, data: dict[str, Any], document=None) -> EmergencyPlan:
    """A new version of the plan; the one before stays, no longer current."""
    require_action(by, Action.TRAINING_MANAGE)
    old = get_visible_or_404(EmergencyPlan.objects.select_for_update(), by, pk=plan.pk)
    own(by, old)
    if not old.is_current:
        raise DomainError(_("只能修订现行版本。"))
    data = {"kind": old.kind, "title": old.title, **{k: v for k, v in data.items() if v not in (None, "")}}
    _check_plan(data)
    if not (data.get("note") or "").strip():
        raise DomainError(_("请填写修订说明。"), field="note")
    EmergencyPlan.objects.filter(pk=old.pk).update(is_current=False)
    new = EmergencyPlan(
        organization=old.organization,
        family=old.family,
        version=old.version + 1,
        created_by=by,
        **{k: data[k] for k in PLAN_FIELDS if k in data},
    )
    attach(new, "document", document, allowed=DOCUMENT_KINDS, name_field="document_name", label="plan.pdf")
    if not document and old.document:
        new.document, new.document_name = old.document.name, old.document_name
    validated_save(new)
    new.posts.set(old.posts.all())
    audit.record(
        actor=by,
        verb=AuditVerb.EMERGENCY_PLAN_SAVED,
        target=new,
        changes={"version": [old.version, new.version], **audit.diff({}, audit.snapshot(new, ["review_on"]))},
        note=data.get("note", ""),
    )
    return new


def _found_at(drill: Drill) -> dt.datetime:
    day_at_ten = timezone.make_aware(dt.datetime.combine(drill.held_on, dt.time(10, 0)))
    return min(day_at_ten, timezone.now())


def _category(finding: dict[str, Any]) -> HazardCategory:
    category = finding.get("category")
    if category is not None:
        return category
    return HazardCategory.objects.filter(code=DEFAULT_CATEGORY).first() or HazardCategory.objects.order_by("pk").first()


@transaction.atomic
def drill_add_finding(*, by, drill: Drill, finding: dict[str, Any]) -> DrillFinding:
    """A problem the drill found, entered as a hazard with source 应急演练 (``finding``:
    description, level, and optionally title, location, category, criterion). Only a drill held."""
    require_action(by, Action.TRAINING_MANAGE)
    drill = get_visible_or_404(Drill.objects.select_related("organization"), by, pk=drill.pk)
    workflow.require(drill, "add-finding", by)
    description = (finding.get("description") or "").strip()
    if not description:
        raise DomainError(_("请填写发现的问题。"), field="findings")
    level = finding.get("level") or HazardLevel.GENERAL
    if level not in HazardLevel.values:
        raise DomainError(_("隐患等级须为一般或重大。"), field="findings")
    data = {
        "title": (finding.get("title") or description)[:200],
        "description": description,
        "location": (finding.get("location") or drill.place or drill.title)[:200],
        "category": _category(finding),
        "level": level,
        "criterion": finding.get("criterion"),
        "source": HazardSource.DRILL,
        "found_at": _found_at(drill),
        "found_by_name": by.name,
    }
    hazard = hazard_services.hazard_report(by=by, organization=drill.organization, data=data, note=str(drill))
    row = DrillFinding.objects.create(drill=drill, hazard=hazard)
    audit.record(actor=by, verb=AuditVerb.DRILL_FINDING_ADDED, target=drill, changes={"hazard": [None, str(hazard)]})
    return row


def _date(data: dict[str, Any], *, missing) -> dt.date:
    day = data.get("held_on")
    if not isinstance(day, dt.date):
        raise DomainError(missing, field="held_on")
    check_year(day.year, "held_on")
    return day


def _held(data: dict[str, Any]) -> dt.date:
    """The date a drill was held: given, and not after today."""
    held_on = _date(data, missing=_("请填写演练日期。"))
    if held_on > timezone.localdate():
        raise DomainError(_("演练日期不能晚于今天（登记已开展的演练）。"), field="held_on")
    return held_on


def _check_plan_of(org, data: dict[str, Any]) -> None:
    plan = data.get("emergency_plan")
    if plan is not None and plan.organization_id != org.pk:
        raise DomainError(_("演练的预案须是本单位的应急预案。"), field="emergency_plan")


def _check_title(data: dict[str, Any]) -> None:
    if not (data.get("title") or "").strip():
        raise DomainError(_("请填写演练名称。"), field="title")


def _count(data: dict[str, Any], drill: Drill) -> int:
    """参演人数: as given (outside participants included), at least the people named."""
    return max(int(data.get("participant_count") or 0), drill.participants.count())


@transaction.atomic
def drill_record(*, by, data: dict[str, Any], participants=(), findings=(), photos=()) -> Drill:
    """Record a drill held (plan exercised, participants, timeline, evaluation), its photos and its
    findings: all of it, or nothing when one part is refused."""
    require_action(by, Action.TRAINING_MANAGE)
    org = institution_of(by)
    _check_title(data)
    _held(data)
    _check_plan_of(org, data)
    people = people_of(org, participants, field="participants")
    drill = Drill(
        organization=org, status=DrillStatus.DONE, created_by=by, **{k: data[k] for k in DRILL_FIELDS if k in data}
    )
    drill.participant_count = max(int(data.get("participant_count") or 0), len(people))
    validated_save(drill)
    drill.participants.set(people)
    audit.record(
        actor=by,
        verb=AuditVerb.DRILL_RECORDED,
        target=drill,
        changes={
            **audit.diff({}, audit.snapshot(drill, ["title", "held_on", "emergency_plan", "participant_count"])),
        },
    )
    for image in photos:
        drill_add_photo(by=by, drill=drill, image=image)
    for finding in findings:
        drill_add_finding(by=by, drill=drill, finding=finding)
    return drill


@transaction.atomic
def drill_plan(*, by, data: dict[str, Any], participants=()) -> Drill:
    """Plan a drill ahead (scenario, the emergency plan it exercises, the date, who is to take part):
    it shows as upcoming until it is recorded (``drill_complete``) or cancelled (``drill_cancel``)."""
    require_action(by, Action.TRAINING_MANAGE)
    org = institution_of(by)
    _check_title(data)
    day = _date(data, missing=_("请填写计划的演练日期。"))
    if day < timezone.localdate():
        raise DomainError(_("计划日期不能早于今天；已开展的演练请直接登记。"), field="held_on")
    _check_plan_of(org, data)
    people = people_of(org, participants, field="participants")
    drill = Drill(
        organization=org,
        status=DrillStatus.PLANNED,
        planned_on=day,
        created_by=by,
        **{k: data[k] for k in PLANNED_FIELDS if k in data},
    )
    validated_save(drill)
    drill.planned_participants.set(people)
    audit.record(
        actor=by,
        verb=AuditVerb.DRILL_PLANNED,
        target=drill,
        changes={
            **audit.diff({}, audit.snapshot(drill, ["title", "held_on", "emergency_plan", "scenario"])),
            "planned_participants": [None, [p.name for p in people]],
        },
    )
    return drill


@transaction.atomic
def drill_complete(*, by, drill: Drill, data: dict[str, Any], participants=(), findings=(), photos=()) -> Drill:
    """Record a planned drill once held: the date it was held (not after today), the participants
    (added to those who signed in by QR), the timeline and evaluation, photos, and the findings
    (hazards): all of it, or nothing when one part is refused."""
    require_action(by, Action.TRAINING_MANAGE)
    drill = get_visible_or_404(Drill.objects.select_for_update(of=("self",)), by, pk=drill.pk)
    workflow.require(drill, "record", by)
    _held(data)
    people = people_of(drill.organization, participants, field="participants")
    before = audit.snapshot(drill, ["status", *RECORD_FIELDS, "participant_count"])
    for name in RECORD_FIELDS:
        if name in data and data[name] is not None:
            setattr(drill, name, data[name])
    drill.status = DrillStatus.DONE
    drill.participants.add(*people)
    drill.participant_count = _count(data, drill)
    validated_save(drill)
    audit.record(
        actor=by,
        verb=AuditVerb.DRILL_COMPLETED,
        target=drill,
        changes={
            **audit.diff(before, audit.snapshot(drill, ["status", *RECORD_FIELDS, "participant_count"])),
            "participants": [None, sorted(p.name for p in drill.participants.all())],
        },
    )
    for image in photos:
        drill_add_photo(by=by, drill=drill, image=image)
    for finding in findings:
        drill_add_finding(by=by, drill=drill, finding=finding)
    return drill


@transaction.atomic
def drill_cancel(*, by, drill: Drill, reason: str) -> Drill:
    """A planned drill that will not take place: kept, marked cancelled with the reason."""
    require_action(by, Action.TRAINING_MANAGE)
    drill = get_visible_or_404(Drill.objects.select_for_update(of=("self",)), by, pk=drill.pk)
    workflow.require(drill, "cancel", by)
    reason = (reason or "").strip()[:200]
    if not reason:
        raise DomainError(_("请填写取消原因。"), field="reason")
    drill.status, drill.cancel_reason = DrillStatus.CANCELLED, reason
    drill.save(update_fields=["status", "cancel_reason"])
    audit.record(
        actor=by,
        verb=AuditVerb.DRILL_CANCELLED,
        target=drill,
        changes={"status": [str(DrillStatus.PLANNED.label), str(DrillStatus.CANCELLED.label)]},
        note=reason,
    )
    return drill


@transaction.atomic
def drill_sign_in(*, by, code: str) -> Drill:
    """A participant signs in by the drill's QR code: a person of the same institution, from the
    day of the drill to the week after it (a planned drill on its day as well)."""
    require_action(by, Action.TRAINING_ATTEND)
    drill = get_visible_or_404(Drill.objects.select_for_update(), by, code=code)
    workflow.require(drill, "sign-in", by)
    if drill.participants.filter(pk=by.pk).exists():
        return drill
    drill.participants.add(by)
    count = drill.participants.count()
    if count > drill.participant_count:
        drill.participant_count = count
        drill.save(update_fields=["participant_count"])
    audit.record(actor=by, verb=AuditVerb.DRILL_SIGNED_IN, target=drill, changes={"participant": [None, by.name]})
    return drill


@transaction.atomic
def drill_add_photo(*, by, drill: Drill, image) -> DrillPhoto:
    require_action(by, Action.TRAINING_MANAGE)
    drill = get_visible_or_404(Drill.objects.select_for_update(), by, pk=drill.pk)
    workflow.require(drill, "add-photo", by)
    processed = process_upload(image)
    photo = DrillPhoto(drill=drill, uploaded_by=by, width=processed.width, height=processed.height)
    photo.image.save(processed.image.name, processed.image, save=False)
    photo.thumbnail.save(processed.thumbnail.name, processed.thumbnail, save=False)
    photo.save()
    audit.record(actor=by, verb=AuditVerb.DRILL_PHOTO_ADDED, target=drill, changes={"photo": [None, photo.pk]})
    return photo
