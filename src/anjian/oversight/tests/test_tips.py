"""Tip-offs through the services: the receipt code, the contact encrypted and read only with an
audit event, photos without their GPS position, acceptance into the institution's ledger with
source 举报, dismissal, the reward's second-person approval, and what the reporter is told."""

import datetime as dt
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import timezone
from PIL import Image

from anjian.core.errors import DomainError, NotPermittedError
from anjian.core.models import AuditEvent
from anjian.core.roles import Role
from anjian.core.testing import factories as f
from anjian.hazards import services as hazard_services
from anjian.hazards.choices import HazardSource, HazardStatus
from anjian.hazards.links import origins
from anjian.hazards.models import Hazard, HazardCategory
from anjian.oversight import selectors, services
from anjian.oversight.choices import PublicTipStatus, RewardStatus, TipStatus
from anjian.oversight.models import Tip
from anjian.oversight.services.tips import MAX_PHOTOS, RECEIPT_ALPHABET
from anjian.oversight.tests.helpers import CONTACT, gps_jpeg, submit

pytestmark = pytest.mark.django_db


def accept_data(**extra):
    return {
        "title": "安全出口堵塞",
        "description": "急诊楼一楼安全出口被杂物堵塞",
        "category": HazardCategory.objects.get(code="fire"),
        "location": "急诊楼一楼",
        **extra,
    }


def close(hazard, w):
    head = f.make_user(organization=w.hospital_a, role=Role.DEPARTMENT_HEAD, username="dh_close", department=w.dept_a)
    plan = {"responsible": head, "measures": "清理杂物", "deadline": timezone.localdate() + dt.timedelta(days=3)}
    hazard_services.hazard_confirm(hazard=hazard, by=w.officer_a, plan=plan)
    jpeg = io.BytesIO()
    Image.new("RGB", (64, 48)).save(jpeg, format="JPEG")
    after = SimpleUploadedFile("after.jpg", jpeg.getvalue(), content_type="image/jpeg")
    hazard_services.hazard_submit(hazard=hazard, by=head, rectification_note="已清理", after_photos=[after])
    return hazard_services.hazard_accept(hazard=Hazard.objects.get(pk=hazard.pk), by=w.officer_a)


def test_a_tip_gets_an_unguessable_receipt_code_and_goes_to_the_institutions_regulator(world):
    tip = submit(world.hospital_a)
    assert re.fullmatch(f"[{RECEIPT_ALPHABET}]{{12}}", tip.receipt_code)
    assert tip.regulator == world.district_a and tip.organization == world.hospital_a
    assert submit(world.hospital_a).receipt_code != tip.receipt_code
    assert (
        list(Tip.objects.visible_to(world.regulator_a)) != [] and not Tip.objects.visible_to(world.officer_a).exists()
    )
    assert not Tip.objects.visible_to(world.regulator_b).exists()


def test_the_contact_is_encrypted_at_rest_and_each_read_is_audited(world):
    tip = submit(world.hospital_a)
    stored = Tip.objects.values_list("contact_encrypted", flat=True).get(pk=tip.pk)
    assert "13800138000" not in stored and stored
    assert not AuditEvent.objects.filter(changes__icontains="13800138000").exists()
    assert services.tip_contact(tip=tip, by=world.regulator_a) == CONTACT
    read = AuditEvent.objects.filter(verb="tip.contact_viewed", target_id=str(tip.pk))
    assert read.count() == 1 and read.get().actor == world.regulator_a
    with pytest.raises(NotPermittedError):
        services.tip_contact(tip=tip, by=world.officer_a)  # the institution named never reads it
    assert read.count() == 1


def test_photos_are_stored_without_exif_and_gps(world):
    tip = submit(world.hospital_a, photos=[gps_jpeg()])
    with tip.photos.get().image.open("rb") as handle, Image.open(handle) as img:
        assert not img.getexif() and b"TestCamera" not in handle.read()


def test_an_address_tip_names_a_district_commission_and_needs_the_address(world):
    with pytest.raises(DomainError) as exc:
        submit(world.district_a)
    assert exc.value.field == "address"
    tip = submit(world.district_a, address="安宁路 12 号某诊所")
    assert tip.organization is None and tip.regulator == world.district_a
    with pytest.raises(DomainError):
        submit(world.provider_b)  # a service company is not what the public tips off about


def test_accepting_puts_a_tip_off_hazard_in_the_institutions_ledger(world):
    tip = submit(world.hospital_a, photos=[gps_jpeg()])
    tip = services.tip_accept(tip=tip, by=world.regulator_a, data=accept_data(), reply="已转机构整改")
    hazard = tip.hazard
    assert hazard.organization == world.hospital_a and hazard.source == HazardSource.TIP_OFF
    assert hazard.source_reference == tip.number and hazard.photos.count() == 1
    assert Hazard.objects.visible_to(world.officer_a).filter(pk=hazard.pk).exists()
    assert [o.text for o in origins(hazard, world.regulator_a)] == [tip.number]
    assert origins(hazard, world.officer_a) == []  # the hospital sees the source, not the tip
    with pytest.raises(DomainError):
        services.tip_accept(tip=tip, by=world.regulator_a, data=accept_data())
    assert Hazard.objects.count() == 1


def test_the_hazard_carries_the_handlers_description_never_the_tip_text(world):
    tip = submit(world.hospital_a, description="我是张三，电话 13912345678，急诊楼出口被堵")
    with pytest.raises(DomainError) as exc:
        services.tip_accept(tip=tip, by=world.regulator_a, data=accept_data(description="  "))
    assert exc.value.field == "description" and not Hazard.objects.exists()
    tip = services.tip_accept(tip=tip, by=world.regulator_a, data=accept_data(description="急诊楼出口被杂物堵塞"))
    assert tip.hazard.description == "急诊楼出口被杂物堵塞"
    assert "13912345678" not in tip.hazard.description and "张三" not in tip.hazard.description


def test_a_tip_without_photos_is_accepted_on_its_number(world):
    tip = services.tip_accept(tip=submit(world.hospital_a), by=world.regulator_a, data=accept_data())
    assert tip.hazard.photos.count() == 0 and tip.hazard.source_reference == tip.number


def test_another_district_cannot_accept_and_nothing_changes(world):
    tip = submit(world.hospital_b)
    with pytest.raises(Http404):  # outside the scope
        services.tip_accept(tip=tip, by=world.regulator_a, data=accept_data())
    tip.refresh_from_db()
    assert tip.status == TipStatus.RECEIVED and not Hazard.objects.exists()


def test_dismissal_needs_a_reason(world):
    tip = submit(world.hospital_a)
    with pytest.raises(DomainError):
        services.tip_dismiss(tip=tip, by=world.regulator_a, reason="  ")
    tip = services.tip_dismiss(tip=tip, by=world.regulator_a, reason="经核查不属实", reply="经现场核查，未发现该问题。")
    answer = selectors.tip_public_answer(tip)
    assert answer["status"] == PublicTipStatus.DISMISSED and answer["reply"] == "经现场核查，未发现该问题。"


def test_a_reward_needs_a_second_regulators_approval(world):
    staff = f.make_user(organization=world.district_a, role=Role.REGULATOR_STAFF, username="reg_staff_a")
    tip = services.tip_accept(tip=submit(world.hospital_a), by=staff, data=accept_data())
    with pytest.raises(DomainError):
        services.tip_reward_propose(tip=tip, by=staff, amount=0)
    services.tip_reward_propose(tip=tip, by=world.regulator_a, amount=500, note="举报属实")
    with pytest.raises(NotPermittedError):  # the proposer does not approve their own proposal
        services.tip_reward_decide(tip=tip, by=world.regulator_a, approve=True)
    with pytest.raises(NotPermittedError):  # staff may propose, only an admin approves
        services.tip_reward_decide(tip=tip, by=staff, approve=True)
    tip.refresh_from_db()
    assert tip.reward_status == RewardStatus.PROPOSED
    other = f.make_user(organization=world.district_a, role=Role.REGULATOR_ADMIN, username="reg_admin2_a")
    tip = services.tip_reward_decide(tip=tip, by=other, approve=True)
    assert tip.reward_status == RewardStatus.APPROVED and tip.reward_decided_by == other
    assert AuditEvent.objects.filter(verb="tip.reward_approved", target_id=str(tip.pk)).exists()


def test_the_reporter_is_told_closed_once_the_hazard_is_closed_and_never_a_name(world):
    tip = submit(world.hospital_a)
    assert selectors.tip_public_answer(tip)["status"] == "received"
    tip = services.tip_accept(tip=tip, by=world.regulator_a, data=accept_data())
    assert selectors.tip_public_answer(selectors.tip_public(tip.receipt_code))["status"] == "accepted"
    hazard = close(tip.hazard, world)
    assert hazard.status == HazardStatus.CLOSED
    answer = selectors.tip_public_answer(selectors.tip_public(tip.receipt_code.lower()))
    assert answer["status"] == "closed"
    text = str(answer)
    for name in (world.hospital_a.name, world.regulator_a.name, world.officer_a.name, world.district_a.name):
        assert name not in text
    assert set(answer) == {"receipt_code", "submitted_on", "status", "status_label", "reply", "replied_at"}


def test_photos_are_limited_in_type_size_and_number_and_a_refusal_keeps_nothing(world, settings):
    fake = SimpleUploadedFile("scene.jpg", b"not a picture at all", content_type="image/jpeg")
    with pytest.raises(DomainError) as exc:
        submit(world.hospital_a, photos=[gps_jpeg(), fake])
    assert exc.value.field == "photos" and "scene.jpg" in exc.value.message
    settings.PHOTO_MAX_BYTES = 1024
    with pytest.raises(DomainError) as exc:
        submit(world.hospital_a, photos=[gps_jpeg("big.jpg")])
    assert exc.value.field == "photos" and "太大" in exc.value.message
    settings.PHOTO_MAX_BYTES = 10 * 1024 * 1024
    with pytest.raises(DomainError) as exc:
        submit(world.hospital_a, photos=[gps_jpeg(f"{n}.jpg") for n in range(MAX_PHOTOS + 1)])
    assert exc.value.field == "photos"
    assert not Tip.objects.exists() and not AuditEvent.objects.filter(verb="tip.received").exists()
