"""The ledger's xlsx prints (A4 landscape, fitted to the width, title and header on every page, the
panes frozen), and the ledger's filter bar says which date is wrong instead of ignoring it."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from anjian.hazards.tests.helpers import report

pytestmark = pytest.mark.django_db
LEDGER = reverse("hazards:hazard-list")
EXPORT = reverse("hazards:hazard-export")


def test_the_ledger_xlsx_prints_landscape_on_a4_fitted_to_the_width_with_its_header_on_every_page(client, people):
    w = people
    for n in range(3):
        report(w.officer_a, w.hospital_a, title=f"隐患{n}")
    client.force_login(w.officer_a)
    response = client.get(EXPORT)
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active

    assert ws.page_setup.orientation == "landscape"
    assert str(ws.page_setup.paperSize) == "9"  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert int(ws.page_setup.fitToWidth) == 1 and int(ws.page_setup.fitToHeight) == 0  # as many pages down
    assert ws.print_title_rows.replace("$", "") == "1:2"  # the title and the header row on every printed page
    assert ws.freeze_panes == "A3"
    assert ws.cell(row=2, column=2).value == "隐患编号" and ws.max_row == 2 + 3


def test_a_bad_ledger_date_is_said_next_to_its_box_and_nothing_is_listed(client, people):
    w = people
    report(w.officer_a, w.hospital_a)
    client.force_login(w.officer_a)
    response = client.get(LEDGER, {"found_from": "2026-13-01"})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="error-found_from"' in body
    assert "发现日期起“2026-13-01”不是有效的日期" in body
    assert "筛选条件中的日期有误，请更正后再查看" in body  # not the whole ledger as if unfiltered
    assert response.context["page_obj"].paginator.count == 0
    assert 'data-testid="export"' not in body  # nothing to export until it is put right


def test_the_ledger_form_shows_all_its_date_errors_at_once(client, people):
    w = people
    client.force_login(w.officer_a)
    response = client.get(
        LEDGER,
        {"found_from": "2026-02-30", "deadline_from": "2026-12-09", "deadline_to": "2026-12-01", "open_on": "昨天"},
    )
    body = response.content.decode()
    for field in ("found_from", "deadline_from"):  # each next to its box
        assert f'data-testid="error-{field}"' in body
    summary = body.split('data-testid="filter-errors"', 1)[1].split("</div>\n</div>", 1)[0]
    assert "发现日期起“2026-02-30”" in summary
    assert "整改期限起（2026-12-09）不能晚于整改期限止（2026-12-01）" in summary
    assert "截至当日未销号“昨天”" in summary  # a statistics figure's hidden date has no box: listed here
    assert "3 处有误" in summary


def test_a_good_date_and_a_stale_select_still_filter_quietly(client, people):
    w = people
    report(w.officer_a, w.hospital_a)
    client.force_login(w.officer_a)
    response = client.get(LEDGER, {"found_from": "2020-01-01", "department": "999999"})
    body = response.content.decode()
    assert "filter-errors" not in body and response.context["page_obj"].paginator.count == 1


def test_exporting_with_a_bad_date_goes_back_to_the_ledger_which_says_why(client, people):
    w = people
    report(w.officer_a, w.hospital_a)
    client.force_login(w.officer_a)
    response = client.get(EXPORT, {"found_from": "2026-13-01"})
    assert response.status_code == 302 and response["Location"] == f"{LEDGER}?found_from=2026-13-01"
    body = client.get(response["Location"]).content.decode()
    assert "请更正后再导出" in body and 'data-testid="error-found_from"' in body
