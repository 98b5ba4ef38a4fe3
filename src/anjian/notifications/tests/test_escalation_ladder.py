"""Time-driven notifications, found by the periodic scan on a pinned clock: due soon, overdue, and
the escalation ladder (逐级督办) — 1 day overdue the department head, 3 the safety officer, 7 the
principal, 14 the regulator — each person told once, whatever how often the scan runs."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from anjian.core.errors import DomainError
from anjian.core.roles import Role
from anjian.core.testing import factories as f
from anjian.hazards import services as hazard_services
from anjian.hazards.tests.helpers import jpeg
from anjian.notifications import scan, services
from anjian.notifications.choices import Kind
from anjian.notifications.models import Delivery, Notification
from anjian.notifications.tests.helpers import open_hazard

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]

SHANGHAI = ZoneInfo("Asia/Shanghai")


def on(day: dt.date):
    """The clock at 10:00 of ``day``."""
    return time_machine.travel(dt.datetime.combine(day, dt.time(10, 0), tzinfo=SHANGHAI), tick=False)


def told(kind, hazard) -> dict[str, int]:
    """Who got a message of this kind about the hazard, and how many times."""
    rows = Notification.objects.filter(kind=kind, target_id=str(hazard.pk)).select_related("recipient")
    out: dict[str, int] = {}
    for n in rows:
        out[n.recipient.username] = out.get(n.recipient.username, 0) + 1
    return out


def test_a_hazard_1_4_and_8_days_overdue_climbs_the_ladder_each_rung_once(people):
    w = people
    hazard = open_hazard(
        w.officer_a, w.hospital_a, deadline_in=2, responsible=w.staff_a, department=w.dept_a, title="消防通道堵塞"
    )
    deadline = hazard.deadline

    with on(deadline + dt.timedelta(days=1)):
        scan.run()
        scan.run()  # every few minutes, or on a second host: nothing twice
    assert told(Kind.HAZARD_OVERDUE, hazard) == {"staff_a": 1}
    assert told(Kind.HAZARD_ESCALATED, hazard) == {"dh_a": 1}

    with on(deadline + dt.timedelta(days=4)):
        scan.run()
        scan.run()
    assert told(Kind.HAZARD_ESCALATED, hazard) == {"dh_a": 1, "officer_a": 1}

    with on(deadline + dt.timedelta(days=8)):
        call_command("notify_scan", stdout=io.StringIO())
        scan.run()
    assert told(Kind.HAZARD_ESCALATED, hazard) == {"dh_a": 1, "officer_a": 1, "head_a": 1}
    assert told(Kind.HAZARD_OVERDUE, hazard) == {"staff_a": 1}

    with on(deadline + dt.timedelta(days=15)):
        scan.run()
    assert told(Kind.HAZARD_ESCALATED, hazard) == {"dh_a": 1, "officer_a": 1, "head_a": 1, "reg_a": 1}
    # hospital_b's people and its regulator never hear of hospital_a's hazard
    others = [w.officer_b, w.regulator_b, w.staff_b]
    assert not Notification.objects.filter(recipient__in=others, target_id=str(hazard.pk)).exists()

    message = Notification.objects.get(kind=Kind.HAZARD_ESCALATED, recipient=w.head_a)
    assert hazard.number in message.title and "消防通道堵塞" in message.title
    assert deadline.isoformat() in message.body and "已逾期 8 天" in message.body
    assert message.url == f"/hazards/{hazard.pk}/"


def test_the_day_the_deadline_draws_near_the_responsible_person_is_told_once(people):
    w = people
    hazard = open_hazard(w.officer_a, w.hospital_a, deadline_in=2, responsible=w.staff_a, department=w.dept_a)

    scan.run()
    scan.run()

    assert told(Kind.HAZARD_DUE_SOON, hazard) == {"staff_a": 1}
    [item] = Notification.objects.filter(kind=Kind.HAZARD_DUE_SOON)
    assert "距整改期限还有 2 天" in item.body
    assert told(Kind.HAZARD_OVERDUE, hazard) == {} and told(Kind.HAZARD_ESCALATED, hazard) == {}


def test_a_closed_hazard_is_not_escalated_and_a_postponed_deadline_starts_anew(people):
    w = people
    done = open_hazard(w.officer_a, w.hospital_a, deadline_in=1, department=w.dept_a, title="已整改")
    hazard_services.hazard_submit(hazard=done, by=w.officer_a, rectification_note="已清理", after_photos=[jpeg()])
    hazard_services.hazard_accept(hazard=done, by=w.head_a, note="合格")
    late = open_hazard(w.officer_a, w.hospital_a, deadline_in=1, department=w.dept_a, title="未整改")

    with on(late.deadline + dt.timedelta(days=2)):
        scan.run()
    assert told(Kind.HAZARD_ESCALATED, done) == {}
    assert told(Kind.HAZARD_ESCALATED, late) == {"dh_a": 1}

    type(late).objects.filter(pk=late.pk).update(deadline=late.deadline + dt.timedelta(days=10))
    late.refresh_from_db()
    with on(late.deadline + dt.timedelta(days=1)):
        scan.run()
    assert told(Kind.HAZARD_ESCALATED, late) == {"dh_a": 2}  # once for each deadline


def test_the_thresholds_are_editable_and_must_rise(people):
    w = people
    steps = services.escalation_save(
        by=w.admin, days={"department_head": 2, "safety_officer": 5, "principal": 10, "regulator": 20}
    )
    assert [s.days for s in steps] == [2, 5, 10, 20]
    assert scan.ladder() == [(2, "department_head"), (5, "safety_officer"), (10, "principal"), (20, "regulator")]

    with pytest.raises(DomainError) as refused:
        services.escalation_save(by=w.admin, days={"safety_officer": 12})
    assert "上一级的天数须多于下一级" in str(refused.value.message)
    assert scan.ladder()[1] == (5, "safety_officer")  # nothing changed

    hazard = open_hazard(w.officer_a, w.hospital_a, deadline_in=1, department=w.dept_a)
    with on(hazard.deadline + dt.timedelta(days=1)):
        scan.run()
    assert told(Kind.HAZARD_ESCALATED, hazard) == {}  # the department head's rung is now 2 days
    with on(hazard.deadline + dt.timedelta(days=2)):
        scan.run()
    assert told(Kind.HAZARD_ESCALATED, hazard) == {"dh_a": 1}


def test_a_supervision_past_its_deadline_reaches_the_principal_and_the_regulator(people):
    w = people
    from anjian.hazards.choices import HazardLevel
    from anjian.notifications.tests.helpers import supervise

    hazard = open_hazard(w.officer_a, w.hospital_a, level=HazardLevel.MAJOR, deadline_in=30)
    supervise(hazard, w.regulator_a, days=3)
    with on(timezone.localdate() + dt.timedelta(days=5)):
        scan.run()
        scan.run()
    assert told(Kind.SUPERVISION_OVERDUE, hazard) == {"head_a": 1, "reg_a": 1}


def test_a_second_run_writes_nothing_and_its_queries_do_not_grow_with_the_hazards(people):
    """Each run asks for every open hazard's people as they are now (someone may have been named
    since), from one query per batch of institutions: a run that finds nothing new costs the same
    for two overdue hazards as for six."""
    w = people
    day = timezone.localdate() + dt.timedelta(days=5)

    def second_run(count: int) -> int:
        for i in range(count):
            open_hazard(
                w.officer_a, w.hospital_a, deadline_in=1, responsible=w.staff_a, department=w.dept_a, title=f"隐患{i}"
            )
        with on(day):
            scan.run()
            with CaptureQueriesContext(connection) as queries:
                result = scan.run()
        assert result.written == 0
        return len(queries)

    few = second_run(2)
    many = second_run(4)
    assert many == few
    assert Notification.objects.filter(kind=Kind.HAZARD_OVERDUE, recipient=w.staff_a).count() == 6


def test_a_person_named_later_is_told_once_and_nobody_twice(people, receiver):
    """The rectification person changed after the due-soon notice: the new one is told of the task
    and of the deadline, once; the first is not told again. A department head appointed after the
    ladder's first rung reaches them too; the hospital's group hears of each event once."""
    w = people
    services.channel_create(
        by=w.officer_a,
        organization=w.hospital_a,
        data={"kind": "wecom", "name": "安全生产群", "url": f"{receiver.url}/send?key=k"},
    )
    nurse = f.make_user(
        organization=w.hospital_a, role=Role.STAFF, username="staff_a2", name="甲护士二", department=w.dept_a
    )
    for person, email in ((w.staff_a, "staff_a@example.org"), (nurse, "staff_a2@example.org")):
        person.email = email
        person.save(update_fields=["email"])
    hazard = open_hazard(w.officer_a, w.hospital_a, deadline_in=2, responsible=w.staff_a, department=w.dept_a)
    scan.run()
    assert told(Kind.HAZARD_DUE_SOON, hazard) == {"staff_a": 1}

    hazard_services.hazard_change_plan(hazard=hazard, by=w.officer_a, plan={"responsible": nurse}, reason="人员调整")
    scan.run()
    scan.run()
    # confirmed: the nurse and the department head; the change of plan: the new nurse only
    assert told(Kind.HAZARD_ASSIGNED, hazard) == {"staff_a": 1, "dh_a": 1, "staff_a2": 1}
    assert told(Kind.HAZARD_DUE_SOON, hazard) == {"staff_a": 1, "staff_a2": 1}

    with on(hazard.deadline + dt.timedelta(days=1)):
        scan.run()
        assert told(Kind.HAZARD_OVERDUE, hazard) == {"staff_a2": 1}
        assert told(Kind.HAZARD_ESCALATED, hazard) == {"dh_a": 1}
        f.make_user(
            organization=w.hospital_a,
            role=Role.DEPARTMENT_HEAD,
            username="dh_a2",
            name="甲科新主任",
            department=w.dept_a,
        )
        scan.run()
        scan.run()
    assert told(Kind.HAZARD_ESCALATED, hazard) == {"dh_a": 1, "dh_a2": 1}
    assert told(Kind.HAZARD_DUE_SOON, hazard) == {"staff_a": 1, "staff_a2": 1}

    # the group channel: one delivery per event, however many of its people were told, and when
    due_soon = Delivery.objects.filter(channel__isnull=False, kind=Kind.HAZARD_DUE_SOON)
    escalated = Delivery.objects.filter(channel__isnull=False, kind=Kind.HAZARD_ESCALATED)
    assert due_soon.count() == 1 and escalated.count() == 1
    # and by email, each person once (their preferences: every kind by email)
    emails = Delivery.objects.filter(medium="email", kind=Kind.HAZARD_DUE_SOON)
    assert sorted(emails.values_list("recipient__username", flat=True)) == ["staff_a", "staff_a2"]
