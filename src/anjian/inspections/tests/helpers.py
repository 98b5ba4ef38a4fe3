"""Inspection test helpers: points, schedules and records made through the services."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from anjian.hazards.tests.helpers import jpeg
from anjian.inspections import services
from anjian.inspections.choices import Rhythm
from anjian.inspections.models import ChecklistTemplate

__all__ = ["answers", "jpeg", "make_point", "make_schedule", "starter"]


def starter(code: str = "ward_fire_patrol") -> ChecklistTemplate:
    return ChecklistTemplate.objects.get(owner__isnull=True, code=code)


def make_point(officer, name: str = "住院部3楼东侧安全出口", department=None):
    return services.point_create(by=officer, data={"name": name, "location": name, "department": department})


def make_schedule(officer, *, points=(), rhythm=Rhythm.DAILY, code="ward_fire_patrol", starts_on=None, **who):
    if not who:
        who = {"role": "staff"}
    return services.schedule_create(
        by=officer,
        data={
            "name": f"{starter(code).name}（{rhythm}）",
            "template": starter(code),
            "rhythm": rhythm,
            "every_hours": 2 if rhythm == Rhythm.HOURS else None,
            "starts_on": starts_on or timezone.localdate() - dt.timedelta(days=60),
            **who,
        },
        points=list(points),
    )


def answers(template, *, fail: dict | None = None, na=()) -> list[dict]:
    """Every item of the template passed, except ``fail`` ({item: note}) and ``na`` (items)."""
    fail = fail or {}
    rows = []
    for item in template.items.order_by("section__order", "order"):
        if item in fail:
            rows.append({"item": item.pk, "result": "fail", "note": fail[item], "photos": [jpeg()]})
        elif item in na:
            rows.append({"item": item.pk, "result": "na", "note": ""})
        else:
            rows.append({"item": item.pk, "result": "pass", "note": ""})
    return rows
