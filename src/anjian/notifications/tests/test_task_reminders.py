"""Key tasks of an action plan (重点任务) by action_plans' own rules: due soon and overdue reach the
responsible unit's leaders once per deadline, found by the scan."""

import datetime as dt

import pytest
from django.utils import timezone

from anjian.action_plans import services as plan_services
from anjian.notifications import scan
from anjian.notifications.choices import Kind
from anjian.notifications.models import Notification

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]


def test_a_unit_is_told_of_a_task_due_soon_and_overdue_once(people):
    w = people
    today = timezone.localdate()
    plan = plan_services.plan_create(
        by=w.regulator_a, data={"title": "安全生产治本攻坚", "document_number": "甲卫〔2026〕9号"}
    )
    for number, days in (("1", 5), ("2", -3), ("3", 90)):
        plan_services.task_create(
            by=w.regulator_a,
            plan=plan,
            data={"number": number, "content": f"任务{number}", "deadline": today + dt.timedelta(days=days)},
            named_units=[w.hospital_a],
        )

    scan.run()
    scan.run()

    soon = Notification.objects.filter(kind=Kind.TASK_DUE_SOON)
    late = Notification.objects.filter(kind=Kind.TASK_OVERDUE)
    assert sorted(n.recipient.username for n in soon) == ["deputy_a", "head_a", "officer_a"]
    assert sorted(n.recipient.username for n in late) == ["deputy_a", "head_a", "officer_a"]
    message = late.get(recipient=w.head_a)
    assert (
        message.title.startswith("【重点任务逾期】2 ")
        and "甲卫〔2026〕9号" in message.body
        and "已逾期 3 天" in message.body
    )
    tasks = [Kind.TASK_DUE_SOON, Kind.TASK_OVERDUE]
    assert not Notification.objects.filter(recipient__organization=w.hospital_b, kind__in=tasks).exists()
