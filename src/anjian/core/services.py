"""Building blocks that every app's services use: validate, save, audit, in one transaction."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext_lazy as _

from anjian.core import audit, precompiled
from anjian.core.audit import AuditVerb
from anjian.core.errors import DomainError, NotPermittedError
from anjian.core.permissions import Action, can


def require_action(user, action: Action) -> None:
    """A service's first check: the user's role may take ``action`` (core.permissions.MATRIX), else
    ``NotPermittedError`` (403) naming the action. Which objects the user may take it on is for
    scoping (``get_visible_or_404``) and ``require_own``."""
    if not can(user, action):
        raise NotPermittedError(_("您的角色无权执行此操作：%(action)s") % {"action": action.label})


def acting_institution(by, *, refusal):
    """The institution ``by`` writes for: their own organization, which must be an institution (the
    institution keeps its records, the regulator above it reads them); else ``DomainError(refusal)``."""
    org = by.organization
    if org is None or not org.is_institution:
        raise DomainError(refusal)
    return org


def require_own(by, obj, *, refusal) -> None:
    """Writes stay within ``by``'s own organization: ``obj`` of another one (which a regulator may
    well see) is refused with ``NotPermittedError(refusal)`` (403)."""
    if obj.organization_id != by.organization_id:
        raise NotPermittedError(refusal)


def validation_to_domain(exc: ValidationError) -> DomainError:
    """A model ValidationError as a DomainError carrying every message by field."""
    if hasattr(exc, "error_dict"):
        errors = {field: [str(m) for m in msgs] for field, msgs in exc.message_dict.items()}
        first_field, first = next(iter(errors.items()))
        message = first[0]
        return DomainError(message, field=None if first_field == "__all__" else first_field, errors=errors)
    return DomainError("；".join(str(m) for m in exc.messages))


def validated_save(obj: models.Model, *, update_fields: list[str] | None = None) -> models.Model:
    """Run the model's validation, then save; any rule broken becomes a DomainError."""
    try:
        obj.full_clean()
    except ValidationError as exc:
        raise validation_to_domain(exc) from exc
    try:
        with transaction.atomic():
            obj.save(update_fields=update_fields)
    except IntegrityError as exc:
        raise DomainError(_("与已有记录重复或冲突，未保存。")) from exc
    return obj


def validated_insert(obj: models.Model) -> models.Model:
    """``validated_save`` for a new row whose related objects were all read from the database for
    this request (the service checked their scope) and whose unique rules the service checked
    itself (a number from ``core.numbering``, a one-per-slot rule checked just before): the field
    rules and ``clean()`` run, without full_clean's lookups (that each related row exists, unique
    values, constraints: a query each), then one INSERT. The database still enforces those: a
    unique or check violation becomes validated_save's DomainError; a foreign key is checked at
    commit (PostgreSQL's are deferred), so pass only related objects read from the database. Call
    it inside the service's transaction: the error leaving it rolls the INSERT back."""
    related = [f.name for f in obj._meta.concrete_fields if f.is_relation and getattr(obj, f.attname) is not None]
    try:
        obj.full_clean(exclude=related, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise validation_to_domain(exc) from exc
    try:
        precompiled.save_new(obj)  # obj.save(force_insert=True), its INSERT not compiled each time
    except IntegrityError as exc:
        raise DomainError(_("与已有记录重复或冲突，未保存。")) from exc
    return obj


@transaction.atomic
def create_with_audit(obj: models.Model, *, by, verb: AuditVerb, fields: list[str], note: str = "") -> models.Model:
    validated_save(obj)
    audit.record(actor=by, verb=verb, target=obj, changes=audit.diff({}, audit.snapshot(obj, fields)), note=note)
    return obj


@transaction.atomic
def update_with_audit(
    obj: models.Model, *, by, verb: AuditVerb, data: dict[str, Any], fields: list[str], note: str = ""
) -> models.Model:
    """Set the allowed fields from ``data``, validate, save and record what changed."""
    unknown = set(data) - set(fields)
    if unknown:
        raise DomainError(_("不能修改这些字段：%(f)s") % {"f": "、".join(sorted(unknown))})
    before = audit.snapshot(obj, list(data))
    for name, value in data.items():
        setattr(obj, name, value)
    changes = audit.diff(before, audit.snapshot(obj, list(data)))
    if not changes:
        return obj
    validated_save(obj)
    audit.record(actor=by, verb=verb, target=obj, changes=changes, note=note)
    return obj


@transaction.atomic
def set_active_with_audit(
    obj: models.Model, *, by, active: bool, verbs: tuple[AuditVerb, AuditVerb], note: str = ""
) -> models.Model:
    """Deactivate (``active=False``) or reactivate; nothing is ever deleted. ``verbs`` = (on, off)."""
    if obj.is_active == active:
        return obj
    obj.is_active = active
    extra = []
    if hasattr(obj, "deactivated_at"):
        from django.utils import timezone

        obj.deactivated_at = None if active else timezone.now()
        extra.append("deactivated_at")
    obj.save(update_fields=["is_active", *extra])
    audit.record(
        actor=by,
        verb=verbs[0] if active else verbs[1],
        target=obj,
        changes={"is_active": [not active, active]},
        note=note,
    )
    return obj
