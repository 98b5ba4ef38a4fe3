"""Raw hazard records with chosen times, for checking the figures against counts made by hand."""

from __future__ import annotations

import datetime as dt
import itertools
import random

from django.utils import timezone

from anjian.hazards.choices import HazardLevel, HazardSource, HazardStatus
from anjian.hazards.models import Hazard, HazardCategory

_numbers = itertools.count(1)


def at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=timezone.get_current_timezone())


def hazard(organization, *, found: dt.datetime, status=HazardStatus.RECTIFYING, closed=None, deadline=None, **extra):
    """One hazard row as the ledger would hold it (times chosen by the test)."""
    values = {
        "number": f"T{next(_numbers):08d}",
        "organization": organization,
        "title": "测试隐患",
        "location": "一楼",
        "category": extra.pop("category", None) or HazardCategory.objects.get(code="fire"),
        "level": HazardLevel.GENERAL,
        "source": HazardSource.SELF_INSPECTION,
        "status": status,
        "found_at": found,
        "deadline": deadline,
        "accepted_at": closed,
    }
    values.update(extra)
    return Hazard.objects.create(**values)


def random_ledger(orgs, departments, *, seed: int, n: int, first: dt.date, last: dt.date) -> list[Hazard]:
    """``n`` hazards spread over ``first``..``last`` in every state, with deadlines and closings around them."""
    rng = random.Random(seed)
    cats = list(HazardCategory.objects.all())
    span = (last - first).days
    out = []
    for _ in range(n):
        org = rng.choice(orgs)
        found_day = first + dt.timedelta(days=rng.randint(0, span))
        found = at(found_day, rng.randint(0, 23), rng.randint(0, 59))
        status = rng.choice(
            [HazardStatus.REPORTED, HazardStatus.RECTIFYING, HazardStatus.AWAITING_ACCEPTANCE]
            + [HazardStatus.CLOSED] * 3
            + [HazardStatus.DISMISSED]
        )
        deadline = None if rng.random() < 0.15 else found_day + dt.timedelta(days=rng.randint(0, 60))
        closed = None
        if status == HazardStatus.CLOSED:
            closed = found + dt.timedelta(hours=rng.randint(1, 24 * 70))
            if closed > timezone.now():
                closed = timezone.now() - dt.timedelta(minutes=5)
        depts = [d for d in departments if d.organization_id == org.pk]
        out.append(
            hazard(
                org,
                found=found,
                status=status,
                closed=closed,
                deadline=deadline,
                level=rng.choice([HazardLevel.GENERAL] * 3 + [HazardLevel.MAJOR]),
                source=rng.choice(HazardSource.values),
                category=rng.choice(cats),
                department=rng.choice([*depts, None]) if depts else None,
            )
        )
    return out
