"""The permit's life through the services: approvals in the kind's order, the gas test's limit,
the checks confirmed at the start, suspension and close-out with photos."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from anjian.contractors import rules, services, workflow
from anjian.contractors.choices import PermitStatus
from anjian.contractors.models import PermitApproval
from anjian.contractors.tests.helpers import all_checks, approve_all, gas_test, jpeg, make_permit
from anjian.core.errors import ConflictError, DomainError, NotPermittedError
from anjian.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def verbs(permit) -> list[str]:
    return list(
        AuditEvent.objects.filter(target_type__model="workpermit", target_id=str(permit.pk))
        .order_by("at", "pk")
        .values_list("verb", flat=True)
    )


def test_hot_work_needs_approvals_and_a_fresh_gas_test_then_starts_and_closes(people):
    w = people
    permit = make_permit(w)
    assert permit.number.startswith("ZY-") and permit.status == PermitStatus.DRAFT

    with pytest.raises(ConflictError) as exc:
        services.permit_start(permit=permit, by=w.officer_a, checks=all_checks(permit))
    assert "尚未提交审批" in str(exc.value.message) and "安全管理部门审批" in str(exc.value.message)

    services.permit_submit(permit=permit, by=w.staff_a)
    permit.refresh_from_db()
    assert permit.status == PermitStatus.APPROVING and permit.pending_step == "department"
    services.permit_approve(permit=permit, by=w.extra["deputy_a"], comment="同意")
    permit.refresh_from_db()
    assert permit.status == PermitStatus.APPROVING and permit.pending_step == "safety_office"
    with pytest.raises(ConflictError) as exc:
        services.permit_start(permit=permit, by=w.officer_a, checks=all_checks(permit))
    assert "审批未完成" in str(exc.value.message) and "安全管理部门审批" in str(exc.value.message)

    services.permit_approve(permit=permit, by=w.officer_a)
    permit.refresh_from_db()
    assert permit.status == PermitStatus.APPROVED and permit.pending_step == ""

    # no gas test yet; then one 31 minutes old: both refused with the reason
    with pytest.raises(ConflictError, match="气体分析"):
        services.permit_start(permit=permit, by=w.officer_a, checks=all_checks(permit))
    gas_test(w, permit, minutes_ago=31)
    with pytest.raises(ConflictError, match="已超过 30 分钟"):
        services.permit_start(permit=permit, by=w.officer_a, checks=all_checks(permit))
    permit.refresh_from_db()
    assert permit.status == PermitStatus.APPROVED

    gas_test(w, permit, minutes_ago=2)
    with pytest.raises(DomainError, match="尚未确认"):
        services.permit_start(permit=permit, by=w.officer_a, checks=all_checks(permit)[:-1])
    services.permit_start(permit=permit, by=w.officer_a, checks=all_checks(permit))
    permit.refresh_from_db()
    assert permit.status == PermitStatus.ACTIVE and permit.started_at and permit.checks_confirmed == permit.kind.checks

    with pytest.raises(DomainError, match="照片"):
        services.permit_close(permit=permit, by=w.officer_a, note="现场已清理", photos=[])
    services.permit_close(permit=permit, by=w.officer_a, note="现场已清理，无遗留火种", photos=[jpeg()])
    permit.refresh_from_db()
    assert permit.status == PermitStatus.CLOSED and permit.photos.count() == 1 and permit.closed_by == w.officer_a
    assert verbs(permit) == [
        "work_permit.created",
        "work_permit.submitted",
        "work_permit.approved",
        "work_permit.approved",
        "work_permit.gas_tested",
        "work_permit.gas_tested",
        "work_permit.started",
        "work_permit.closed",
    ]


def test_special_hot_work_also_needs_the_principal(people):
    w = people
    permit = make_permit(w, code="hot-special")
    assert permit.kind.steps == ["department", "safety_office", "principal"]
    services.permit_submit(permit=permit, by=w.staff_a)
    services.permit_approve(permit=permit, by=w.extra["deputy_a"])
    services.permit_approve(permit=permit, by=w.officer_a)
    permit.refresh_from_db()
    assert permit.status == PermitStatus.APPROVING and permit.pending_step == "principal"
    assert workflow.allowed_actions(permit, w.officer_a) == ["cancel", "gas-test"]
    with pytest.raises(NotPermittedError):
        services.permit_approve(permit=permit, by=w.officer_a)
    services.permit_approve(permit=permit, by=w.head_a)
    permit.refresh_from_db()
    assert permit.status == PermitStatus.APPROVED
    assert list(permit.approvals.values_list("step", flat=True)) == ["department", "safety_office", "principal"]


def test_who_approves_each_step(people):
    w = people
    permit = services.permit_submit(permit=make_permit(w), by=w.staff_a)
    # the department step: the department's head or the deputy, not the safety officer or staff
    assert workflow.allowed_actions(permit, w.extra["dept_head_a"])[:2] == ["approve", "reject"]
    assert "approve" not in workflow.allowed_actions(permit, w.officer_a)
    assert "approve" not in workflow.allowed_actions(permit, w.staff_a)
    # the applicant never approves their own permit
    own = make_permit(w, by=w.extra["dept_head_a"])
    services.permit_submit(permit=own, by=w.extra["dept_head_a"])
    with pytest.raises(ConflictError, match="申请人本人"):
        services.permit_approve(permit=own, by=w.extra["dept_head_a"])
    # nor rejects it
    with pytest.raises(ConflictError, match="申请人本人"):
        services.permit_reject(permit=own, by=w.extra["dept_head_a"], reason="自己驳回")
    assert "reject" not in workflow.allowed_actions(own, w.extra["dept_head_a"])
    own.refresh_from_db()
    assert own.status == PermitStatus.APPROVING and not own.approvals.exists()
    # another approver of the step still decides it
    services.permit_reject(permit=own, by=w.extra["deputy_a"], reason="措施不全")


def test_reject_ends_the_permit_with_the_reason(people):
    w = people
    permit = make_permit(w)
    services.permit_submit(permit=permit, by=w.staff_a)
    with pytest.raises(DomainError, match="驳回理由"):
        services.permit_reject(permit=permit, by=w.extra["deputy_a"], reason=" ")
    services.permit_reject(permit=permit, by=w.extra["deputy_a"], reason="措施不全")
    permit.refresh_from_db()
    assert permit.status == PermitStatus.REJECTED and permit.cancel_reason == "措施不全"
    assert PermitApproval.objects.get(permit=permit).approved is False
    with pytest.raises(ConflictError, match="已驳回"):
        services.permit_approve(permit=permit, by=w.officer_a)


def test_a_failing_reading_never_passes(people):
    w = people
    permit = approve_all(w, make_permit(w, code="confined-space"))
    test = gas_test(w, permit, oxygen="18.0", passed=True)
    assert test.passed is False
    with pytest.raises(ConflictError, match="不合格"):
        services.permit_start(permit=permit, by=w.officer_a, checks=all_checks(permit))
    with pytest.raises(DomainError, match="晚于现在"):
        services.permit_gas_test(
            permit=permit,
            by=w.officer_a,
            data={
                "tested_at": timezone.now() + dt.timedelta(hours=1),
                "oxygen_percent": "20.9",
                "combustible_lel_percent": "0",
                "passed": True,
                "tester_name": "刘",
            },
        )


def test_work_without_gas_test_starts_on_approval(people):
    w = people
    permit = approve_all(w, make_permit(w, code="height"))
    assert rules.start_blockers(permit) == []
    services.permit_start(permit=permit, by=w.extra["dept_head_a"], checks=all_checks(permit))  # the guardian
    permit.refresh_from_db()
    assert permit.status == PermitStatus.ACTIVE


def test_resume_after_suspension_needs_a_new_gas_test(people):
    w = people
    permit = approve_all(w, make_permit(w))
    gas_test(w, permit, minutes_ago=1)
    services.permit_start(permit=permit, by=w.officer_a, checks=all_checks(permit))
    with pytest.raises(DomainError, match="暂停原因"):
        services.permit_suspend(permit=permit, by=w.head_a, reason="")
    services.permit_suspend(permit=permit, by=w.head_a, reason="午休")
    permit.refresh_from_db()
    assert permit.status == PermitStatus.SUSPENDED
    with pytest.raises(ConflictError, match="气体分析"):
        services.permit_resume(permit=permit, by=w.officer_a)
    gas_test(w, permit, minutes_ago=0)
    services.permit_resume(permit=permit, by=w.officer_a)
    permit.refresh_from_db()
    assert permit.status == PermitStatus.ACTIVE


def test_window_and_parts_are_checked(people):
    w = people
    now = timezone.now()
    with pytest.raises(DomainError, match="最长 8 小时"):
        make_permit(w, planned_start=now, planned_end=now + dt.timedelta(hours=9))
    with pytest.raises(DomainError, match="晚于计划开始"):
        make_permit(w, planned_start=now, planned_end=now - dt.timedelta(hours=1))
    with pytest.raises(DomainError, match="作业单位"):
        make_permit(w, department=None)
    with pytest.raises(DomainError, match="须属于本单位"):
        make_permit(w, department=w.dept_b)
    # a permit whose window has passed cannot start
    permit = approve_all(w, make_permit(w, code="height"))
    permit.planned_end = now - dt.timedelta(minutes=1)
    permit.planned_start = now - dt.timedelta(hours=2)
    permit.save()
    assert any("已超过计划结束时间" in r for r in rules.start_blockers(permit))


def test_cancel_needs_a_reason_and_is_final(people):
    w = people
    permit = make_permit(w)
    with pytest.raises(DomainError, match="取消原因") as exc:
        services.permit_cancel(permit=permit, by=w.staff_a, reason="  ")
    assert exc.value.field == "reason"
    permit.refresh_from_db()
    assert permit.status == PermitStatus.DRAFT and not permit.cancel_reason
    services.permit_cancel(permit=permit, by=w.staff_a, reason="改期")
    permit.refresh_from_db()
    assert permit.status == PermitStatus.CANCELLED
    with pytest.raises(ConflictError):
        services.permit_submit(permit=permit, by=w.staff_a)
