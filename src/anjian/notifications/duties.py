"""The time-driven events of the registers beside the hazard ledger, found by the periodic scan
(``scan.run``), each read by the owning app's own rules:

- **inspections missed** (漏检): the slots of a schedule's rhythm that ended yesterday (or the day
  before, should a scan have been missed) without their record, by ``inspections.due`` (the slots)
  and the records, as the compliance page counts them. One message per schedule and day: to who
  was to inspect (the assignee, the post's holders; a schedule by role tells the leaders only), with
  the link to 待检查; and to the department head and the safety officers, with the link to
  排查完成情况. The inspections app has no selector for "the slots that ended on a day, in every
  institution" (its ``compliance`` reads one user's scope by period): this is computed here from
  its models and its ``due`` module.
- **reports owed** (报送): a periodic report (``action_plans.ReportDefinition``) not submitted for
  its current period within ``report_due.REPORT_SOON_DAYS`` of the due date, or for the current or previous
  period past it: action_plans' own reminder rule (``due.reminder_periods``), for every unit
  that owes it → the unit's principal, deputies and safety officers.
- **the statistical analysis of 16号令** (``reports.analysis``): each institution's quarterly table by
  the 15th of the month after the quarter, the annual one by 31 January, signed by the principal →
  the institution's leaders, within ``report_due.REPORT_SOON_DAYS`` of the date. The reports app keeps no
  record of it being sent up (the table is made on demand), so it is announced, never chased; the
  due dates, written in its docstring, are named here (``analysis_due``).
- **certificates** (持证上岗) entering the 60, 30 and 7 days before their expiry (training's
  ``expiry_q`` windows), once per window, and once expired → the holder and the safety officers
  (expired: the holder's department head too). A certificate renewed (the holder has an active one
  of the same kind expiring later) is not mentioned.
- **equipment** (特种设备 and 消防设施) due for its statutory inspection within registers'
  ``DUE_SOON_DAYS`` → the safety officers; overdue → the safety officers and the principal
  (registers' ``due_q``).

Each message's key names the object, its deadline and the stage, and the inbox item the recipient
(``dispatch.notify_pending``): told once each, and someone new in the post told once too."""

from __future__ import annotations

import datetime as dt
from functools import partial

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.action_plans import due as report_due
from anjian.action_plans.choices import SubmissionStatus
from anjian.action_plans.models import ReportDefinition, ReportSubmission
from anjian.action_plans.services import owing_units
from anjian.core.periods import Period
from anjian.inspections import due as inspection_due
from anjian.inspections.choices import Rhythm
from anjian.inspections.models import InspectionRecord, Schedule
from anjian.notifications import recipients as who
from anjian.notifications.choices import Kind
from anjian.notifications.dispatch import Pending, batches, notify_pending
from anjian.notifications.texts import (
    analysis_message,
    certificate_message,
    equipment_message,
    inspection_missed_message,
    report_message,
)
from anjian.orgs.choices import OrganizationType
from anjian.orgs.models import Organization
from anjian.registers.choices import DueState
from anjian.registers.models import Equipment
from anjian.registers.selectors import due_q
from anjian.reports.analysis import AnalysisTable
from anjian.training.choices import EXPIRY_WINDOWS
from anjian.training.models import Certificate
from anjian.training.selectors import expiry_q

# the days before today whose ended slots are looked at: yesterday, and the day before should the
# scan not have run then (a first scan on an old database does not report last year's gaps)
MISSED_LOOKBACK_DAYS = 2


def _left(days: int) -> str:
    return _("距期限还有 %(days)s 天") % {"days": days} if days else _("今天到期")


def _late(days: int) -> str:
    return _("已逾期 %(days)s 天") % {"days": days}


# --- inspections missed ----------------------------------------------------------------------------
def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


def _slots_ended_on(schedule: Schedule, day: dt.date) -> list[inspection_due.Slot]:
    """The slots of the schedule's rhythm that ended on ``day`` (their end after its midnight, at the
    latest the next), within the schedule's dates (a slot that runs into its first day counts)."""
    if schedule.rhythm == Rhythm.HOURS:
        slots = inspection_due.hour_slots_of_day(day, schedule.every_hours, inspection_due.window_of(schedule))
    else:
        last = inspection_due.schedule_slot_at(schedule, dt.datetime.combine(day, dt.time.max, tzinfo=_tz()))
        slots = [last] if last is not None and last.end == _midnight(day + dt.timedelta(days=1)) else []
    begin = _midnight(schedule.starts_on)
    stop = _midnight(schedule.ends_on + dt.timedelta(days=1)) if schedule.ends_on else None
    return [s for s in slots if s.end > begin and (stop is None or s.start < stop)]


def _tz():
    return timezone.get_current_timezone()


def _period_code(rhythm: str, start: dt.datetime) -> str:
    """The compliance page's period that counts a slot starting at ``start`` (it counts a slot in
    the period it starts in): the slot's own quarter, half or year for the long rhythms, else its month."""
    day = timezone.localtime(start, _tz()).date()
    if rhythm == Rhythm.QUARTERLY:
        return Period.quarter(day.year, (day.month - 1) // 3 + 1).code
    if rhythm == Rhythm.HALF_YEARLY:
        return Period.half(day.year, 1 if day.month <= 6 else 2).code
    if rhythm == Rhythm.YEARLY:
        return Period.year(day.year).code
    return Period.month(day.year, day.month).code


def _doers(schedule: Schedule, people: who.People) -> list:
    """Who was to inspect: the assigned person, or the holders of the post. A schedule by role
    (every nurse of a department, say) tells its leaders only."""
    if schedule.assignee_id:
        return who.member(schedule.assignee, schedule.organization)
    if schedule.post_id:
        return people.holders(schedule.post)
    return []


def _department_id(schedule: Schedule) -> int | None:
    if schedule.department_id:
        return schedule.department_id
    if schedule.post_id:
        return schedule.post.department_id
    if schedule.assignee_id:
        return schedule.assignee.department_id
    return None


def scan_missed_inspections(today: dt.date, people: who.People) -> int:
    days = [today - dt.timedelta(days=n) for n in range(MISSED_LOOKBACK_DAYS, 0, -1)]
    schedules = (
        Schedule.objects.filter(organization__is_active=True, starts_on__lt=today)
        .filter(Q(ends_on__isnull=True, is_active=True) | Q(ends_on__gte=days[0]))
        .select_related("organization", "template", "assignee", "post", "department")
        .order_by("pk")
    )
    written = 0
    for batch in batches(schedules):
        points: dict[int, list] = {s.pk: [] for s in batch}  # the active points of each, by name
        through = Schedule.points.through.objects.filter(schedule_id__in=points, inspectionpoint__is_active=True)
        for row in through.select_related("inspectionpoint").order_by("inspectionpoint__name", "inspectionpoint_id"):
            points[row.schedule_id].append(row.inspectionpoint)
        ended = {(s.pk, day): _slots_ended_on(s, day) for s in batch for day in days}
        starts = {slot.start for slots in ended.values() for slot in slots}
        done = set()
        if starts:
            done = set(
                InspectionRecord.objects.filter(schedule__in=batch, period_start__in=starts).values_list(
                    "schedule_id", "point_id", "period_start"
                )
            )
        people.load({s.organization_id for s in batch})
        pending = []
        for s in batch:
            for day in days:
                missed = [
                    (slot, point)
                    for slot in ended[(s.pk, day)]
                    for point in (points[s.pk] or [None])
                    if (s.pk, point.pk if point else None, slot.start) not in done
                ]
                if not missed:
                    continue
                key = f"scan:inspection_missed:{s.pk}:{day.isoformat()}"
                doers = _doers(s, people)
                leaders = [
                    u
                    for u in who.unique(
                        people.heads_of(s.organization_id, _department_id(s)), people.safety_officers(s.organization)
                    )
                    if u not in doers
                ]
                compliance = f"{reverse('inspections:compliance')}?period={_period_code(s.rhythm, missed[0][0].start)}"
                pending += [
                    Pending(
                        key=key,
                        recipients=leaders,
                        message=partial(inspection_missed_message, s, missed, day, path=compliance),
                        organization=s.organization,
                        target=s,
                    ),
                    Pending(  # the same event: one key, so each person and each group hears of it once
                        key=key,
                        recipients=doers,
                        message=partial(inspection_missed_message, s, missed, day, path=reverse("inspections:due")),
                        organization=s.organization,
                        target=s,
                    ),
                ]
        written += notify_pending(pending)
    return written


# --- periodic reports owed -------------------------------------------------------------------------
def scan_reports(today: dt.date, people: who.People) -> int:
    written = 0
    definitions = (
        ReportDefinition.objects.filter(is_active=True, organization__is_active=True)
        .select_related("organization")
        .prefetch_related("unit_groups")
        .order_by("pk")
    )
    for definition in definitions:
        owed = [
            (period, due_on, Kind.REPORT_OVERDUE if late else Kind.REPORT_DUE_SOON)
            for period, due_on, late in report_due.reminder_periods(definition, today)
        ]
        if not owed:
            continue
        submitted = set(
            ReportSubmission.objects.filter(
                definition=definition, period__in=[p for p, _d, _k in owed], status=SubmissionStatus.SUBMITTED
            ).values_list("organization_id", "period")
        )
        for units in batches(owing_units(definition)):
            people.load({u.pk for u in units})
            pending = []
            for period, due_on, kind in owed:
                label = report_due.period_label(period, definition.frequency)
                path = f"{reverse('action_plans:report-fill', args=[definition.pk])}?period={period:%Y-%m}"
                days = (due_on - today).days
                extra = [_left(days) if days >= 0 else _late(-days)]
                for unit in units:
                    if (unit.pk, period) in submitted:
                        continue
                    pending.append(
                        Pending(
                            key=f"scan:{kind}:{definition.pk}:{unit.pk}:{period.isoformat()}:{due_on.isoformat()}",
                            recipients=people.leaders(unit),
                            message=partial(
                                report_message,
                                kind,
                                definition,
                                unit,
                                period_label=label,
                                due_on=due_on,
                                path=path,
                                extra=extra,
                            ),
                            organization=unit,
                            target=definition,
                        )
                    )
            written += notify_pending(pending)
    return written


# --- the statistical analysis of 16号令 ---------------------------------------------------------------
ANALYSIS_QUARTER_DUE_DAY = 15  # of the month after the quarter
ANALYSIS_YEAR_DUE = (1, 31)  # 31 January, for the year before


def analysis_due(today: dt.date) -> list[tuple[Period, dt.date]]:
    """The analysis tables (the period, its due date) due from today to ``report_due.REPORT_SOON_DAYS`` on."""
    until = today + dt.timedelta(days=report_due.REPORT_SOON_DAYS)
    out = []
    for year in (today.year, today.year + 1):
        for quarter in range(1, 5):
            period = Period.quarter(year - 1 if quarter == 4 else year, quarter)
            month = 1 if quarter == 4 else 3 * quarter + 1
            out.append((period, dt.date(year, month, ANALYSIS_QUARTER_DUE_DAY)))
        out.append((Period.year(year - 1), dt.date(year, *ANALYSIS_YEAR_DUE)))
    return sorted(((p, d) for p, d in out if today <= d <= until), key=lambda pd: pd[1])


def _analysis_path(period: Period) -> str:
    year = period.start.year
    if period.kind == "year":
        return f"{reverse('reports:analysis')}?kind=year&year={year}"
    return f"{reverse('reports:analysis')}?kind=quarter&year={year}&quarter={(period.start.month - 1) // 3 + 1}"


def scan_analysis_due(today: dt.date, people: who.People) -> int:
    written = 0
    due_now = analysis_due(today)
    if not due_now:
        return 0
    institutions = Organization.objects.filter(type=OrganizationType.INSTITUTION, is_active=True).order_by("pk")
    for units in batches(institutions):
        people.load({u.pk for u in units})
        pending = []
        for period, due_on in due_now:
            days = (due_on - today).days
            extra = [_left(days), _("依据《安全生产事故隐患排查治理暂行规定》第十四条，须经单位主要负责人签字")]
            for unit in units:
                table = AnalysisTable(organization=unit, period=period, rows=[])
                pending.append(
                    Pending(
                        key=f"scan:analysis_due:{unit.pk}:{period.code}:{due_on.isoformat()}",
                        recipients=people.leaders(unit),
                        message=partial(
                            analysis_message, table, due_on=due_on, path=_analysis_path(period), extra=extra
                        ),
                        organization=unit,
                        target=unit,
                    )
                )
        written += notify_pending(pending)
    return written


# --- certificates ----------------------------------------------------------------------------------
def _stage(expires_on: dt.date, today: dt.date) -> int | None:
    """The narrowest of training's expiry windows (7, 30, 60 days) the certificate is in."""
    left = (expires_on - today).days
    return next((w for w in sorted(EXPIRY_WINDOWS) if 0 <= left <= w), None)


def scan_certificates(today: dt.date, people: who.People) -> int:
    renewed = Certificate.objects.filter(
        holder=OuterRef("holder"), kind=OuterRef("kind"), is_active=True, expires_on__gt=OuterRef("expires_on")
    )
    certificates = (
        Certificate.objects.filter(is_active=True, organization__is_active=True)
        .filter(expiry_q(max(EXPIRY_WINDOWS), today) | expiry_q("expired", today))
        .exclude(Exists(renewed))
        .select_related("organization", "holder", "holder__post", "kind")
        .order_by("expires_on", "pk")
    )
    written = 0
    for batch in batches(certificates):
        people.load({c.organization_id for c in batch})
        pending = []
        for c in batch:
            holder = who.member(c.holder, c.organization)
            officers = people.safety_officers(c.organization)
            if c.expires_on < today:
                kind, key = Kind.CERTIFICATE_EXPIRED, f"scan:certificate_expired:{c.pk}:{c.expires_on.isoformat()}"
                heads = people.heads_of(c.organization_id, c.holder.department_id)
                recipients = who.unique(holder, officers, heads)
                extra = [_late((today - c.expires_on).days)]
            else:
                stage = _stage(c.expires_on, today)
                kind = Kind.CERTIFICATE_EXPIRING
                key = f"scan:certificate_expiring:{c.pk}:{c.expires_on.isoformat()}:{stage}"
                recipients = who.unique(holder, officers)
                extra = [_left((c.expires_on - today).days)]
            pending.append(
                Pending(
                    key=key,
                    recipients=recipients,
                    message=partial(certificate_message, kind, c, extra=extra),
                    organization=c.organization,
                    target=c,
                )
            )
        written += notify_pending(pending)
    return written


# --- equipment -------------------------------------------------------------------------------------
def scan_equipment(today: dt.date, people: who.People) -> int:
    equipment = (
        Equipment.objects.filter(is_active=True, organization__is_active=True)
        .filter(due_q(DueState.OVERDUE, today) | due_q(DueState.DUE_SOON, today))
        .select_related("organization", "kind", "risk_point")
        .order_by("next_due_on", "pk")
    )
    written = 0
    for batch in batches(equipment):
        people.load({e.organization_id for e in batch})
        pending = []
        for e in batch:
            days = (e.next_due_on - today).days
            if days < 0:
                kind, extra = Kind.EQUIPMENT_OVERDUE, [_late(-days)]
                recipients = who.unique(people.safety_officers(e.organization), people.principals(e.organization))
            else:
                kind, extra = Kind.EQUIPMENT_DUE_SOON, [_left(days)]
                recipients = people.safety_officers(e.organization)
            pending.append(
                Pending(
                    key=f"scan:{kind}:{e.pk}:{e.next_due_on.isoformat()}",
                    recipients=recipients,
                    message=partial(equipment_message, kind, e, extra=extra),
                    organization=e.organization,
                    target=e,
                )
            )
        written += notify_pending(pending)
    return written
