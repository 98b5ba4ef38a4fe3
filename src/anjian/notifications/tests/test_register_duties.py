"""The duties of the other registers, found by the periodic scan on a pinned clock, each person told
once however often it runs: inspections missed (漏检), periodic reports owed (报送), certificates
expiring (持证上岗) and equipment due for its statutory inspection (特种设备)."""

import datetime as dt
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from anjian.action_plans import services as plan_services
from anjian.action_plans.defaults import REPORT_TEMPLATES, ensure_defaults
from anjian.action_plans.models import UnitGroup
from anjian.core.roles import Role
from anjian.core.testing import factories as f
from anjian.inspections import services as inspection_services
from anjian.inspections.choices import Rhythm
from anjian.inspections.tests.helpers import answers, make_point, make_schedule, starter
from anjian.notifications import scan, services
from anjian.notifications.choices import Kind
from anjian.notifications.models import Delivery, Notification
from anjian.registers import services as register_services
from anjian.registers.models import add_months
from anjian.registers.tests.helpers import make_equipment, pdf
from anjian.training.models import CertificateKind
from anjian.training.tests.helpers import certify

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]

SHANGHAI = ZoneInfo("Asia/Shanghai")


def on(day: dt.date, hour: int = 10):
    return time_machine.travel(dt.datetime.combine(day, dt.time(hour, 0), tzinfo=SHANGHAI), tick=False)


def told(kind) -> Counter:
    """How many messages of this kind each person got."""
    return Counter(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SHANGHAI)


# --- inspections missed -----------------------------------------------------------------------------
def test_a_schedule_missed_yesterday_reaches_who_was_to_inspect_and_the_leaders_once(people, receiver):
    w = people
    today = timezone.localdate()
    yesterday, before = today - dt.timedelta(days=1), today - dt.timedelta(days=2)
    services.channel_create(
        by=w.officer_a,
        organization=w.hospital_a,
        data={"kind": "wecom", "name": "安全生产群", "url": f"{receiver.url}/send?key=k"},
    )
    ward = make_point(w.officer_a, name="住院部3楼东侧安全出口", department=w.dept_a)
    # the nurse's own daily round: done the day before yesterday, not yesterday
    daily = make_schedule(w.officer_a, points=[ward], name="病区每日防火巡查", assignee=w.staff_a)
    inspection_services.inspection_submit(
        by=w.staff_a, schedule=daily, point=ward, performed_at=at(before, 9), results=answers(starter())
    )
    # the post's patrol every 2 hours from 08:00 to 12:00, since yesterday: the 08:00 round done only
    patrol = make_schedule(
        w.officer_a,
        points=[ward],
        rhythm=Rhythm.HOURS,
        name="病区两小时巡查",
        post=w.post_a,
        day_start=dt.time(8),
        day_end=dt.time(12),
        starts_on=yesterday,
    )
    inspection_services.inspection_submit(
        by=w.staff_a, schedule=patrol, point=ward, performed_at=at(yesterday, 8, 30), results=answers(starter())
    )
    # a duty of every nurse of the hospital (by role), since yesterday, never done
    make_schedule(w.officer_a, name="全院护士交接班检查", role=Role.STAFF, starts_on=yesterday)
    # done yesterday: nobody hears of it
    kept = make_schedule(w.officer_a, points=[ward], name="安全员每日检查", assignee=w.officer_a, starts_on=yesterday)
    inspection_services.inspection_submit(
        by=w.officer_a, schedule=kept, point=ward, performed_at=at(yesterday, 15), results=answers(starter())
    )

    scan.run()
    scan.run()

    # the nurse: her round and her post's patrol; the department head the same two; the officer all three
    assert told(Kind.INSPECTION_MISSED) == {"staff_a": 2, "dh_a": 2, "officer_a": 3}
    mine = Notification.objects.get(recipient=w.staff_a, title__contains="病区两小时巡查")
    assert mine.title == f"【排查计划漏检】病区两小时巡查（{yesterday.isoformat()}）"
    assert f"漏检 1 次：{yesterday:%m-%d} 10:00–12:00 住院部3楼东侧安全出口" in mine.body
    assert mine.url == "/inspections/"  # to the rounds due now
    leaders = Notification.objects.get(recipient=w.officer_a, title__contains="病区每日防火巡查")
    assert f"漏检 1 次：{yesterday.isoformat()} 住院部3楼东侧安全出口" in leaders.body
    assert leaders.url == f"/inspections/compliance/?period={yesterday:%Y-%m}"
    # the group hears of each schedule's day once, though the nurse and the leaders were both told
    assert Delivery.objects.filter(channel__isnull=False, kind=Kind.INSPECTION_MISSED).count() == 3
    assert not Notification.objects.filter(recipient__organization=w.hospital_b, kind=Kind.INSPECTION_MISSED).exists()

    # the next day: yesterday's gaps are not told again; today's, now ended, are
    with on(today + dt.timedelta(days=1)):
        scan.run()
    assert told(Kind.INSPECTION_MISSED) == {"staff_a": 4, "dh_a": 4, "officer_a": 7}


# --- periodic reports owed ------------------------------------------------------------------------
def test_a_report_due_soon_and_overdue_reaches_each_owing_units_leaders_once(people):
    w = people
    ensure_defaults()
    putuo = plan_services.report_definition_create(
        by=w.regulator_a,
        organization=w.district_a,
        data=dict(REPORT_TEMPLATES["putuo_monthly"]),  # by the 25th of the month reported on
        unit_groups=list(UnitGroup.objects.filter(all_institutions=True)),
    )
    today = timezone.localdate()
    day = today.replace(day=20)  # this month's report due in 5 days, last month's late
    last_month = (day.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    late_days = (day - last_month.replace(day=25)).days

    with on(day):
        scan.run()
        scan.run()
    leaders = {"head_a": 1, "officer_a": 1, "deputy_a": 1, "clinic_a": 1}
    assert told(Kind.REPORT_OVERDUE) == leaders
    assert told(Kind.REPORT_DUE_SOON) == leaders
    late = Notification.objects.get(kind=Kind.REPORT_OVERDUE, recipient=w.officer_a)
    assert late.title == f"【报表逾期未报送】月度工作情况报告（{last_month.year}年{last_month.month}月）"
    assert f"报送期限：{last_month.replace(day=25).isoformat()}" in late.body and f"已逾期 {late_days} 天" in late.body
    assert late.url == f"/plans/reports/{putuo.pk}/fill/?period={last_month:%Y-%m}"
    soon = Notification.objects.get(kind=Kind.REPORT_DUE_SOON, recipient=w.clinic_officer_a)
    assert "报送单位：甲区诊所" in soon.body and "距期限还有 5 天" in soon.body
    others = [w.staff_a, w.regulator_a, w.officer_b]
    assert not Notification.objects.filter(recipient__in=others, title__contains="月度工作情况报告").exists()

    # the hospital submits this month's report; after the 25th only the clinic is late with it
    with on(day):
        values = {"highlights": "培训", "difficulties": "经费", "major_hazards": "无", "plan": "按期整改"}
        plan_services.submission_save(
            by=w.officer_a, definition=putuo, period=day.replace(day=1), values=values, submit=True
        )
    with on(day.replace(day=26)):
        scan.run()
        scan.run()
    assert told(Kind.REPORT_OVERDUE) == {"head_a": 1, "officer_a": 1, "deputy_a": 1, "clinic_a": 2}


def test_the_16_order_statistical_analysis_is_announced_to_every_institution_before_it_is_due(people):
    w = people
    january = timezone.localdate().year + 1
    with on(dt.date(january, 1, 10)):  # the fourth quarter's table is due on 15 January, the year's on the 31st
        scan.run()
        scan.run()
    leaders = {"head_a": 1, "officer_a": 1, "deputy_a": 1, "clinic_a": 1, "officer_b": 1}
    assert told(Kind.REPORT_DUE_SOON) == leaders
    item = Notification.objects.get(kind=Kind.REPORT_DUE_SOON, recipient=w.head_a)
    assert item.title == f"【报表临近报送期限】{january - 1}年第四季度事故隐患排查治理情况统计分析表"
    assert f"报送期限：{january}-01-15" in item.body and "主要负责人签字" in item.body
    assert item.url == f"/reports/analysis/?kind=quarter&year={january - 1}&quarter=4"

    with on(dt.date(january, 1, 25)):
        scan.run()
    assert told(Kind.REPORT_DUE_SOON) == {k: 2 for k in leaders}
    annual = Notification.objects.filter(kind=Kind.REPORT_DUE_SOON, recipient=w.head_a).order_by("pk").last()
    assert annual.title == f"【报表临近报送期限】{january - 1}年事故隐患排查治理情况统计分析表"
    with on(dt.date(january, 2, 1)):
        scan.run()  # past both: announced, never chased (the platform keeps no record of its sending)
    assert told(Kind.REPORT_DUE_SOON) == {k: 2 for k in leaders}


# --- certificates -----------------------------------------------------------------------------------
def test_a_certificate_is_told_as_it_enters_each_window_and_once_expired(people):
    w = people
    today = timezone.localdate()
    cert = certify(w.officer_a, w.staff_a, expires_in=45)  # within 60 days
    electrician = CertificateKind.objects.get(code="electrician")
    old = certify(w.officer_a, w.staff_a, expires_in=5, kind=electrician, number="E-OLD")
    certify(w.officer_a, w.staff_a, expires_in=400, kind=electrician, number="E-NEW")  # renewed: not mentioned
    welder = f.make_user(organization=w.hospital_a, role=Role.STAFF, username="welder_a", department=w.dept_a)
    expired = certify(
        w.officer_a, welder, expires_in=-3, kind=CertificateKind.objects.get(code="welding"), number="W-1"
    )

    scan.run()
    scan.run()
    assert told(Kind.CERTIFICATE_EXPIRING) == {"staff_a": 1, "officer_a": 1}
    assert told(Kind.CERTIFICATE_EXPIRED) == {"welder_a": 1, "officer_a": 1, "dh_a": 1}
    item = Notification.objects.get(kind=Kind.CERTIFICATE_EXPIRING, recipient=w.staff_a)
    assert item.title == f"【证书即将到期】消防设施操作员 {cert.number}（甲护士）"
    assert f"有效期至：{cert.expires_on.isoformat()}" in item.body and "距期限还有 45 天" in item.body
    assert item.url == f"/training/people/{w.staff_a.pk}/"
    assert not Notification.objects.filter(target_id=str(old.pk), kind=Kind.CERTIFICATE_EXPIRING).exists()
    assert Notification.objects.get(kind=Kind.CERTIFICATE_EXPIRED, recipient=w.officer_a).target_id == str(expired.pk)

    # 30 days left, 25 left (still the 30 days' window), 7 left, 1 left: told on entering each window
    for later, expected in ((15, 2), (20, 2), (38, 3), (44, 3)):
        with on(today + dt.timedelta(days=later)):
            scan.run()
        assert told(Kind.CERTIFICATE_EXPIRING)["staff_a"] == expected, later
    with on(cert.expires_on + dt.timedelta(days=1)):
        scan.run()
        scan.run()
    assert told(Kind.CERTIFICATE_EXPIRED) == {"welder_a": 1, "officer_a": 2, "dh_a": 2, "staff_a": 1}


# --- equipment ------------------------------------------------------------------------------------
def test_equipment_due_soon_reaches_the_officers_and_overdue_the_principal_too(people):
    w = people
    today = timezone.localdate()
    late = make_equipment(
        w.officer_a,
        kind="pressure_vessel",
        name="液氧储罐",
        last=add_months(today, -13),
        registration_number="容3QT沪A0001",
        area="液氧站",
    )
    # due in 10 days on any day (a year back from 29 February is 28 February, already due)
    last_valve = add_months(today + dt.timedelta(days=10), -12)
    soon = make_equipment(w.officer_a, kind="safety_valve", name="锅炉安全阀", last=last_valve)
    make_equipment(w.officer_a, kind="lift", name="门诊楼1号电梯", last=today - dt.timedelta(days=30))  # fine
    retired = make_equipment(w.officer_a, kind="pressure_vessel", name="旧消毒柜", last=add_months(today, -14))
    register_services.equipment_set_active(by=w.officer_a, equipment=retired, active=False, note="已报废")

    scan.run()
    scan.run()
    assert told(Kind.EQUIPMENT_OVERDUE) == {"officer_a": 1, "head_a": 1}
    assert told(Kind.EQUIPMENT_DUE_SOON) == {"officer_a": 1}
    item = Notification.objects.get(kind=Kind.EQUIPMENT_OVERDUE, recipient=w.head_a)
    late.refresh_from_db()
    assert item.title == "【设备逾期未检验】液氧储罐 容3QT沪A0001"
    assert f"下次检验日期：{late.next_due_on.isoformat()}" in item.body and "位置：液氧站" in item.body
    assert f"已逾期 {(today - late.next_due_on).days} 天" in item.body
    assert item.url == f"/registers/equipment/{late.pk}/"
    assert Notification.objects.get(kind=Kind.EQUIPMENT_DUE_SOON).target_id == str(soon.pk)

    # inspected and passed: the next due date moves a year on; nothing more is said of it
    register_services.equipment_record(
        by=w.officer_a, equipment=late, performed_on=today, result="passed", report=pdf(), agency="特检院"
    )
    scan.run()
    assert told(Kind.EQUIPMENT_OVERDUE) == {"officer_a": 1, "head_a": 1}
