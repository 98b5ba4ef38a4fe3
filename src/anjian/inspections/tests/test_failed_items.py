"""A failed item becomes a hazard linked to the record; failing the same item at the same point
again links to that hazard instead of opening a second one (DOMAIN.md §3, issue 4 "must show")."""

import datetime as dt

import pytest
from django.utils import timezone

from anjian.core.errors import ConflictError, DomainError
from anjian.core.models import AuditEvent
from anjian.core.testing.factories import make_user
from anjian.hazards import services as hazard_services
from anjian.hazards.choices import HazardSource, HazardStatus
from anjian.hazards.models import Hazard
from anjian.inspections import labels, services
from anjian.inspections.models import InspectionRecord
from anjian.inspections.tests.helpers import answers, make_point, make_schedule, starter


@pytest.fixture
def setup(world):
    point = make_point(world.officer_a, department=world.dept_a)
    schedule = make_schedule(world.officer_a, points=[point], post=world.post_a)
    return world, point, schedule


def _first_item():
    return starter().items.order_by("section__order", "order").first()


def test_a_failed_item_becomes_a_hazard_linked_to_the_record(setup):
    w, point, schedule = setup
    item = _first_item()

    record = services.inspection_submit(
        by=w.staff_a,
        schedule=schedule,
        point=point,
        scan_token=labels.scan_token(point),
        results=answers(starter(), fail={item: "杂物堵塞"}),
    )

    result = record.results.get(item=item)
    hazard = result.hazard
    assert result.hazard_created and hazard.organization == w.hospital_a
    assert hazard.source == HazardSource.SELF_INSPECTION
    assert hazard.department == w.dept_a and hazard.description == "杂物堵塞"
    reported = AuditEvent.objects.get(verb="hazard.reported", target_id=str(hazard.pk))
    assert record.number in reported.note and item.text in reported.note
    assert hazard.photos.count() == 1 and result.photos.count() == 1
    assert record.fail_count == 1 and record.scanned and record.template == starter()
    assert AuditEvent.objects.filter(verb="inspection.submitted", target_id=str(record.pk)).exists()


def test_the_same_item_failing_again_at_the_same_point_links_the_open_hazard(setup):
    w, point, schedule = setup
    item = _first_item()
    first = services.inspection_submit(
        by=w.staff_a, schedule=schedule, point=point, results=answers(starter(), fail={item: "杂物堵塞"})
    )
    # next day (another slot): the same item fails again at the same point
    later = services.inspection_submit(
        by=w.staff_a,
        schedule=make_schedule(w.officer_a, points=[point], post=w.post_a, rhythm="weekly"),
        point=point,
        results=answers(starter(), fail={item: "仍然堵塞"}),
    )

    assert Hazard.objects.count() == 1
    again = later.results.get(item=item)
    assert again.hazard == first.results.get(item=item).hazard and not again.hazard_created


def test_a_closed_hazard_does_not_absorb_a_new_failure(setup):
    w, point, schedule = setup
    item = _first_item()
    first = services.inspection_submit(
        by=w.staff_a, schedule=schedule, point=point, results=answers(starter(), fail={item: "杂物堵塞"})
    )
    hazard = first.results.get(item=item).hazard
    hazard_services.hazard_dismiss(hazard=hazard, by=w.officer_a, reason="已当场清理")
    assert Hazard.objects.get(pk=hazard.pk).status == HazardStatus.DISMISSED

    again = services.inspection_submit(
        by=w.staff_a,
        schedule=make_schedule(w.officer_a, points=[point], post=w.post_a, rhythm="weekly"),
        point=point,
        results=answers(starter(), fail={item: "又堵了"}),
    )
    assert Hazard.objects.count() == 2 and again.results.get(item=item).hazard_created


def test_another_point_gets_its_own_hazard(setup):
    w, point, schedule = setup
    other = make_point(w.officer_a, name="住院部5楼西侧安全出口")
    schedule.points.add(other)
    item = _first_item()
    for p in (point, other):
        services.inspection_submit(
            by=w.staff_a, schedule=schedule, point=p, results=answers(starter(), fail={item: "堵"})
        )
    assert Hazard.objects.count() == 2


def test_refusals_change_nothing(setup):
    w, point, schedule = setup
    item = _first_item()
    rows = answers(starter())
    stranger = make_user(organization=w.hospital_a, role="staff")
    before = (InspectionRecord.objects.count(), Hazard.objects.count(), AuditEvent.objects.count())

    with pytest.raises(DomainError, match="未填写"):
        services.inspection_submit(by=w.staff_a, schedule=schedule, point=point, results=rows[1:])
    bad = [dict(r) for r in rows]
    bad[0].update(result="fail", note="", photos=[])
    with pytest.raises(DomainError, match="请说明发现的问题"):
        services.inspection_submit(by=w.staff_a, schedule=schedule, point=point, results=bad)
    bad[0].update(note="堵了")
    with pytest.raises(DomainError, match="须拍摄现场照片"):
        services.inspection_submit(by=w.staff_a, schedule=schedule, point=point, results=bad)
    with pytest.raises(DomainError, match="请选择巡检点"):
        services.inspection_submit(by=w.staff_a, schedule=schedule, point=None, results=rows)
    with pytest.raises(DomainError, match="结果须为"):
        services.inspection_submit(
            by=w.staff_a, schedule=schedule, point=point, results=[{**rows[0], "result": "ok"}, *rows[1:]]
        )
    with pytest.raises(DomainError, match="不是您的排查任务"):
        services.inspection_submit(by=stranger, schedule=schedule, point=point, results=rows)
    assert item and before == (InspectionRecord.objects.count(), Hazard.objects.count(), AuditEvent.objects.count())


def test_one_record_per_slot_and_corrections_reference_the_original(setup):
    w, point, schedule = setup
    item = _first_item()
    original = services.inspection_submit(by=w.staff_a, schedule=schedule, point=point, results=answers(starter()))
    with pytest.raises(ConflictError, match="本周期已完成"):
        services.inspection_submit(by=w.staff_a, schedule=schedule, point=point, results=answers(starter()))
    with pytest.raises(DomainError, match="更正原因"):
        services.inspection_submit(by=w.staff_a, corrects=original, results=answers(starter()))

    fixed = services.inspection_submit(
        by=w.staff_a, corrects=original, correction_reason="误点合格", results=answers(starter(), fail={item: "堵"})
    )

    original.refresh_from_db()
    assert original.fail_count == 0 and original.results.get(item=item).result == "pass"  # never changed
    assert fixed.corrects == original and fixed.period_start == original.period_start
    assert fixed.template == original.template and fixed.results.get(item=item).hazard is not None


def test_a_record_keeps_its_version_when_a_new_one_is_published(setup):
    w, point, _schedule = setup
    own = services.template_copy(by=w.officer_a, template=starter())
    services.template_publish(by=w.officer_a, template=own)
    sched = make_schedule(w.officer_a, points=[point], post=w.post_a, rhythm="monthly")
    sched.template = own
    sched.save()
    first = services.inspection_submit(by=w.staff_a, schedule=sched, point=point, results=answers(own))
    v2 = services.template_new_version(by=w.officer_a, template=own)
    services.item_add(by=w.officer_a, template=v2, section_title="新增", data={"text": "新检查项"})
    services.template_publish(by=w.officer_a, template=v2)
    with pytest.raises(DomainError):
        services.item_add(by=w.officer_a, template=own, section_title="x", data={"text": "改已发布的版本"})

    first.refresh_from_db()
    assert first.template == own and first.results.count() == own.items.count()
    from anjian.inspections.selectors import current_version

    assert current_version(sched.template) == v2
    assert v2.items.count() == own.items.count() + 1


def test_supervision_findings_are_hazards_with_source_supervision(world):
    w = world
    sup = services.supervision_record(
        by=w.regulator_a,
        institution=w.hospital_a,
        data={"date": timezone.localdate() - dt.timedelta(days=1), "subject": "季度督导", "team": "甲监管、专家"},
    )
    finding = services.supervision_add_finding(
        by=w.regulator_a,
        supervision=sup,
        data={"title": "液氧站安全阀超期", "location": "液氧站", "category": starter().category},
    )
    record = services.inspection_submit(
        by=w.regulator_a,
        supervision=sup,
        template=starter("monthly_fire_check"),
        results=answers(starter("monthly_fire_check"), fail={_item("monthly_fire_check"): "报警主机屏蔽点位"}),
    )
    assert finding.hazard.source == HazardSource.SUPERVISION
    assert record.results.filter(result="fail").get().hazard.source == HazardSource.SUPERVISION
    with pytest.raises(DomainError):
        services.interview_record(by=w.regulator_a, institution=w.hospital_a, data={"date": sup.date, "reason": ""})
    services.interview_record(
        by=w.regulator_a,
        institution=w.hospital_a,
        data={"date": sup.date, "reason": "重大隐患逾期未整改", "attendees": "甲院长"},
    )


def _item(code):
    return starter(code).items.order_by("section__order", "order").first()


def test_only_a_draft_of_ones_own_unit_is_edited(world):
    from anjian.core.errors import NotPermittedError

    with pytest.raises(NotPermittedError):
        services.template_update(by=world.officer_a, template=starter(), data={"name": "改通用表"})
    own = services.template_copy(by=world.officer_a, template=starter())
    services.template_update(by=world.officer_a, template=own, data={"name": "本院病区巡查表"})
    services.template_publish(by=world.officer_a, template=own)
    with pytest.raises(ConflictError, match="已发布"):
        services.template_update(by=world.officer_a, template=own, data={"name": "再改"})
    with pytest.raises(NotPermittedError):
        services.template_new_version(by=world.officer_b, template=own)
    assert starter().name == "病区防火巡查表"
