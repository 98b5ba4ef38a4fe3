"""The reads the register pages, the API, the home panel and the regulator's overview share, each
starting from ``visible_to(user)``."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Prefetch, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from anjian.core.scoping import get_visible_or_404
from anjian.inspections.models import InspectionRecord
from anjian.orgs.models import Organization
from anjian.registers.choices import DUE_SOON_DAYS, DueState, MovementStatus, RecordKind, WasteCategory
from anjian.registers.models import (
    ChemicalMovement,
    ChemicalStock,
    Equipment,
    EquipmentRecord,
    FireSafetyPerson,
    StoragePlace,
    WasteHandover,
)
from anjian.risks.models import FloorPlan
from anjian.risks.selectors import areas_by_plan
from anjian.training import selectors as training_selectors
from anjian.training.choices import ROSTER_LOOKAHEAD_DAYS
from anjian.training.models import DutyShift

# the fire-control room duty shown in the fire file: the days before today and from today on
DUTY_DAYS_BACK = 7
DUTY_DAYS_AHEAD = ROSTER_LOOKAHEAD_DAYS

# the code of the platform's 月度防火检查表 (inspections' checklist library), copied by institutions
MONTHLY_FIRE_CHECK = "monthly_fire_check"


def due_q(state: str, today: dt.date | None = None) -> Q:
    today = today or timezone.localdate()
    soon = today + dt.timedelta(days=DUE_SOON_DAYS)
    return {
        DueState.OVERDUE: Q(next_due_on__lt=today),
        DueState.DUE_SOON: Q(next_due_on__gte=today, next_due_on__lte=soon),
        DueState.OK: Q(next_due_on__gt=soon),
        DueState.UNKNOWN: Q(next_due_on__isnull=True),
    }.get(state, Q())


def equipment_list(
    *,
    user,
    q: str = "",
    kind=None,
    group: str = "",
    state: str = "",
    organization=None,
    due_before: dt.date | None = None,
    active: bool | None = True,
):
    qs = Equipment.objects.visible_to(user).select_related("kind", "organization", "risk_point")
    if active is not None:
        qs = qs.filter(is_active=active)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(registration_number__icontains=q) | Q(area__icontains=q))
    if kind is not None:
        qs = qs.filter(kind=kind)
    if group:
        qs = qs.filter(kind__group=group)
    if state:
        qs = qs.filter(due_q(state))
    if organization is not None:
        qs = qs.filter(organization=organization)
    if due_before is not None:
        qs = qs.filter(next_due_on__lte=due_before)
    return qs.order_by(F("next_due_on").asc(nulls_first=True), "pk")


def due_counts(*, user) -> dict[str, int]:
    qs = Equipment.objects.visible_to(user).filter(is_active=True)
    return qs.aggregate(**{s.value: Count("pk", filter=due_q(s)) for s in DueState})


def stock_list(*, user, q: str = "", place=None, organization=None, over_limit: bool = False, typical: bool = False):
    qs = ChemicalStock.objects.visible_to(user).select_related("chemical", "place__floor_plan", "organization")
    if q:
        qs = qs.filter(
            Q(chemical__name__icontains=q) | Q(chemical__cas_number__icontains=q) | Q(place__name__icontains=q)
        )
    if place is not None:
        qs = qs.filter(place=place)
    if organization is not None:
        qs = qs.filter(organization=organization)
    if over_limit:
        qs = qs.filter(quantity__gt=F("max_quantity"))
    if typical:
        qs = qs.filter(chemical__is_typical=True)
    return qs.order_by("organization_id", "place__name", "chemical__sort_order", "pk")


def place_list(*, user, organization=None, active: bool | None = True):
    qs = StoragePlace.objects.visible_to(user).select_related("risk_point", "organization", "floor_plan")
    if organization is not None:
        qs = qs.filter(organization=organization)
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs.order_by("name", "pk")


def place_get(*, user, pk) -> StoragePlace:
    qs = StoragePlace.objects.select_related("organization", "risk_point", "floor_plan")
    return get_visible_or_404(qs, user, pk=pk)


def chemical_map(*, user, organization) -> dict:
    """The 一张图 of an institution: each floor plan of its four-colour map (with the map's coloured
    areas) on which storage places are marked, each place with what it holds; the places in use not
    yet marked. A fixed number of queries whatever the number of plans and places."""
    stocks = ChemicalStock.objects.select_related("chemical").order_by("chemical__sort_order", "pk")
    places = list(
        place_list(user=user, organization=organization).prefetch_related(Prefetch("stocks", queryset=stocks))
    )
    plans = list(
        FloorPlan.objects.visible_to(user)
        .filter(organization=organization, is_active=True, pk__in={p.floor_plan_id for p in places if p.located})
        .order_by("building", "floor", "pk")
    )
    areas = areas_by_plan(plans)
    on_plan: dict[int, list[StoragePlace]] = defaultdict(list)
    for place in places:
        if place.located:
            on_plan[place.floor_plan_id].append(place)
    return {
        "plans": [{"plan": p, "areas": areas[p.pk], "places": on_plan[p.pk]} for p in plans],
        "unlocated": [p for p in places if not p.located],
        "places": places,
    }


def movement_list(*, user, stock=None, status: str = ""):
    qs = ChemicalMovement.objects.visible_to(user).select_related(
        "stock__chemical", "stock__place", "recorded_by", "confirmed_by"
    )
    if stock is not None:
        qs = qs.filter(stock=stock)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-moved_on", "-pk")


def movements_to_confirm(*, user):
    """Movements of the user's institution waiting for a second person: not the user's own."""
    return movement_list(user=user, status=MovementStatus.PENDING).exclude(recorded_by=user)


def waste_list(*, user, month: dt.date | None = None, category: str = "", organization=None, void: bool = False):
    qs = WasteHandover.objects.visible_to(user).select_related("organization").filter(is_void=void)
    if month is not None:
        qs = qs.filter(handed_on__year=month.year, handed_on__month=month.month)
    if category:
        qs = qs.filter(category=category)
    if organization is not None:
        qs = qs.filter(organization=organization)
    return qs.order_by("-handed_on", "-pk")


@dataclass
class MonthTotal:
    month: dt.date
    by_category: dict[str, Decimal] = field(default_factory=dict)
    total: Decimal = Decimal("0")
    handovers: int = 0


def waste_monthly_totals(*, user, months: int = 12, organization=None) -> list[MonthTotal]:
    """The weight handed over per month and category, the last ``months`` months (newest first)."""
    today = timezone.localdate()
    first = today.replace(day=1)
    for _i in range(months - 1):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    qs = waste_list(user=user, organization=organization).filter(handed_on__gte=first)
    rows = (
        qs.annotate(month=TruncMonth("handed_on"))
        .values("month", "category")
        .annotate(kg=Sum("weight_kg"), n=Count("pk"))
    )
    totals: dict[dt.date, MonthTotal] = {}
    for row in rows.order_by():
        month = row["month"]
        month = month.date() if isinstance(month, dt.datetime) else month
        total = totals.setdefault(month, MonthTotal(month=month))
        total.by_category[row["category"]] = row["kg"]
        total.total += row["kg"]
        total.handovers += row["n"]
    for total in totals.values():
        total.cells = [total.by_category.get(c.value, Decimal("0")) for c in WasteCategory]
    return sorted(totals.values(), key=lambda t: t.month, reverse=True)


@dataclass
class InstitutionRow:
    organization: Organization
    equipment: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    overdue: int = 0
    due_soon: int = 0
    over_limit: int = 0
    stocks: int = 0
    waste_kg: Decimal = Decimal("0")
    duty_gaps: int = 0


def jurisdiction_overview(*, user) -> list[InstitutionRow]:
    """Per institution the user sees: registered equipment (by kind), overdue and due-soon statutory
    inspections, chemical stocks over their limit, waste handed over this month, the fire-control
    room's missing duty of the coming days (``duty_gaps``). A fixed number of queries whatever the
    number of institutions."""
    today = timezone.localdate()
    institutions = Organization.objects.visible_to(user).filter(type="institution", is_active=True).order_by("name")
    rows = {o.pk: InstitutionRow(organization=o) for o in institutions}
    equipment = (
        Equipment.objects.visible_to(user)
        .filter(is_active=True)
        .values("organization_id", "kind__name")
        .annotate(n=Count("pk"), overdue=Count("pk", filter=due_q(DueState.OVERDUE, today)))
        .annotate(soon=Count("pk", filter=due_q(DueState.DUE_SOON, today)))
    )
    for e in equipment.order_by():
        row = rows.get(e["organization_id"])
        if row is None:
            continue
        row.by_kind[e["kind__name"]] = e["n"]
        row.equipment += e["n"]
        row.overdue += e["overdue"]
        row.due_soon += e["soon"]
    stocks = (
        ChemicalStock.objects.visible_to(user)
        .values("organization_id")
        .annotate(n=Count("pk"), over=Count("pk", filter=Q(quantity__gt=F("max_quantity"))))
    )
    for s in stocks.order_by():
        if s["organization_id"] in rows:
            rows[s["organization_id"]].stocks = s["n"]
            rows[s["organization_id"]].over_limit = s["over"]
    waste = waste_list(user=user, month=today).values("organization_id").annotate(kg=Sum("weight_kg"))
    for w in waste.order_by():
        if w["organization_id"] in rows:
            rows[w["organization_id"]].waste_kg = w["kg"]
    for org_id, n in duty_gaps(user=user, today=today).items():
        if org_id in rows:
            rows[org_id].duty_gaps = n
    return list(rows.values())


def kind_totals(rows: list[InstitutionRow]) -> list[tuple[str, int]]:
    totals: dict[str, int] = defaultdict(int)
    for row in rows:
        for name, n in row.by_kind.items():
            totals[name] += n
    return sorted(totals.items(), key=lambda kv: -kv[1])


def fire_file(*, user, organization, months: int = 12) -> dict:
    """An institution's fire-safety file: the posted responsible people, the monthly fire checks
    (the inspections app's records on the 月度防火检查表) of the last ``months`` months with the
    months that have none, and the fire facilities with their annual detection and the report of the
    last one (``latest_report``)."""
    today = timezone.localdate()
    first = today.replace(day=1)
    month_starts = [first]
    for _i in range(months - 1):
        month_starts.append((month_starts[-1] - dt.timedelta(days=1)).replace(day=1))
    records = list(
        InspectionRecord.objects.visible_to(user)
        .filter(
            organization=organization,
            template__code=MONTHLY_FIRE_CHECK,
            corrects__isnull=True,
            performed_at__date__gte=month_starts[-1],
        )
        .select_related("template", "performed_by")
        .order_by("-performed_at")
    )
    by_month: dict[dt.date, list] = defaultdict(list)
    for record in records:
        by_month[timezone.localtime(record.performed_at).date().replace(day=1)].append(record)
    people = FireSafetyPerson.objects.visible_to(user).filter(organization=organization, is_current=True)
    facilities = list(equipment_list(user=user, organization=organization, group="fire"))
    reports: dict[int, EquipmentRecord] = {}
    for record in (
        EquipmentRecord.objects.visible_to(user)
        .filter(equipment__in=facilities, kind=RecordKind.INSPECTION)
        .exclude(report="")
        .order_by("equipment_id", "-performed_on", "-pk")
    ):
        reports.setdefault(record.equipment_id, record)
    for item in facilities:
        item.latest_report = reports.get(item.pk)  # the last detection's report (检测报告)
    return {
        "people": {p.duty: p for p in people},
        "months": [(m, by_month.get(m, [])) for m in month_starts],
        "missing": sum(1 for m in month_starts[1:] if not by_month.get(m)),  # the current month may still come
        "facilities": facilities,
    }


# --- the fire-control room duty (the training app's roster, read here) ----------------------------
@dataclass
class DutyDay:
    """One day of the fire-control room roster: its shifts, each a ``training.selectors.ShiftCheck``
    (who is on duty, who of them holds a valid certificate, how many the rule requires)."""

    day: dt.date
    checks: list = field(default_factory=list)

    @property
    def rostered(self) -> bool:
        return bool(self.checks)

    @property
    def uncovered(self) -> list:
        return [c for c in self.checks if not c.covered]


def _roster_keepers(user, since: dt.date) -> set[int]:
    """The institutions that keep a fire-control room roster: a shift from ``since`` on."""
    shifts = DutyShift.objects.visible_to(user).filter(day__gte=since)
    return set(shifts.values_list("organization_id", flat=True).distinct().order_by())


def fire_room_duty(
    *, user, organization, today: dt.date | None = None, back: int = DUTY_DAYS_BACK, ahead: int = DUTY_DAYS_AHEAD
) -> dict:
    """The fire-control room duty of an institution, from ``back`` days before today to ``ahead``
    days from today (today included): each day's shifts with who on duty holds a valid fire-control
    room certificate on that day, the shifts with fewer certified people than the institution's rule
    (two by default: the training app's), and, for an institution that keeps a roster, the days
    without any shift (the room is manned around the clock)."""
    today = today or timezone.localdate()
    start = today - dt.timedelta(days=back)
    shifts = training_selectors.roster(user=user, start=start, days=back + ahead).filter(organization=organization)
    checks = training_selectors.shift_checks(shifts.order_by("day", "starts_at", "pk"))
    by_day: dict[dt.date, list] = defaultdict(list)
    for check in checks:
        by_day[check.shift.day].append(check)
    dates = [start + dt.timedelta(days=i) for i in range(back + ahead)]
    days = [DutyDay(day=d, checks=by_day.get(d, [])) for d in dates]
    keeps = bool(checks) or organization.pk in _roster_keepers(user, start - dt.timedelta(days=30))
    return {
        "days": days,
        "today": today,
        "keeps_roster": keeps,
        "required": checks[0].required if checks else None,
        "uncovered": sum(len(d.uncovered) for d in days),
        "unrostered": sum(1 for d in days if not d.rostered) if keeps else 0,
    }


def duty_gaps(*, user, today: dt.date | None = None, days: int = DUTY_DAYS_AHEAD) -> dict[int, int]:
    """Per institution the missing fire-control room duty of the coming ``days`` (today included):
    shifts with too few certified operators, and days without any shift for an institution that
    keeps a roster. A fixed number of queries whatever the number of institutions."""
    today = today or timezone.localdate()
    gaps: dict[int, int] = defaultdict(int)
    rostered: dict[int, set] = defaultdict(set)
    for check in training_selectors.shift_checks(training_selectors.roster(user=user, start=today, days=days)):
        rostered[check.shift.organization_id].add(check.shift.day)
        if not check.covered:
            gaps[check.shift.organization_id] += 1
    for org_id in _roster_keepers(user, today - dt.timedelta(days=30)):
        gaps[org_id] += days - len(rostered[org_id])
    return gaps
