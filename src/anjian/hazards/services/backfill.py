"""Historical backfill (历史补录): a hazard from an old ledger, entered through the import of old
records, found before the months whose forms were sent."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.core import audit
from anjian.core.audit import AuditVerb
from anjian.core.errors import DomainError
from anjian.core.permissions import Action, require
from anjian.core.roles import REGULATOR_ROLES
from anjian.hazards.choices import HazardLevel, HazardSource, HazardStatus
from anjian.hazards.models import Hazard
from anjian.hazards.services.common import DESCRIPTION_FIELDS, default_source, insert_numbered, require_institution
from anjian.orgs.models import Organization

# A hazard found before ``earliest_found_on`` cannot be reported: the months it belongs to have had
# their forms sent. It enters only here (the ledger import of old records), marked 历史补录 and dated
# when it is entered: ``found_at`` is the entry time, and a hazard closed on the old record is closed
# (``accepted_at``) at the entry time too. So every statistic counts it in the month it was entered,
# with no rule of its own, and a month already reported never changes. The old record's dates are
# kept in ``original_found_on`` / ``original_closed_on`` and shown wherever a person reads the hazard.
BACKFILL_FIELDS = [
    *DESCRIPTION_FIELDS,
    "source_reference",
    "found_by_name",
    "original_found_on",
    "original_closed_on",
    "status",
    "rectification_note",
    "acceptance_note",
]
# what the old record may say about its state: still open (it enters as 待确认 and goes round the
# loop: a plan with a responsible person and a deadline from now on), or closed
BACKFILL_STATUSES = (HazardStatus.REPORTED, HazardStatus.CLOSED)
EARLIEST_BACKFILL_DATE = dt.date(2000, 1, 1)

Refuse = Callable[..., None]  # refuse(field, message): one more reason the record cannot be entered


def _backfill_problems(by, organization: Organization, data: dict[str, Any], on: dt.date) -> dict[str, list[str]]:
    """Every reason the old record cannot be entered, by field (an import reports them all at once)."""
    errors: dict[str, list[str]] = {}

    def refuse(name: str, message) -> None:
        errors.setdefault(name, []).append(str(message))

    _description_problems(organization, data, refuse)
    _found_problems(organization, data, on, refuse)
    _state_problems(by, organization, data, on, refuse)
    return errors


def _description_problems(organization: Organization, data: dict[str, Any], refuse: Refuse) -> None:
    """What the hazard is: its title and place, category, department, level with its criterion,
    source, and the state it is entered in."""
    for name in ("title", "location"):
        if not (data.get(name) or "").strip():
            refuse(name, _("必填，不能为空。"))
    if data.get("category") is None:
        refuse("category", _("请选择隐患类别。"))
    department = data.get("department")
    if department is not None and department.organization_id != organization.pk:
        refuse("department", _("科室须属于该机构。"))
    level = data.get("level")
    if level not in HazardLevel.values:
        refuse("level", _("隐患等级无效。"))
    elif level == HazardLevel.MAJOR and data.get("criterion") is None:
        refuse("criterion", _("重大事故隐患须选择判定依据（判定标准条目）。"))
    elif level == HazardLevel.GENERAL and data.get("criterion") is not None:
        refuse("criterion", _("一般事故隐患不填判定依据；是重大事故隐患的，隐患等级请选“重大事故隐患”。"))
    if data.get("source") not in HazardSource.values:
        refuse("source", _("隐患来源无效。"))
    status = data.get("status")
    if status not in BACKFILL_STATUSES:
        refuse("status", _("历史补录的隐患只能是未销号（导入后为“待确认”）或已销号。"))


def _found_problems(organization: Organization, data: dict[str, Any], on: dt.date, refuse: Refuse) -> None:
    """When the old record says it was found, and whether it has been entered already."""
    found_on = data.get("original_found_on")
    if found_on is None:
        refuse("original_found_on", _("须填写原发现日期。"))
    elif found_on > on:
        refuse("original_found_on", _("原发现日期不能晚于今天。"))
    elif found_on < EARLIEST_BACKFILL_DATE:
        refuse("original_found_on", _("原发现日期不能早于 %(day)s。") % {"day": EARLIEST_BACKFILL_DATE.isoformat()})
    if found_on is not None and data.get("title"):
        # the same file uploaded twice must not enter its hazards twice
        earlier = (
            Hazard.objects.filter(
                organization=organization,
                is_backfill=True,
                original_found_on=found_on,
                title=data["title"],
                location=data.get("location", ""),
            )
            .values_list("number", flat=True)
            .first()
        )
        if earlier:
            refuse(
                "title",
                _("该隐患已补录过（隐患编号 %(number)s）：同一单位、名称、部位和原发现日期的隐患不重复补录。")
                % {"number": earlier},
            )


def _state_problems(by, organization: Organization, data: dict[str, Any], on: dt.date, refuse: Refuse) -> None:
    """What the old record says of its closure: a closed one its date (and, if major, a regulator
    entering it), an open one nothing of a closure."""
    status, level = data.get("status"), data.get("level")
    found_on, closed_on = data.get("original_found_on"), data.get("original_closed_on")
    if status == HazardStatus.CLOSED:
        if closed_on is None:
            refuse("original_closed_on", _("已销号的隐患须填写原销号日期。"))
        elif closed_on > on:
            refuse("original_closed_on", _("原销号日期不能晚于今天。"))
        elif found_on is not None and closed_on < found_on:
            refuse(
                "original_closed_on",
                _("原销号日期不能早于原发现日期（%(day)s）。") % {"day": found_on.isoformat()},
            )
        # a major hazard is closed by the regulator's review (workflow.acceptor): the past closure of
        # one is entered only by a regulator over the institution, who vouches for it
        if level == HazardLevel.MAJOR and not (
            by.role in REGULATOR_ROLES and organization.path.startswith(by.organization.path)
        ):
            refuse(
                "status",
                _("重大事故隐患的销号须经监管部门审核：已销号的历史重大事故隐患须由属地监管部门补录。"),
            )
    elif status == HazardStatus.REPORTED:
        if closed_on is not None:
            refuse("original_closed_on", _("未销号的隐患不填原销号日期。"))
        for name, label in (("rectification_note", _("整改情况")), ("acceptance_note", _("验收意见"))):
            if (data.get(name) or "").strip():
                refuse(
                    name,
                    _("未销号的隐患不填%(what)s：导入后为“待确认”，按闭环流程确认整改方案、提交整改情况。")
                    % {"what": label},
                )


@transaction.atomic
def hazard_backfill(
    *,
    by,
    organization: Organization,
    data: dict[str, Any],
    batch: str = "",
    note: str = "",
    at: dt.datetime | None = None,
) -> Hazard:
    """Enter a hazard from an old ledger (历史补录), found before the months whose forms were sent.

    ``data``: the fields of ``BACKFILL_FIELDS``; ``original_found_on`` (required, in the past, not
    before 2000) and, for ``status`` closed, ``original_closed_on`` are the old record's dates.
    ``status`` is ``reported`` (still open on the old record: it enters as 待确认 and goes round the
    loop from here) or ``closed``. A closed major hazard is entered only by a regulator over the
    institution (the closure of a major hazard is the regulator's). No photo is asked for: the old
    records are on paper. ``batch`` names the import it came with (``backfill_batch``).

    The hazard is dated ``at`` (default now), the time it is entered: ``found_at``, and for a closed
    one ``accepted_at`` (closed by ``by``), so it counts in the statistics of the month it was entered
    and never in a month already reported."""
    require(by, Action.HAZARD_BACKFILL)
    when = at or timezone.now()
    require_institution(by, organization)
    unknown = set(data) - set(BACKFILL_FIELDS)
    if unknown:
        raise DomainError(_("历史补录不含这些字段：%(f)s") % {"f": "、".join(sorted(unknown))})
    data = dict(data)
    # left out: the default; given but None (an unreadable cell): refused below
    data.setdefault("status", HazardStatus.REPORTED)
    data.setdefault("level", HazardLevel.GENERAL)
    data.setdefault("source", default_source(by))
    for name in ("title", "location", "description", "source_reference", "found_by_name"):
        data[name] = (data.get(name) or "").strip()
    for name in ("rectification_note", "acceptance_note"):
        data[name] = (data.get(name) or "").strip()
    errors = _backfill_problems(by, organization, data, timezone.localdate(when))
    if errors:
        raise DomainError(next(iter(errors.values()))[0], errors=errors)

    hazard = Hazard(organization=organization, found_at=when, is_backfill=True, backfill_batch=batch, **data)
    if hazard.status == HazardStatus.CLOSED:
        hazard.accepted_at = when
        hazard.accepted_by = by
    insert_numbered(hazard, when=when, at=at)
    dates = _("原发现日期 %(found)s") % {"found": hazard.original_found_on.isoformat()}
    if hazard.original_closed_on:
        dates += "，" + _("原销号日期 %(closed)s") % {"closed": hazard.original_closed_on.isoformat()}
    text = _("历史补录：%(dates)s") % {"dates": dates}
    if batch:
        text += "；" + _("批次 %(batch)s") % {"batch": batch}
    if note:
        text += "；" + str(note)
    audit.record(
        actor=by,
        verb=AuditVerb.HAZARD_BACKFILLED,
        target=hazard,
        changes=audit.diff({}, audit.snapshot(hazard, BACKFILL_FIELDS)),
        note=text,
        at=when,
    )
    return hazard
