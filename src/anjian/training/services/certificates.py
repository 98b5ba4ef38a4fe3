"""Certificates, post requirements, the fire-control room roster and the reference data."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from anjian.accounts.models import User
from anjian.core import audit
from anjian.core.audit import AuditVerb
from anjian.core.errors import DomainError
from anjian.core.periods import check_year
from anjian.core.permissions import Action
from anjian.core.scoping import get_visible_or_404
from anjian.core.services import require_action, validated_save
from anjian.orgs.models import Post
from anjian.training.models import (
    Certificate,
    CertificateKind,
    DutyShift,
    PostCertificateRequirement,
    PostTrainingRequirement,
    TrainingCategory,
    TrainingRules,
)
from anjian.training.services.common import attach, institution_of, own, people_of

CERTIFICATE_FIELDS = ["holder", "kind", "number", "issuer", "issued_on", "expires_on"]
SCAN_KINDS = ("pdf", "jpg", "png")


@transaction.atomic
def certificate_add(*, by, data: dict[str, Any], scan=None) -> Certificate:
    require_action(by, Action.CERTIFICATE_MANAGE)
    org = institution_of(by)
    holder, kind = data.get("holder"), data.get("kind")
    if holder is None:
        raise DomainError(_("请选择持证人。"), field="holder")
    if kind is None or not kind.is_active:
        raise DomainError(_("请选择启用的证书类别。"), field="kind")
    people_of(org, [holder], field="holder")
    if not (data.get("number") or "").strip():
        raise DomainError(_("请填写证书编号。"), field="number")
    for name, label in (("issued_on", _("发证日期")), ("expires_on", _("有效期至"))):
        if not isinstance(data.get(name), dt.date):
            raise DomainError(_("请填写%(f)s。") % {"f": label}, field=name)
    cert = Certificate(organization=org, created_by=by, **{k: data[k] for k in CERTIFICATE_FIELDS if k in data})
    cert.number = cert.number.strip()
    attach(cert, "scan", scan, allowed=SCAN_KINDS, name_field="scan_name", label="certificate.pdf")
    validated_save(cert)
    audit.record(
        actor=by,
        verb=AuditVerb.CERTIFICATE_ADDED,
        target=cert,
        changes=audit.diff({}, audit.snapshot(cert, CERTIFICATE_FIELDS)),
    )
    return cert


@transaction.atomic
def certificate_void(*, by, certificate: Certificate, reason: str) -> Certificate:
    require_action(by, Action.CERTIFICATE_MANAGE)
    cert = get_visible_or_404(Certificate.objects.select_for_update(), by, pk=certificate.pk)
    own(by, cert)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写作废原因。"), field="reason")
    if not cert.is_active:
        raise DomainError(_("该证书已作废。"))
    cert.is_active, cert.void_reason = False, reason[:200]
    cert.save(update_fields=["is_active", "void_reason"])
    audit.record(
        actor=by, verb=AuditVerb.CERTIFICATE_VOIDED, target=cert, changes={"is_active": [True, False]}, note=reason
    )
    return cert


@transaction.atomic
def post_requirement_set(*, by, post: Post, kind=None, category=None, active: bool = True):
    """Require (or stop requiring) a certificate ``kind`` or a training ``category`` at ``post``."""
    require_action(by, Action.CERTIFICATE_MANAGE)
    org = institution_of(by)
    post = get_visible_or_404(Post, by, pk=post.pk)
    if post.organization_id != org.pk:
        raise DomainError(_("岗位须属于本单位。"), field="post")
    if (kind is None) == (category is None):
        raise DomainError(_("请选择须持的证书类别或须参加的培训类别（二选一）。"), field="kind")
    if kind is not None:
        row, _created = PostCertificateRequirement.objects.get_or_create(organization=org, post=post, kind=kind)
    else:
        row, _created = PostTrainingRequirement.objects.get_or_create(organization=org, post=post, category=category)
    if row.is_active != active or _created:
        row.is_active = active
        row.save(update_fields=["is_active"])
        audit.record(
            actor=by,
            verb=AuditVerb.POST_REQUIREMENT_SAVED,
            target=row,
            changes={"requirement": [None, str(row)], "is_active": [None, active]},
        )
    return row


@transaction.atomic
def duty_shift_save(*, by, day: dt.date, name: str, starts_at: dt.time, ends_at: dt.time, people) -> DutyShift:
    """Enter (or change) one shift of the fire-control room: the people on duty that day."""
    require_action(by, Action.CERTIFICATE_MANAGE)
    org = institution_of(by)
    if day is None:
        raise DomainError(_("请填写值班日期。"), field="day")
    check_year(day.year, "day")
    name = (name or "").strip()
    if not name:
        raise DomainError(_("请填写班次名称，如“白班”。"), field="name")
    people = people_of(org, people, field="people")
    if not people:
        raise DomainError(_("请选择值班人员。"), field="people")
    shift = DutyShift.objects.select_for_update().filter(organization=org, day=day, name=name).first()
    before = sorted(u.name for u in shift.people.all()) if shift else []
    if shift is None:
        shift = DutyShift(organization=org, day=day, name=name)
    shift.starts_at, shift.ends_at, shift.updated_by = starts_at, ends_at, by
    validated_save(shift)
    shift.people.set(people)
    audit.record(
        actor=by,
        verb=AuditVerb.DUTY_SHIFT_SAVED,
        target=shift,
        changes={"people": [before or None, sorted(u.name for u in people)]},
    )
    return shift


@transaction.atomic
def duty_shifts_import(*, by, rows) -> int:
    """Import the previewed roster rows (``roster_import.Row``): all of them, or none when one has
    a problem (the preview names its row and column). Each shift is saved as by hand (a shift of
    the same day and name is changed) and audited, then the import as a whole."""
    require_action(by, Action.CERTIFICATE_MANAGE)
    org = institution_of(by)
    bad = [r for r in rows if r.problems]
    if bad:
        raise DomainError(_("%(e)s 请修改后重新上传，全部无误才导入。") % {"e": "；".join(bad[0].errors)}, field="file")
    if not rows:
        raise DomainError(_("文件中没有值班班次。"), field="file")
    ids = {pk for r in rows for pk in r.people}
    people = {u.pk: u for u in User.objects.filter(pk__in=ids, organization=org, is_active=True)}
    for r in rows:
        missing = [name for pk, name in zip(r.people, r.names, strict=True) if pk not in people]
        if missing:
            raise DomainError(
                _("第 %(n)s 行“值班人员”：“%(p)s”已不是本单位在职人员，请重新上传。")
                % {"n": r.number, "p": "、".join(missing)},
                field="file",
            )
        try:
            duty_shift_save(
                by=by,
                day=dt.date.fromisoformat(r.day),
                name=r.name,
                starts_at=dt.time.fromisoformat(r.starts_at),
                ends_at=dt.time.fromisoformat(r.ends_at),
                people=[people[pk] for pk in r.people],
            )
        except DomainError as exc:
            raise DomainError(_("第 %(n)s 行：%(e)s") % {"n": r.number, "e": exc.message}, field="file") from exc
    days = sorted(r.day for r in rows)
    audit.record(
        actor=by,
        verb=AuditVerb.DUTY_ROSTER_IMPORTED,
        organization=org,
        changes={"shifts": [None, len(rows)], "days": [None, f"{days[0]} — {days[-1]}"]},
        note=_("导入消控室值班表：%(n)s 个班次") % {"n": len(rows)},
    )
    return len(rows)


def rules_of(organization) -> TrainingRules:
    """The institution's rules, or the defaults (unsaved) when it has set none."""
    return TrainingRules.objects.filter(organization=organization).first() or TrainingRules(organization=organization)


@transaction.atomic
def training_rules_save(*, by, drill_every_months: int, fire_room_certified: int) -> TrainingRules:
    require_action(by, Action.TRAINING_MANAGE)
    org = institution_of(by)
    if drill_every_months not in (1, 2, 3, 4, 6, 12):
        raise DomainError(_("演练周期须能整除 12 个月（1、2、3、4、6 或 12）。"), field="drill_every_months")
    rules = TrainingRules.objects.select_for_update().filter(organization=org).first() or TrainingRules(
        organization=org
    )
    before = audit.snapshot(rules, ["drill_every_months", "fire_room_certified"])
    rules.drill_every_months, rules.fire_room_certified = drill_every_months, fire_room_certified
    validated_save(rules)
    changes = audit.diff(before, audit.snapshot(rules, ["drill_every_months", "fire_room_certified"]))
    audit.record(actor=by, verb=AuditVerb.TRAINING_RULES_SAVED, target=rules, organization=org, changes=changes)
    return rules


# --- the platform's reference data ------------------------------------------------------------------
@transaction.atomic
def certificate_kind_save(*, by, data: dict[str, Any], kind: CertificateKind | None = None) -> CertificateKind:
    require_action(by, Action.TRAINING_REFERENCE_MANAGE)
    fields = ["code", "name", "issuer_hint", "fire_control_room", "sort_order", "is_active"]
    obj = CertificateKind.objects.select_for_update().get(pk=kind.pk) if kind else CertificateKind()
    before = audit.snapshot(obj, fields) if kind else {}
    for k in fields:
        if k in data:
            setattr(obj, k, data[k])
    validated_save(obj)
    audit.record(
        actor=by,
        verb=AuditVerb.CERTIFICATE_KIND_SAVED,
        target=obj,
        changes=audit.diff(before, audit.snapshot(obj, fields)),
    )
    return obj


@transaction.atomic
def training_category_save(*, by, data: dict[str, Any], category: TrainingCategory | None = None) -> TrainingCategory:
    require_action(by, Action.TRAINING_REFERENCE_MANAGE)
    fields = ["code", "name", "yearly", "sort_order", "is_active"]
    obj = TrainingCategory.objects.select_for_update().get(pk=category.pk) if category else TrainingCategory()
    before = audit.snapshot(obj, fields) if category else {}
    for k in fields:
        if k in data:
            setattr(obj, k, data[k])
    validated_save(obj)
    audit.record(
        actor=by,
        verb=AuditVerb.TRAINING_CATEGORY_SAVED,
        target=obj,
        changes=audit.diff(before, audit.snapshot(obj, fields)),
    )
    return obj
