"""The set-up pages: an institution's channels with the delivery log (the secret never shown in
full), a person's preferences, the escalation ladder (the system administrator's)."""

import pytest
from django.urls import reverse
from lxml import html

from anjian.notifications import dispatch
from anjian.notifications.models import Channel, EscalationStep, Preference
from anjian.notifications.tests.helpers import committed, open_hazard, run_worker

pytestmark = pytest.mark.django_db


def text(response, testid: str) -> str:
    nodes = html.fromstring(response.content).xpath(f'//*[@data-testid="{testid}"]')
    return " ".join(nodes[0].text_content().split()) if nodes else ""


def test_an_officer_adds_a_wecom_robot_and_sees_what_was_sent(people, client, receiver):
    w = people
    client.force_login(w.officer_a)
    key = "0123456789abcdef-wecom-key"
    response = client.post(
        reverse("notifications:channel-create"),
        {"kind": "wecom", "name": "院安全生产群", "url": f"{receiver.url}/cgi-bin/webhook/send?key={key}"},
    )
    assert response.status_code == 302
    channel = Channel.objects.get()
    assert channel.organization == w.hospital_a and channel.created_by == w.officer_a

    hazard = open_hazard(w.head_a, w.hospital_a, responsible=w.staff_a)
    committed(dispatch.dispatch_pending)
    run_worker()

    page = client.get(reverse("notifications:channels"))
    channels = text(page, "channels")
    assert "院安全生产群" in channels and key not in page.content.decode() and "****" in channels
    log = text(page, "deliveries")
    assert hazard.number in log and "已发送" in log

    refused = client.post(
        reverse("notifications:channel-create"),
        {"kind": "wecom", "name": "外部", "url": "https://evil.example.com/hook"},
    )
    assert refused.status_code == 200 and "不是企业微信、钉钉或飞书的群机器人地址" in refused.content.decode()
    assert Channel.objects.count() == 1

    client.post(reverse("notifications:channel-deactivate", args=[channel.pk]), {"note": "换群"})
    channel.refresh_from_db()
    assert not channel.is_active


def test_staff_have_no_channels_page_but_set_their_own_preferences(people, client):
    w = people
    client.force_login(w.staff_a)
    assert client.get(reverse("notifications:channels")).status_code == 403

    response = client.post(
        reverse("notifications:preferences"),
        {"email_kinds": ["hazard_assigned", "hazard_overdue"], "quiet_start": "22:00", "quiet_end": "07:00"},
    )
    assert response.status_code == 302
    pref = Preference.objects.get(user=w.staff_a)
    assert pref.email_kinds == ["hazard_assigned", "hazard_overdue"] and pref.sms_kinds == []
    assert str(pref.quiet_start) == "22:00:00"

    half = client.post(reverse("notifications:preferences"), {"quiet_start": "22:00"})
    assert half.status_code == 200 and "免打扰须同时填写开始和结束时间" in half.content.decode()


def test_only_the_system_administrator_sets_the_ladder(people, client):
    w = people
    client.force_login(w.regulator_a)
    assert client.get(reverse("notifications:escalation")).status_code == 403

    client.force_login(w.admin)
    page = client.get(reverse("notifications:escalation"))
    assert page.status_code == 200
    response = client.post(
        reverse("notifications:escalation"),
        {"department_head": 2, "safety_officer": 4, "principal": 8, "regulator": 16},
    )
    assert response.status_code == 302
    assert dict(EscalationStep.objects.values_list("audience", "days")) == {
        "department_head": 2,
        "safety_officer": 4,
        "principal": 8,
        "regulator": 16,
    }
    wrong = client.post(
        reverse("notifications:escalation"),
        {"department_head": 9, "safety_officer": 4, "principal": 8, "regulator": 16},
    )
    assert wrong.status_code == 200 and "上一级的天数须多于下一级" in wrong.content.decode()
    assert EscalationStep.objects.get(audience="department_head").days == 2
