"""Reminders (催办): assignments and periodic reports late or due soon reach the responsible unit and
the regulator on the home page, 我的任务 and the dispatch page, computed from the data."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from anjian.action_plans import selectors, services
from anjian.action_plans.defaults import ensure_report_examples
from anjian.action_plans.models import Assignment, UnitGroup

pytestmark = pytest.mark.calendar  # depends on the day: run again on other pinned days

FULL = {"highlights": "培训", "difficulties": "经费", "major_hazards": "无", "plan": "按期整改"}


@pytest.fixture
def plan(world, groups):
    """Four tasks for hospital_a and clinic_a: one 10 days late, one due in 5 days, one in 100, one standing."""
    today = timezone.localdate()
    plan = services.plan_create(by=world.regulator_a, data={"title": "催办测试方案", "start_year": today.year})
    for number, content, deadline in (
        ("1", "逾期的消防演练", today - dt.timedelta(days=10)),
        ("2", "临期的隐患台账", today + dt.timedelta(days=5)),
        ("3", "远期的标准化建设", today + dt.timedelta(days=100)),
        ("4", "长期坚持的日常巡查", None),
    ):
        services.task_create(
            by=world.regulator_a,
            plan=plan,
            data={"number": number, "content": content, "deadline": deadline, "is_standing": deadline is None},
            named_units=[world.hospital_a, world.clinic_a],
        )
    return plan


def test_a_unit_sees_its_own_late_and_due_soon_tasks(world, plan):
    r = selectors.reminders(user=world.officer_a)
    assert [(a.task.content, a.days) for a in r.late] == [("逾期的消防演练", 10)]
    assert [(a.task.content, a.days) for a in r.soon] == [("临期的隐患台账", 5)]
    assert {a.organization for a in r.late + r.soon} == {world.hospital_a}
    assert r.units == []  # a unit chases nobody


def test_the_regulator_sees_whom_to_chase_most_late_first(world, plan):
    r = selectors.reminders(user=world.regulator_a)
    assert (r.late_count, r.soon_count) == (2, 2)
    hospital, clinic = world.hospital_a.name, world.clinic_a.name
    assert {(u["name"], u["late"], u["soon"], u["days_late"]) for u in r.units} == {
        (hospital, 1, 1, 10),
        (clinic, 1, 1, 10),
    }
    assert [(t["number"], t["units"], t["late"], t["days"]) for t in r.tasks] == [
        ("1", 2, True, 10),
        ("2", 2, False, 5),
    ]
    # the clinic finishes its late task: the hospital is now the one to chase first
    late = Assignment.objects.get(task__plan=plan, task__number="1", organization=world.clinic_a)
    services.progress_report(by=world.clinic_officer_a, assignment=late, text="已组织演练", claims_done=True)
    services.assignment_review(by=world.regulator_a, assignment=late, accept=True)
    r = selectors.reminders(user=world.regulator_a)
    assert r.late_count == 1
    assert [(u["name"], u["late"]) for u in r.units] == [(hospital, 1), (clinic, 0)]
    assert [(t["number"], t["units"]) for t in r.tasks] == [("1", 1), ("2", 2)]
    assert selectors.reminders(user=world.regulator_b).late_count == 0  # another jurisdiction: nothing


def test_a_withdrawn_plan_reminds_nobody(world, plan):
    services.plan_set_active(by=world.regulator_a, plan=plan, active=False)
    assert not selectors.reminders(user=world.officer_a)
    assert not selectors.reminders(user=world.regulator_a)


def test_home_page_shows_the_reminders(client, world, plan):
    client.force_login(world.officer_a)
    html = client.get("/").content.decode()
    assert 'data-testid="reminders"' in html
    assert "逾期的消防演练" in html and "逾期10天" in html
    assert "临期的隐患台账" in html and "还剩5天" in html
    assert "远期的标准化建设" not in html
    client.force_login(world.regulator_a)
    html = client.get("/").content.decode()
    assert 'data-testid="late-units"' in html and world.hospital_a.name in html and world.clinic_a.name in html
    assert "逾期的消防演练 · 2 家未完成" in html.replace('<span class="small text-secondary">', "")


def test_dispatch_page_and_the_due_soon_tab(client, world, plan):
    client.force_login(world.regulator_a)
    html = client.get(reverse("action_plans:plan-matrix", args=[plan.pk])).content.decode()
    assert 'data-testid="late-units"' in html and "逾期10天" in html
    client.force_login(world.officer_a)
    html = client.get(reverse("action_plans:assignment-list") + "?state=soon").content.decode()
    assert "临期的隐患台账" in html
    assert "逾期的消防演练" not in html and "远期的标准化建设" not in html


def test_periodic_reports_late_or_due_soon(world, groups):
    putuo = ensure_report_examples(world.district_a, by=world.regulator_a)[0]
    ensure_report_examples(world.district_b, by=world.regulator_b)  # someone else's: never shown here
    # 2025-06-20: May's report was due on 05-25 (late), June's is due on 06-25 (in 5 days)
    today = dt.date(2025, 6, 20)
    mine = [r for r in selectors.report_reminders(user=world.officer_a, today=today) if r["definition"] == putuo]
    assert [(r["label"], r["late"], r["due"]) for r in mine] == [
        ("2025年5月", True, dt.date(2025, 5, 25)),
        ("2025年6月", False, dt.date(2025, 6, 25)),
    ]
    assert mine[0]["url"].endswith("?period=2025-05")
    services.submission_save(by=world.officer_a, definition=putuo, period=dt.date(2025, 5, 1), values=FULL, submit=True)
    mine = [r for r in selectors.report_reminders(user=world.officer_a, today=today) if r["definition"] == putuo]
    assert [r["label"] for r in mine] == ["2025年6月"]
    # ten days earlier, June's report is not announced yet
    early = selectors.report_reminders(user=world.officer_a, today=dt.date(2025, 6, 10))
    assert not [r for r in early if r["definition"] == putuo]
    # the regulator: how many of its units have not submitted, per period
    theirs = [r for r in selectors.report_reminders(user=world.regulator_a, today=today) if r["definition"] == putuo]
    assert [(r["label"], r["late"], r["missing"], r["owing"]) for r in theirs] == [
        ("2025年5月", True, 1, 2),
        ("2025年6月", False, 2, 2),
    ]
    assert all(
        r["definition"].organization == world.district_a
        for r in selectors.report_reminders(user=world.regulator_a, today=today)
    )


def test_a_unit_that_does_not_owe_a_report_is_not_reminded(world, groups):
    putuo = ensure_report_examples(world.district_a, by=world.regulator_a)[0]
    putuo.unit_groups.set(UnitGroup.objects.filter(name="托育机构"))  # neither the hospital nor the clinic
    today = dt.date(2025, 6, 20)
    assert not [r for r in selectors.report_reminders(user=world.officer_a, today=today) if r["definition"] == putuo]
    assert not [r for r in selectors.report_reminders(user=world.regulator_a, today=today) if r["definition"] == putuo]


def test_report_list_names_the_reports_owed(client, world, groups):
    ensure_report_examples(world.district_a, by=world.regulator_a)
    client.force_login(world.officer_a)
    html = client.get(reverse("action_plans:report-list")).content.decode()
    # whatever today is, last period's reports are past due and nobody has submitted them
    assert 'data-testid="due-reports"' in html and "应报，已逾期" in html
    client.force_login(world.regulator_a)
    html = client.get(reverse("action_plans:report-list")).content.decode()
    assert "2/2 家未报" in html


def test_the_dispatch_pages_late_list_is_that_plans(client, world, plan):
    other = services.plan_create(by=world.regulator_a, data={"title": "另一方案"})
    services.task_create(
        by=world.regulator_a,
        plan=other,
        data={"number": "1", "content": "另一方案的逾期任务", "deadline": timezone.localdate() - dt.timedelta(days=3)},
        named_units=[world.hospital_a],
    )
    client.force_login(world.regulator_a)
    html = client.get(reverse("action_plans:plan-matrix", args=[plan.pk])).content.decode()
    link = f"{reverse('action_plans:assignment-list')}?state=overdue&plan={plan.pk}"
    assert link in html
    html = client.get(link).content.decode()
    assert "逾期的消防演练" in html and "另一方案的逾期任务" not in html
    html = client.get(reverse("action_plans:assignment-list") + "?state=overdue").content.decode()
    assert "逾期的消防演练" in html and "另一方案的逾期任务" in html
    client.force_login(world.regulator_b)  # another jurisdiction's plan: not found
    assert client.get(link).status_code == 404


def test_standing_tasks_owe_a_report_at_their_rhythm(client, world, plan):
    from anjian.action_plans.models import Plan, Task

    today = timezone.localdate()
    standing = Task.objects.get(plan=plan, number="4")
    Task.objects.filter(pk=standing.pk).update(rhythm="monthly")
    # just imported: nothing owed yet
    assert selectors.reminders(user=world.officer_a).rhythm_count == 0
    Plan.objects.filter(pk=plan.pk).update(created_at=timezone.now() - dt.timedelta(days=40))
    r = selectors.reminders(user=world.officer_a)
    assert [(a.task.number, a.last_reported_on) for a in r.rhythm] == [("4", None)]
    assert selectors.reminders(user=world.regulator_a).rhythm_count == 2  # the hospital and the clinic
    # the hospital reports today; the clinic's last report is 35 days old: only the clinic owes one
    hospital = Assignment.objects.get(task=standing, organization=world.hospital_a)
    services.progress_report(by=world.officer_a, assignment=hospital, text="本月巡查4次")
    clinic = Assignment.objects.get(task=standing, organization=world.clinic_a)
    old = today - dt.timedelta(days=35)
    services.progress_report(by=world.clinic_officer_a, assignment=clinic, text="上月巡查", reported_on=old)
    assert selectors.reminders(user=world.officer_a).rhythm_count == 0
    assert [a.organization for a in selectors.reminders(user=world.clinic_officer_a).rhythm] == [world.clinic_a]
    assert selectors.reminders(user=world.regulator_a).rhythm_count == 1
    client.force_login(world.clinic_officer_a)
    html = client.get("/").content.decode()
    assert "每月报送 · 上次" in html and reverse("action_plans:assignment-report", args=[clinic.pk]) in html
    html = client.get(reverse("action_plans:assignment-list") + "?state=report_due").content.decode()
    assert "长期坚持的日常巡查" in html and "临期的隐患台账" not in html
    # a quarterly rhythm: 35 days is not yet a quarter
    Task.objects.filter(pk=standing.pk).update(rhythm="quarterly")
    assert selectors.reminders(user=world.regulator_a).rhythm_count == 0
