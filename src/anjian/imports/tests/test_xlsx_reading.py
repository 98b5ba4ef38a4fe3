"""core.xlsx: reading an upload into rows of text, and refusing files that cannot be used."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from anjian.core.xlsx import XlsxError, cell_text, parse_bool, parse_date, parse_int, read_sheet, split_list

from .conftest import as_upload


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (500112.0, "500112"),
        (500112, "500112"),
        (13800138000.0, "13800138000"),
        (1.5, "1.5"),
        (0.1, "0.1"),
        (True, "是"),
        (False, "否"),
        (dt.datetime(2026, 1, 31), "2026-01-31"),
        (dt.datetime(2026, 1, 31, 8, 30), "2026-01-31 08:30:00"),
        (dt.date(2026, 1, 31), "2026-01-31"),
        ("  心内科\u3000", "心内科"),
    ],
)
def test_cells_become_the_text_a_person_typed(value, text):
    assert cell_text(value) == text


def test_parse_helpers():
    assert parse_bool("是") is True
    assert parse_bool("否") is False
    assert parse_bool("") is False
    assert parse_bool("Y") is True
    with pytest.raises(ValueError, match="是”或“否"):
        parse_bool("也许")
    assert parse_int("1,200") == 1200
    assert parse_int("500.0") == 500
    assert parse_int("") is None
    with pytest.raises(ValueError, match="整数"):
        parse_int("五百")
    with pytest.raises(ValueError, match="整数"):
        parse_int("1.5")
    with pytest.raises(ValueError, match="不能小于"):
        parse_int("-3")
    assert parse_date("2026年1月31日") == dt.date(2026, 1, 31)
    assert parse_date("2026/1/31") == dt.date(2026, 1, 31)
    with pytest.raises(ValueError, match="日期"):
        parse_date("2026-02-30")
    assert split_list("病区护士、护工，保洁;护工\n电工") == ["病区护士", "护工", "保洁", "电工"]


def test_rows_keep_excel_numbers_and_skip_blank_rows(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["人员名单"])  # a title row above the header
    ws.append(["用户名*", "姓名", "备注"])
    ws.append(["zhang", "张三", None])
    ws.append([None, None, None])  # a blank row in between
    ws.append(["li", "李四", 500112.0])
    path = tmp_path / "a.xlsx"
    wb.save(path)

    sheet = read_sheet(as_upload(path), name="a.xlsx", required=["用户名", "姓名"])

    assert sheet.header_row == 2
    assert sheet.headers == ["用户名", "姓名", "备注"]
    assert [(r.number, r.values) for r in sheet.rows] == [
        (3, {"用户名": "zhang", "姓名": "张三", "备注": ""}),
        (5, {"用户名": "li", "姓名": "李四", "备注": "500112"}),
    ]


def test_the_named_sheet_is_preferred(tmp_path):
    wb = Workbook()
    wb.active.title = "填写说明"
    wb.active.append(["说明"])
    ws = wb.create_sheet("人员")
    ws.append(["用户名"])
    ws.append(["wang"])
    path = tmp_path / "b.xlsx"
    wb.save(path)
    sheet = read_sheet(as_upload(path), name="b.xlsx", required=["用户名"], sheet_title="人员")
    assert sheet.rows[0].values == {"用户名": "wang"}


def test_a_file_that_is_not_xlsx_is_refused():
    fake = SimpleUploadedFile("名单.xlsx", b"name,username\n", content_type="text/csv")
    with pytest.raises(XlsxError, match=r"不是有效的 \.xlsx 文件"):
        read_sheet(fake, name=fake.name, required=["用户名"])
    csv = SimpleUploadedFile("名单.csv", b"name\n")
    with pytest.raises(XlsxError, match=r"另存为 \.xlsx"):
        read_sheet(csv, name=csv.name, required=["用户名"])
    doc = SimpleUploadedFile("名单.docx", b"PK\x03\x04")
    with pytest.raises(XlsxError, match=r"请上传 \.xlsx"):
        read_sheet(doc, name=doc.name, required=["用户名"])


def test_a_missing_required_column_is_named(xlsx):
    upload = xlsx(["姓名", "科室"], [["张三", "心内科"]])
    with pytest.raises(XlsxError, match="缺少必填列：用户名、角色"):
        read_sheet(upload, name=upload.name, required=["用户名", "姓名", "角色"])


def test_an_empty_sheet_and_a_header_without_rows_are_refused(tmp_path, xlsx):
    path = tmp_path / "empty.xlsx"
    Workbook().save(path)
    with pytest.raises(XlsxError, match="是空的"):
        read_sheet(as_upload(path), name="empty.xlsx", required=["用户名"])
    upload = xlsx(["用户名", "姓名"], [])
    with pytest.raises(XlsxError, match="没有数据行"):
        read_sheet(upload, name=upload.name, required=["用户名"])


def test_too_many_rows_and_too_many_bytes_are_refused(xlsx):
    upload = xlsx(["用户名"], [[f"u{i}"] for i in range(6)])
    with pytest.raises(XlsxError, match="超过 5 行"):
        read_sheet(upload, name=upload.name, required=["用户名"], max_rows=5)
    assert len(read_sheet(upload, name=upload.name, required=["用户名"], max_rows=6).rows) == 6
    with pytest.raises(XlsxError, match="文件过大"):
        read_sheet(upload, name=upload.name, required=["用户名"], max_bytes=100)


def test_a_repeated_column_is_refused(xlsx):
    upload = xlsx(["用户名", "姓名", "用户名*"], [["a", "b", "c"]])
    with pytest.raises(XlsxError, match="出现了不止一次"):
        read_sheet(upload, name=upload.name, required=["用户名"])
