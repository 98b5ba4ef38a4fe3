"""Periodic reports: definitions with due rules, drafts, submission, who is late."""

import datetime as dt

import pytest

from anjian.action_plans import selectors, services
from anjian.action_plans.defaults import ensure_report_examples
from anjian.action_plans.models import ReportSubmission
from anjian.core.errors import ConflictError, DomainError, NotPermittedError

pytestmark = pytest.mark.calendar  # depends on the day: run again on other pinned days


@pytest.fixture
def putuo(world, groups):
    return ensure_report_examples(world.district_a, by=world.regulator_a)[0]


def test_examples_are_idempotent(world, putuo):
    assert len(ensure_report_examples(world.district_a, by=world.regulator_a)) == 2
    assert putuo.max_chars == 800 and putuo.due_day == 25


def test_draft_then_submit(world, putuo):
    period = dt.date(2025, 5, 1)
    s = services.submission_save(by=world.officer_a, definition=putuo, period=period, values={"highlights": "开展培训"})
    assert s.status == "draft"
    with pytest.raises(DomainError, match="请填写"):
        services.submission_save(
            by=world.officer_a, definition=putuo, period=period, values={"highlights": "x"}, submit=True
        )
    full = {"highlights": "培训", "difficulties": "经费", "major_hazards": "无", "plan": "按期整改"}
    s = services.submission_save(by=world.officer_a, definition=putuo, period=period, values=full, submit=True)
    assert s.status == "submitted" and ReportSubmission.objects.count() == 1
    with pytest.raises(ConflictError):
        services.submission_save(by=world.officer_a, definition=putuo, period=period, values=full)


def test_800_characters_at_most(world, putuo):
    values = {"highlights": "字" * 500, "difficulties": "字" * 301, "major_hazards": "", "plan": ""}
    with pytest.raises(DomainError, match="超过了800字"):
        services.submission_save(by=world.officer_a, definition=putuo, period=dt.date(2025, 5, 1), values=values)
    assert not ReportSubmission.objects.exists()


def test_integers_checked(world):
    jilin = ensure_report_examples(world.district_a, by=world.regulator_a)[1]
    with pytest.raises(DomainError, match="整数"):
        services.submission_save(
            by=world.officer_a, definition=jilin, period=dt.date(2025, 9, 1), values={"hazards_total": "十二"}
        )


def test_who_is_late(world, putuo):
    full = {"highlights": "培训", "difficulties": "经费", "major_hazards": "无", "plan": "按期整改"}
    services.submission_save(by=world.officer_a, definition=putuo, period=dt.date(2025, 5, 1), values=full, submit=True)
    status = selectors.report_period_status(
        user=world.regulator_a, definition=putuo, period=dt.date(2025, 5, 1), today=dt.date(2025, 6, 3)
    )
    assert status.due == dt.date(2025, 5, 25)
    rows = {unit.name: (sub is not None, late) for unit, sub, late in status.rows}
    assert rows["甲区诊所"] == (False, True)
    assert status.late == 1 and status.submitted == 1


def test_only_owing_units_of_the_jurisdiction_submit(world, putuo):
    with pytest.raises(NotPermittedError):
        services.submission_save(by=world.officer_b, definition=putuo, period=dt.date(2025, 5, 1), values={})
    with pytest.raises(NotPermittedError):
        services.submission_save(by=world.regulator_a, definition=putuo, period=dt.date(2025, 5, 1), values={})
