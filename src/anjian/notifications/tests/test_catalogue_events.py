"""The rest of the catalogue: notices issued and issued again, a supervision's deadline drawing near,
a standing task's progress report owed by its rhythm; and the one list of names: the channel kinds
are the media a group may have (never SMS), and a message's headline is its kind's name, the one
the preferences page offers."""

import datetime as dt
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from lxml import html

from anjian.action_plans import services as plan_services
from anjian.action_plans.models import Assignment, Task
from anjian.core.testing.factories import api_client
from anjian.hazards.choices import HazardLevel
from anjian.notifications import dispatch, scan
from anjian.notifications.choices import Kind
from anjian.notifications.models import Channel, Notification
from anjian.notifications.tests.helpers import open_hazard, supervise
from anjian.reports import services as report_services

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def on(day: dt.date):
    return time_machine.travel(dt.datetime.combine(day, dt.time(10, 0), tzinfo=SHANGHAI), tick=False)


def told(kind) -> Counter:
    return Counter(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def test_a_notice_and_its_new_version_each_reach_the_institutions_leaders_once(people):
    w = people
    hazard = open_hazard(w.officer_a, w.hospital_a, responsible=w.staff_a, title="配电室漏水")
    notice = report_services.notice_issue(kind="rectification", target=hazard, by=w.regulator_a)
    dispatch.dispatch_pending()
    dispatch.dispatch_pending()
    assert told(Kind.NOTICE_ISSUED) == {"head_a": 1, "officer_a": 1}
    item = Notification.objects.get(kind=Kind.NOTICE_ISSUED, recipient=w.head_a)
    assert item.title == f"【收到通知书】{notice.number} {notice.title}"
    assert "隐患整改通知书" in item.body and f"整改期限：{hazard.deadline.isoformat()}" in item.body
    assert item.url == f"/reports/notices/{notice.pk}/"

    later = timezone.localdate() + dt.timedelta(days=40)
    second = report_services.notice_reissue(notice=notice, by=w.regulator_a, reason="延长整改期限", deadline=later)
    dispatch.dispatch_pending()
    assert told(Kind.NOTICE_ISSUED) == {"head_a": 2, "officer_a": 2}
    new = Notification.objects.get(kind=Kind.NOTICE_ISSUED, recipient=w.head_a, target_id=str(second.pk))
    assert second.number in new.title and f"第2版，取代 {notice.number}（延长整改期限）" in new.body


@pytest.mark.calendar
def test_a_supervisions_deadline_drawing_near_reaches_the_principal_officer_and_rectifier_once(people):
    w = people
    hazard = open_hazard(w.officer_a, w.hospital_a, level=HazardLevel.MAJOR, responsible=w.staff_a, deadline_in=30)
    supervise(hazard, w.regulator_a, days=10)
    hazard.refresh_from_db()
    with on(hazard.supervision_deadline - dt.timedelta(days=4)):
        scan.run()
    assert told(Kind.SUPERVISION_DUE_SOON) == {}  # not yet: within 3 days
    with on(hazard.supervision_deadline - dt.timedelta(days=2)):
        scan.run()
        scan.run()
    assert told(Kind.SUPERVISION_DUE_SOON) == {"head_a": 1, "officer_a": 1, "staff_a": 1}
    item = Notification.objects.get(kind=Kind.SUPERVISION_DUE_SOON, recipient=w.staff_a)
    assert item.title.startswith(f"【挂牌督办即将到期】{hazard.number}")
    assert "距督办期限还有 2 天" in item.body and "甲督〔2026〕7号" in item.body


@pytest.mark.calendar
def test_a_standing_tasks_progress_owed_by_its_rhythm_is_asked_once_per_report(people):
    w = people
    today = timezone.localdate()
    plan = plan_services.plan_create(by=w.regulator_a, data={"title": "日常安全管理", "start_year": today.year})
    task = plan_services.task_create(
        by=w.regulator_a,
        plan=plan,
        data={"number": "4", "content": "每月开展防火检查", "is_standing": True},
        named_units=[w.hospital_a],
    )
    Task.objects.filter(pk=task.pk).update(rhythm="monthly")  # as the import reads "每月报送" (no form sets it)
    scan.run()
    assert told(Kind.TASK_PROGRESS_DUE) == {}  # the plan is new: nothing owed yet

    with on(today + dt.timedelta(days=32)):
        scan.run()
        scan.run()
    assert told(Kind.TASK_PROGRESS_DUE) == {"head_a": 1, "deputy_a": 1, "officer_a": 1}
    item = Notification.objects.get(kind=Kind.TASK_PROGRESS_DUE, recipient=w.officer_a)
    assert item.title.startswith("【重点任务待报进展】4 ") and "报送频次：每月；上次报告：尚未报告" in item.body

    assignment = Assignment.objects.get(task__plan=plan, organization=w.hospital_a)
    with on(today + dt.timedelta(days=33)):
        plan_services.progress_report(by=w.officer_a, assignment=assignment, text="已开展11月防火检查")
        scan.run()
    assert told(Kind.TASK_PROGRESS_DUE) == {"head_a": 1, "deputy_a": 1, "officer_a": 1}  # reported: nothing owed
    with on(today + dt.timedelta(days=33 + 32)):
        scan.run()
        scan.run()
    assert told(Kind.TASK_PROGRESS_DUE) == {"head_a": 2, "deputy_a": 2, "officer_a": 2}  # the next month's


def test_a_group_channel_is_a_robot_or_a_mailbox_never_sms(people):
    w = people
    answer = api_client(w.officer_a).post(
        "/api/v1/notification-channels/", {"kind": "sms", "name": "短信", "url": "13900000000"}, format="json"
    )
    assert answer.status_code == 400 and "kind" in answer.json()["errors"]
    assert not Channel.objects.exists()


def test_the_preferences_page_names_each_kind_as_its_messages_headline(people, client):
    w = people
    hazard = open_hazard(w.officer_a, w.hospital_a, responsible=w.staff_a, title="安全出口堵塞")
    dispatch.dispatch_pending()
    [item] = Notification.objects.filter(recipient=w.staff_a)
    headline = item.title[1 : item.title.index("】")]
    assert item.title == f"【{headline}】{hazard.number} 安全出口堵塞"

    client.force_login(w.staff_a)
    page = html.fromstring(client.get(reverse("notifications:preferences")).content)
    offered = {label.text_content().strip() for label in page.xpath('//input[@name="email_kinds"]/..')}
    assert headline in offered and Kind(item.kind).label == headline
    assert {str(k.label) for k in Kind} <= offered  # every kind can be chosen
