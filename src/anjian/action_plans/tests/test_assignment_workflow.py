"""The assignment's workflow table: every state's allowed actions for each kind of user, the refusals
in Chinese, and the services moving an assignment to the state each rule leads to."""

import pytest
from django.utils import translation

from anjian.action_plans import services, workflow
from anjian.action_plans.choices import AssignmentStatus as S
from anjian.action_plans.choices import ReviewState as R
from anjian.action_plans.models import Assignment
from anjian.core.errors import ConflictError, DomainError, NotPermittedError

ACTIONS = ["report", "claim", "accept", "return"]


def _in_state(world, status, review_state, report_count) -> Assignment:
    return Assignment(
        organization=world.hospital_a, status=status, review_state=review_state, report_count=report_count
    )


def test_the_table_names_each_action_once():
    assert list(workflow.RULES) == ACTIONS
    assert {r.status for r in workflow.RULES.values()} <= set(S)
    assert {r.review_state for r in workflow.RULES.values()} - {None} <= set(R)


@pytest.mark.parametrize(("status", "review_state"), workflow.STATES)
def test_each_state_allows_its_actions_to_each_user(world, status, review_state):
    reported = 0 if status == S.NOT_STARTED else 1
    a = _in_state(world, status, review_state, reported)
    done = status == S.DONE
    expected = {
        "officer_a": [] if done else ["report", "claim"],  # the responsible unit
        "regulator_a": [] if done else (["return"] if not reported else ["accept", "return"]),  # its regulator
        "regulator_b": [],  # another district's regulator
        "clinic_officer_a": [],  # another unit of the same district
        "staff_a": [],  # the unit's staff: the role may not report
        "admin": [],
    }
    for name, actions in expected.items():
        assert workflow.allowed_actions(a, getattr(world, name)) == actions, (name, status, review_state)
    system = [] if done else [action for action in ACTIONS if reported or action != "accept"]
    assert workflow.allowed_actions(a, None) == system


def test_a_refusal_says_why_in_chinese(world):
    done = _in_state(world, S.DONE, R.ACCEPTED, 2)
    fresh = _in_state(world, S.NOT_STARTED, R.NONE, 0)
    with translation.override("zh-hans"):
        cases = [
            (done, "report", world.officer_a, ConflictError, "该任务已确认完成，无需再报告进展。"),
            (done, "claim", world.officer_a, ConflictError, "该任务已确认完成，无需再报告进展。"),
            (done, "accept", world.regulator_a, ConflictError, "该任务已确认完成。"),
            (done, "return", world.regulator_a, ConflictError, "该任务已确认完成。"),
            (fresh, "accept", world.regulator_a, DomainError, "责任单位尚未报告进展，不能确认完成。"),
            (fresh, "report", world.clinic_officer_a, NotPermittedError, "只有责任单位本单位的人员可以填报。"),
            (fresh, "report", world.regulator_a, NotPermittedError, "您的角色不能报告任务进展。"),
            (fresh, "return", world.regulator_b, NotPermittedError, "只有本辖区的监管部门可以审核。"),
            (fresh, "return", world.officer_a, NotPermittedError, "您的角色不能审核任务进展。"),
        ]
        for a, action, user, error, message in cases:
            problem = workflow.refusal(a, action, user)
            assert type(problem) is error and str(problem.message) == message, (action, user)
            with pytest.raises(error, match=message):
                workflow.require(a, action, user)


def test_the_services_follow_the_table(world, imported):
    a = Assignment.objects.get(task__plan=imported, task__number="1", organization=world.hospital_a)

    def state():
        a.refresh_from_db()
        return a.status, a.review_state

    services.progress_report(by=world.officer_a, assignment=a, text="已部署")
    assert state() == (S.IN_PROGRESS, R.NONE)
    services.progress_report(by=world.officer_a, assignment=a, text="已完成", claims_done=True)
    assert state() == (S.IN_PROGRESS, R.PENDING)
    services.assignment_review(by=world.regulator_a, assignment=a, accept=False, comment="请补充材料")
    assert state() == (S.IN_PROGRESS, R.RETURNED)
    services.progress_report(by=world.officer_a, assignment=a, text="补充了签到表")
    assert state() == (S.IN_PROGRESS, R.RETURNED)  # a plain report keeps the regulator's last word
    services.progress_report(by=world.officer_a, assignment=a, text="材料齐全", claims_done=True)
    services.assignment_review(by=world.regulator_a, assignment=a, accept=True)
    assert state() == (S.DONE, R.ACCEPTED)
    with pytest.raises(ConflictError, match="无需再报告进展"):
        services.progress_report(by=world.officer_a, assignment=a, text="再报")
    with pytest.raises(ConflictError, match="该任务已确认完成"):
        services.assignment_review(by=world.regulator_a, assignment=a, accept=False, comment="退回")
    assert state() == (S.DONE, R.ACCEPTED) and a.report_count == 4
