"""The configurable library of hazards: categories and the versioned determination standards.

Shared by the whole platform (not scoped to an organization); regulator and system
administrators maintain it. A published version of a standard keeps its items: a new version is a
new CriterionSet (optionally copied from the old one), so hazards keep pointing at the item they met.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from anjian.core.audit import AuditVerb
from anjian.core.errors import DomainError
from anjian.core.permissions import Action, require
from anjian.core.services import create_with_audit, update_with_audit
from anjian.hazards.models import Criterion, CriterionSet, HazardCategory

CATEGORY_FIELDS = ["code", "name", "sort_order", "is_active"]
SET_FIELDS = ["name", "document_number", "version", "effective_from", "is_active"]
CRITERION_FIELDS = ["code", "text", "category", "is_active"]


# --- reads ----------------------------------------------------------------------------------------
def category_list(*, active: bool | None = None) -> QuerySet[HazardCategory]:
    qs = HazardCategory.objects.annotate(hazard_count=Count("hazard"))
    return qs if active is None else qs.filter(is_active=active)


def criterion_set_list() -> QuerySet[CriterionSet]:
    return CriterionSet.objects.annotate(
        item_count=Count("criteria", filter=Q(criteria__is_active=True)), hazard_count=Count("criteria__hazards")
    ).order_by("name", "-effective_from", "-version")


def criterion_choices() -> QuerySet[Criterion]:
    """The items a hazard may cite now: active items of active standards."""
    return Criterion.objects.filter(is_active=True, criterion_set__is_active=True).select_related("criterion_set")


# --- writes ---------------------------------------------------------------------------------------
@transaction.atomic
def category_create(*, by, data: dict[str, Any]) -> HazardCategory:
    require(by, Action.HAZARD_LIBRARY_MANAGE)
    return create_with_audit(
        HazardCategory(**data), by=by, verb=AuditVerb.HAZARD_CATEGORY_CREATED, fields=CATEGORY_FIELDS
    )


@transaction.atomic
def category_update(*, category: HazardCategory, by, data: dict[str, Any]) -> HazardCategory:
    require(by, Action.HAZARD_LIBRARY_MANAGE)
    return update_with_audit(category, by=by, verb=AuditVerb.HAZARD_CATEGORY_UPDATED, data=data, fields=CATEGORY_FIELDS)


@transaction.atomic
def criterion_set_create(*, by, data: dict[str, Any], copy_from: CriterionSet | None = None) -> CriterionSet:
    """A new standard, or a new version of one; ``copy_from`` copies its active items to edit."""
    require(by, Action.HAZARD_LIBRARY_MANAGE)
    new = create_with_audit(CriterionSet(**data), by=by, verb=AuditVerb.CRITERION_SET_CREATED, fields=SET_FIELDS)
    if copy_from is not None:
        for item in copy_from.criteria.filter(is_active=True).order_by("pk"):
            criterion_create(
                by=by, criterion_set=new, data={"code": item.code, "text": item.text, "category": item.category}
            )
    return new


@transaction.atomic
def criterion_set_update(*, criterion_set: CriterionSet, by, data: dict[str, Any]) -> CriterionSet:
    require(by, Action.HAZARD_LIBRARY_MANAGE)
    return update_with_audit(criterion_set, by=by, verb=AuditVerb.CRITERION_SET_UPDATED, data=data, fields=SET_FIELDS)


@transaction.atomic
def criterion_create(*, by, criterion_set: CriterionSet, data: dict[str, Any]) -> Criterion:
    require(by, Action.HAZARD_LIBRARY_MANAGE)
    if criterion_set.criteria.filter(code=data.get("code", "")).exists():
        raise DomainError(
            _("“%(set)s”中已有第%(code)s条。") % {"set": criterion_set.name, "code": data.get("code")}, field="code"
        )
    return create_with_audit(
        Criterion(criterion_set=criterion_set, **data),
        by=by,
        verb=AuditVerb.CRITERION_CREATED,
        fields=CRITERION_FIELDS,
    )


@transaction.atomic
def criterion_update(*, criterion: Criterion, by, data: dict[str, Any]) -> Criterion:
    """Edit an item. An item that hazards already cite keeps its text: retire it and add a new one."""
    require(by, Action.HAZARD_LIBRARY_MANAGE)
    if "text" in data and data["text"] != criterion.text and criterion.hazards.exists():
        raise DomainError(_("已有隐患引用此条目，不能修改其内容；请停用此条目并新增一条，或发布新版本。"), field="text")
    return update_with_audit(criterion, by=by, verb=AuditVerb.CRITERION_UPDATED, data=data, fields=CRITERION_FIELDS)
