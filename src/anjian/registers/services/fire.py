"""Fire-safety files: appointing the unit's 消防安全责任人 / 消防安全管理人 (the posted notice). The
one appointed before is kept, marked as ended on the new one's appointment day."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.core import audit
from anjian.core.audit import AuditVerb
from anjian.core.errors import DomainError
from anjian.core.permissions import Action
from anjian.core.services import require_action, validated_save
from anjian.registers.choices import FireDuty
from anjian.registers.models import FireSafetyPerson
from anjian.registers.services.common import institution_of, text


@transaction.atomic
def fire_person_appoint(*, by, duty: str, data: dict[str, Any]) -> FireSafetyPerson:
    require_action(by, Action.REGISTER_MANAGE)
    org = institution_of(by)
    if duty not in FireDuty.values:
        raise DomainError(_("请选择职责。"), field="duty")
    name = text(data.get("name"), 60)
    if not name:
        raise DomainError(_("请填写姓名。"), field="name")
    appointed_on: dt.date | None = data.get("appointed_on") or timezone.localdate()
    if appointed_on > timezone.localdate():
        raise DomainError(_("任命日期不能晚于今天。"), field="appointed_on")
    current = FireSafetyPerson.objects.select_for_update().filter(organization=org, duty=duty, is_current=True).first()
    if current is not None:
        if appointed_on < current.appointed_on:
            raise DomainError(
                _("任命日期不能早于现任的任命日期（%(d)s）。") % {"d": current.appointed_on}, field="appointed_on"
            )
        current.is_current = False
        current.ended_on = appointed_on
        current.save(update_fields=["is_current", "ended_on"])
    person = FireSafetyPerson(
        organization=org,
        duty=duty,
        name=name,
        position=text(data.get("position"), 60),
        phone=text(data.get("phone"), 30),
        appointed_on=appointed_on,
        recorded_by=by,
    )
    validated_save(person)
    audit.record(
        actor=by,
        verb=AuditVerb.FIRE_PERSON_APPOINTED,
        target=person,
        changes={
            "duty": [None, person.get_duty_display()],
            "name": [current.name if current else None, name],
            "appointed_on": [None, appointed_on],
        },
    )
    return person
