"""The inbox: each person sees only their own messages, marks them read, follows the link to the
object; the bell counts the unread. The API: ``GET /api/v1/notifications/`` (``?unread=1``),
``POST …/{id}/read/``, channels (the secret never answered in full), preferences."""

import pytest
from django.urls import reverse
from lxml import html

from anjian.core.models import AuditEvent
from anjian.core.testing.factories import api_client
from anjian.hazards.choices import HazardLevel
from anjian.notifications import dispatch, services
from anjian.notifications.choices import Kind
from anjian.notifications.models import Channel, Notification
from anjian.notifications.tests.helpers import open_hazard

pytestmark = pytest.mark.django_db


def _news(w):
    """A major hazard reported at hospital_a: its principal, officer and regulator are told."""
    hazard = open_hazard(w.officer_a, w.hospital_a, level=HazardLevel.MAJOR, responsible=w.staff_a, title="燃气泄漏")
    dispatch.dispatch_pending()
    return hazard


def test_a_major_hazard_reported_reaches_the_principal_and_the_regulator_not_the_reporter(people):
    w = people
    hazard = _news(w)

    reported = Notification.objects.filter(kind=Kind.MAJOR_HAZARD_REPORTED)
    assert sorted(n.recipient.username for n in reported) == ["head_a", "reg_a"]  # not officer_a, who reported it
    assigned = Notification.objects.get(kind=Kind.HAZARD_ASSIGNED)
    assert assigned.recipient == w.staff_a and hazard.number in assigned.title
    assert not Notification.objects.filter(recipient__organization__in=[w.hospital_b, w.district_b]).exists()


def test_the_inbox_lists_ones_own_and_following_the_link_marks_it_read(people, client):
    w = people
    hazard = _news(w)
    client.force_login(w.head_a)

    page = html.fromstring(client.get(reverse("notifications:inbox")).content)
    items = page.xpath('//*[@data-testid="notification"]')
    assert len(items) == 1 and hazard.number in items[0].text_content()
    assert page.xpath('//*[@data-testid="notification-unread"]')[0].text_content().strip() == "1"

    item = Notification.objects.get(recipient=w.head_a)
    assert page.xpath(f'//form[@action="{reverse("notifications:open", args=[item.pk])}"][@method="post"]')
    assert client.get(reverse("notifications:open", args=[item.pk])).status_code == 405  # a link preview
    item.refresh_from_db()
    assert not item.is_read
    assert page.xpath('//*[@data-testid="notification-unread"]')[0].text_content().strip() == "1"
    response = client.post(reverse("notifications:open", args=[item.pk]))
    assert response.status_code == 302 and response["Location"] == f"/hazards/{hazard.pk}/"
    item.refresh_from_db()
    assert item.is_read
    page = html.fromstring(client.get(reverse("notifications:inbox") + "?unread=1").content)
    assert page.xpath('//*[@data-testid="inbox-empty"]') and not page.xpath('//*[@data-testid="notification-unread"]')

    others = Notification.objects.get(recipient=w.regulator_a)
    assert client.get(reverse("notifications:open", args=[others.pk])).status_code == 405
    assert client.post(reverse("notifications:open", args=[others.pk])).status_code == 404
    others.refresh_from_db()
    assert not others.is_read


def test_the_api_lists_the_unread_and_marks_read(people, django_assert_max_num_queries):
    w = people
    _news(w)
    api = api_client(w.staff_a)

    with django_assert_max_num_queries(4):
        body = api.get("/api/v1/notifications/?unread=1").json()
    assert body["count"] == 1 and body["results"][0]["kind"] == Kind.HAZARD_ASSIGNED
    pk = body["results"][0]["id"]

    answer = api.post(f"/api/v1/notifications/{pk}/read/")
    assert answer.status_code == 200 and answer.json()["is_read"]
    assert api.get("/api/v1/notifications/?unread=1").json()["count"] == 0
    assert api.get("/api/v1/notifications/").json()["count"] == 1

    someone_elses = Notification.objects.get(recipient=w.head_a)
    assert api.post(f"/api/v1/notifications/{someone_elses.pk}/read/").status_code == 404
    assert api_client(w.officer_b).get(f"/api/v1/notifications/{pk}/").status_code == 404


def test_mark_all_read(people, client):
    w = people
    _news(w)
    client.force_login(w.regulator_a)
    client.post(reverse("notifications:read-all"))
    assert not Notification.objects.filter(recipient=w.regulator_a, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=w.head_a, read_at__isnull=True).exists()  # only one's own


def test_channels_api_never_answers_the_secret_in_full(people):
    w = people
    api = api_client(w.officer_a)
    url = "https://oapi.dingtalk.com/robot/send?access_token=abcdef1234567890abcdef"
    secret = "SEC0123456789abcdef0123456789"

    created = api.post(
        "/api/v1/notification-channels/",
        {"kind": "dingtalk", "name": "安全群", "url": url, "secret": secret},
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["organization"] == w.hospital_a.pk and body["has_secret"]
    assert secret not in str(body) and "abcdef1234567890abcdef" not in str(body)
    assert body["secret"].startswith("SEC") and "****" in body["secret"]  # core.crypto.mask: 3 shown in front
    listed = api.get("/api/v1/notification-channels/").json()
    assert listed["count"] == 1 and secret not in str(listed)
    event = AuditEvent.objects.filter(verb="notification_channel.created").latest("pk")
    assert secret not in str(event.changes) and "abcdef1234567890abcdef" not in str(event.changes)

    renamed = api.patch(f"/api/v1/notification-channels/{body['id']}/", {"name": "院安全群"}, format="json")
    assert renamed.status_code == 200
    assert Channel.objects.get().signing_secret == secret  # an edit without the secret keeps it

    off = api.post(f"/api/v1/notification-channels/{body['id']}/deactivate/", {"note": "换群"}, format="json")
    assert off.status_code == 200 and not off.json()["is_active"]
    assert api_client(w.officer_b).get(f"/api/v1/notification-channels/{body['id']}/").status_code == 404
    assert api_client(w.staff_a).get("/api/v1/notification-channels/").status_code == 403


def test_a_webhook_pointing_inside_the_network_is_refused(people):
    w = people
    api = api_client(w.officer_a)

    answer = api.post(
        "/api/v1/notification-channels/",
        {"kind": "wecom", "name": "内网", "url": "http://10.0.0.5:8080/admin"},
        format="json",
    )
    assert answer.status_code == 400 and "url" in answer.json()["errors"]
    bad_mail = api.post(
        "/api/v1/notification-channels/", {"kind": "email", "name": "邮箱", "url": "not-an-address"}, format="json"
    )
    assert bad_mail.status_code == 400 and "邮箱" in bad_mail.json()["detail"]
    assert not Channel.objects.exists()


def test_preferences_api_reads_and_saves_ones_own(people):
    w = people
    api = api_client(w.staff_a)
    defaults = api.get("/api/v1/notification-preferences/").json()
    assert Kind.HAZARD_ASSIGNED in defaults["email_kinds"] and defaults["quiet_start"] is None

    saved = api.put(
        "/api/v1/notification-preferences/",
        {"sms_kinds": ["hazard_assigned"], "quiet_start": "22:00", "quiet_end": "07:00"},
        format="json",
    )
    assert saved.status_code == 200
    assert saved.json()["sms_kinds"] == ["hazard_assigned"] and saved.json()["quiet_start"] == "22:00"

    half = api.put("/api/v1/notification-preferences/", {"quiet_start": None}, format="json")
    assert half.status_code == 400
    unknown = api.put("/api/v1/notification-preferences/", {"email_kinds": ["nonsense"]}, format="json")
    assert unknown.status_code == 400
    assert api.get("/api/v1/notification-preferences/").json()["quiet_start"] == "22:00"


def test_a_hazard_raised_to_major_reaches_the_principal_and_the_regulator(people):
    from anjian.hazards import services as hazard_services
    from anjian.hazards.tests.helpers import criterion

    w = people
    hazard = open_hazard(w.officer_a, w.hospital_a, responsible=w.staff_a, title="配电柜接地失效")
    dispatch.dispatch_pending()
    hazard_services.hazard_reclassify(
        hazard=hazard, by=w.officer_a, level=HazardLevel.MAJOR, reason="经判定为重大隐患", criterion=criterion()
    )
    dispatch.dispatch_pending()

    raised = Notification.objects.filter(kind=Kind.MAJOR_HAZARD_REPORTED, target_id=str(hazard.pk))
    assert sorted(n.recipient.username for n in raised) == ["head_a", "reg_a"]


def test_a_channel_for_another_institution_is_refused_on_its_field(people):
    w = people
    answer = api_client(w.regulator_a).post(
        "/api/v1/notification-channels/",
        {"kind": "email", "name": "乙院邮箱", "url": "b@example.org", "organization": w.hospital_b.pk},
        format="json",
    )
    assert answer.status_code == 400 and "organization" in answer.json()["errors"]
    made = api_client(w.regulator_a).post(
        "/api/v1/notification-channels/",
        {"kind": "email", "name": "甲院邮箱", "url": "a@example.org", "organization": w.hospital_a.pk},
        format="json",
    )
    assert made.status_code == 201 and made.json()["organization"] == w.hospital_a.pk
    assert list(Channel.objects.values_list("organization", flat=True)) == [w.hospital_a.pk]


def test_a_regulators_visible_to_is_its_own_inbox_not_its_jurisdictions(people):
    w = people
    _news(w)
    assert Notification.objects.filter(recipient=w.head_a).exists()

    assert set(Notification.objects.visible_to(w.regulator_a).values_list("recipient", flat=True)) <= {w.regulator_a.pk}
    assert not Notification.objects.visible_to(w.admin).exclude(recipient=w.admin).exists()
    assert list(Notification.objects.visible_to(w.head_a)) == list(Notification.objects.filter(recipient=w.head_a))


def test_a_channels_webhook_url_and_secret_are_encrypted_at_rest(people):
    from anjian.notifications.forms import ChannelEditForm, ChannelForm

    w = people
    url = "https://oapi.dingtalk.com/robot/send?access_token=token-of-a-0123456789"
    channel = services.channel_create(
        by=w.officer_a,
        organization=w.hospital_a,
        data={"kind": "dingtalk", "name": "群", "url": url, "secret": "SEC-signing-secret-0001"},
    )
    raw_url, raw_secret = Channel.objects.filter(pk=channel.pk).values_list("url", "secret").get()
    assert "token-of-a" not in raw_url and "signing-secret" not in raw_secret
    channel.refresh_from_db()
    assert channel.webhook_url == url and channel.signing_secret == "SEC-signing-secret-0001"
    for form in (ChannelForm, ChannelEditForm):
        widget = form().fields["secret"].widget
        assert widget.input_type == "password" and widget.render_value is False
