"""Importing a task table: preview first, nothing stored until confirmed; then one assignment per
task × responsible unit of the regulator's jurisdiction."""

import pytest

from anjian.action_plans import services
from anjian.action_plans.choices import DraftStatus
from anjian.action_plans.models import Assignment, ImportDraft, Plan, Task
from anjian.action_plans.tests.helpers import seed_002_xlsx, seed_003_xlsx
from anjian.core.audit import AuditVerb
from anjian.core.errors import ConflictError, DomainError, NotPermittedError
from anjian.core.models import AuditEvent
from anjian.core.xlsx import XlsxError


def test_preview_stores_no_plan(world, groups):
    draft = services.plan_import_preview(by=world.regulator_a, file=seed_003_xlsx(), name="附件3.xlsx")
    assert len(draft.parsed["tasks"]) == 56
    assert not Plan.objects.exists() and not Task.objects.exists()
    assert draft.organization == world.district_a


def test_confirm_stores_plan_tasks_and_assignments(world, imported):
    plan = imported
    assert plan.organization == world.district_a
    assert plan.tasks.count() == 56 and plan.actions.count() == 6
    assert plan.start_year == 2024 and plan.end_year == 2026
    task = plan.tasks.get(number="3")
    assert task.lead_offices == ["安全生产与项目规划科", "医政科", "基层卫生科"]
    # 局属各单位 (public hospital_a) and 各基层和民营医疗机构 (clinic_a is a private clinic)
    assert set(task.assignments.values_list("organization", flat=True)) == {world.hospital_a.pk, world.clinic_a.pk}
    # "各县（市）区卫生健康局" names no institution here: the task stays unassigned (shown in the preview)
    assert not plan.tasks.get(number="46").assignments.exists()
    assert not Assignment.objects.filter(organization=world.hospital_b).exists()
    assert AuditEvent.objects.filter(verb=AuditVerb.PLAN_IMPORTED, target_id=str(plan.pk)).exists()
    draft = ImportDraft.objects.get()
    assert draft.status == DraftStatus.CONFIRMED and draft.plan == plan


def test_confirm_twice_is_refused(world, imported):
    draft = ImportDraft.objects.get()
    with pytest.raises(ConflictError):
        services.plan_import_confirm(by=world.regulator_a, draft=draft)
    assert Plan.objects.count() == 1


def test_deadline_fix_at_confirmation(world, groups):
    draft = services.plan_import_preview(by=world.regulator_a, file=seed_002_xlsx(), name="附件1.xlsx")
    draft.parsed["year"] = None  # a table without a year in its title: "12 月" cannot be dated
    draft.parsed["tasks"][0]["deadline_text"] = "下半年"
    draft.save()
    with pytest.raises(DomainError, match="仍无法识别"):
        services.plan_import_confirm(by=world.regulator_a, draft=draft, fixes={"1": "年底"})
    plan = services.plan_import_confirm(by=world.regulator_a, draft=draft, fixes={"1": "2024年12月前"})
    first = plan.tasks.get(number="1")
    assert str(first.deadline) == "2024-12-31" and not first.deadline_unclear
    assert plan.tasks.get(number="2").deadline_unclear  # "12 月" without a year: kept, flagged, not guessed


def test_institution_cannot_import(world, groups):
    with pytest.raises(NotPermittedError):
        services.plan_import_preview(by=world.officer_a, file=seed_003_xlsx(), name="a.xlsx")


def test_bad_file_changes_nothing(world, groups):
    import io

    with pytest.raises(XlsxError):
        services.plan_import_preview(by=world.regulator_a, file=io.BytesIO(b"x"), name="a.xlsx")
    assert not ImportDraft.objects.exists()
