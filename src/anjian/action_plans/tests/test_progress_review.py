"""Progress reports by the responsible unit, review by the regulator; overdue derived."""

import datetime as dt

import pytest
from django.utils import timezone

from anjian.action_plans import services
from anjian.action_plans.choices import AssignmentStatus, ReviewState
from anjian.action_plans.models import Assignment
from anjian.action_plans.rules import assignment_overdue_q
from anjian.core.audit import AuditVerb
from anjian.core.errors import ConflictError, DomainError, NotPermittedError
from anjian.core.models import AuditEvent


@pytest.fixture
def assignment(world, imported):
    return Assignment.objects.get(task__plan=imported, task__number="1", organization=world.hospital_a)


def test_report_then_accept(world, assignment):
    services.progress_report(by=world.officer_a, assignment=assignment, text="已纳入年度学习计划", claims_done=True)
    assignment.refresh_from_db()
    assert (assignment.status, assignment.review_state) == (AssignmentStatus.IN_PROGRESS, ReviewState.PENDING)
    services.assignment_review(by=world.regulator_a, assignment=assignment, accept=True)
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.DONE and assignment.colour == "green"
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {AuditVerb.PROGRESS_REPORTED, AuditVerb.ASSIGNMENT_ACCEPTED} <= verbs
    with pytest.raises(ConflictError):
        services.progress_report(by=world.officer_a, assignment=assignment, text="再报")


def test_return_needs_a_comment(world, assignment):
    services.progress_report(by=world.officer_a, assignment=assignment, text="进行中", claims_done=True)
    with pytest.raises(DomainError, match="意见"):
        services.assignment_review(by=world.regulator_a, assignment=assignment, accept=False)
    services.assignment_review(by=world.regulator_a, assignment=assignment, accept=False, comment="请补充培训记录")
    assignment.refresh_from_db()
    assert assignment.review_state == ReviewState.RETURNED and assignment.status == AssignmentStatus.IN_PROGRESS
    assert assignment.status_label in ("已退回", "逾期·推进中")


def test_only_the_unit_reports_and_only_its_regulator_reviews(world, assignment):
    with pytest.raises(NotPermittedError):
        services.progress_report(by=world.clinic_officer_a, assignment=assignment, text="冒名")
    with pytest.raises(NotPermittedError):
        services.progress_report(by=world.regulator_a, assignment=assignment, text="代报")
    services.progress_report(by=world.officer_a, assignment=assignment, text="进行中")
    with pytest.raises(NotPermittedError):
        services.assignment_review(by=world.regulator_b, assignment=assignment, accept=True)
    with pytest.raises(NotPermittedError):
        services.assignment_review(by=world.officer_a, assignment=assignment, accept=True)


def test_bad_input_changes_nothing(world, assignment):
    before = AuditEvent.objects.count()
    with pytest.raises(DomainError, match="请填写工作进展"):
        services.progress_report(by=world.officer_a, assignment=assignment, text="  ")
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(DomainError, match="不能晚于今天"):
        services.progress_report(by=world.officer_a, assignment=assignment, text="x", reported_on=tomorrow)
    with pytest.raises(DomainError, match="尚未报告"):
        services.assignment_review(by=world.regulator_a, assignment=assignment, accept=True)
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.NOT_STARTED and AuditEvent.objects.count() == before


def test_overdue_is_derived(world, assignment):
    assert assignment.task.deadline == dt.date(2024, 12, 31)
    assert assignment.is_overdue(dt.date(2025, 1, 1)) and not assignment.is_overdue(dt.date(2024, 12, 31))
    assert Assignment.objects.filter(assignment_overdue_q(dt.date(2025, 1, 1)), pk=assignment.pk).exists()
