"""Internal tips (内部举报, seed 002 #23): an institution's staff member tips off a hazard of their own
institution while signed in. The regulator sees that it is internal and, on request (audited), who;
the institution never sees the reporter, in no page, API answer or export; the reporter follows
their own tips and nobody else's."""

import io
import json
import zipfile

import pytest
from django.test import Client
from django.urls import reverse

from anjian.core.errors import NotPermittedError
from anjian.core.models import AuditEvent
from anjian.core.testing import factories as f
from anjian.hazards.models import HazardCategory
from anjian.oversight import selectors, services
from anjian.oversight.choices import RewardStatus, TipStatus
from anjian.oversight.models import Tip
from anjian.oversight.tests.helpers import gps_jpeg

pytestmark = pytest.mark.django_db

TEXT = "药库二号灭火器压力表指针在红区，已过期"


def accept(tip, regulator):
    return services.tip_accept(
        tip=tip,
        by=regulator,
        data={
            "title": "药库灭火器失效",
            "description": "药库灭火器压力不足",
            "category": HazardCategory.objects.get(code="fire"),
            "location": "药库",
        },
    )


def signed_in(user, *, api: bool = False) -> Client:
    if api:
        return f.api_client(user)
    client = Client()
    client.force_login(user)
    return client


def test_a_staff_member_tips_off_their_own_institution_to_its_regulator(world):
    tip = services.tip_submit_internal(by=world.staff_a, data={"description": TEXT, "location": "药库"})
    assert tip.is_internal and tip.reporter == world.staff_a
    assert tip.organization == world.hospital_a and tip.regulator == world.district_a
    assert tip.status == TipStatus.RECEIVED and len(tip.receipt_code) == 12
    # whatever the data says, the tip is about the reporter's own institution
    other = services.tip_submit_internal(by=world.staff_a, data={"description": TEXT, "organization": world.hospital_b})
    assert other.organization == world.hospital_a and other.regulator == world.district_a


def test_only_an_institutions_people_file_internal_tips_and_nothing_is_kept_otherwise(world):
    for user in (world.regulator_a, world.inspector_b, world.admin):
        with pytest.raises(NotPermittedError):
            services.tip_submit_internal(by=user, data={"description": TEXT})
    assert not Tip.objects.exists()
    page = signed_in(world.regulator_a).get(reverse("oversight:tip-internal")).content.decode()
    assert "内部举报由医疗卫生机构的职工登录后提交" in page and 'data-testid="internal-tip-form"' not in page
    api = signed_in(world.regulator_a, api=True).post(
        reverse("api:tip-internal"), data=json.dumps({"description": TEXT}), content_type="application/json"
    )
    assert api.status_code == 403 and not Tip.objects.exists()
    assert Client().get(reverse("oversight:tip-internal")).status_code == 302  # login first


def test_the_page_takes_the_tip_without_a_challenge_and_the_reporter_follows_it(world):
    client = signed_in(world.staff_a)
    form = client.get(reverse("oversight:tip-internal")).content.decode()
    assert world.hospital_a.name in form and "验证题" not in form
    response = client.post(
        reverse("oversight:tip-internal"), {"description": TEXT, "location": "药库", "photos": [gps_jpeg()]}
    )
    tip = Tip.objects.get()
    assert tip.receipt_code in response.content.decode() and tip.photos.count() == 1 and tip.is_internal
    short = client.post(reverse("oversight:tip-internal"), {"description": "灭火器"})
    assert "至少 5 个字" in short.content.decode() and Tip.objects.count() == 1  # refused, nothing kept

    accept(tip, world.regulator_a)
    services.tip_reply(tip=tip, by=world.regulator_a, reply="已督促医院更换灭火器")
    mine = client.get(reverse("oversight:tip-mine")).content.decode()
    assert tip.number in mine and "已受理，正在督促整改" in mine and "已督促医院更换灭火器" in mine
    body = signed_in(world.staff_a, api=True).get(reverse("api:tip-mine")).json()
    assert [(t["number"], t["status"], t["reply"]) for t in body] == [(tip.number, "accepted", "已督促医院更换灭火器")]
    # a colleague of the same institution sees none of it
    assert tip.number not in signed_in(world.officer_a).get(reverse("oversight:tip-mine")).content.decode()
    assert signed_in(world.officer_a, api=True).get(reverse("api:tip-mine")).json() == []


def test_the_api_takes_an_internal_tip(world):
    client = signed_in(world.staff_a, api=True)
    response = client.post(
        reverse("api:tip-internal"),
        data=json.dumps({"description": TEXT, "location": "药库", "contact": "微信 abc123"}),
        content_type="application/json",
    )
    assert response.status_code == 201
    tip = Tip.objects.get(receipt_code=response.json()["receipt_code"])
    assert tip.reporter == world.staff_a and tip.has_contact and "abc123" not in tip.contact_encrypted
    bad = client.post(reverse("api:tip-internal"), data=json.dumps({}), content_type="application/json")
    assert bad.status_code == 400 and "description" in bad.json()["errors"] and Tip.objects.count() == 1


def test_internal_tips_are_counted_per_account(world, settings):
    settings.TIP_RATE_PER_MINUTE = 3
    client = signed_in(world.staff_a, api=True)
    post = lambda c: c.post(  # noqa: E731
        reverse("api:tip-internal"), data=json.dumps({"description": TEXT}), content_type="application/json"
    )
    assert [post(client).status_code for _ in range(4)] == [201, 201, 201, 429]
    assert post(signed_in(world.officer_a, api=True)).status_code == 201  # a colleague, same address: still may
    page = signed_in(world.staff_a).post(reverse("oversight:tip-internal"), {"description": TEXT})
    assert page.status_code == 429 and Tip.objects.count() == 4


def test_the_regulator_sees_it_is_internal_and_who_only_on_request_audited(world):
    tip = services.tip_submit_internal(by=world.staff_a, data={"description": TEXT})
    client = signed_in(world.regulator_a)
    queue = client.get(reverse("oversight:tip-queue")).content.decode()
    assert 'data-testid="internal-badge"' in queue
    detail = client.get(reverse("oversight:tip-detail", args=[tip.pk])).content.decode()
    assert "内部职工举报" in detail and world.staff_a.name not in detail  # who: only on request
    before = AuditEvent.objects.filter(verb="tip.contact_viewed").count()
    shown = client.post(reverse("oversight:tip-contact", args=[tip.pk])).content.decode()
    assert world.staff_a.name in shown and world.staff_a.username in shown and world.hospital_a.name in shown
    api = signed_in(world.regulator_a, api=True)
    assert api.get(reverse("api:tip-detail", args=[tip.pk])).json()["is_internal"] is True
    assert world.staff_a.name not in api.get(reverse("api:tip-list")).content.decode()
    revealed = api.post(reverse("api:tip-contact", args=[tip.pk])).json()
    assert world.staff_a.name in revealed["reporter"] and revealed["contact"] == ""
    assert AuditEvent.objects.filter(verb="tip.contact_viewed").count() == before + 2


def _xlsx_text(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        return "".join(z.read(n).decode("utf-8", "ignore") for n in z.namelist() if n.endswith(".xml"))


def test_the_institution_never_sees_the_reporter(world):
    staff = world.staff_a
    tip = services.tip_submit_internal(by=staff, data={"description": TEXT, "contact": "13811112222"})
    tip = accept(tip, world.regulator_a)
    hazard = tip.hazard
    assert hazard.organization == world.hospital_a and hazard.found_by_name == "群众举报"  # like any tip
    for user in (world.officer_a, world.head_a):
        page = signed_in(user)
        api = signed_in(user, api=True)
        texts = [
            page.get(reverse("hazards:hazard-detail", args=[hazard.pk])).content.decode(),
            page.get(reverse("hazards:hazard-list")).content.decode(),
            api.get(reverse("api:hazard-detail", args=[hazard.pk])).content.decode(),
            _xlsx_text(b"".join(page.get(reverse("hazards:hazard-export")).streaming_content)),
        ]
        assert hazard.number in texts[1]
        for text in texts:
            assert staff.name not in text and staff.username not in text and "13811112222" not in text
            assert "内部" not in text  # not even that a colleague tipped it off
        assert page.get(reverse("oversight:tip-detail", args=[tip.pk])).status_code == 403
        assert api.get(reverse("api:tip-detail", args=[tip.pk])).status_code == 403
    # nor through the audit trail: the tip's events are filed under the regulator
    assert not AuditEvent.objects.visible_to(world.officer_a).filter(actor=staff).exists()


def test_an_internal_tip_is_rewarded_on_the_same_path(world):
    second = f.make_user(organization=world.district_a, role="regulator_admin", username="reg_a2", name="甲监管二")
    tip = accept(services.tip_submit_internal(by=world.staff_a, data={"description": TEXT}), world.regulator_a)
    services.tip_reward_propose(tip=tip, by=world.regulator_a, amount=200)
    services.tip_reward_decide(tip=tip, by=second, approve=True)
    assert Tip.objects.get(pk=tip.pk).reward_status == RewardStatus.APPROVED
    answer = selectors.tip_own_answer(Tip.objects.get(pk=tip.pk))
    assert answer["reward_approved"] is True
    assert "已批准" in signed_in(world.staff_a).get(reverse("oversight:tip-mine")).content.decode()


def test_the_home_page_shows_every_staff_member_the_way_to_report(world):
    for user in (world.staff_a, world.officer_a):
        assert reverse("oversight:tip-internal") in signed_in(user).get("/").content.decode()
    assert reverse("oversight:tip-internal") not in signed_in(world.regulator_a).get("/").content.decode()
