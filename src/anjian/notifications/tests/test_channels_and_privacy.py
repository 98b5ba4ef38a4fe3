"""Each medium's format and signature (DingTalk's signed URL, Feishu's signed body, email, SMS), a
person's preferences and quiet hours, and a tip-off's reporter never named in a message."""

import base64
import datetime as dt
import hashlib
import hmac
import json
from urllib.parse import unquote_plus
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from anjian.hazards.choices import HazardLevel, HazardSource
from anjian.hazards.tests.helpers import report
from anjian.notifications import dispatch, services
from anjian.notifications.choices import DeliveryStatus, Kind, Medium
from anjian.notifications.models import Delivery, Notification
from anjian.notifications.tests.helpers import committed, open_hazard, run_worker

pytestmark = pytest.mark.django_db


def test_dingtalk_posts_are_signed_as_dingtalk_checks_them(people, receiver):
    w = people
    secret = "SECdemo0123456789abcdef"
    services.channel_create(
        by=w.officer_a,
        organization=w.hospital_a,
        data={
            "kind": "dingtalk",
            "name": "钉钉群",
            "url": f"{receiver.url}/robot/send?access_token=t0k",
            "secret": secret,
        },
    )
    hazard = open_hazard(w.officer_a, w.hospital_a, responsible=w.staff_a, title="电缆老化")
    committed(dispatch.dispatch_pending)
    run_worker()

    assert len(receiver.posts) == 1  # one message (the assignment) to one channel
    post = receiver.posts[0]
    timestamp = post["query"]["timestamp"][0]
    expected = base64.b64encode(hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest())
    assert post["query"]["sign"][0] == expected.decode()  # parse_qs has decoded the URL-encoding once
    assert post["query"]["access_token"] == ["t0k"]
    assert post["json"]["msgtype"] == "markdown" and hazard.number in post["json"]["markdown"]["text"]


def test_feishu_body_is_signed(people, receiver):
    w = people
    secret = "feishu-secret"
    services.channel_create(
        by=w.officer_a,
        organization=w.hospital_a,
        data={"kind": "feishu", "name": "飞书群", "url": f"{receiver.url}/open-apis/bot/v2/hook/x", "secret": secret},
    )
    hazard = open_hazard(w.officer_a, w.hospital_a, responsible=w.staff_a)
    committed(dispatch.dispatch_pending)
    run_worker()

    [post] = receiver.posts
    body = post["json"]
    key = f"{body['timestamp']}\n{secret}".encode()
    assert body["sign"] == base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()
    assert body["msg_type"] == "text" and hazard.number in body["content"]["text"]


def test_email_and_sms_follow_the_persons_choices(people, caplog):
    w = people
    w.staff_a.email, w.staff_a.phone = "staff@example.org", "13900000000"
    w.staff_a.save(update_fields=["email", "phone"])
    services.preference_save(
        by=w.staff_a, data={"email_kinds": [Kind.HAZARD_ASSIGNED], "sms_kinds": [Kind.HAZARD_ASSIGNED]}
    )
    hazard = open_hazard(w.officer_a, w.hospital_a, responsible=w.staff_a, title="配电室漏水")

    committed(dispatch.dispatch_pending)
    with caplog.at_level("INFO", logger="anjian.notifications.senders"):
        run_worker()

    [message] = mail.outbox
    assert message.to == ["staff@example.org"] and hazard.number in message.subject
    assert f"https://anjian.example.org/hazards/{hazard.pk}/" in message.body
    assert any("13900000000" in r.getMessage() and hazard.number in r.getMessage() for r in caplog.records)
    assert set(Delivery.objects.filter(recipient=w.staff_a).values_list("medium", "status")) == {
        (Medium.EMAIL, DeliveryStatus.SENT),
        (Medium.SMS, DeliveryStatus.SENT),
    }


def test_quiet_hours_hold_the_push_until_they_end(people):
    w = people
    w.staff_a.email = "staff@example.org"
    w.staff_a.save(update_fields=["email"])
    services.preference_save(by=w.staff_a, data={"quiet_start": dt.time(22, 0), "quiet_end": dt.time(7, 0)})
    tz = ZoneInfo("Asia/Shanghai")
    open_hazard(w.officer_a, w.hospital_a, responsible=w.staff_a)
    night = dt.datetime.combine(timezone.localdate(), dt.time(23, 30), tzinfo=tz)  # tonight

    with time_machine.travel(night, tick=False):
        committed(dispatch.dispatch_pending)
        run_worker()
        assert mail.outbox == []
        assert Notification.objects.filter(recipient=w.staff_a).exists()  # the inbox does not wait
        held = Delivery.objects.get(recipient=w.staff_a, medium=Medium.EMAIL)
        assert timezone_local(held.next_attempt_at) == night.replace(hour=7, minute=0) + dt.timedelta(days=1)
    with time_machine.travel(night + dt.timedelta(hours=8), tick=False):
        run_worker()
    assert len(mail.outbox) == 1


def timezone_local(value):
    return value.astimezone(ZoneInfo("Asia/Shanghai"))


def test_a_tip_offs_reporter_is_never_in_a_message(people, receiver):
    w = people
    services.channel_create(
        by=w.officer_a,
        organization=w.hospital_a,
        data={"kind": "wecom", "name": "安全群", "url": f"{receiver.url}/send?key=k"},
    )
    hazard = report(
        w.officer_a,
        w.hospital_a,
        level=HazardLevel.MAJOR,
        title="锅炉房堆放易燃物",
        source=HazardSource.TIP_OFF,
        found_by_name="举报人王小明",
        description="举报人王小明（电话13812345678）反映锅炉房堆放易燃物",
        source_reference="JB-2026-001",
    )
    committed(dispatch.dispatch_pending)
    run_worker()

    texts = [n.title + n.body for n in Notification.objects.all()]
    texts += [json.dumps(p["json"], ensure_ascii=False) for p in receiver.posts]
    texts += [d.title + d.body for d in Delivery.objects.all()]
    assert texts and all(hazard.number in t for t in texts)
    for text in texts:
        assert "王小明" not in text and "13812345678" not in text and "举报人" not in unquote_plus(text)


def test_aliyun_sms_is_signed_as_aliyun_checks_it(people, receiver, settings):
    from urllib.parse import quote

    settings.SMS_PROVIDER = "anjian.notifications.senders.AliyunSmsProvider"
    settings.ALIYUN_SMS_ACCESS_KEY_ID = "LTAItestkey"
    settings.ALIYUN_SMS_ACCESS_KEY_SECRET = "test-secret"
    settings.ALIYUN_SMS_SIGN_NAME = "安监平台"
    settings.ALIYUN_SMS_TEMPLATE_CODE = "SMS_000001"
    settings.ALIYUN_SMS_ENDPOINT = receiver.url
    w = people
    w.staff_a.phone = "13900000001"
    w.staff_a.save(update_fields=["phone"])
    services.preference_save(by=w.staff_a, data={"email_kinds": [], "sms_kinds": [Kind.HAZARD_ASSIGNED]})
    hazard = open_hazard(w.officer_a, w.hospital_a, responsible=w.staff_a)
    committed(dispatch.dispatch_pending)
    run_worker()

    [request] = receiver.posts
    q = {k: v[0] for k, v in request["query"].items()}
    assert q["Action"] == "SendSms" and q["PhoneNumbers"] == "13900000001" and q["TemplateCode"] == "SMS_000001"
    assert hazard.number in json.loads(q["TemplateParam"])["content"]
    # Aliyun's check: the other parameters sorted and percent-encoded, "GET&%2F&…", HMAC-SHA1 with "secret&"
    params = {k: v for k, v in q.items() if k != "Signature"}
    enc = lambda value: quote(value, safe="~")  # noqa: E731
    canonical = "&".join(f"{enc(k)}={enc(v)}" for k, v in sorted(params.items()))
    digest = hmac.new(b"test-secret&", f"GET&%2F&{enc(canonical)}".encode(), hashlib.sha1).digest()
    assert q["Signature"] == base64.b64encode(digest).decode()
    assert Delivery.objects.get(medium=Medium.SMS).status == DeliveryStatus.SENT


def test_the_daily_digest_gathers_the_days_emails_into_one_each_morning(people):
    w = people
    w.staff_a.email = "staff@example.org"
    w.staff_a.save(update_fields=["email"])
    services.preference_save(by=w.staff_a, data={"daily_digest": True})
    first = open_hazard(w.officer_a, w.hospital_a, responsible=w.staff_a, title="楼梯扶手松动")
    second = open_hazard(w.officer_a, w.hospital_a, responsible=w.staff_a, title="灭火器压力不足")
    committed(dispatch.dispatch_pending)
    run_worker()
    assert mail.outbox == []  # not one email per message
    assert Notification.objects.filter(recipient=w.staff_a).count() == 2

    tz = ZoneInfo("Asia/Shanghai")
    morning = dt.datetime.combine(timezone.localdate() + dt.timedelta(days=1), dt.time(8, 5), tzinfo=tz)
    with time_machine.travel(morning, tick=False):
        from anjian.notifications import scan

        committed(scan.run)
        committed(scan.run)  # twice, or on two hosts: one digest
        run_worker()
    [digest] = mail.outbox
    assert digest.to == ["staff@example.org"] and "2 条未读" in digest.subject
    assert first.number in digest.body and second.number in digest.body
