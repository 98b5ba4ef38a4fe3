"""The periodic statistics report (action_plans' 安全生产专项整治月度统计表) starts with what the platform
counts for the institution and the period, by the same selectors as the monthly statistics form and
the compliance page; impossible figures are refused; a corrected figure carries its reason to the
regulator; the regulator's own columns are not on an institution's form."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect
from rest_framework.test import APIClient

from anjian.action_plans import figures, services
from anjian.action_plans.defaults import ensure_defaults, ensure_report_examples
from anjian.action_plans.models import ReportDefinition, ReportSubmission, UnitGroup
from anjian.core.errors import DomainError
from anjian.core.periods import Period
from anjian.hazards.choices import HazardLevel, HazardStatus
from anjian.inspections import selectors as inspection_selectors
from anjian.inspections.tests.helpers import make_schedule
from anjian.reports import monthly
from anjian.reports.tests import records as r

pytestmark = pytest.mark.django_db


def _last_month() -> dt.date:
    return (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)


@pytest.fixture
def jilin(world):
    ensure_defaults()
    return ensure_report_examples(world.district_a, by=world.regulator_a)[1]


@pytest.fixture
def ledger(world):
    """hospital_a last month: 3 general (2 closed within it), 1 major open; and what must not count."""
    w, month = world, _last_month()
    day = month + dt.timedelta(days=4)
    r.hazard(w.hospital_a, found=r.at(day), status=HazardStatus.CLOSED, accepted_at=r.at(day + dt.timedelta(days=2)))
    r.hazard(w.hospital_a, found=r.at(day), status=HazardStatus.CLOSED, accepted_at=r.at(day + dt.timedelta(days=3)))
    r.hazard(w.hospital_a, found=r.at(day + dt.timedelta(days=1)))
    r.hazard(w.hospital_a, found=r.at(day), level=HazardLevel.MAJOR)
    r.hazard(w.hospital_a, found=r.at(day), status=HazardStatus.DISMISSED)  # not a hazard after all
    r.hazard(w.clinic_a, found=r.at(day))  # another institution
    r.hazard(w.hospital_a, found=r.at(month - dt.timedelta(days=3)))  # the month before
    return month


def _fill_url(definition, month: dt.date) -> str:
    return reverse("action_plans:report-fill", args=[definition.pk]) + f"?period={month:%Y-%m}"


def _input(page: str, name: str) -> str:
    found = re.search(rf'<input[^>]*name="{name}"[^>]*>', page)
    assert found, name
    return found.group(0)


def test_statistics_report_starts_with_the_figures_of_the_ledger(client, world, jilin, ledger):
    client.force_login(world.officer_a)

    page = client.get(_fill_url(jilin, ledger)).content.decode()

    expected = {"hazards_total": 4, "general_found": 3, "general_fixed": 2, "major_found": 1, "major_fixed": 0}
    for name, value in expected.items():
        assert f'value="{value}"' in _input(page, name), name
        assert f'data-counted="{value}"' in _input(page, name)
    assert "已按隐患台账和排查记录预填 5 项数字" in page
    assert "平台按隐患台账和排查记录统计：3。" in page
    # the very figures of the monthly statistics form's 当月累计 row for the institution
    form = monthly.monthly_form(user=world.officer_a, month=f"{ledger:%Y-%m}")
    row = next(row for row in form.rows if row.kind == "month").values
    assert (row["hazards_found"], row["general_found"], row["general_rectified"]) == (4, 3, 2)
    assert (row["major_found"], row["major_rectified"]) == (1, 0)


def test_the_regulators_own_columns_are_not_on_an_institutions_form(client, world, jilin, ledger):
    client.force_login(world.officer_a)
    page = client.get(_fill_url(jilin, ledger)).content.decode()

    for label in ("组建检查组", "督导检查", "检查单位", "发现问题", "约谈警示"):
        assert label not in page, label
    with pytest.raises(DomainError, match="“组建检查组（个）”由监管部门填写，医疗机构不填报。"):
        services.submission_save(by=world.officer_a, definition=jilin, period=ledger, values={"teams": 2})

    values = {"hazards_total": 4, "general_found": 3, "general_fixed": 2, "major_found": 1, "major_fixed": 0}
    submission = services.submission_save(
        by=world.officer_a, definition=jilin, period=ledger, values=values, submit=True
    )  # complete without them, and as counted: no reason asked
    assert submission.status == "submitted" and submission.reasons == {}
    assert submission.counted == values


def test_impossible_figures_are_refused_naming_the_fields(client, world, jilin, ledger):
    client.force_login(world.officer_a)
    data = {"hazards_total": "1", "general_found": "5", "general_fixed": "9", "major_found": "0", "major_fixed": "0"}

    response = client.post(_fill_url(jilin, ledger), {**data, "draft": "1"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "“一般隐患已整改（项）”（9）不能大于“一般隐患（项）”（5）。" in page
    assert "“一般隐患（项）”（5）不能大于“排查发现隐患总数（项）”（1）。" in page
    assert "“一般隐患（项）”与“重大隐患（项）”之和（5）应等于“排查发现隐患总数（项）”（1）。" in page
    assert not ReportSubmission.objects.exists()
    with pytest.raises(DomainError, match=r"“重大隐患已整改（项）”（2）不能大于“重大隐患（项）”（1）"):
        services.submission_save(
            by=world.officer_a,
            definition=jilin,
            period=ledger,
            values={"hazards_total": 4, "general_found": 3, "major_found": 1, "major_fixed": 2},
        )


def test_a_corrected_figure_needs_a_reason_which_the_regulator_reads(client, world, jilin, ledger):
    client.force_login(world.officer_a)
    data = {"hazards_total": "5", "general_found": "4", "general_fixed": "2", "major_found": "1", "major_fixed": "0"}

    refused = client.post(_fill_url(jilin, ledger), {**data, "submit": "1"}).content.decode()

    assert "“一般隐患（项）”填写4，与平台按台账统计的3不一致，请填写更正原因。" in refused
    assert "“排查发现隐患总数（项）”填写5，与平台按台账统计的4不一致，请填写更正原因。" in refused
    assert not ReportSubmission.objects.exists()

    reason = "上级检查组现场发现1项，当场整改，未录入台账"
    reasons = {"general_found__reason": reason, "hazards_total__reason": reason}
    assert client.post(_fill_url(jilin, ledger), {**data, **reasons, "submit": "1"}).status_code == 302
    submission = ReportSubmission.objects.get()
    assert submission.values["general_found"] == 4 and submission.counted["general_found"] == 3
    assert submission.reasons == {"general_found": reason, "hazards_total": reason}

    client.force_login(world.regulator_a)
    detail = reverse("action_plans:report-detail", args=[jilin.pk]) + f"?period={ledger:%Y-%m}"
    for url in (detail, reverse("action_plans:submission-detail", args=[submission.pk])):
        page = client.get(url).content.decode()
        assert f"平台统计 3，已更正：{reason}" in page, url
        assert f"平台统计 4，已更正：{reason}" in page, url
    export = client.get(reverse("action_plans:report-export", args=[jilin.pk]) + f"?period={ledger:%Y-%m}")
    ws = load_workbook(io.BytesIO(export.content)).active
    header = [c.value for c in ws[2]]
    row = next(row for row in ws.iter_rows(min_row=3, values_only=True) if row[0] == "甲区人民医院")
    assert f"一般隐患（项）：平台统计3，填报4，{reason}" in row[header.index("与平台统计不一致的说明")]
    assert "组建检查组（个）" not in header


def test_a_custom_report_prefills_the_inspections_as_the_compliance_page_counts_them(client, world, ledger):
    ensure_defaults()
    make_schedule(world.officer_a, starts_on=ledger - dt.timedelta(days=30))
    client.force_login(world.regulator_a)
    client.post(
        reverse("action_plans:report-create"),
        {
            "name": "隐患排查月报",
            "field_lines": "应开展排查（次）#\n已开展排查（次）#\n一般隐患（项）#\n情况说明",
            "frequency": "monthly",
            "due_day": 5,
            "months_after": 1,
            "holiday_shift": "none",
            "unit_groups": [g.pk for g in UnitGroup.objects.filter(all_institutions=True)],
        },
    )
    definition = ReportDefinition.objects.get(name="隐患排查月报")
    end = figures.period_end(ledger, definition.frequency)
    period = Period.custom(ledger, end)
    total = inspection_selectors.compliance(
        user=world.officer_a, period=period, organization=world.hospital_a, detail=False
    ).total

    counted = figures.counted_for(definition, user=world.officer_a, organization=world.hospital_a, period=ledger)

    assert total.due > 0
    assert counted == {"f1": total.due, "f2": total.done, "f3": 3}
    client.force_login(world.officer_a)
    page = client.get(_fill_url(definition, ledger)).content.decode()
    assert f'value="{total.due}"' in _input(page, "f1")


def test_the_api_says_what_the_platform_counts(world, jilin, ledger):
    api = APIClient()
    api.force_authenticate(world.officer_a)

    body = api.get(f"/api/v1/report-definitions/{jilin.pk}/prefill/?period={ledger.isoformat()}").json()

    assert body["counted"] == {
        "hazards_total": 4,
        "general_found": 3,
        "general_fixed": 2,
        "major_found": 1,
        "major_fixed": 0,
    }
    assert body["fields"] == ["hazards_total", "general_found", "general_fixed", "major_found", "major_fixed"]
    response = api.post(
        "/api/v1/report-submissions/",
        {
            "definition": jilin.pk,
            "period": ledger.isoformat(),
            "values": {**body["counted"], "general_found": 4, "hazards_total": 5},
            "reasons": {"general_found": "补录", "hazards_total": "补录"},
            "submit": True,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["reasons"] == {"general_found": "补录", "hazards_total": "补录"}


@pytest.mark.browser
def test_in_the_browser_a_changed_figure_asks_for_its_reason(world, jilin, ledger, page, browser_login, password):
    browser_login(page, world.officer_a.username, password, next_url=_fill_url(jilin, ledger))
    general = page.get_by_label("一般隐患（项）", exact=True)
    reason = page.get_by_label("“一般隐患（项）”的更正原因")
    expect(general).to_have_value("3")
    expect(page.get_by_label("组建检查组（个）")).to_have_count(0)
    assert reason.get_attribute("required") is None

    general.fill("4")
    page.get_by_label("排查发现隐患总数（项）", exact=True).fill("5")
    expect(reason).to_have_attribute("required", "")
    expect(reason).to_have_class(re.compile("border-warning"))
    page.get_by_role("button", name="保存草稿").click()  # a draft may wait for the reason
    expect(page.get_by_role("alert").first).to_contain_text("草稿已保存")

    page.goto(_fill_url(jilin, ledger))
    expect(page.get_by_label("一般隐患（项）", exact=True)).to_have_value("4")  # the draft's, not the count
    page.get_by_label("“一般隐患（项）”的更正原因").fill("上级检查组现场发现1项")
    page.get_by_label("“排查发现隐患总数（项）”的更正原因").fill("上级检查组现场发现1项")
    page.get_by_role("button", name="报送", exact=True).click()
    expect(page.get_by_role("alert").first).to_contain_text("已报送")
    assert ReportSubmission.objects.get().reasons["general_found"] == "上级检查组现场发现1项"
