"""Reads shared by the pages, the API and the statistics: scoped checklists, due inspections of a
user, records, and compliance (due against done) for any period and scope."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Value
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.core.periods import Period, month_name
from anjian.core.roles import INSTITUTION_LEADERS, Role
from anjian.core.scoping import get_visible_or_404
from anjian.inspections import due
from anjian.inspections.choices import TemplateStatus
from anjian.inspections.models import (
    ChecklistItem,
    ChecklistSection,
    ChecklistTemplate,
    InspectionPoint,
    InspectionRecord,
    InspectionResult,
    Schedule,
)
from anjian.orgs.choices import OrganizationType
from anjian.orgs.models import Organization


# --- checklists ----------------------------------------------------------------------------------
def template_list(*, user, status: str = "", q: str = "") -> QuerySet[ChecklistTemplate]:
    qs = ChecklistTemplate.objects.visible_to(user).select_related("owner", "category")
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(applies_to__icontains=q))
    return qs.annotate(item_count=Count("items")).order_by("owner_id", "name", "-version")


def template_get(*, user, pk) -> ChecklistTemplate:
    qs = ChecklistTemplate.objects.select_related("owner", "category").prefetch_related(
        Prefetch(
            "sections",
            queryset=ChecklistSection.objects.order_by("order", "pk").prefetch_related(
                Prefetch(
                    "items",
                    queryset=ChecklistItem.objects.select_related("category", "criterion").order_by("order", "pk"),
                )
            ),
        )
    )
    return get_visible_or_404(qs, user, pk=pk)


def current_version(template: ChecklistTemplate) -> ChecklistTemplate | None:
    """The newest published version of the template's checklist (what a new record uses)."""
    return (
        ChecklistTemplate.objects.filter(family=template.family, status=TemplateStatus.PUBLISHED)
        .order_by("-version")
        .first()
    )


def sections_with_items(template: ChecklistTemplate) -> list[ChecklistSection]:
    return list(
        template.sections.order_by("order", "pk").prefetch_related(
            Prefetch("items", queryset=ChecklistItem.objects.order_by("order", "pk"))
        )
    )


# --- due inspections -----------------------------------------------------------------------------
@dataclass
class DueInspection:
    schedule: Schedule
    point: InspectionPoint | None
    slot: due.Slot
    template: ChecklistTemplate | None = None
    done: bool = False


def _assigned_q(user) -> Q:
    by_role = Q(role=user.role) & (Q(department__isnull=True) | Q(department_id=user.department_id))
    q = Q(assignee=user) | (Q(assignee__isnull=True, post__isnull=True) & by_role)
    if user.post_id:
        q |= Q(post_id=user.post_id)
    return q


def schedules_of(user) -> QuerySet[Schedule]:
    """The active schedules that are the user's duty (the person, their post, their role)."""
    if user.organization_id is None:
        return Schedule.objects.none()
    return (
        Schedule.objects.visible_to(user)
        .filter(organization_id=user.organization_id, is_active=True)
        .filter(_assigned_q(user))
        .select_related("template", "post__department", "department", "assignee")
        .prefetch_related(Prefetch("points", queryset=InspectionPoint.objects.filter(is_active=True)))
    )


def _done_keys(schedules, lo: dt.datetime, hi: dt.datetime) -> set[tuple]:
    rows = InspectionRecord.objects.filter(
        schedule__in=schedules, period_start__gte=lo, period_start__lt=hi
    ).values_list("schedule_id", "point_id", "period_start")
    return {(s, p, start) for s, p, start in rows}


def due_for(user, *, at: dt.datetime | None = None, point: InspectionPoint | None = None) -> list[DueInspection]:
    """What the user has to inspect in the slot that contains ``at`` (now), done or not: one entry
    per schedule and point. ``point`` keeps only that point's entries (the QR page)."""
    at = at or timezone.now()
    candidates = schedules_of(user)
    if point is not None and user.role in INSTITUTION_LEADERS and user.organization_id == point.organization_id:
        # leaders may fill any schedule of their unit: at a point, show every schedule that covers it
        candidates = (
            Schedule.objects.visible_to(user)
            .filter(Q(pk__in=candidates.values("pk")) | Q(points=point), is_active=True)
            .distinct()
            .select_related("template")
            .prefetch_related(Prefetch("points", queryset=InspectionPoint.objects.filter(is_active=True)))
        )
    day = timezone.localdate(at)
    schedules = [s for s in candidates if s.starts_on <= day and (s.ends_on is None or s.ends_on >= day)]
    entries = []
    for s in schedules:
        slot = due.schedule_slot_at(s, at)
        if slot is None:
            continue  # "every N hours" outside its day window: nothing due now
        points = list(s.points.all()) or [None]
        for p in points:
            if point is not None and (p is None or p.pk != point.pk):
                continue
            entries.append(DueInspection(schedule=s, point=p, slot=slot))
    if not entries:
        return []
    lo = min(e.slot.start for e in entries)
    hi = max(e.slot.end for e in entries)
    done = _done_keys([e.schedule for e in entries], lo, hi)
    families = {e.schedule.template.family for e in entries}
    current = {}
    for t in ChecklistTemplate.objects.filter(family__in=families, status=TemplateStatus.PUBLISHED).order_by("version"):
        current[t.family] = t
    for e in entries:
        e.done = (e.schedule.pk, e.point.pk if e.point else None, e.slot.start) in done
        e.template = current.get(e.schedule.template.family)
    return sorted(entries, key=lambda e: (e.done, e.slot.end, e.schedule.name, e.point.name if e.point else ""))


# --- records -------------------------------------------------------------------------------------
def record_list(*, user, organization: int | None = None, q: str = "", failed: bool = False):
    qs = InspectionRecord.objects.visible_to(user).select_related(
        "organization", "template", "point", "performed_by", "schedule", "corrects"
    )
    if organization:
        qs = qs.filter(organization_id=organization)
    if failed:
        qs = qs.filter(fail_count__gt=0)
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(template__name__icontains=q) | Q(point__name__icontains=q))
    return qs.order_by("-performed_at", "-pk")


def record_get(*, user, pk) -> InspectionRecord:
    qs = InspectionRecord.objects.select_related(
        "organization", "template", "point", "performed_by", "schedule", "department", "corrects", "supervision"
    ).prefetch_related(
        Prefetch(
            "results",
            queryset=InspectionResult.objects.select_related("item__section", "hazard").prefetch_related("photos"),
        ),
        "corrections",
    )
    return get_visible_or_404(qs, user, pk=pk)


# --- compliance ----------------------------------------------------------------------------------
@dataclass
class Tally:
    label: str
    due: int = 0
    done: int = 0
    missed: list = field(default_factory=list)  # (schedule, point, slot)
    key: object = None  # the schedule's, person's, post's, department's or institution's id
    no_plan: bool = False  # an institution with no schedule at all (未建立排查计划): not compliant

    @property
    def rate(self) -> float | None:
        if self.no_plan:
            return 0.0
        return round(100 * self.done / self.due, 1) if self.due else None

    @property
    def missed_count(self) -> int:
        return self.due - self.done


@dataclass
class Compliance:
    period: Period
    organization: Organization | None
    by_schedule: list[Tally]
    by_person: list[Tally]
    by_post: list[Tally]
    by_department: list[Tally]
    by_institution: list[Tally]
    total: Tally
    done_by: dict[str, int]  # who did the records (name → count)


_GROUP_RELATED = {
    "schedule": ("organization",),
    "person": ("organization", "assignee"),
    "post": ("organization", "post"),
    "department": ("organization", "department", "post__department", "assignee__department"),
    "institution": ("organization",),
}
GROUPS = tuple(_GROUP_RELATED)


def _scope_schedules(
    user, organization: Organization | None, kind: str = "", groups: tuple = GROUPS
) -> QuerySet[Schedule]:
    qs = Schedule.objects.visible_to(user)
    if organization is not None:
        if organization.is_regulator:
            qs = qs.filter(organization__path__startswith=organization.path)
        else:
            qs = qs.filter(organization=organization)
    if kind:  # the active institutions of a kind
        qs = qs.filter(
            organization__kind=kind, organization__type=OrganizationType.INSTITUTION, organization__is_active=True
        )
    related = {"template", *(r for g in groups for r in _GROUP_RELATED[g])}
    if "department" in groups:  # the department's own rows are what the others reach through
        related -= {"assignee", "post"}
    return qs.select_related(*sorted(related))


def _institutions_without_schedules(user, organization: Organization | None, kind: str = "") -> list[tuple[int, str]]:
    """(id, name) of the active institutions in scope that have no schedule at all: listed in the
    compliance as 未建立排查计划 with a rate of 0, first of the worst, instead of left out."""
    qs = Organization.objects.visible_to(user).filter(type=OrganizationType.INSTITUTION, is_active=True)
    if organization is not None:
        within = Q(path__startswith=organization.path) if organization.is_regulator else Q(pk=organization.pk)
        qs = qs.filter(within)
    if kind:
        qs = qs.filter(kind=kind)
    has_schedule = Exists(Schedule.objects.filter(organization=OuterRef("pk")))
    return list(qs.filter(~has_schedule).order_by("name").values_list("pk", "name"))


def _targets(s: Schedule, tally, groups: tuple = GROUPS) -> list[Tally]:
    """The tallies a schedule's slots count in (of ``groups``): itself, its person, post,
    department, institution."""
    targets = []
    if "schedule" in groups:
        targets.append(tally("schedule", s.pk, f"{s.name}（{s.organization.name}）"))
    if "person" in groups and s.assignee_id:
        targets.append(tally("person", s.assignee_id, f"{s.assignee.name}（{s.organization.name}）"))
    if "post" in groups and s.post_id:
        targets.append(tally("post", s.post_id, f"{s.post}（{s.organization.name}）"))
    if "department" in groups:
        dept = (
            s.department
            or (s.post.department if s.post_id else None)
            or (s.assignee.department if s.assignee_id else None)
        )
        if dept is not None:
            targets.append(tally("department", dept.pk, f"{dept.name}（{s.organization.name}）"))
    if "institution" in groups:
        targets.append(tally("institution", s.organization_id, s.organization.name))
    return targets


def _active_points(schedules, *, objects: bool) -> dict[int, list]:
    """Each schedule's active points in their order: the points themselves, or (``objects=False``,
    what counting needs) their ids, read without building a model object for each of a city's."""
    through = Schedule.points.through
    rows = (
        through.objects.filter(schedule_id__in=[s.pk for s in schedules], inspectionpoint__is_active=True)
        .order_by(*(f"inspectionpoint__{f}" for f in InspectionPoint._meta.ordering))
        .values_list("schedule_id", "inspectionpoint_id")
    )
    out: dict[int, list] = defaultdict(list)
    for schedule_id, point_id in rows:
        out[schedule_id].append(point_id)
    if objects:
        points = InspectionPoint.objects.in_bulk([p for ps in out.values() for p in ps])
        out = defaultdict(list, {sid: [points[p] for p in ps] for sid, ps in out.items()})
    return out


def _pk(point) -> int | None:
    return point if point is None or isinstance(point, int) else point.pk


def _counted_by_rhythm(
    schedules, period: Period, now, points_of: dict[int, list]
) -> tuple[dict[int, tuple[int, int]], list[Schedule]]:
    """(due, done) per schedule, counted in the database: the schedules whose slots in the period
    are exactly their rhythm's (they started before the period's first slot and do not end
    within it; nearly all of them) are grouped by rhythm, and each group is one query counting
    the records per schedule and point whose slot start is one of the rhythm's slots so far.
    The others are returned to be counted slot by slot."""
    groups: dict[tuple, list[Schedule]] = defaultdict(list)
    rest: list[Schedule] = []
    slots_of: dict[tuple, list[due.Slot]] = {}
    for s in schedules:
        key = (s.rhythm, s.every_hours, due.window_of(s))
        if key not in slots_of:
            slots_of[key] = [
                slot
                for slot in due.slots_starting_between(
                    s.rhythm, s.every_hours, period.start, period.stop, window=key[2]
                )
                if slot.start <= now
            ]
        slots = slots_of[key]
        whole = not slots or (
            s.starts_on < period.stop  # a schedule starting after the period has no slot in it
            and due._midnight(s.starts_on) < slots[0].end
            and (s.ends_on is None or s.ends_on + dt.timedelta(days=1) >= period.stop)
        )
        (groups[key] if whole else rest).append(s)
    counts: dict[int, tuple[int, int]] = {}
    for key, members in groups.items():
        slots = slots_of[key]
        ended = [slot.start for slot in slots if slot.end <= now]
        running = [slot.start for slot in slots if slot.end > now]
        per_point: dict[tuple, tuple[int, int]] = {}
        if slots:

            def done_in(starts):
                if not starts:
                    return Value(0)
                return Count("period_start", distinct=True, filter=Q(period_start__in=starts))

            rows = (
                InspectionRecord.objects.filter(
                    schedule__in=[s.pk for s in members],
                    corrects__isnull=True,
                    period_start__in=[slot.start for slot in slots],
                )
                .order_by()
                .values_list("schedule_id", "point_id")
                .annotate(ended=done_in(ended), running=done_in(running))
            )
            per_point = {(sid, pid): (e, r) for sid, pid, e, r in rows}
        for s in members:
            points = [_pk(p) for p in points_of.get(s.pk, ())] or [None]
            done_ended = sum(per_point.get((s.pk, p), (0, 0))[0] for p in points)
            done_running = sum(per_point.get((s.pk, p), (0, 0))[1] for p in points)
            # every ended slot is due; a running one only once it is done
            counts[s.pk] = (len(ended) * len(points) + done_running, done_ended + done_running)
    return counts, rest


def compliance(
    *,
    user,
    period: Period,
    organization: Organization | None = None,
    kind: str = "",
    now=None,
    detail: bool = True,
    groups: tuple = GROUPS,
) -> Compliance:
    """Due against done per schedule, person, post, department and institution, with the slots
    missed. A slot is due once it has ended, or earlier if it was already done; it is done when a
    record of its schedule (and point) has ``period_start`` equal to the slot's start.

    ``detail=False`` (dashboards, the home panel) leaves out the missed slots and who did the
    records: the counts then come from one grouped query per rhythm instead of slot by slot.
    ``groups`` limits the breakdowns counted (the others are empty): a dashboard asks for one."""
    now = now or timezone.now()
    schedules = list(_scope_schedules(user, organization, kind, groups))
    points_of = _active_points(schedules, objects=detail)
    lo, hi = period.start_at, period.end_at
    groups: dict[str, dict] = {k: {} for k in ("schedule", "person", "post", "department", "institution")}
    total = Tally(str(_("合计")))

    def tally(kind: str, key, label: str) -> Tally:
        return groups[kind].setdefault(key, Tally(label, key=key))

    counted, slot_by_slot = _counted_by_rhythm(schedules, period, now, points_of)
    for s in schedules:
        if s.pk not in counted:
            continue
        due_n, done_n = counted[s.pk]
        if detail and done_n < due_n:
            slot_by_slot.append(s)  # the missed slots are listed: count this one slot by slot
            continue
        for t in [*_targets(s, tally, groups), total]:
            t.due += due_n
            t.done += done_n
    done_keys = _done_keys(slot_by_slot, lo, hi) if slot_by_slot else set()
    for s in slot_by_slot:
        targets = [*_targets(s, tally, groups), total]
        points = points_of.get(s.pk) or [None]
        for slot in due.schedule_slots(s, period.start, period.stop):
            if slot.start > now:
                break
            for p in points:
                done = (s.pk, _pk(p), slot.start) in done_keys
                if not done and slot.end > now:
                    continue  # still open: not missed yet
                for t in targets:
                    t.due += 1
                    if done:
                        t.done += 1
                    else:
                        t.missed.append((s, p, slot))
    done_by = {}
    if detail:
        done_by = dict(
            InspectionRecord.objects.filter(schedule__in=schedules, period_start__gte=lo, period_start__lt=hi)
            .values_list("performed_by__name")
            .annotate(n=Count("pk"))
            .order_by("-n")
        )

    for pk, name in _institutions_without_schedules(user, organization, kind) if "institution" in groups else ():
        tally("institution", pk, name).no_plan = True

    def ordered(kind):
        return sorted(
            groups[kind].values(), key=lambda t: (t.rate if t.rate is not None else 101, not t.no_plan, t.label)
        )

    return Compliance(
        period=period,
        organization=organization,
        by_schedule=ordered("schedule"),
        by_person=ordered("person"),
        by_post=ordered("post"),
        by_department=ordered("department"),
        by_institution=ordered("institution"),
        total=total,
        done_by=done_by,
    )


def month_calendar(*, user, organization: Organization, year: int, month: int, now=None) -> list[list[dict | None]]:
    """The month as weeks of days (Monday first), each day with the slots that started that day:
    due, done and the rate, for a heat map."""
    period = Period.month(year, month)
    now = now or timezone.now()
    schedules = list(
        _scope_schedules(user, organization).prefetch_related(
            Prefetch("points", queryset=InspectionPoint.objects.filter(is_active=True))
        )
    )
    lo, hi = period.start_at, period.end_at
    done_keys = _done_keys(schedules, lo, hi)
    days: dict[dt.date, dict] = {}
    d = period.start
    while d <= period.end:
        days[d] = {"date": d, "due": 0, "done": 0, "future": due._midnight(d) > now}
        d += dt.timedelta(days=1)
    for s in schedules:
        points = list(s.points.all()) or [None]
        for slot in due.schedule_slots(s, period.start, period.stop):
            if slot.start > now:
                break
            day = days[timezone.localtime(slot.start).date()]
            for p in points:
                done = (s.pk, _pk(p), slot.start) in done_keys
                if not done and slot.end > now:
                    continue
                day["due"] += 1
                day["done"] += int(done)
    for day in days.values():
        day["rate"] = round(100 * day["done"] / day["due"]) if day["due"] else None
        rate = day["rate"]
        day["tone"] = (
            ""
            if rate is None
            else "green"
            if rate >= 95
            else "lime"
            if rate >= 80
            else "yellow"
            if rate >= 50
            else "red"
        )
    weeks, week = [], [None] * period.start.weekday()
    for day in days.values():
        week.append(day)
        if len(week) == 7:
            weeks.append(week)
            week = []
    if week:
        weeks.append(week + [None] * (7 - len(week)))
    return weeks


@dataclass
class PrincipalDuty:
    institution: Organization
    required: int  # inspections led by the principal in the quarter (1, or 3 monthly for high-risk sites)
    months_done: list[int]
    monthly: bool
    quarter_over: bool = True

    @property
    def met(self) -> bool:
        return len(self.months_done) >= self.required

    @property
    def month_names(self) -> list[str]:
        """The months done as the page shows them: 11月, 12月 (English: Nov, Dec)."""
        return [month_name(m) for m in self.months_done]

    @property
    def state(self) -> str:
        """met 已履职, open 进行中 (the quarter is not over yet), missed 未履职."""
        return "met" if self.met else "missed" if self.quarter_over else "open"


def principal_duty(*, user, regulator: Organization | None, year: int, quarter: int) -> list[PrincipalDuty]:
    """For the regulator: whether each institution's principal inspected at least once in the
    quarter (once a month for 火灾高危单位, 消防安全重点单位 and 老年医养护理场所, DOMAIN.md §3)."""
    start = dt.date(year, 3 * quarter - 2, 1)
    end = due._month_start(year, 3 * quarter + 1)
    institutions = Organization.objects.visible_to(user).filter(type=OrganizationType.INSTITUTION, is_active=True)
    if regulator is not None:
        institutions = institutions.filter(path__startswith=regulator.path)
    rows = (
        InspectionRecord.objects.visible_to(user)
        .filter(
            performed_by__role=Role.PRINCIPAL,
            performed_at__gte=due._midnight(start),
            performed_at__lt=due._midnight(end),
            corrects__isnull=True,
        )
        .annotate(month=TruncMonth("performed_at", tzinfo=timezone.get_current_timezone()))
        .values_list("organization_id", "month")
        .distinct()
    )
    months: dict[int, set[int]] = defaultdict(set)
    for org_id, month in rows:
        months[org_id].add(month.month)
    result = []
    for org in institutions.order_by("path"):
        monthly = org.is_fire_high_risk or org.is_fire_key_unit or org.is_elderly_care
        result.append(
            PrincipalDuty(
                institution=org,
                required=3 if monthly else 1,
                months_done=sorted(months[org.pk]),
                monthly=monthly,
                quarter_over=end <= timezone.localdate(),
            )
        )
    return result
