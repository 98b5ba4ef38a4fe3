"""The administrator enters a year's holiday schedule: warned on the home page while the coming year
has none, the form refuses what a notice cannot say, every save is audited, and due dates follow."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from anjian.core import workdays
from anjian.core.models import AuditEvent, WorkCalendarYear

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]


def next_year() -> int:
    return timezone.localdate().year + 1


def test_the_administrator_is_warned_when_the_coming_year_has_no_schedule(client, world):
    client.force_login(world.admin)
    home = client.get("/").content.decode()
    today = timezone.localdate()
    expected = workdays.missing_years()
    assert (today.month >= workdays.WARN_FROM_MONTH and not workdays._package_knows(today.year + 1)) == (
        today.year + 1 in expected
    )
    if expected:
        assert "节假日安排尚未录入" in home and reverse("core:work-calendar-edit", args=[expected[0]]) in home
    client.force_login(world.regulator_a)  # not theirs to enter: no warning, no page
    assert "节假日安排尚未录入" not in client.get("/").content.decode()
    assert client.get(reverse("core:work-calendar")).status_code == 403


def test_entering_a_year_through_the_form_moves_the_due_dates_and_is_audited(client, world):
    year = 2031  # no package knows it
    client.force_login(world.admin)
    page = client.get(reverse("core:work-calendar-edit", args=[year]))
    assert page.status_code == 200
    assert f"{year}-01-01 元旦" in page.content.decode()  # starts from the statutory days
    data = {
        "holidays": f"{year}-01-01 元旦\n{year}-01-22 至 {year}-01-28 春节\n{year}-10-01 至 {year}-10-07 国庆节",
        "workdays": f"{year}-01-19 春节调休\n{year}-10-11 国庆调休",
        "source": "国办发明电〔2030〕7号",
    }
    response = client.post(reverse("core:work-calendar-edit", args=[year]), data)
    assert response.status_code == 302, response.content.decode()
    row = WorkCalendarYear.objects.get(year=year)
    assert len(row.holidays) == 15 and [d["day"] for d in row.workdays] == [f"{year}-01-19", f"{year}-10-11"]
    assert workdays.is_workday(dt.date(year, 1, 19)) and not workdays.is_workday(dt.date(year, 1, 24))
    event = AuditEvent.objects.get(verb="work_calendar.saved")
    assert event.actor == world.admin and "春节" in event.changes["holidays"][1]
    listing = client.get(reverse("core:work-calendar")).content.decode()
    assert "国办发明电〔2030〕7号" in listing and "已录入" in listing


@pytest.mark.parametrize(
    ("holidays", "workdays_text", "says"),
    [
        ("2031-13-01 元旦", "", "不是有效日期"),
        ("元旦放假一天", "", "无法识别"),
        ("2030-12-31 元旦", "", "须在 2031 年内"),
        ("2031-01-01 元旦\n2031-01-01 元旦", "", "重复填写"),
        ("2031-02-01 至 2031-03-01 春节", "", "不能超过"),
        ("2031-01-01 元旦", "2031-01-02 调休", "调休上班日应为周六或周日"),  # a Thursday
        ("2031-01-04 元旦", "2031-01-04 调休", "不能既放假又上班"),
        ("", "", "该字段是必填项"),
    ],
)
def test_a_schedule_a_notice_cannot_say_is_refused_and_nothing_saved(client, world, holidays, workdays_text, says):
    client.force_login(world.admin)
    page = client.post(
        reverse("core:work-calendar-edit", args=[2031]), {"holidays": holidays, "workdays": workdays_text}
    )
    assert page.status_code == 200 and says in page.content.decode()
    assert not WorkCalendarYear.objects.exists() and not AuditEvent.objects.filter(verb="work_calendar.saved")
