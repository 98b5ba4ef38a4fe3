"""The inspection regime's life cycles, one table each (inspections/workflow.py), walked: in every
state the actions the people concerned may take, and a refused action with its Chinese message, the
one the services raise."""

import datetime as dt

import pytest
from django.utils import timezone

from anjian.core.errors import ConflictError, DomainError, NotPermittedError
from anjian.core.testing.factories import make_user
from anjian.inspections import services, workflow
from anjian.inspections.choices import InspectionState, TemplateStatus
from anjian.inspections.tests.helpers import answers, make_schedule, starter

pytestmark = pytest.mark.django_db

NOT_YOURS = "只能修改本单位的检查表；通用检查表请先复制为本单位检查表。"
PUBLISHED_NEVER_CHANGES = "已发布的检查表版本不能修改，请新建版本后再修改。"
NOT_THE_CORRECTOR = "只有原检查人或本单位负责人、安全管理员可以更正检查记录。"


def refused(subject, action, user) -> tuple[type, str]:
    """The refusal's kind and message (the table says why the action is not open now)."""
    problem = workflow.refusal(subject, action, user)
    assert problem is not None, f"{action} is allowed"
    return type(problem), str(problem.message)


def test_each_table_covers_its_states():
    for rules, states in ((workflow.TEMPLATE_RULES, TemplateStatus), (workflow.RECORD_RULES, InspectionState)):
        assert set().union(*(rule.sources for rule in rules.values())) == set(states)
        assert all(rule.target is None or rule.target in states for rule in rules.values())
        assert all(rule.sources <= set(states) for rule in rules.values())
    assert workflow.RETIRED_ON_PUBLISH == (TemplateStatus.PUBLISHED, TemplateStatus.RETIRED)


def test_a_checklist_from_draft_to_published_to_retired(world):
    officer, nurse = world.officer_a, world.staff_a
    v1 = services.template_create(by=officer, data={"name": "门诊大厅防火巡查表"})

    # draft, still empty: edited; published only with an item; never used for an inspection
    assert v1.status == TemplateStatus.DRAFT
    assert workflow.allowed_actions(v1, officer) == ["edit"]
    assert refused(v1, "publish", officer) == (DomainError, "检查表至少要有一个检查项才能发布。")
    assert refused(v1, "use", officer) == (DomainError, "检查表尚未发布，不能用于检查。")
    pending = "该检查表已有未发布的草稿（第1版），请先编辑或发布它。"
    assert refused(v1, "new-version", officer) == (ConflictError, pending)
    assert refused(v1, "edit", nurse) == (NotPermittedError, NOT_YOURS)
    services.item_add(by=officer, template=v1, section_title="疏散", data={"text": "安全出口畅通"})
    assert workflow.allowed_actions(v1, officer) == ["edit", "publish"]
    assert workflow.allowed_actions(v1, nurse) == []

    # published: used, the start of a new version; never changed
    v1 = services.template_publish(by=officer, template=v1)
    assert v1.status == TemplateStatus.PUBLISHED
    assert workflow.allowed_actions(v1, officer) == ["new-version", "use"]
    assert workflow.allowed_actions(v1, nurse) == ["use"]
    assert refused(v1, "edit", officer) == (ConflictError, PUBLISHED_NEVER_CHANGES)
    assert refused(v1, "publish", officer) == (ConflictError, PUBLISHED_NEVER_CHANGES)
    with pytest.raises(ConflictError, match=PUBLISHED_NEVER_CHANGES):
        services.template_update(by=officer, template=v1, data={"name": "改名"})

    # one draft at a time: asked of the family's latest version
    v2 = services.template_new_version(by=officer, template=v1)
    assert (v2.version, v2.status) == (2, TemplateStatus.DRAFT)
    with pytest.raises(ConflictError, match=r"^该检查表已有未发布的草稿（第2版），请先编辑或发布它。$"):
        services.template_new_version(by=officer, template=v1)

    # retired by the next version's publication: still used (records keep it), still the start of one
    services.template_publish(by=officer, template=v2)
    v1.refresh_from_db()
    assert v1.status == TemplateStatus.RETIRED
    assert workflow.allowed_actions(v1, officer) == ["new-version", "use"]
    assert refused(v1, "edit", officer) == (ConflictError, PUBLISHED_NEVER_CHANGES)


def test_the_starter_library_is_everyones_to_use_and_nobodys_to_edit(world):
    library = starter()
    for user in (world.officer_a, world.regulator_a, world.staff_a):
        assert workflow.allowed_actions(library, user) == ["use"]
    assert refused(library, "edit", world.officer_a) == (NotPermittedError, NOT_YOURS)
    assert refused(library, "new-version", world.regulator_a) == (NotPermittedError, NOT_YOURS)


def test_an_inspection_due_then_done_then_corrected(world):
    nurse, officer = world.staff_a, world.officer_a
    schedule = make_schedule(officer, post=world.post_a)  # the ward's nurses, daily
    colleague = make_user(organization=world.hospital_a, role="staff")  # of the hospital, not of the post

    due = workflow.Inspection(schedule=schedule)
    assert due.state == InspectionState.DUE
    assert workflow.allowed_actions(due, nurse) == ["submit"]
    assert workflow.allowed_actions(due, officer) == ["submit"]  # the unit's leaders and safety officer
    assert workflow.allowed_actions(due, colleague) == []
    assert refused(due, "submit", colleague) == (NotPermittedError, f"排查计划“{schedule.name}”不是您的排查任务。")
    assert refused(due, "correct", nurse) == (NotPermittedError, NOT_THE_CORRECTOR)  # nothing filed yet

    record = services.inspection_submit(by=nurse, schedule=schedule, results=answers(starter()))
    done = workflow.Inspection(schedule=schedule, record=record)
    assert done.state == InspectionState.DONE
    assert workflow.allowed_actions(done, nurse) == ["correct"]
    assert workflow.allowed_actions(done, officer) == ["correct"]
    assert workflow.allowed_actions(done, colleague) == []
    message = f"本周期已完成该检查（记录 {record.number}）；如需更正，请在该记录上提交更正。"
    assert refused(done, "submit", nurse) == (workflow.SlotDoneError, message)
    with pytest.raises(services.SlotDoneError, match=message) as err:
        services.inspection_submit(by=nurse, schedule=schedule, results=answers(starter()))
    assert err.value.record == record and err.value.status_code == 409
    assert refused(done, "correct", colleague) == (NotPermittedError, NOT_THE_CORRECTOR)
    with pytest.raises(NotPermittedError, match=NOT_THE_CORRECTOR):
        services.inspection_correct_check(by=colleague, record=record)

    correction = services.inspection_submit(
        by=officer, corrects=record, correction_reason="漏记一项", results=answers(starter())
    )
    assert correction.corrects == record and correction.period_start == record.period_start
    # a correction is a record too: its own inspector (the officer) and the unit's leaders correct it
    corrected = workflow.Inspection(record=correction)
    assert workflow.allowed_actions(corrected, officer) == ["correct"]
    assert workflow.allowed_actions(corrected, nurse) == []
    assert refused(corrected, "submit", officer)[0] is workflow.SlotDoneError  # done: correct it instead


def test_a_supervision_checklist_is_filed_by_the_regulators_team(world):
    supervision = services.supervision_record(
        by=world.regulator_a,
        institution=world.hospital_a,
        data={"date": timezone.localdate() - dt.timedelta(days=1), "subject": "专项督导", "team": "甲监管"},
    )
    due = workflow.Inspection(supervision=supervision)
    assert workflow.allowed_actions(due, world.regulator_a) == ["submit"]
    team_only = "督导检查记录由监管部门或其委托的检查人员填写。"
    assert refused(due, "submit", world.officer_a) == (NotPermittedError, team_only)
    with pytest.raises(NotPermittedError, match=team_only):
        services.inspection_submit(
            by=world.officer_a, supervision=supervision, template=starter(), results=answers(starter())
        )
