"""Raw records with chosen dates (hazards, supervision visits and their findings, interviews), and the
counts a person would make from them by hand, to check the forms against."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from dataclasses import dataclass, field

from django.utils import timezone

from anjian.hazards.choices import HazardLevel, HazardSource, HazardStatus
from anjian.hazards.models import Hazard, HazardCategory
from anjian.inspections.models import Interview, SupervisionFinding, SupervisionInspection

_numbers = itertools.count(1)


def at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=timezone.get_current_timezone())


def hazard(organization, *, found: dt.datetime, **extra) -> Hazard:
    values = {
        "number": f"R{next(_numbers):08d}",
        "organization": organization,
        "title": "测试隐患",
        "location": "门诊楼",
        "category": HazardCategory.objects.get(code="fire"),
        "level": HazardLevel.GENERAL,
        "source": HazardSource.SELF_INSPECTION,
        "status": HazardStatus.RECTIFYING,
        "found_at": found,
    }
    values.update(extra)
    return Hazard.objects.create(**values)


def random_hazards(orgs, *, seed: int, n: int, first: dt.date, last: dt.date) -> list[Hazard]:
    """``n`` hazards over ``first``..``last`` in every state and category, some closed after their month."""
    rng = random.Random(seed)
    cats = list(HazardCategory.objects.all())
    span = (last - first).days
    out = []
    for _ in range(n):
        day = first + dt.timedelta(days=rng.randint(0, span))
        found = at(day, rng.randint(0, 23), rng.randint(0, 59))
        status = rng.choice(
            [HazardStatus.REPORTED, HazardStatus.RECTIFYING, HazardStatus.DISMISSED] + [HazardStatus.CLOSED] * 3
        )
        closed = None
        if status == HazardStatus.CLOSED:
            closed = min(found + dt.timedelta(hours=rng.randint(1, 24 * 45)), timezone.now() - dt.timedelta(minutes=1))
        out.append(
            hazard(
                rng.choice(orgs),
                found=found,
                status=status,
                accepted_at=closed,
                level=rng.choice([HazardLevel.GENERAL] * 2 + [HazardLevel.MAJOR]),
                category=rng.choice(cats),
                source=rng.choice(HazardSource.values),
            )
        )
    # the edges of a month in local time (Asia/Shanghai): 00:10 on the 1st and 23:50 on the last day
    for org in orgs:
        for day in (dt.date(first.year, 5, 1), dt.date(first.year, 4, 30), dt.date(first.year, 5, 31)):
            hour, minute = (0, 10) if day.day == 1 else (23, 50)
            out.append(hazard(org, found=at(day, hour, minute), category=rng.choice(cats)))
    return out


@dataclass
class Supervision:
    regulator: object
    institution: object
    date: dt.date
    team: str
    findings: list = field(default_factory=list)  # (level, category code)


def supervise(items: list[Supervision]) -> list[SupervisionInspection]:
    made = []
    for n, item in enumerate(items, start=1):
        visit = SupervisionInspection.objects.create(
            number=f"DD-T-{next(_numbers):06d}",
            regulator=item.regulator,
            institution=item.institution,
            date=item.date,
            subject="督导检查",
            team=item.team,
        )
        for level, code in item.findings:
            h = hazard(
                item.institution,
                found=at(item.date, 15),
                level=level,
                category=HazardCategory.objects.get(code=code),
                source=HazardSource.SUPERVISION,
                title=f"督导发现问题{n}",
            )
            SupervisionFinding.objects.create(supervision=visit, hazard=h)
        made.append(visit)
    return made


def interview(regulator, institution, day: dt.date) -> Interview:
    return Interview.objects.create(
        regulator=regulator, institution=institution, date=day, reason="隐患整改不力", attendees="院长"
    )


# --- counts by hand -------------------------------------------------------------------------------
def month_bounds(year: int, month: int) -> tuple[dt.datetime, dt.datetime]:
    start = at(dt.date(year, month, 1), 0, 0)
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return start, at(nxt, 0, 0)


def hand_count(hazards, *, orgs, start, end, level, categories=None) -> tuple[int, int]:
    """(found, of them closed by ``end``) among ``hazards`` of ``orgs``, found in [start, end)."""
    ids = {o.pk for o in orgs}
    found = [
        h
        for h in hazards
        if h.organization_id in ids
        and start <= h.found_at < end
        and h.status != HazardStatus.DISMISSED
        and h.level == level
        and (categories is None or h.category_id in categories)
    ]
    closed = [h for h in found if h.status == HazardStatus.CLOSED and (h.accepted_at is None or h.accepted_at < end)]
    return len(found), len(closed)
