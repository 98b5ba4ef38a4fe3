"""Checklists and their versions: a draft is created, copied or started as the next version, edited
(items added, changed, removed) and published; a published version never changes."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.core import audit
from anjian.core.audit import AuditVerb
from anjian.core.errors import ConflictError, DomainError
from anjian.core.permissions import Action
from anjian.core.scoping import get_visible_or_404
from anjian.core.services import require_action, validated_save
from anjian.inspections import workflow
from anjian.inspections.choices import TemplateStatus
from anjian.inspections.models import (
    ITEM_FIELDS,
    ChecklistItem,
    ChecklistSection,
    ChecklistTemplate,
)
from anjian.inspections.services.common import only_fields

TEMPLATE_FIELDS = ["name", "description", "applies_to", "category"]


def may_edit_template(user, template: ChecklistTemplate) -> bool:
    """Whether the user edits the checklist's drafts (``workflow.editor``: the unit that owns it)."""
    return workflow.editor(template, user)


@transaction.atomic
def template_create(*, by, data: dict[str, Any]) -> ChecklistTemplate:
    require_action(by, Action.CHECKLIST_MANAGE)
    only_fields(data, TEMPLATE_FIELDS)
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
    require_action(by, Action.CHECKLIST_MANAGE)
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
    """A draft of the next version, with the same items (the same item keys), from the family's latest
    version (locked: one draft at a time), which must not be a draft itself."""
    family = ChecklistTemplate.objects.select_for_update().filter(family=template.family).order_by("-version")
    latest = family.first()
    workflow.require(latest, "new-version", by)
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
    workflow.require(template, "edit", by)
    only_fields(data, TEMPLATE_FIELDS)
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
    workflow.require(template, "edit", by)
    title = (section_title or "").strip()
    if not title:
        raise DomainError(_("请填写分区名称。"), field="section")
    only_fields(data, ITEM_FIELDS)
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
    workflow.require(template, "edit", by)
    return template, item


@transaction.atomic
def item_update(*, by, item: ChecklistItem, data: dict[str, Any]) -> ChecklistItem:
    """Change an item of a draft (published versions never change)."""
    template, item = _draft_item(by, item)
    only_fields(data, ITEM_FIELDS)
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
    rule = workflow.require(template, "publish", by)
    replaced, retired = workflow.RETIRED_ON_PUBLISH
    ChecklistTemplate.objects.filter(family=template.family, status=replaced).update(status=retired)
    template.status = rule.target
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
