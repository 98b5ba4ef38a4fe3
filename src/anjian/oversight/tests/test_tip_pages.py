"""The public tip pages and API without login, their abuse guards, and the regulator's pages."""

import io
import json
import zipfile

import pytest
from django.test import Client
from django.urls import reverse

from anjian.hazards.models import HazardCategory
from anjian.oversight import abuse, services
from anjian.oversight.models import Tip
from anjian.oversight.tests.helpers import CONTACT, challenge_fields, gps_jpeg, submit

pytestmark = pytest.mark.django_db


def post_tip(client, org, *, forwarded: str = "", **extra):
    data = {"organization": org.pk, "description": "门诊楼消防通道堆放杂物", **challenge_fields(), **extra}
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}  # what nginx sets
    return client.post(
        reverse("api:public-tip-create"), data=json.dumps(data), content_type="application/json", **headers
    )


def test_the_public_form_takes_a_tip_without_login_and_answers_a_receipt_code(world):
    client = Client()
    page = client.get(reverse("oversight:tip-new") + f"?org={world.hospital_a.pk}")
    assert page.status_code == 200 and world.hospital_a.name in page.content.decode()
    token = page.context["form"].initial["challenge"]
    answer = abuse.solve(abuse.Challenge(page.context["question"], token))
    data = {"organization": world.hospital_a.pk, "description": "消防通道被占用", "contact": CONTACT}
    response = client.post(
        reverse("oversight:tip-new"), {**data, "photos": [gps_jpeg()], "challenge": token, "answer": answer}
    )
    tip = Tip.objects.get()
    assert tip.receipt_code in response.content.decode() and tip.photos.count() == 1
    again = client.post(reverse("oversight:tip-new"), {**data, "challenge": token, "answer": answer})
    assert "已使用过" in again.content.decode() and Tip.objects.count() == 1  # each challenge once


def test_a_wrong_answer_is_refused_and_nothing_is_kept(world):
    response = Client().post(
        reverse("oversight:tip-new"),
        {"organization": world.hospital_a.pk, "description": "消防通道被占用", **challenge_fields(), "answer": "99"},
    )
    assert "验证题答案不正确" in response.content.decode() and not Tip.objects.exists()
    api = post_tip(Client(), world.hospital_a, answer="x")
    assert api.status_code == 400 and "answer" in api.json()["errors"] and not Tip.objects.exists()


def test_the_20th_tip_from_one_address_within_a_minute_is_refused(world):
    client = Client(REMOTE_ADDR="203.0.113.7")
    codes = [post_tip(client, world.hospital_a).status_code for _ in range(19)]
    assert codes == [201] * 19
    twentieth = post_tip(client, world.hospital_a)
    assert twentieth.status_code == 429 and "频繁" in twentieth.json()["detail"]
    assert Tip.objects.count() == 19
    assert post_tip(Client(REMOTE_ADDR="203.0.113.8"), world.hospital_a).status_code == 201  # others still may
    page = client.post(reverse("oversight:tip-new"), {"organization": world.hospital_a.pk})
    assert page.status_code == 429 and Tip.objects.count() == 20


def test_behind_a_trusted_proxy_each_forwarded_client_has_its_own_limit(world, settings):
    """nginx in front (TRUSTED_PROXIES): every request comes from its address, the client's is in
    X-Forwarded-For; without the setting all the district's people would share one limit."""
    settings.TRUSTED_PROXIES = ["10.0.0.5"]
    nginx = Client(REMOTE_ADDR="10.0.0.5")
    first = [post_tip(nginx, world.hospital_a, forwarded="198.51.100.1") for _ in range(20)]
    assert [r.status_code for r in first] == [201] * 19 + [429]
    assert post_tip(nginx, world.hospital_a, forwarded="198.51.100.2").status_code == 201
    page = nginx.post(
        reverse("oversight:tip-new"), {"organization": world.hospital_a.pk}, HTTP_X_FORWARDED_FOR="198.51.100.1"
    )
    assert page.status_code == 429 and Tip.objects.count() == 20


def test_a_spoofed_forwarded_header_from_an_untrusted_client_is_ignored(world, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.5"]
    client = Client(REMOTE_ADDR="203.0.113.7")  # not the proxy: a new header each time changes nothing
    codes = [post_tip(client, world.hospital_a, forwarded=f"198.51.100.{i}").status_code for i in range(20)]
    assert codes == [201] * 19 + [429] and Tip.objects.count() == 19
    settings.TRUSTED_PROXIES = []  # the default: the header is never read, not even from the proxy's address
    nginx = Client(REMOTE_ADDR="10.0.0.5")
    codes = [post_tip(nginx, world.hospital_a, forwarded=f"198.51.100.{i}").status_code for i in range(20)]
    assert codes == [201] * 19 + [429]


def test_the_public_status_api_says_status_and_reply_only(world):
    receipt = post_tip(Client(), world.hospital_a).json()["receipt_code"]
    tip = Tip.objects.get(receipt_code=receipt)
    services.tip_reply(tip=tip, by=world.regulator_a, reply="已收到，正在核查。")
    body = Client().get(reverse("api:public-tip-status", args=[receipt])).json()
    assert body["status"] == "received" and body["reply"] == "已收到，正在核查。"
    assert world.hospital_a.name not in json.dumps(body, ensure_ascii=False)
    assert Client().get(reverse("api:public-tip-status", args=["ABCDEFGHJKMN"])).status_code == 404
    page = Client().post(reverse("oversight:tip-status"), {"code": receipt.lower()})
    assert "正在核查" in page.content.decode() and world.hospital_a.name not in page.content.decode()


def test_the_search_offers_active_institutions_by_name_only_when_asked(world):
    assert world.hospital_a.name not in Client().get(reverse("oversight:tip-targets")).content.decode()
    found = Client().get(reverse("oversight:tip-targets") + "?q=甲区人民").content.decode()
    assert world.hospital_a.name in found


def test_the_regulator_accepts_from_the_queue_and_sees_the_contact_on_request(world):
    tip = submit(world.hospital_a)
    client = Client()
    client.force_login(world.regulator_a)
    assert tip.number in client.get(reverse("oversight:tip-queue")).content.decode()
    detail = client.get(reverse("oversight:tip-detail", args=[tip.pk])).content.decode()
    assert "13800138000" not in detail
    shown = client.post(reverse("oversight:tip-contact", args=[tip.pk])).content.decode()
    assert "13800138000" in shown
    category = HazardCategory.objects.get(code="fire")
    response = client.post(
        reverse("oversight:tip-accept", args=[tip.pk]),
        {
            "title": "通道堵塞",
            "description": "门诊楼通道堆放杂物",
            "category": category.pk,
            "level": "general",
            "location": "门诊楼",
        },
    )
    assert response.status_code == 302
    tip.refresh_from_db()
    assert tip.hazard.source == "tip_off"


def test_the_api_accepts_into_the_ledger(world):
    tip = submit(world.hospital_a)
    client = Client()
    client.force_login(world.regulator_a)
    category = HazardCategory.objects.get(code="fire")
    response = client.post(
        reverse("api:tip-accept", args=[tip.pk]),
        data=json.dumps(
            {"title": "通道堵塞", "description": "门诊楼通道堆放杂物", "category": category.pk, "location": "门诊楼"}
        ),
        content_type="application/json",
    )
    assert response.status_code == 200
    tip.refresh_from_db()
    assert response.json()["hazard"] == tip.hazard_id


def _xlsx_text(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        return "".join(z.read(n).decode("utf-8", "ignore") for n in z.namelist() if n.endswith(".xml"))


def test_a_tips_contact_is_in_no_export(world):
    tip = submit(world.hospital_a)
    services.tip_accept(
        tip=tip,
        by=world.regulator_a,
        data={
            "title": "通道堵塞",
            "description": "门诊楼通道堆放杂物",
            "category": HazardCategory.objects.get(code="fire"),
            "location": "门诊楼",
        },
    )
    for user in (world.regulator_a, world.officer_a):
        client = Client()
        client.force_login(user)
        ledger = client.get(reverse("hazards:hazard-export"))
        text = _xlsx_text(b"".join(ledger.streaming_content))
        assert ledger.status_code == 200 and "通道堵塞" in text and "13800138000" not in text
    client = Client()
    client.force_login(world.regulator_a)
    listing = client.get(reverse("api:tip-list")).content.decode()
    assert tip.number in listing and "13800138000" not in listing
    assert "13800138000" not in client.get(reverse("api:tip-detail", args=[tip.pk])).content.decode()


def test_the_queue_costs_the_same_queries_for_more_tips(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(world.regulator_a)
    counts = []
    for _round in range(2):
        for _ in range(3):
            submit(world.hospital_a, photos=[gps_jpeg()])
        for url in (reverse("api:tip-list"), reverse("oversight:tip-queue")):
            client.get(url)  # warm the session
        with CaptureQueriesContext(connection) as api, CaptureQueriesContext(connection):
            assert client.get(reverse("api:tip-list")).status_code == 200
        with CaptureQueriesContext(connection) as page:
            assert client.get(reverse("oversight:tip-queue")).status_code == 200
        counts.append((len(api), len(page)))
    assert counts[0] == counts[1]


def test_the_poster_carries_the_qr_code_of_the_form_naming_the_institution(world):
    client = Client()
    client.force_login(world.officer_a)
    page = client.get(reverse("oversight:tip-poster", args=[world.hospital_a.pk])).content.decode()
    assert "<svg" in page and f"/tips/new/?org={world.hospital_a.pk}" in page
    assert client.get(reverse("oversight:tip-poster", args=[world.hospital_b.pk])).status_code == 404
    home = client.get("/").content.decode()
    assert reverse("oversight:tip-poster", args=[world.hospital_a.pk]) in home
