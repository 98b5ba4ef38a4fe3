"""The demo: the Yubei plan (渝北卫健〔2024〕143号) imported for the demo district, assignments in every
state, a few months of progress, both example monthly reports with submissions, drafts and late units."""

import pytest

from anjian.action_plans import demo, due, selectors
from anjian.action_plans.choices import AssignmentStatus, ReviewState, SubmissionStatus
from anjian.action_plans.models import Assignment, Plan, ProgressReport, ReportSubmission
from anjian.core.testing.database import made_once

pytestmark = pytest.mark.calendar  # depends on the day: run again on other pinned days


@pytest.fixture(scope="module")
def demo_db(django_db_setup, django_db_blocker):
    """The demo of the apps this one builds on and its own (``manage.py seed_demo`` runs them all)."""
    from anjian.accounts import demo as accounts_demo
    from anjian.orgs import demo as orgs_demo

    with made_once(django_db_blocker):
        orgs_demo.seed()
        accounts_demo.seed()
        assert demo.seed() > 0
        assert demo.seed() == 0  # a second run changes nothing
        yield


@pytest.mark.usefixtures("demo_db")
def test_the_yubei_plan_with_assignments_in_every_state(db):
    from django.utils import timezone

    plan = Plan.objects.get(document_number=demo.NUMBER)
    assert plan.title == demo.TITLE and plan.organization.is_regulator
    assert (plan.start_year, plan.end_year) == (2024, 2026)
    assert plan.tasks.count() == 16 and plan.actions.count() == 8 and plan.issued_on.isoformat() == "2024-04-28"
    task = plan.tasks.get(number="5")
    assert task.title == "推进安全生产标准化建设" and task.content.startswith("落实WS308")
    assert task.targets["text"].startswith("2024年底前：在全系统推进安全生产标准化建设")
    assert not plan.tasks.filter(deadline_unclear=True).exists()
    assignments = Assignment.objects.filter(task__plan=plan)
    today = timezone.localdate()
    assert {a.status for a in assignments} == set(AssignmentStatus.values)
    assert {a.review_state for a in assignments} >= {ReviewState.PENDING, ReviewState.RETURNED, ReviewState.ACCEPTED}
    assert any(a.is_overdue(today) for a in assignments)
    months = {
        (r.reported_on.year, r.reported_on.month) for r in ProgressReport.objects.filter(assignment__task__plan=plan)
    }
    assert len(months) >= 3


@pytest.mark.usefixtures("demo_db")
def test_monthly_reports_submitted_drafts_and_late(db):
    from django.utils import timezone

    from anjian.accounts.models import User

    subs = ReportSubmission.objects.all()
    assert {s.definition.template_key for s in subs} == {"putuo_monthly", "jilin_monthly"}
    assert {s.status for s in subs} == {SubmissionStatus.DRAFT, SubmissionStatus.SUBMITTED}
    regulator = User.objects.get(username="regulator")
    for definition in selectors.report_definition_list(user=regulator):
        last = due.add_months(due.current_period(definition, timezone.localdate()), -1)
        status = selectors.report_period_status(user=regulator, definition=definition, period=last)
        assert status.submitted and status.late, definition.name  # some did, some are late
