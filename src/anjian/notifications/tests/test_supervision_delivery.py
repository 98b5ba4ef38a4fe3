"""挂牌督办 reaches the hospital's WeCom group through the worker, once, in WeCom's message format
with the hazard's number; the principal's inbox and bell show it. With the group's robot down the
message is kept, retried with back-off and delivered once it is up: never twice."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from lxml import html

from anjian.core.testing.factories import api_client
from anjian.hazards.choices import HazardLevel
from anjian.notifications import delivery, dispatch, services
from anjian.notifications.choices import DeliveryStatus, Kind
from anjian.notifications.models import Delivery, Notification
from anjian.notifications.tests.helpers import Receiver, open_hazard, run_worker, supervise

pytestmark = pytest.mark.django_db


def _major_hazard_with_a_wecom_group(w, url):
    """A major hazard of hospital_a whose earlier news (reported, assigned) its people have read,
    and the hospital's WeCom group robot at ``url``."""
    hazard = open_hazard(w.officer_a, w.hospital_a, level=HazardLevel.MAJOR, title="液氧站安全阀失效")
    dispatch.dispatch_pending()
    Notification.objects.update(read_at=timezone.now())
    channel = services.channel_create(
        by=w.officer_a,
        organization=w.hospital_a,
        data={"kind": "wecom", "name": "安全生产群", "url": f"{url}/cgi-bin/webhook/send?key=test-key-0001"},
    )
    return hazard, channel


def test_supervision_posts_once_to_the_hospitals_wecom_group_and_reaches_the_principal(
    people, receiver, client, django_capture_on_commit_callbacks
):
    w = people
    hazard, _channel = _major_hazard_with_a_wecom_group(w, receiver.url)

    with django_capture_on_commit_callbacks(execute=True):  # the service's commit queues the dispatch
        supervise(hazard, w.regulator_a)
    run_worker()

    assert len(receiver.posts) == 1
    post = receiver.posts[0]
    assert post["path"] == "/cgi-bin/webhook/send" and post["query"] == {"key": ["test-key-0001"]}
    assert post["json"]["msgtype"] == "markdown"
    content = post["json"]["markdown"]["content"]
    assert hazard.number in content and "挂牌督办" in content and "液氧站安全阀失效" in content
    assert "甲督〔2026〕7号" in content and hazard.deadline.isoformat() in content
    assert f"https://anjian.example.org/hazards/{hazard.pk}/" in content

    unread = api_client(w.head_a).get("/api/v1/notifications/?unread=1").json()
    assert unread["count"] == 1
    [item] = unread["results"]
    assert item["kind"] == Kind.HAZARD_SUPERVISED and hazard.number in item["title"]
    client.force_login(w.head_a)
    bell = html.fromstring(client.get(reverse("notifications:inbox")).content).xpath(
        '//*[@data-testid="notification-unread"]'
    )
    assert [b.text_content().strip() for b in bell] == ["1"]

    run_worker()  # the worker again, and the dispatch again: nothing is sent twice
    dispatch.dispatch_pending()
    run_worker()
    assert len(receiver.posts) == 1
    assert Notification.objects.filter(recipient=w.head_a, read_at__isnull=True).count() == 1


def test_a_channel_that_is_down_gets_the_message_once_it_is_up(people, django_capture_on_commit_callbacks):
    w = people
    down = Receiver(start=False)  # the port is chosen, nobody listens yet
    try:
        hazard, channel = _major_hazard_with_a_wecom_group(w, down.url)
        with django_capture_on_commit_callbacks(execute=True):
            supervise(hazard, w.regulator_a)
        run_worker()

        sent = Delivery.objects.get(channel=channel)
        assert sent.status == DeliveryStatus.PENDING and sent.attempts == 1
        assert "无法连接" in sent.last_error
        [failure] = sent.log.all()
        assert not failure.ok and "无法连接" in failure.detail
        first_retry = sent.next_attempt_at
        assert first_retry == failure.at + delivery.BACKOFF[0]

        down.start()
        run_worker()  # the retry is not due yet
        assert down.posts == []

        with time_machine.travel(first_retry + dt.timedelta(seconds=5), tick=False):
            run_worker()
            delivery.deliver.enqueue(sent.pk)  # a duplicate job (a second worker, a requeue)
            run_worker()
            assert delivery.attempt(sent.pk) == "skipped"

        assert len(down.posts) == 1 and hazard.number in down.posts[0]["json"]["markdown"]["content"]
        sent.refresh_from_db()
        assert sent.status == DeliveryStatus.SENT and sent.attempts == 2
        assert [a.ok for a in sent.log.all()] == [False, True]
    finally:
        down.stop()


def test_a_robot_refusing_the_message_is_logged_and_retried(people, django_capture_on_commit_callbacks, monkeypatch):
    w = people
    hazard, channel = _major_hazard_with_a_wecom_group(w, "https://qyapi.weixin.qq.com")

    def refuse(url, payload):
        raise delivery.senders.SendError("接口返回错误 93000：invalid webhook url")

    monkeypatch.setattr(delivery.senders, "post_json", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        supervise(hazard, w.regulator_a)
    run_worker()

    sent = Delivery.objects.get(channel=channel)
    assert sent.status == DeliveryStatus.PENDING and "93000" in sent.last_error
    sent.attempts = delivery.MAX_ATTEMPTS - 1
    sent.next_attempt_at = timezone.now()
    sent.save()
    assert delivery.attempt(sent.pk) == "failed"
    sent.refresh_from_db()
    assert sent.status == DeliveryStatus.FAILED and sent.log.count() == 2  # kept, with why


def test_a_robot_gets_no_more_than_its_quota_a_minute(
    people, receiver, monkeypatch, django_capture_on_commit_callbacks
):
    from anjian.notifications.models import DeliveryAttempt

    monkeypatch.setattr(delivery, "RATE_LIMIT", 2)
    w = people
    services.channel_create(
        by=w.officer_a,
        organization=w.hospital_a,
        data={"kind": "wecom", "name": "群", "url": f"{receiver.url}/s?key=k"},
    )
    for i in range(3):
        open_hazard(w.head_a, w.hospital_a, responsible=w.staff_a, title=f"隐患{i}")
    with django_capture_on_commit_callbacks(execute=True) as queued:
        dispatch.dispatch_pending()
    total = Delivery.objects.count()
    assert len(queued) == total  # each delivery's task queued once the dispatch committed
    assert total == 6  # reported (to the officer) and assigned (to the nurse), three times: one post each

    run_worker()
    assert len(receiver.posts) == 2  # the rest wait their minute, without counting as failed attempts
    waiting = Delivery.objects.filter(status=DeliveryStatus.PENDING)
    assert waiting.count() == 4 and not DeliveryAttempt.objects.filter(delivery__in=waiting).exists()
    assert {d.attempts for d in waiting} == {0}

    clock = timezone.now()
    for minute in (1, 2):
        with time_machine.travel(clock + dt.timedelta(minutes=minute, seconds=5), tick=False):
            run_worker()
        assert len(receiver.posts) == 2 + 2 * minute
    assert Delivery.objects.filter(status=DeliveryStatus.SENT).count() == total
