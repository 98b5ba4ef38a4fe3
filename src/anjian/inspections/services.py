"""Every change of the inspection regime: checklists and their versions, points, schedules, the
records filled at a place (a failed item becomes a hazard through ``hazards.services``),
supervision inspections and interviews. Each service checks its rule, writes, and records its
audit event in one transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Exists, Min, OuterRef, ProtectedError, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.core import audit
from anjian.core.audit import AuditVerb
from anjian.core.errors import ConflictError, DomainError, NotPermittedError
from anjian.core.images import process_upload
from anjian.core.numbering import next_number
from anjian.core.permissions import Action, can
from anjian.core.registry import app_modules
from anjian.core.roles import INSTITUTION_LEADERS, INSTITUTION_ROLES, REGULATOR_ROLES, Role
from anjian.core.scoping import get_visible_or_404
from anjian.core.services import validated_insert, validated_save
from anjian.hazards import services as hazard_services
from anjian.hazards.choices import OPEN_STATUSES, HazardSource
from anjian.hazards.models import HazardCategory
from anjian.inspections import due, labels, selectors
from anjian.inspections.choices import Result, TemplateStatus
from anjian.inspections.models import (
    ITEM_FIELDS,
    ChecklistItem,
    ChecklistSection,
    ChecklistTemplate,
    InspectionPoint,
    InspectionRecord,
    InspectionResult,
    Interview,
    ResultPhoto,
    RhythmDefault,
    Schedule,
    SupervisionFinding,
    SupervisionInspection,
    new_label_secret,
    window_text,
)
from anjian.orgs.choices import OrganizationType
from anjian.orgs.models import Organization

RECORD_PREFIX = "XJ"
SUPERVISION_PREFIX = "DD"
TEMPLATE_FIELDS = ["name", "description", "applies_to", "category"]
POINT_FIELDS = ["name", "location", "department", "is_active"]
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


def _only(data: dict[str, Any], allowed: list[str]) -> None:
    unknown = [k for k in data if k not in allowed]
    if unknown:
        raise DomainError(_("不能修改这些字段：%(f)s") % {"f": "、".join(unknown)})


def _require(user, action: Action) -> None:
    if not can(user, action):
        raise NotPermittedError(_("您的角色无权执行此操作：%(action)s") % {"action": action.label})


# --- checklists ----------------------------------------------------------------------------------
def may_edit_template(user, template: ChecklistTemplate) -> bool:
    """Regulators edit their district-wide checklists, safety officers their institution's own; the
    platform's starter library is copied, never edited in place."""
    return (
        can(user, Action.CHECKLIST_MANAGE)
        and template.owner_id is not None
        and template.owner_id == user.organization_id
    )


def _require_editable(user, template: ChecklistTemplate, *, draft: bool = True) -> None:
    if not may_edit_template(user, template):
        raise NotPermittedError(_("只能修改本单位的检查表；通用检查表请先复制为本单位检查表。"))
    if draft and not template.is_draft:
        raise ConflictError(_("已发布的检查表版本不能修改，请新建版本后再修改。"))


@transaction.atomic
def template_create(*, by, data: dict[str, Any]) -> ChecklistTemplate:
    _require(by, Action.CHECKLIST_MANAGE)
    _only(data, TEMPLATE_FIELDS)
    template = ChecklistTemplate(owner=by.organization, created_by=by, **data)
    validated_save(template)
    audit.record(
        actor=by,
        verb=AuditVerb.CHECKLIST_CREATED,
        target=template,
        organization=template.owner,
        changes=audit.diff({}, audit.snapshot(template, TEMPLATE_FIELDS)),
    )
    return template


def _copy_content(source: ChecklistTemplate, target: ChecklistTemplate, *, keep_keys: bool) -> None:
    for section in source.sections.order_by("order", "pk"):
        new_section = ChecklistSection.objects.create(template=target, order=section.order, title=section.title)
        for item in section.items.order_by("order", "pk"):
            extra = {"key": item.key} if keep_keys else {}
            ChecklistItem.objects.create(
                template=target,
                section=new_section,
                order=item.order,
                **{f: getattr(item, f) for f in ITEM_FIELDS},
                **extra,
            )


@transaction.atomic
def template_copy(*, by, template: ChecklistTemplate) -> ChecklistTemplate:
    """Copy a visible checklist (the starter library, a district's) as a draft of the user's unit."""
    _require(by, Action.CHECKLIST_MANAGE)
    template = get_visible_or_404(ChecklistTemplate, by, pk=template.pk)
    copy = ChecklistTemplate(
        owner=by.organization,
        code=template.code,
        name=template.name,
        description=template.description,
        applies_to=template.applies_to,
        category=template.category,
        based_on=template,
        created_by=by,
    )
    validated_save(copy)
    _copy_content(template, copy, keep_keys=False)
    audit.record(
        actor=by,
        verb=AuditVerb.CHECKLIST_CREATED,
        target=copy,
        organization=copy.owner,
        note=str(_("复制自“%(t)s”")) % {"t": template},
    )
    return copy


@transaction.atomic
def template_new_version(*, by, template: ChecklistTemplate) -> ChecklistTemplate:
    """A draft of the next version, with the same items (the same item keys)."""
    _require_editable(by, template, draft=False)
    family = ChecklistTemplate.objects.select_for_update().filter(family=template.family).order_by("-version")
    latest = family.first()
    if latest.is_draft:
        raise ConflictError(_("该检查表已有未发布的草稿（第%(v)s版），请先编辑或发布它。") % {"v": latest.version})
    draft = ChecklistTemplate(
        owner=template.owner,
        family=template.family,
        code=template.code,
        name=latest.name,
        description=latest.description,
        applies_to=latest.applies_to,
        category=latest.category,
        version=latest.version + 1,
        based_on=latest,
        created_by=by,
    )
    validated_save(draft)
    _copy_content(latest, draft, keep_keys=True)
    audit.record(
        actor=by, verb=AuditVerb.CHECKLIST_CREATED, target=draft, organization=draft.owner, note=str(_("新版本"))
    )
    return draft


@transaction.atomic
def template_update(*, by, template: ChecklistTemplate, data: dict[str, Any]) -> ChecklistTemplate:
    template = ChecklistTemplate.objects.select_for_update().get(pk=template.pk)
    _require_editable(by, template)
    _only(data, TEMPLATE_FIELDS)
    before = audit.snapshot(template, list(data))
    for k, v in data.items():
        setattr(template, k, v)
    validated_save(template)
    audit.record(
        actor=by,
        verb=AuditVerb.CHECKLIST_UPDATED,
        target=template,
        organization=template.owner,
        changes=audit.diff(before, audit.snapshot(template, list(data))),
    )
    return template


@transaction.atomic
def item_add(*, by, template: ChecklistTemplate, section_title: str, data: dict[str, Any], key=None) -> ChecklistItem:
    """Add an item to a draft, in the named section (created when new). ``key``: the item's lasting
    identity across versions when the caller has one (a risk's control measure); else a new one."""
    template = ChecklistTemplate.objects.select_for_update().get(pk=template.pk)
    _require_editable(by, template)
    title = (section_title or "").strip()
    if not title:
        raise DomainError(_("请填写分区名称。"), field="section")
    _only(data, ITEM_FIELDS)
    if not (data.get("text") or "").strip():
        raise DomainError(_("请填写检查内容。"), field="text")
    section = template.sections.filter(title=title).first()
    if section is None:
        section = ChecklistSection.objects.create(template=template, title=title, order=template.sections.count() + 1)
    item = ChecklistItem(template=template, section=section, order=section.items.count() + 1, **data)
    if key is not None:
        item.key = key
    validated_save(item)
    audit.record(
        actor=by,
        verb=AuditVerb.CHECKLIST_UPDATED,
        target=template,
        organization=template.owner,
        changes={"item": [None, item.text]},
    )
    return item


def _draft_item(by, item: ChecklistItem) -> tuple[ChecklistTemplate, ChecklistItem]:
    """The item and its checklist, locked; only a draft of the user's own unit is edited."""
    item = get_visible_or_404(ChecklistItem.objects.select_related("section"), by, pk=item.pk)
    template = ChecklistTemplate.objects.select_for_update().get(pk=item.template_id)
    _require_editable(by, template)
    return template, item


@transaction.atomic
def item_update(*, by, item: ChecklistItem, data: dict[str, Any]) -> ChecklistItem:
    """Change an item of a draft (published versions never change)."""
    template, item = _draft_item(by, item)
    _only(data, ITEM_FIELDS)
    before = audit.snapshot(item, list(data))
    for k, v in data.items():
        setattr(item, k, v)
    if not (item.text or "").strip():
        raise DomainError(_("请填写检查内容。"), field="text")
    validated_save(item)
    changes = audit.diff(before, audit.snapshot(item, list(data)))
    if changes:
        audit.record(
            actor=by,
            verb=AuditVerb.CHECKLIST_UPDATED,
            target=template,
            organization=template.owner,
            changes=changes,
            note=str(_("修改检查项“%(t)s”")) % {"t": item.text},
        )
    return item


@transaction.atomic
def item_remove(*, by, item: ChecklistItem) -> ChecklistTemplate:
    """Take an item out of a draft (a section left empty goes with it). Drafts were never used by a
    record, so nothing that happened is lost; earlier versions keep the item, and the audit event
    keeps its text. Published versions never change."""
    template, item = _draft_item(by, item)
    section = item.section
    text = item.text
    try:
        with transaction.atomic():
            item.delete()
            if not section.items.exists():
                section.delete()
    except ProtectedError as exc:
        raise ConflictError(_("检查项“%(t)s”已被其他记录引用，不能删除。") % {"t": text}) from exc
    audit.record(
        actor=by,
        verb=AuditVerb.CHECKLIST_UPDATED,
        target=template,
        organization=template.owner,
        changes={"item": [text, None]},
        note=str(_("删除检查项“%(t)s”")) % {"t": text},
    )
    return template


@transaction.atomic
def template_publish(*, by, template: ChecklistTemplate) -> ChecklistTemplate:
    """Publish a draft: from now on it never changes; the version it replaces is retired (records
    that used it keep it)."""
    template = ChecklistTemplate.objects.select_for_update().get(pk=template.pk)
    _require_editable(by, template)
    if not template.items.exists():
        raise DomainError(_("检查表至少要有一个检查项才能发布。"))
    ChecklistTemplate.objects.filter(family=template.family, status=TemplateStatus.PUBLISHED).update(
        status=TemplateStatus.RETIRED
    )
    template.status = TemplateStatus.PUBLISHED
    template.published_at = timezone.now()
    template.save(update_fields=["status", "published_at"])
    audit.record(
        actor=by,
        verb=AuditVerb.CHECKLIST_PUBLISHED,
        target=template,
        organization=template.owner,
        changes={"status": [TemplateStatus.DRAFT.label, TemplateStatus.PUBLISHED.label]},
    )
    return template


# --- points --------------------------------------------------------------------------------------
def _institution_of(by) -> Organization:
    org = by.organization
    if org is None or not org.is_institution:
        raise DomainError(_("巡检点和排查计划属于医疗卫生机构，请以机构人员身份操作。"))
    return org


@transaction.atomic
def point_create(*, by, data: dict[str, Any]) -> InspectionPoint:
    _require(by, Action.SCHEDULE_MANAGE)
    _only(data, POINT_FIELDS)
    point = InspectionPoint(organization=_institution_of(by), **data)
    validated_save(point)
    audit.record(
        actor=by,
        verb=AuditVerb.INSPECTION_POINT_CREATED,
        target=point,
        changes=audit.diff({}, audit.snapshot(point, ["name", "location", "department"])),
    )
    return point


@transaction.atomic
def point_update(*, by, point: InspectionPoint, data: dict[str, Any]) -> InspectionPoint:
    _require(by, Action.SCHEDULE_MANAGE)
    point = get_visible_or_404(InspectionPoint.objects.select_for_update(), by, pk=point.pk)
    if point.organization_id != by.organization_id:
        raise NotPermittedError(_("只能修改本单位的巡检点。"))
    _only(data, POINT_FIELDS)
    before = audit.snapshot(point, list(data))
    for k, v in data.items():
        setattr(point, k, v)
    changes = audit.diff(before, audit.snapshot(point, list(data)))
    if changes:
        validated_save(point)
        audit.record(actor=by, verb=AuditVerb.INSPECTION_POINT_UPDATED, target=point, changes=changes)
    return point


@transaction.atomic
def point_reissue_label(*, by, point: InspectionPoint) -> InspectionPoint:
    """重新生成标签: a new secret for the point's QR label, when a label was lost, copied or
    photographed, or at a routine change. The labels printed before stop proving presence (a scan of
    one is not "scanned at the point"); print the new one and put it up in their place."""
    _require(by, Action.SCHEDULE_MANAGE)
    point = get_visible_or_404(InspectionPoint.objects.select_for_update(), by, pk=point.pk)
    if point.organization_id != by.organization_id:
        raise NotPermittedError(_("只能重新生成本单位巡检点的标签。"))
    before = point.label_version
    point.label_secret = new_label_secret()
    point.label_version = before + 1
    point.save(update_fields=["label_secret", "label_version"])
    audit.record(
        actor=by,
        verb=AuditVerb.INSPECTION_POINT_UPDATED,
        target=point,
        changes={"label_version": [before, point.label_version]},
        note=str(_("重新生成二维码标签（第%(n)s版），此前打印的标签作废")) % {"n": point.label_version},
    )
    return point


# --- schedules -----------------------------------------------------------------------------------
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
    _require(by, Action.SCHEDULE_MANAGE)
    organization = organization or _institution_of(by)
    get_visible_or_404(Organization, by, pk=organization.pk)
    _only(data, SCHEDULE_FIELDS)
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
    _require(by, Action.SCHEDULE_MANAGE)
    schedule = get_visible_or_404(Schedule.objects.select_for_update(), by, pk=schedule.pk)
    if schedule.organization_id != by.organization_id:
        raise NotPermittedError(_("只能修改本单位的排查计划。"))
    _only(data, SCHEDULE_FIELDS)
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


def defaults_for(organization: Organization) -> list[RhythmDefault]:
    """The default rhythms that apply to an institution: its kind (or any), its flags (or none)."""
    rows = RhythmDefault.objects.filter(is_active=True).order_by("sort_order", "pk")
    return [
        r for r in rows if r.kind in ("", organization.kind) and (not r.flag or getattr(organization, r.flag, False))
    ]


def effective_defaults(organization: Organization) -> list[RhythmDefault]:
    """The rule that applies for each duty (role and checklist): the most specific one, a flag's
    before a kind's before the general one (a fire key unit's principal inspects monthly)."""
    best: dict[tuple, RhythmDefault] = {}
    for rule in defaults_for(organization):
        key = (rule.role, rule.template_code)
        score = 2 * bool(rule.flag) + bool(rule.kind)
        if key not in best or score > 2 * bool(best[key].flag) + bool(best[key].kind):
            best[key] = rule
    return sorted(best.values(), key=lambda r: (r.sort_order, r.pk))


def _default_checklist(by, organization: Organization, code: str) -> ChecklistTemplate | None:
    """The checklist a default rhythm names by code, the most specific first: the institution's own
    copy, then its regulators' (the nearest first), then the platform's library."""
    found = list(
        ChecklistTemplate.objects.visible_to(by)
        .filter(code=code, status=TemplateStatus.PUBLISHED)
        .filter(Q(owner__isnull=True) | Q(owner=organization) | Q(owner__type=OrganizationType.REGULATOR))
        .select_related("owner")
    )

    def rank(t: ChecklistTemplate) -> tuple:
        if t.owner_id == organization.pk:
            return (0, 0, -t.version)
        if t.owner_id is not None:
            return (1, -len(t.owner.path), -t.version)
        return (2, 0, -t.version)

    return min(found, key=rank, default=None)


@transaction.atomic
def schedules_from_defaults(*, by, organization: Organization, starts_on: dt.date | None = None) -> list[Schedule]:
    """Create the institution's schedules from the default rhythms (DOMAIN.md §3), skipping those it
    already has (same name). A flag's rhythm replaces the plain one of the same role and checklist."""
    _require(by, Action.SCHEDULE_MANAGE)
    get_visible_or_404(Organization, by, pk=organization.pk)
    created = []
    for rule in effective_defaults(organization):
        if Schedule.objects.filter(organization=organization, name=rule.name).exists():
            continue
        template = _default_checklist(by, organization, rule.template_code)
        if template is None:
            continue
        created.append(
            schedule_create(
                by=by,
                organization=organization,
                data={
                    "name": rule.name,
                    "template": template,
                    "role": rule.role,
                    "rhythm": rule.rhythm,
                    "every_hours": rule.every_hours,
                    "day_start": rule.day_start,
                    "day_end": rule.day_end,
                    "starts_on": starts_on or timezone.localdate(),
                },
            )
        )
    return created


RHYTHM_FIELDS = ["name", "kind", "flag", "role", "rhythm", "every_hours", "day_start", "day_end", "template_code"]


def _check_rule(rule: RhythmDefault) -> None:
    """A default names a published checklist of the library (or a district's) by code, a role
    inside an institution, and is the only one for its kind, flag, role and checklist."""
    if rule.role and rule.role not in INSTITUTION_ROLES:
        raise DomainError(_("“由谁检查”须为机构内的角色。"), field="role")
    shared = Q(owner__isnull=True) | Q(owner__type=OrganizationType.REGULATOR)
    if not ChecklistTemplate.objects.filter(shared, code=rule.template_code, status=TemplateStatus.PUBLISHED).exists():
        raise DomainError(_("没有编码为“%(c)s”的已发布通用检查表。") % {"c": rule.template_code}, field="template_code")
    same = RhythmDefault.objects.filter(
        kind=rule.kind, flag=rule.flag, role=rule.role, template_code=rule.template_code
    ).exclude(pk=rule.pk)
    if same.exists():
        raise DomainError(
            _("已有相同机构类别、标识、角色和检查表的默认频次“%(n)s”，请修改那一条。") % {"n": same.first().name}
        )


@transaction.atomic
def rhythm_default_create(*, by, data: dict[str, Any]) -> RhythmDefault:
    """A new default rhythm (e.g. for a kind of institution the defaults do not cover yet)."""
    _require(by, Action.RHYTHM_MANAGE)
    _only(data, [*RHYTHM_FIELDS, "is_active"])
    last = RhythmDefault.objects.order_by("-sort_order").values_list("sort_order", flat=True).first() or 0
    rule = RhythmDefault(sort_order=last + 10, **data)
    _check_rule(rule)
    validated_save(rule)
    audit.record(
        actor=by,
        verb=AuditVerb.RHYTHM_DEFAULT_CREATED,
        target=rule,
        organization=by.organization,
        changes=audit.diff({}, audit.snapshot(rule, RHYTHM_FIELDS)),
    )
    return rule


@transaction.atomic
def rhythm_default_update(*, by, rule: RhythmDefault, data: dict[str, Any]) -> RhythmDefault:
    _require(by, Action.RHYTHM_MANAGE)
    _only(data, [*RHYTHM_FIELDS, "is_active"])
    rule = RhythmDefault.objects.select_for_update().get(pk=rule.pk)
    before = audit.snapshot(rule, list(data))
    for k, v in data.items():
        setattr(rule, k, v)
    _check_rule(rule)
    validated_save(rule)
    audit.record(
        actor=by,
        verb=AuditVerb.RHYTHM_DEFAULT_UPDATED,
        target=rule,
        organization=by.organization,
        changes=audit.diff(before, audit.snapshot(rule, list(data))),
    )
    return rule


# --- the inspection record -----------------------------------------------------------------------
class SlotDoneError(ConflictError):
    """This period's inspection (of the schedule, at the point) is done: ``record`` is the one."""

    def __init__(self, record: InspectionRecord):
        self.record = record
        super().__init__(_("本周期已完成该检查（记录 %(n)s）；如需更正，请在该记录上提交更正。") % {"n": record.number})


def _schedule_for_submit():
    """Schedules with their checklist, the id of the checklist's current version
    (its newest published one: ``selectors.current_version``) and whether they name active points."""
    current = ChecklistTemplate.objects.filter(
        family=OuterRef("template__family"), status=TemplateStatus.PUBLISHED
    ).order_by("-version")
    active_points = Schedule.points.through.objects.filter(schedule_id=OuterRef("pk"), inspectionpoint__is_active=True)
    return Schedule.objects.select_related("template").annotate(
        current_version_id=Subquery(current.values("pk")[:1]), has_active_points=Exists(active_points)
    )


def _points_of(schedule: Schedule):
    """Points, with whether the schedule names them."""
    listed = Schedule.points.through.objects.filter(schedule_id=schedule.pk, inspectionpoint_id=OuterRef("pk"))
    return InspectionPoint.objects.annotate(on_schedule=Exists(listed))


def _point_for_submit(schedule: Schedule):
    """Points, locked (one inspection of a place at a time), with whether the schedule names them."""
    return _points_of(schedule).select_for_update()


def _may_fill(by, schedule: Schedule) -> bool:
    return schedule.assigned_to(by) or (
        by.role in INSTITUTION_LEADERS and by.organization_id == schedule.organization_id
    )


def _check_fillable(by, schedule: Schedule, point: InspectionPoint | None, now: dt.datetime) -> due.Slot:
    """The rules for filling a schedule's checklist at ``now`` (at ``point``), in the order people are
    told them; the slot it fills. ``schedule`` from ``_schedule_for_submit``, ``point`` from
    ``_points_of``."""
    if not schedule.is_active:
        raise DomainError(_("排查计划“%(s)s”已停用。") % {"s": schedule.name}, field="schedule")
    if not _may_fill(by, schedule):
        raise NotPermittedError(_("排查计划“%(s)s”不是您的排查任务。") % {"s": schedule.name})
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


def _check_slot_free(schedule: Schedule, point: InspectionPoint | None, period_start: dt.datetime) -> None:
    done = (
        InspectionRecord.objects.filter(schedule=schedule, point=point, period_start=period_start)
        .only("pk", "number")
        .first()
    )
    if done is not None:
        raise SlotDoneError(done)


def _check_may_correct(by, record: InspectionRecord) -> None:
    if record.performed_by_id != by.pk and not (
        by.role in INSTITUTION_LEADERS and by.organization_id == record.organization_id
    ):
        raise NotPermittedError(_("只有原检查人或本单位负责人、安全管理员可以更正检查记录。"))


def inspection_fill_check(*, by, schedule: Schedule, point: InspectionPoint | None = None) -> due.Slot:
    """Whether ``by`` may fill the schedule's checklist now (at ``point``): the rules of
    ``inspection_submit``, checked when the page opens, so that nobody fills in a checklist only to be
    refused. Raises ``DomainError`` (``NotPermittedError``: not their task; ``SlotDoneError``: this
    period's is done); returns the slot it would fill. Writes nothing."""
    _require(by, Action.INSPECTION_PERFORM)
    schedule = get_visible_or_404(_schedule_for_submit(), by, pk=schedule.pk)
    if point is not None:
        point = get_visible_or_404(_points_of(schedule), by, pk=point.pk)
    slot = _check_fillable(by, schedule, point, timezone.now())
    _check_slot_free(schedule, point, slot.start)
    return slot


def inspection_correct_check(*, by, record: InspectionRecord) -> None:
    """Whether ``by`` may correct ``record`` (the original inspector, or the unit's leaders and
    safety officer): checked when the correction page opens. Raises ``NotPermittedError``."""
    _require(by, Action.INSPECTION_PERFORM)
    _check_may_correct(by, get_visible_or_404(InspectionRecord, by, pk=record.pk))


def result_error_key(item: ChecklistItem | int) -> str:
    """The key of an item's problems in a refusal's ``errors`` (form and API alike): ``item_<id>``."""
    return f"item_{getattr(item, 'pk', item)}"


def _clean_results(template: ChecklistTemplate, results: list[dict]) -> tuple[list[tuple[ChecklistItem, dict]], dict]:
    """The answers checked against the checklist's items, in the checklist's order, each with its
    photos decoded (``processed``); and every item's problems at once (``result_error_key`` → messages):
    not answered, failed without a note, failed without the photo the item requires, a photo that is
    not an image. An answer that names no item of the checklist, twice the same item or no valid
    result is malformed input, refused at once."""
    items = {i.pk: i for i in template.items.select_related("section", "category")}
    seen: dict[int, dict] = {}
    for row in results or []:
        item_id = row.get("item")
        item = items.get(item_id if isinstance(item_id, int) else getattr(item_id, "pk", item_id))
        if item is None:
            raise DomainError(_("检查项 %(i)s 不属于检查表“%(t)s”。") % {"i": item_id, "t": template}, field="results")
        if item.pk in seen:
            raise DomainError(_("检查项“%(t)s”填写了两次。") % {"t": item.text}, field="results")
        if row.get("result") not in Result.values:
            raise DomainError(
                _("检查项“%(t)s”的结果须为合格、不合格或不适用（pass / fail / na）。") % {"t": item.text},
                field="results",
            )
        seen[item.pk] = row
    ordered = sorted(items.values(), key=lambda i: (i.section.order, i.section_id, i.order, i.pk))
    cleaned, errors = [], {}
    for item in ordered:
        row = seen.get(item.pk)
        if row is None:
            errors[result_error_key(item)] = [_("“%(t)s”未填写：请选择合格、不合格或不适用。") % {"t": item.text}]
            continue
        note = (row.get("note") or "").strip()
        uploads = list(row.get("photos") or [])
        problems = []
        if row["result"] == Result.FAIL:
            if not note:
                problems.append(_("“%(t)s”不合格：请说明发现的问题。") % {"t": item.text})
            if item.photo_required_on_fail and not uploads:
                problems.append(_("“%(t)s”不合格：须拍摄现场照片。") % {"t": item.text})
        processed = []
        for upload in uploads:
            try:
                processed.append(process_upload(upload))
            except DomainError as exc:
                problems.append(_("“%(t)s”的照片：%(m)s") % {"t": item.text, "m": exc.message})
        if problems:
            errors[result_error_key(item)] = problems
        cleaned.append((item, {**row, "note": note, "photos": uploads, "processed": processed}))
    return cleaned, errors


SUMMARY_SHOWN = 5


def _refusal(errors: dict) -> DomainError:
    """One refusal with every problem of the submission: the message lists them (the first few when
    there are many), ``errors`` has them all, by item."""
    found = [str(m) for messages in errors.values() for m in messages]
    if len(found) == 1:
        message = found[0]
    else:
        shown = "；".join(m.rstrip("。") for m in found[:SUMMARY_SHOWN])
        message = str(_("共 %(n)d 处需要补充或改正：%(list)s")) % {
            "n": len(found),
            "list": shown + ("……" if len(found) > SUMMARY_SHOWN else "。"),
        }
    return DomainError(message, errors=errors)


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
    category = item.category or record.template.category or HazardCategory.objects.filter(code="other").first()
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


@transaction.atomic
def inspection_submit(
    *,
    by,
    results: list[dict],
    schedule: Schedule | None = None,
    point: InspectionPoint | None = None,
    template: ChecklistTemplate | None = None,
    supervision: SupervisionInspection | None = None,
    scan_token: str = "",
    note: str = "",
    corrects: InspectionRecord | None = None,
    correction_reason: str = "",
    performed_at: dt.datetime | None = None,
    at: dt.datetime | None = None,
) -> InspectionRecord:
    """Submit a filled checklist. ``results``: ``[{"item": id, "result": "pass"|"fail"|"na", "note":
    "…", "photos": [uploads]}]``, one per item of the checklist's version. Each failed item becomes a
    hazard (source self-inspection, or supervision), unless a hazard raised by the same item at the
    same place is still open: then the result is linked to that one.

    ``scan_token``: the token of the point's QR label (``labels.scan_token``), when the inspector
    scanned it; the record is "scanned at the point" only when it is the point's current label's.

    A refusal tells every problem of the answers at once (``DomainError.errors``, by
    ``result_error_key``) and writes nothing: no record, hazard, photo file or audit event.

    ``at``: when the record was submitted, if not now, for replaying a dated history (the demo): the
    record's submission time, its audit event and the hazards it raises carry it. Views never pass it.

    The record returned carries its results (``record.results.all()`` without a query), each with
    its item and hazard."""
    _require(by, Action.INSPECTION_PERFORM)
    now = performed_at or timezone.now()  # earlier: a paper record entered afterwards (补录)
    if now > timezone.now() + dt.timedelta(minutes=5):
        raise DomainError(_("检查时间不能晚于现在。"), field="performed_at")
    department_id = None
    locked_point = False
    errors: dict[str, list] = {}
    if corrects is not None:
        corrects = get_visible_or_404(InspectionRecord.objects.select_for_update(), by, pk=corrects.pk)
        _check_may_correct(by, corrects)
        if not (correction_reason or "").strip():
            errors["correction_reason"] = [_("更正记录须填写更正原因。")]
        schedule, point, template, supervision = (
            corrects.schedule,
            corrects.point,
            corrects.template,
            corrects.supervision,
        )
        organization = corrects.organization
        department_id = corrects.department_id
        period_start = corrects.period_start
        performed_at = corrects.performed_at
    elif schedule is not None:
        # one statement for the schedule, its organization, its checklist, the checklist's current
        # version and whether it names points (rather than one each)
        schedule = get_visible_or_404(_schedule_for_submit(), by, pk=schedule.pk)
        # the institution's own schedule: its organization is the user's, already read with the user
        organization = by.organization if by.organization_id == schedule.organization_id else schedule.organization
        if point is not None:  # the caller's point, locked: one inspection of a place at a time
            point = get_visible_or_404(_point_for_submit(schedule), by, pk=point.pk)
            locked_point = True
        slot = _check_fillable(by, schedule, point, now)
        if schedule.current_version_id == schedule.template_id:
            template = schedule.template
        else:
            template = ChecklistTemplate.objects.get(pk=schedule.current_version_id)
        department_id = schedule.department_id or (by.department_id if by.organization_id == organization.pk else None)
        period_start = slot.start
        performed_at = now
    elif supervision is not None:
        supervision = get_visible_or_404(SupervisionInspection, by, pk=supervision.pk)
        if by.role not in REGULATOR_ROLES and by.role != Role.INSPECTOR:
            raise NotPermittedError(_("督导检查记录由监管部门或其委托的检查人员填写。"))
        if template is None:
            raise DomainError(_("请选择检查表。"), field="template")
        template = get_visible_or_404(ChecklistTemplate, by, pk=template.pk)
        organization = supervision.institution
        period_start, performed_at = None, now
    else:
        raise DomainError(_("请选择排查计划。"), field="schedule")

    if template.status == TemplateStatus.DRAFT:
        raise DomainError(_("检查表尚未发布，不能用于检查。"), field="template")
    if point is not None:
        if not locked_point:
            point = get_visible_or_404(InspectionPoint.objects.select_for_update(), by, pk=point.pk)
        if point.organization_id != organization.pk:
            raise DomainError(_("巡检点须属于被检查机构。"), field="point")
        department_id = point.department_id or department_id
    else:
        # one inspection at a time per institution raises hazards: no duplicate for the same item
        Organization.objects.select_for_update().filter(pk=organization.pk).first()
    if corrects is None and schedule is not None:
        _check_slot_free(schedule, point, period_start)  # under the lock just taken
    cleaned, item_errors = _clean_results(template, results)
    errors.update(item_errors)
    if errors:
        raise _refusal(errors)

    scanned = point is not None and corrects is None and labels.check_token(point, scan_token).scanned
    record = InspectionRecord(
        number=next_number(RECORD_PREFIX, timezone.localdate().year),
        organization=organization,
        schedule=schedule,
        template=template,
        point=point,
        department_id=department_id,
        supervision=supervision,
        performed_by=by,
        performed_at=performed_at,
        period_start=period_start,
        scanned=scanned,
        note=(note or "").strip(),
        corrects=corrects,
        correction_reason=(correction_reason or "").strip(),
        pass_count=sum(1 for _i, r in cleaned if r["result"] == Result.PASS),
        fail_count=sum(1 for _i, r in cleaned if r["result"] == Result.FAIL),
        na_count=sum(1 for _i, r in cleaned if r["result"] == Result.NA),
    )
    # the objects it points to were fetched in scope above, its number comes from the counter and its
    # slot was checked just before: full_clean's lookups would repeat them (the database keeps both unique)
    validated_insert(record)
    if at is not None:  # created_at (提交时间) is stamped on creation
        InspectionRecord.objects.filter(pk=record.pk).update(created_at=at)
        record.created_at = at
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
    # one INSERT for all the results (ids returned on PostgreSQL and SQLite ≥ 3.35): a submission
    # holds the record-number counter's row lock for a few statements, not one per item
    InspectionResult.objects.bulk_create(results)
    for result, processed in zip(results, photos, strict=True):
        for p in processed:
            photo = ResultPhoto(result=result, uploaded_by=by, width=p.width, height=p.height)
            photo.image.save(p.image.name, p.image, save=False)
            photo.thumbnail.save(p.thumbnail.name, p.thumbnail, save=False)
            photo.save()
    changes = {
        "template": [None, str(template)],
        "point": [None, point.name if point else None],
        "pass_count": [None, record.pass_count],
        "fail_count": [None, record.fail_count],
        "na_count": [None, record.na_count],
    }
    if point is not None:
        changes["scanned"] = [None, record.scanned]
    notes = [record.correction_reason if corrects else record.note]
    if raised:
        notes.append(str(_("不合格项登记隐患：%(h)s")) % {"h": "、".join(raised)})
    if linked:
        notes.append(str(_("不合格项关联未销号隐患：%(h)s")) % {"h": "、".join(linked)})
    audit.record(
        actor=by,
        verb=AuditVerb.INSPECTION_CORRECTED if corrects else AuditVerb.INSPECTION_SUBMITTED,
        target=record,
        changes=changes,
        note="；".join(n for n in notes if n),
        at=at,
    )
    # record.results.all() answers from memory, in the model's order, as after prefetch_related("results")
    # (the API answers with the record without a query); other uses of record.results still query
    saved = record.results.all()
    saved._result_cache = sorted(results, key=lambda r: (r.item.section.order, r.item.order, r.pk))
    saved._prefetch_done = True
    record._prefetched_objects_cache = {"results": saved}
    return record


# --- supervision and interviews ------------------------------------------------------------------
def _supervised_institution(by, institution: Organization) -> Organization:
    _require(by, Action.SUPERVISION_MANAGE)
    institution = get_visible_or_404(Organization, by, pk=institution.pk)
    if not institution.is_institution:
        raise DomainError(_("请选择被检查的医疗卫生机构。"), field="institution")
    return institution


def _engaged_inspectors(institution: Organization, inspectors) -> list:
    """The team's inspectors must be engaged (in force today) for the institution: orgs.Engagement."""
    inspectors = list(inspectors or [])
    for user in inspectors:
        if user.role != Role.INSPECTOR or not Organization.objects.visible_to(user).filter(pk=institution.pk).exists():
            raise DomainError(
                _("%(u)s 未受委托检查“%(i)s”：请先在“委托检查员”中委托。") % {"u": user.name, "i": institution.name},
                field="inspectors",
            )
    return inspectors


@transaction.atomic
def supervision_record(
    *, by, institution: Organization, data: dict[str, Any], inspectors=(), at: dt.datetime | None = None
) -> SupervisionInspection:
    """Record a supervision; ``inspectors``: engaged inspectors on the team, who may then fill its
    checklists and findings. ``at``: when it was recorded, if not now (the demo's dated history)."""
    institution = _supervised_institution(by, institution)
    if not (data.get("team") or "").strip():
        raise DomainError(_("请填写检查组成员。"), field="team")
    if data.get("date") and data["date"] > timezone.localdate():
        raise DomainError(_("检查日期不能晚于今天。"), field="date")
    inspectors = _engaged_inspectors(institution, inspectors)
    supervision = SupervisionInspection(
        regulator=by.organization,
        institution=institution,
        created_by=by,
        number=next_number(SUPERVISION_PREFIX, timezone.localdate().year),
        **data,
    )
    validated_save(supervision)
    if at is not None:  # created_at (登记时间) is stamped on creation
        SupervisionInspection.objects.filter(pk=supervision.pk).update(created_at=at)
        supervision.created_at = at
    supervision.inspectors.set(inspectors)
    changes = audit.diff({}, audit.snapshot(supervision, ["date", "subject", "leader", "team", "summary"]))
    if inspectors:
        changes["inspectors"] = [None, "、".join(u.name for u in inspectors)]
    audit.record(
        actor=by,
        verb=AuditVerb.SUPERVISION_RECORDED,
        target=supervision,
        organization=institution,
        changes=changes,
        at=at,
    )
    return supervision


@transaction.atomic
def supervision_add_finding(
    *, by, supervision: SupervisionInspection, data: dict[str, Any], photos=(), at: dt.datetime | None = None
) -> SupervisionFinding:
    """A problem found: entered in the institution's ledger as a hazard with source 督导检查. An
    inspector on the team (engaged for the institution) may add one too, under their own name.
    ``at``: when it was entered, if not now (the demo's dated history)."""
    _require(by, Action.SUPERVISION_FILL)
    supervision = get_visible_or_404(SupervisionInspection.objects.select_related("institution"), by, pk=supervision.pk)
    data = {**data, "source": HazardSource.SUPERVISION}
    # the supervision's day at 10:00, or now when that is still ahead (recorded on the day, early)
    day_at_ten = timezone.make_aware(dt.datetime.combine(supervision.date, dt.time(10, 0)))
    data.setdefault("found_at", min(day_at_ten, timezone.now()))
    if by.role == Role.INSPECTOR:
        data.setdefault("found_by_name", f"{by.name}（{by.organization.name}）"[:100])
    data.setdefault("found_by_name", supervision.leader or by.name)
    hazard = hazard_services.hazard_report(
        by=by, organization=supervision.institution, data=data, photos=photos, note=str(supervision), at=at
    )
    finding = SupervisionFinding.objects.create(supervision=supervision, hazard=hazard)
    if at is not None:
        SupervisionFinding.objects.filter(pk=finding.pk).update(created_at=at)
        finding.created_at = at
    audit.record(
        actor=by,
        verb=AuditVerb.SUPERVISION_FINDING_ADDED,
        target=supervision,
        organization=supervision.institution,
        changes={"hazard": [None, str(hazard)]},
        at=at,
    )
    return finding


@transaction.atomic
def interview_record(*, by, institution: Organization, data: dict[str, Any]) -> Interview:
    institution = _supervised_institution(by, institution)
    for name, label in (("reason", _("约谈事由")), ("attendees", _("参加人员"))):
        if not (data.get(name) or "").strip():
            raise DomainError(_("请填写%(f)s。") % {"f": label}, field=name)
    interview = Interview(regulator=by.organization, institution=institution, created_by=by, **data)
    validated_save(interview)
    audit.record(
        actor=by,
        verb=AuditVerb.INTERVIEW_RECORDED,
        target=interview,
        organization=institution,
        changes=audit.diff({}, audit.snapshot(interview, ["date", "reason", "attendees", "place", "outcome"])),
    )
    return interview
