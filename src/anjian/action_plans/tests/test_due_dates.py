"""Due dates of periodic reports for real months (chinese_calendar's holiday data)."""

import datetime as dt

import pytest

from anjian.action_plans import due
from anjian.action_plans.defaults import REPORT_TEMPLATES
from anjian.core import workdays

# the working days are read from the database first (an administrator's entered years)
pytestmark = [pytest.mark.django_db, pytest.mark.calendar]

D = dt.date


def _due(key, period):
    t = REPORT_TEMPLATES[key]
    return due.due_date(
        period=period,
        frequency=t["frequency"],
        due_day=t["due_day"],
        months_after=t["months_after"],
        holiday_shift=t["holiday_shift"],
    )


def test_putuo_25th_that_is_a_sunday_stays_the_25th():
    # May 2025: the 25th is a Sunday; Putuo's rule is "by the 25th" with no shift
    assert D(2025, 5, 25).weekday() == 6
    assert _due("putuo_monthly", D(2025, 5, 1)) == D(2025, 5, 25)
    assert _due("putuo_monthly", D(2026, 1, 1)) == D(2026, 1, 25)  # also a Sunday


def test_a_25th_that_is_a_sunday_moves_to_monday_when_the_rule_says_so():
    assert due.due_date(
        period=D(2025, 5, 1), frequency="monthly", due_day=25, months_after=0, holiday_shift="next_workday"
    ) == D(2025, 5, 26)


def test_jilin_1st_inside_national_day_moves_to_the_next_working_day():
    # the September 2025 report is due on 1 October, inside the holiday (1–8 October 2025)
    assert _due("jilin_monthly", D(2025, 9, 1)) == D(2025, 10, 9)
    # 2024: holiday 1–7 October, 8 October a Tuesday at work
    assert _due("jilin_monthly", D(2024, 9, 1)) == D(2024, 10, 8)


def test_jilin_1st_on_a_working_day_and_over_new_year():
    assert _due("jilin_monthly", D(2025, 6, 1)) == D(2025, 7, 1)  # a Tuesday
    assert _due("jilin_monthly", D(2025, 12, 1)) == D(2026, 1, 4)  # New Year holiday; the 4th (a Sunday) is worked


def test_make_up_working_weekend_counts_as_working_day():
    assert workdays.is_workday(D(2025, 9, 28))  # a Sunday worked in exchange for National Day
    assert not workdays.is_workday(D(2025, 10, 1))


def test_quarterly_and_short_months():
    assert due.due_date(
        period=D(2025, 4, 1), frequency="quarterly", due_day=31, months_after=0, holiday_shift="none"
    ) == D(2025, 6, 30)
    assert due.period_start(D(2025, 8, 17), "quarterly") == D(2025, 7, 1)


def test_current_period():
    class Definition:
        frequency, due_day, months_after, holiday_shift = "monthly", 1, 1, "next_workday"

    assert due.current_period(Definition, D(2025, 10, 5)) == D(2025, 9, 1)  # due 9 October
    assert due.current_period(Definition, D(2025, 10, 10)) == D(2025, 10, 1)


def test_the_december_2026_report_is_not_due_on_new_years_day_2027():
    """chinese_calendar has no 2027: the report "应于 2027-01-01 前报送" fell on 元旦. The statutory
    holidays hold for a year nobody has entered yet."""
    assert workdays.schedule_of(2027).source == "statutory"
    assert _due("jilin_monthly", D(2026, 12, 1)) == D(2027, 1, 4)  # Fri 1st off, then the weekend
    assert _due("jilin_monthly", D(2027, 4, 1)) == D(2027, 5, 3)  # 1 May 2027 is a Saturday anyway
    assert _due("jilin_monthly", D(2027, 9, 1)) == D(2027, 10, 4)  # 国庆 1–3 Oct (Fri–Sun)
    assert not workdays.is_workday(D(2030, 5, 1)) and workdays.is_workday(D(2030, 5, 2))


def test_an_entered_year_overrides_the_statutory_days(world):
    """The administrator enters 2027's notice: the make-up Saturday is worked, the long 春节 is off."""
    workdays.work_calendar_save(
        by=world.admin,
        year=2027,
        holidays="2027-01-01 元旦\n2027-02-05 至 2027-02-13 春节\n2027-10-01 至 2027-10-07 国庆节",
        workdays="2027-02-20 春节调休\n2027-09-26 国庆调休",
        source="国办发明电〔2026〕X号",
    )
    assert workdays.schedule_of(2027).source == "entered"
    assert not workdays.is_workday(D(2027, 2, 8)) and workdays.is_workday(D(2027, 2, 20))
    assert _due("jilin_monthly", D(2027, 9, 1)) == D(2027, 10, 8)  # after the whole week
    assert _due("jilin_monthly", D(2027, 1, 1)) == D(2027, 2, 1)
    assert workdays.is_workday(D(2027, 5, 3))  # a Monday not entered as a day off
