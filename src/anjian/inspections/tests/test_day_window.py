""" "Every N hours within the day": slots start at the window's start (00:00 when the whole day),
one every N hours, the last cut at the window's end; outside the window nothing is due and nothing
can be submitted. Compliance counts the window's slots only."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from anjian.core.errors import DomainError
from anjian.core.periods import Period
from anjian.inspections import due, selectors, services
from anjian.inspections.choices import Rhythm
from anjian.inspections.models import InspectionRecord, RhythmDefault, Schedule
from anjian.inspections.tests.helpers import answers, make_point, starter

pytestmark = pytest.mark.calendar  # depends on the day: run again on other pinned days

T = dt.time


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, T(hour, minute), tzinfo=timezone.get_current_timezone())


DAY = dt.date(2026, 5, 14)


def hours(slots) -> list[tuple[str, str]]:
    return [(f"{s.start:%H:%M}", f"{s.end:%H:%M}") for s in slots]


@pytest.mark.parametrize(
    ("every", "window", "expected"),
    [
        (
            2,
            (T(8), T(20)),
            [
                ("08:00", "10:00"),
                ("10:00", "12:00"),
                ("12:00", "14:00"),
                ("14:00", "16:00"),
                ("16:00", "18:00"),
                ("18:00", "20:00"),
            ],
        ),
        (5, (T(8), T(19)), [("08:00", "13:00"), ("13:00", "18:00"), ("18:00", "19:00")]),
        (5, None, [("00:00", "05:00"), ("05:00", "10:00"), ("10:00", "15:00"), ("15:00", "20:00"), ("20:00", "00:00")]),
        (
            4,
            (T(7, 30), None),
            [("07:30", "11:30"), ("11:30", "15:30"), ("15:30", "19:30"), ("19:30", "23:30"), ("23:30", "00:00")],
        ),
    ],
)
def test_the_slots_of_a_day(every, window, expected):
    assert hours(due.hour_slots_of_day(DAY, every, window)) == expected
    assert hours(due.slots_starting_between(Rhythm.HOURS, every, DAY, DAY + dt.timedelta(days=2), window=window)) == (
        expected * 2
    )


def test_the_slot_of_a_moment_and_none_outside_the_window():
    window = (T(8), T(20))
    assert due.slot_at(Rhythm.HOURS, 2, at(DAY, 7, 59), window=window) is None
    assert hours([due.slot_at(Rhythm.HOURS, 2, at(DAY, 8), window=window)]) == [("08:00", "10:00")]
    assert hours([due.slot_at(Rhythm.HOURS, 2, at(DAY, 19, 59), window=window)]) == [("18:00", "20:00")]
    assert due.slot_at(Rhythm.HOURS, 2, at(DAY, 20), window=window) is None
    assert due.slot_at(Rhythm.HOURS, 2, at(DAY, 23, 30), window=window) is None
    # the whole day: every moment has its slot, the day's last one ends at midnight
    assert hours([due.slot_at(Rhythm.HOURS, 5, at(DAY, 23, 30))]) == [("20:00", "00:00")]


@pytest.fixture
def patrol(world):
    """A ward patrol every 2 hours from 08:00 to 20:00, yesterday only, at one point."""
    point = make_point(world.officer_a, department=world.dept_a)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    schedule = services.schedule_create(
        by=world.officer_a,
        data={
            "name": "病区日间巡查",
            "template": starter(),
            "post": world.post_a,
            "rhythm": Rhythm.HOURS,
            "every_hours": 2,
            "day_start": T(8),
            "day_end": T(20),
            "starts_on": yesterday,
            "ends_on": yesterday,
        },
        points=[point],
    )
    return world, point, schedule, yesterday


def test_a_record_outside_the_window_is_refused_and_one_inside_fills_its_slot(patrol):
    w, point, schedule, day = patrol
    with pytest.raises(DomainError, match="08:00–20:00"):
        services.inspection_submit(
            by=w.staff_a, schedule=schedule, point=point, performed_at=at(day, 21), results=answers(starter())
        )
    assert InspectionRecord.objects.count() == 0
    record = services.inspection_submit(
        by=w.staff_a, schedule=schedule, point=point, performed_at=at(day, 9, 40), results=answers(starter())
    )
    assert record.period_start == at(day, 8)

    # yesterday: six slots were due at the point, one was done; 20:00–24:00 asked for nothing
    period = Period.parse(f"{day:%Y-%m}")
    result = selectors.compliance(user=w.officer_a, period=period, organization=w.hospital_a)
    assert (result.total.due, result.total.done) == (6, 1)
    assert [f"{slot.start:%H:%M}" for _s, _p, slot in result.total.missed] == [
        "10:00",
        "12:00",
        "14:00",
        "16:00",
        "18:00",
    ]


def test_nothing_is_due_outside_the_window(world):
    point = make_point(world.officer_a, department=world.dept_a)
    today = timezone.localdate()
    services.schedule_create(
        by=world.officer_a,
        data={
            "name": "病区日间巡查",
            "template": starter(),
            "post": world.post_a,
            "rhythm": Rhythm.HOURS,
            "every_hours": 2,
            "day_start": T(8),
            "day_end": T(20),
            "starts_on": today,
        },
        points=[point],
    )
    assert selectors.due_for(world.staff_a, at=at(today, 7)) == []
    (entry,) = selectors.due_for(world.staff_a, at=at(today, 11, 15))
    assert (entry.slot.start, entry.slot.end, entry.point) == (at(today, 10), at(today, 12), point)
    assert selectors.due_for(world.staff_a, at=at(today, 20, 1)) == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"rhythm": Rhythm.DAILY, "day_start": T(8), "day_end": T(20)}, "只有“每日每隔N小时”可以设置"),
        ({"rhythm": Rhythm.HOURS, "every_hours": 2, "day_start": T(20), "day_end": T(8)}, "结束时间须晚于开始时间"),
        ({"rhythm": Rhythm.HOURS, "every_hours": 4, "day_start": T(8), "day_end": T(10)}, "短于间隔 4 小时"),
        ({"rhythm": Rhythm.HOURS, "every_hours": 13}, "1～12"),
    ],
)
def test_a_bad_window_is_refused_in_chinese(world, data, message):
    with pytest.raises(DomainError, match=message):
        services.schedule_create(
            by=world.officer_a,
            data={"name": "错误计划", "template": starter(), "post": world.post_a, **data},
        )
    assert not Schedule.objects.exists()


def test_the_public_hospitals_ward_patrol_default_is_by_day(world):
    rule = RhythmDefault.objects.get(name="病区防火巡查（每2小时）")
    assert (rule.day_start, rule.day_end, rule.rhythm_label) == (T(8), T(20), "08:00–20:00 每2小时")
    made = services.schedules_from_defaults(by=world.officer_a, organization=world.hospital_a)
    patrol = next(s for s in made if s.name == rule.name)
    assert (patrol.day_start, patrol.day_end, patrol.every_hours) == (T(8), T(20), 2)


def test_the_schedule_form_sets_and_checks_the_window(world, client):
    client.force_login(world.officer_a)
    base = {"name": "病区日间巡查", "template": starter().pk, "post": world.post_a.pk, "rhythm": "hours"}
    base.update(every_hours=2, starts_on=f"{timezone.localdate():%Y-%m-%d}")
    bad = client.post(reverse("inspections:schedule-create"), {**base, "day_start": "20:00", "day_end": "08:00"})
    assert bad.status_code == 200 and "结束时间须晚于开始时间" in bad.content.decode()
    assert not Schedule.objects.exists()
    client.post(reverse("inspections:schedule-create"), {**base, "day_start": "08:00", "day_end": "20:00"})
    schedule = Schedule.objects.get()
    assert (schedule.day_start, schedule.day_end) == (T(8), T(20))
    assert "08:00–20:00 每2小时" in client.get(reverse("inspections:schedule-list")).content.decode()


def test_a_windowed_month_equals_an_independent_count(world):
    """07:30–19:30 every 5 hours (slots at 07:30, 12:30, 17:30–19:30) from the 10th of last month:
    compliance equals the count made from the calendar and the raw records."""
    import random

    from anjian.inspections.tests.test_compliance import independent_count, last_month

    year, month = last_month()
    first = dt.date(year, month, 10)
    schedule = services.schedule_create(
        by=world.officer_a,
        data={
            "name": "门诊大厅日间巡查",
            "template": starter(),
            "role": "staff",
            "rhythm": Rhythm.HOURS,
            "every_hours": 5,
            "day_start": T(7, 30),
            "day_end": T(19, 30),
            "starts_on": first,
        },
    )
    rng = random.Random(7)
    day = first
    while day.month == month:
        for slot in due.hour_slots_of_day(day, 5, (T(7, 30), T(19, 30))):
            if rng.random() < 0.6:
                minutes = rng.randrange(int((slot.end - slot.start).total_seconds() // 60))
                services.inspection_submit(
                    by=world.staff_a,
                    schedule=schedule,
                    performed_at=slot.start + dt.timedelta(minutes=minutes),
                    results=answers(starter()),
                )
        day += dt.timedelta(days=1)
    expected = independent_count(schedule, year, month)
    result = selectors.compliance(user=world.officer_a, period=Period.parse(f"{year}-{month:02d}"))
    assert (result.total.due, result.total.done) == expected
    assert expected[0] == 3 * (dt.date(year + month // 12, month % 12 + 1, 1) - first).days
    assert 0 < expected[1] < expected[0]


def test_a_slot_says_when_it_is_over_as_people_do():
    assert due.slot_at(Rhythm.DAILY, None, at(DAY, 9)).end_label == "05-14 24:00"
    assert due.slot_at(Rhythm.WEEKLY, None, at(DAY, 9)).end_label == "05-17 24:00"  # the Sunday
    assert due.slot_at(Rhythm.HOURS, 2, at(DAY, 9), window=(T(8), T(20))).end_label == "05-14 10:00"


def test_the_form_is_refused_when_opened_outside_the_window(world, client):
    now = timezone.localtime()
    window = (T(13), T(14)) if now.hour < 12 else (T(1), T(2))  # an hour that is not now
    schedule = services.schedule_create(
        by=world.officer_a,
        data={
            "name": "病区短时段巡查",
            "template": starter(),
            "post": world.post_a,
            "rhythm": Rhythm.HOURS,
            "every_hours": 1,
            "day_start": window[0],
            "day_end": window[1],
        },
    )
    client.force_login(world.staff_a)
    response = client.get(reverse("inspections:record-create", args=[schedule.pk]))
    page = response.content.decode()
    assert response.status_code == 400 and 'data-testid="record-form"' not in page
    assert f"每日的检查时段为 {window[0]:%H:%M}–{window[1]:%H:%M}，现在不在时段内" in page
