"""The closed loop of a hazard, service by service: every rule, every refusal, the audit rows."""

import datetime as dt

import pytest
from django.http import Http404
from django.utils import timezone

from anjian.core.errors import ConflictError, DomainError, NotPermittedError
from anjian.core.models import AuditEvent
from anjian.hazards import services, workflow
from anjian.hazards.choices import HazardLevel, HazardSource, HazardStatus, PhotoPhase
from anjian.hazards.models import Hazard
from anjian.hazards.tests.helpers import criterion, general_plan, jpeg, major_plan, report

pytestmark = pytest.mark.django_db


def events(hazard):
    qs = AuditEvent.objects.filter(target_id=str(hazard.pk), target_type__model="hazard")
    return list(qs.order_by("pk").values_list("verb", flat=True))


def test_report_numbers_and_records(people):
    w = people
    h = report(w.staff_a, w.hospital_a)
    assert h.number.startswith(f"YH-{timezone.localdate().year}-")
    assert h.status == HazardStatus.REPORTED
    assert h.source == HazardSource.SELF_INSPECTION
    assert h.photos.filter(phase=PhotoPhase.BEFORE).count() == 1
    assert events(h) == ["hazard.reported"]
    h2 = report(w.regulator_a, w.hospital_a)
    assert h2.source == HazardSource.SUPERVISION
    assert int(h2.number[-6:]) == int(h.number[-6:]) + 1


def test_report_refusals_change_nothing(people):
    w = people
    with pytest.raises(Http404):
        report(w.staff_a, w.hospital_b)
    with pytest.raises(DomainError, match="判定依据"):
        services.hazard_report(
            by=w.staff_a,
            organization=w.hospital_a,
            data={"title": "x", "location": "y", "category": criterion().category, "level": HazardLevel.MAJOR},
        )
    with pytest.raises(DomainError, match="整改后照片"):
        report(w.staff_a, w.hospital_a, fixed_on_spot=True)
    assert Hazard.objects.count() == 0
    assert not AuditEvent.objects.filter(verb__startswith="hazard.").exists()


def test_general_loop(people):
    w = people
    h = report(w.staff_a, w.hospital_a, department=w.dept_a)
    assert workflow.allowed_actions(h, w.staff_a) == []
    assert "confirm" in workflow.allowed_actions(h, w.officer_a)
    h = services.hazard_confirm(hazard=h, by=w.officer_a, plan=general_plan(w.extra["dept_head_a"]))
    assert h.status == HazardStatus.RECTIFYING and h.original_deadline == h.deadline
    with pytest.raises(DomainError, match="整改后照片"):
        services.hazard_submit(hazard=h, by=w.extra["dept_head_a"], rectification_note="已清理")
    h = services.hazard_submit(
        hazard=h, by=w.extra["dept_head_a"], rectification_note="已清理", after_photos=[jpeg("after.jpg")]
    )
    assert h.status == HazardStatus.AWAITING_ACCEPTANCE
    h = services.hazard_accept(hazard=h, by=w.officer_a, note="复查合格")
    assert h.status == HazardStatus.CLOSED and h.accepted_by == w.officer_a
    assert events(h) == ["hazard.reported", "hazard.confirmed", "hazard.submitted", "hazard.accepted"]
    confirmed = AuditEvent.objects.get(target_id=str(h.pk), target_type__model="hazard", verb="hazard.confirmed")
    assert confirmed.changes["status"] == ["待确认", "整改中"]
    assert confirmed.actor == w.officer_a


def test_acceptor_is_never_the_submitter(people):
    w = people
    h = report(w.staff_a, w.hospital_a)
    h = services.hazard_confirm(hazard=h, by=w.officer_a, plan=general_plan(w.officer_a))
    h = services.hazard_submit(hazard=h, by=w.officer_a, rectification_note="done", after_photos=[jpeg()])
    with pytest.raises(ConflictError, match="验收人不能是整改提交人"):
        services.hazard_accept(hazard=h, by=w.officer_a)
    assert "accept" not in workflow.allowed_actions(h, w.officer_a)
    assert Hazard.objects.get(pk=h.pk).status == HazardStatus.AWAITING_ACCEPTANCE
    h = services.hazard_accept(hazard=h, by=w.head_a)
    assert h.status == HazardStatus.CLOSED


def test_reject_returns_to_rectifying(people):
    w = people
    h = report(w.staff_a, w.hospital_a)
    h = services.hazard_confirm(hazard=h, by=w.officer_a, plan=general_plan(w.officer_a))
    h = services.hazard_submit(hazard=h, by=w.officer_a, rectification_note="done", after_photos=[jpeg()])
    with pytest.raises(DomainError, match="理由"):
        services.hazard_reject(hazard=h, by=w.head_a, reason=" ")
    h = services.hazard_reject(hazard=h, by=w.head_a, reason="通道仍有杂物")
    assert h.status == HazardStatus.RECTIFYING


def test_on_the_spot_fix_goes_to_acceptance(people):
    w = people
    h = services.hazard_report(
        by=w.staff_a,
        organization=w.hospital_a,
        data={"title": "插线板串接", "location": "护士站", "category": criterion().category, "fixed_on_spot": True},
        photos=[jpeg()],
        after_photos=[jpeg("after.jpg")],
    )
    assert h.status == HazardStatus.AWAITING_ACCEPTANCE and h.rectified_by == w.staff_a
    assert events(h) == ["hazard.reported", "hazard.submitted"]
    h = services.hazard_accept(hazard=h, by=w.officer_a)
    assert h.status == HazardStatus.CLOSED


def test_major_needs_six_parts_endorsement_and_regulator(people):
    w = people
    h = report(w.officer_a, w.hospital_a, level=HazardLevel.MAJOR, category=criterion().category)
    with pytest.raises(DomainError) as err:
        services.hazard_confirm(hazard=h, by=w.officer_a, plan=general_plan(w.officer_a))
    for part in ("整改目标和任务", "经费和物资", "安全措施和应急预案"):
        assert part in str(err.value.message)
    assert Hazard.objects.get(pk=h.pk).status == HazardStatus.REPORTED
    h = services.hazard_confirm(hazard=h, by=w.officer_a, plan=major_plan(w.officer_a))
    h = services.hazard_submit(hazard=h, by=w.officer_a, rectification_note="更换完毕", after_photos=[jpeg()])
    with pytest.raises(NotPermittedError, match="监管部门审核销号"):
        services.hazard_accept(hazard=h, by=w.head_a)
    with pytest.raises(ConflictError, match="主要负责人审核"):
        services.hazard_accept(hazard=h, by=w.regulator_a)
    with pytest.raises(NotPermittedError):
        services.hazard_endorse(hazard=h, by=w.extra["deputy_a"])
    h = services.hazard_endorse(hazard=h, by=w.head_a)
    assert workflow.allowed_actions(h, w.regulator_a) == ["accept", "reject", "reclassify", "supervise"]
    h = services.hazard_accept(hazard=h, by=w.regulator_a, note="审核通过，同意销号")
    assert h.status == HazardStatus.CLOSED
    assert events(h)[-2:] == ["hazard.endorsed", "hazard.accepted"]


def test_other_district_regulator_cannot_touch(people):
    w = people
    h = report(w.officer_a, w.hospital_a, level=HazardLevel.MAJOR)
    assert workflow.allowed_actions(h, w.regulator_b) == []
    with pytest.raises(NotPermittedError):
        services.hazard_supervise(
            hazard=h, by=w.regulator_b, level="district", deadline=timezone.localdate(), notice_number="甲督〔2026〕1号"
        )


def test_postponement_general_and_major(people):
    w = people
    h = report(w.staff_a, w.hospital_a)
    h = services.hazard_confirm(hazard=h, by=w.officer_a, plan=general_plan(w.officer_a, days=5))
    original = h.deadline
    with pytest.raises(DomainError, match="须晚于"):
        services.hazard_postpone(hazard=h, by=w.officer_a, new_deadline=original, reason="等配件")
    services.hazard_postpone(hazard=h, by=w.officer_a, new_deadline=original + dt.timedelta(days=10), reason="等配件")
    with pytest.raises(ConflictError, match="待审批"):
        services.hazard_postpone(hazard=h, by=w.officer_a, new_deadline=original + dt.timedelta(days=20), reason="再等")
    with pytest.raises(NotPermittedError):
        services.hazard_decide_postponement(hazard=h, by=w.officer_a, approve=True)
    h = services.hazard_decide_postponement(hazard=h, by=w.extra["deputy_a"], approve=True)
    assert h.deadline == original + dt.timedelta(days=10)
    assert h.original_deadline == original
    assert h.postponements.filter(decision="approved").count() == 1

    m = report(w.officer_a, w.hospital_a, level=HazardLevel.MAJOR)
    m = services.hazard_confirm(hazard=m, by=w.officer_a, plan=major_plan(w.officer_a))
    services.hazard_postpone(hazard=m, by=w.officer_a, new_deadline=m.deadline + dt.timedelta(days=30), reason="供货")
    with pytest.raises(NotPermittedError):
        services.hazard_decide_postponement(hazard=m, by=w.head_a, approve=True)
    with pytest.raises(DomainError, match="理由"):
        services.hazard_decide_postponement(hazard=m, by=w.regulator_a, approve=False)
    m = services.hazard_decide_postponement(hazard=m, by=w.regulator_a, approve=False, note="不同意，按期完成")
    assert m.deadline == m.original_deadline


def test_reclassify_to_major_requires_plan_again(people):
    w = people
    h = report(w.staff_a, w.hospital_a)
    h = services.hazard_confirm(hazard=h, by=w.officer_a, plan=general_plan(w.officer_a))
    with pytest.raises(DomainError, match="判定依据"):
        services.hazard_reclassify(hazard=h, by=w.officer_a, level=HazardLevel.MAJOR, reason="涉及液氧")
    h = services.hazard_reclassify(
        hazard=h, by=w.officer_a, level=HazardLevel.MAJOR, reason="涉及液氧", criterion=criterion()
    )
    assert h.level == HazardLevel.MAJOR and h.status == HazardStatus.REPORTED
    h = services.hazard_confirm(hazard=h, by=w.officer_a, plan=major_plan(w.officer_a))
    assert h.status == HazardStatus.RECTIFYING
    with pytest.raises(NotPermittedError):
        services.hazard_reclassify(hazard=h, by=w.staff_a, level=HazardLevel.GENERAL, reason="x")


def test_supervise_and_unsupervise(people):
    w = people
    g = report(w.officer_a, w.hospital_a)
    with pytest.raises(ConflictError, match="只有重大事故隐患"):
        services.hazard_supervise(
            hazard=g,
            by=w.regulator_a,
            level="district",
            deadline=timezone.localdate(),
            notice_number="安卫督〔2026〕1号",
        )
    m = report(w.officer_a, w.hospital_a, level=HazardLevel.MAJOR)
    with pytest.raises(NotPermittedError):
        services.hazard_supervise(
            hazard=m, by=w.officer_a, level="district", deadline=timezone.localdate(), notice_number="安卫督〔2026〕1号"
        )
    m = services.hazard_supervise(
        hazard=m,
        by=w.regulator_a,
        level="district",
        deadline=timezone.localdate() + dt.timedelta(days=60),
        notice_number="安卫督〔2026〕1号",
    )
    assert m.is_supervised and m.supervision_notice_number == "安卫督〔2026〕1号"
    m = services.hazard_unsupervise(hazard=m, by=w.regulator_a, note="整改到位")
    assert not m.is_supervised


def test_dismiss_needs_reason_and_closes_nothing_else(people):
    w = people
    h = report(w.staff_a, w.hospital_a)
    with pytest.raises(DomainError):
        services.hazard_dismiss(hazard=h, by=w.officer_a, reason="")
    h = services.hazard_dismiss(hazard=h, by=w.officer_a, reason="重复登记")
    assert h.status == HazardStatus.DISMISSED
    with pytest.raises(ConflictError, match="已撤销"):
        services.hazard_confirm(hazard=h, by=w.officer_a, plan=general_plan(w.officer_a))


def test_photo_upload_is_decoded_oriented_and_stripped(people, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    w = people
    h = report(w.staff_a, w.hospital_a)
    photo = services.hazard_add_photo(
        hazard=h, by=w.staff_a, phase="before", image=jpeg(size=(400, 200), exif_orientation=6)
    )
    from PIL import Image

    with Image.open(photo.image.path) as img:
        assert img.size == (200, 400)  # rotated by its EXIF orientation
        assert not img.getexif()  # metadata stripped
    with Image.open(photo.thumbnail.path) as thumb:
        assert max(thumb.size) <= 360
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("evil.jpg", b"<?php echo 1; ?>" * 10, content_type="image/jpeg")
    count = h.photos.count()
    with pytest.raises(DomainError, match="不是有效的图片"):
        services.hazard_add_photo(hazard=h, by=w.staff_a, phase="before", image=fake)
    assert h.photos.count() == count
    with pytest.raises(NotPermittedError):
        services.hazard_add_photo(hazard=h, by=w.staff_a, phase="after", image=jpeg())


def test_a_photo_over_the_size_limit_is_refused_and_nothing_stored(people, settings):
    w = people
    h = report(w.staff_a, w.hospital_a)
    big = jpeg(size=(1600, 1200))
    settings.PHOTO_MAX_BYTES = big.size - 1  # just under this photo
    files = sorted(p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file())
    count = h.photos.count()

    with pytest.raises(DomainError, match="太大"):
        services.hazard_add_photo(hazard=h, by=w.staff_a, phase="before", image=big)

    assert h.photos.count() == count
    assert sorted(p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()) == files
    settings.PHOTO_MAX_BYTES = big.size  # at the limit it is taken
    assert services.hazard_add_photo(hazard=h, by=w.staff_a, phase="before", image=jpeg(size=(1600, 1200)))
