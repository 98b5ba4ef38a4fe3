"""The one period type (core.periods.Period): compact codes read and written back, the half year,
the half-open ``stop``, and the API's dict."""

from __future__ import annotations

import datetime as dt

import pytest

from anjian.core.periods import Period, PeriodError


@pytest.mark.parametrize(
    ("text", "kind", "start", "end", "label", "code"),
    [
        ("2026-05", "month", dt.date(2026, 5, 1), dt.date(2026, 5, 31), "2026年5月", "2026-05"),
        ("2028-2", "month", dt.date(2028, 2, 1), dt.date(2028, 2, 29), "2028年2月", "2028-02"),
        ("2026-q3", "quarter", dt.date(2026, 7, 1), dt.date(2026, 9, 30), "2026年第三季度", "2026-Q3"),
        ("2026-H1", "half", dt.date(2026, 1, 1), dt.date(2026, 6, 30), "2026年上半年", "2026-H1"),
        ("2026-H2", "half", dt.date(2026, 7, 1), dt.date(2026, 12, 31), "2026年下半年", "2026-H2"),
        (" 2026 ", "year", dt.date(2026, 1, 1), dt.date(2026, 12, 31), "2026年", "2026"),
    ],
)
def test_a_compact_code_is_read_and_written_back(text, kind, start, end, label, code):
    period = Period.parse(text)
    assert (period.kind, period.start, period.end, period.label, period.code) == (kind, start, end, label, code)
    assert period.stop == end + dt.timedelta(days=1)
    assert Period.parse(period.code) == period


def test_the_same_period_by_parameters_and_by_code():
    assert Period.from_params({"quarter": "2026Q3"}) == Period.parse("2026-Q3")
    assert Period.from_params({"month": "2026-11"}) == Period.parse("2026-11")
    assert Period.from_params({"year": "2026"}) == Period.parse("2026")


@pytest.mark.parametrize("text", ["2026-13", "9999", "0001-01", "2026-H3", "26-01", ""])
def test_a_bad_code_is_refused_naming_the_field(text):
    with pytest.raises(PeriodError) as exc:
        Period.parse(text, field="period")
    assert exc.value.field == "period"
    assert "期间" in str(exc.value.message) or "年份" in str(exc.value.message)


def test_as_dict_is_what_the_api_answers():
    period = Period.parse("2026-Q4")
    assert period.as_dict(today=dt.date(2026, 12, 5)) == {
        "kind": "quarter",
        "key": "2026Q4",
        "label": "2026年第四季度",
        "start": "2026-10-01",
        "end": "2026-12-31",
        "as_of": "2026-12-05",
    }
