"""Uploaded documents are checked by content, not by name (``core.uploads``), and go back to the
browser only as downloads it may neither render nor sniff."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from docx import Document
from openpyxl import Workbook
from PIL import Image

from anjian.core.errors import DomainError
from anjian.core.uploads import (
    OLE2,
    check_upload,
    check_uploads,
    content_disposition,
    protect_download,
)

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200 + b"This program cannot be run"


def pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def docx() -> bytes:
    doc = Document()
    doc.add_paragraph("整改报告")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def xlsx() -> bytes:
    wb = Workbook()
    wb.active["A1"] = "台账"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def ole2(stream: str) -> bytes:
    """A compound file (doc, xls, wps) with one directory entry named ``stream``, laid out as Office
    lays it out: a 512-byte header, then 128-byte directory entries (name in UTF-16, its length at 64)."""
    header = OLE2 + b"\x00" * (512 - len(OLE2))
    name = stream.encode("utf-16-le") + b"\x00\x00"
    entry = name + b"\x00" * (64 - len(name)) + len(name).to_bytes(2, "little") + b"\x02" + b"\x00" * 61
    return header + entry + b"\x00" * 384


def image(fmt: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, format=fmt)
    return out.getvalue()


def zipped(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    return out.getvalue()


def macro_workbook() -> bytes:
    """An .xlsm (macro-enabled) workbook: its main part says so."""
    with zipfile.ZipFile(io.BytesIO(xlsx())) as source:
        files = {name: source.read(name) for name in source.namelist()}
    files["[Content_Types].xml"] = files["[Content_Types].xml"].replace(
        b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml"
    )
    files["xl/vbaProject.bin"] = b"\x00" * 64
    return zipped(files)


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("整改报告.pdf", pdf(), "pdf"),
        ("整改报告.docx", docx(), "docx"),
        ("隐患台账.xlsx", xlsx(), "xlsx"),
        ("旧版报告.doc", ole2("WordDocument"), "doc"),
        ("旧版台账.xls", ole2("Workbook"), "xls"),
        ("金山文字.wps", ole2("WordDocument"), "wps"),
        ("电子公文.ofd", zipped({"OFD.xml": b"<ofd:OFD/>", "Doc_0/Document.xml": b"<x/>"}), "ofd"),
        ("现场照片.JPG", image("JPEG"), "jpg"),
        ("现场照片.jpeg", image("JPEG"), "jpg"),
        ("截图.png", image("PNG"), "png"),
    ],
)
def test_the_allowed_types_pass_when_the_content_is_what_the_name_says(name, data, kind):
    f = upload(name, data)

    assert check_upload(f).key == kind
    assert f.tell() == 0  # left at its start, ready to be stored


def test_virus_exe_is_refused_naming_the_file():
    with pytest.raises(DomainError, match=re.escape("“virus.exe”是可执行程序或脚本，不能上传")):
        check_upload(upload("virus.exe", EXE))


def test_an_exe_renamed_to_pdf_is_refused_naming_the_file():
    with pytest.raises(DomainError, match=re.escape("“整改报告.pdf”是可执行程序或脚本，不能上传")):
        check_upload(upload("整改报告.pdf", EXE))


def test_a_file_whose_content_is_not_what_its_name_says_is_refused():
    with pytest.raises(DomainError, match=re.escape("“台账.xlsx”的内容不是有效的 xlsx 文件")):
        check_upload(upload("台账.xlsx", docx()))  # a Word document named .xlsx
    with pytest.raises(DomainError, match=re.escape("“报告.doc”的内容不是有效的 doc 文件")):
        check_upload(upload("报告.doc", ole2("Workbook")))  # an Excel 97 workbook named .doc
    with pytest.raises(DomainError, match=re.escape("“照片.png”的内容不是有效的 PNG 文件")):
        check_upload(upload("照片.png", image("JPEG")))
    with pytest.raises(DomainError, match=re.escape("“宏.xlsx”的内容不是有效的 xlsx 文件")):
        check_upload(upload("宏.xlsx", macro_workbook()))


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("通知.html", b"<!DOCTYPE html><script>alert(1)</script>"),
        ("标志.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("资料.zip", zipped({"readme.txt": b"x"})),
        ("run.bat", b"@echo off"),
        ("说明.txt", "说明".encode()),
        ("报告.rtf", b"{\\rtf1 x}"),
    ],
)
def test_pages_archives_scripts_and_other_types_are_refused(name, data):
    with pytest.raises(DomainError, match=re.escape(f"“{name}”的文件类型不允许上传。可上传的类型：PDF、docx")):
        check_upload(upload(name, data))


def test_a_web_page_named_pdf_is_refused_as_a_web_page():
    with pytest.raises(DomainError, match=re.escape("“通知.pdf”实际是网页或 XML/SVG 文件")):
        check_upload(upload("通知.pdf", b"  <html><body onload=alert(1)>"))


def test_empty_and_too_big_files_are_refused(settings):
    settings.ATTACHMENT_MAX_BYTES = 1024 * 1024
    with pytest.raises(DomainError, match=re.escape("“空.pdf”是空文件")):
        check_upload(upload("空.pdf", b""))
    with pytest.raises(DomainError, match=re.escape("“大.pdf”太大（2.0 MB），不能超过 1 MB")):
        check_upload(upload("大.pdf", pdf() + b"0" * (2 * 1024 * 1024)))


def test_a_narrower_allow_list_is_kept():
    with pytest.raises(DomainError, match=re.escape("可上传的类型：xlsx。")):
        check_upload(upload("报告.pdf", pdf()), allowed=("xlsx",))


def test_several_files_are_all_checked_before_any_is_kept():
    files = [upload("a.pdf", pdf()), upload("b.pdf", EXE)]

    with pytest.raises(DomainError, match=re.escape("“b.pdf”")) as refused:
        check_uploads(files)
    assert refused.value.field == "attachments"


def test_a_download_keeps_its_chinese_name_and_has_an_ascii_fallback():
    header = content_disposition("整改报告（第2版）.pdf")

    assert header.startswith("attachment; ")
    assert 'filename="download.pdf"' in header
    assert "filename*=UTF-8''%E6%95%B4%E6%94%B9%E6%8A%A5%E5%91%8A%EF%BC%88%E7%AC%AC2%E7%89%88%EF%BC%89.pdf" in header


def test_a_crafted_name_cannot_break_the_header_or_reach_a_path():
    header = content_disposition('../../etc/passwd"\r\nSet-Cookie: x=1.pdf')

    assert "\r" not in header and "\n" not in header
    assert '"' not in header.split('filename="', 1)[1].split('";', 1)[0]
    assert "passwd" in header and "/" not in header.split("filename*=UTF-8''", 1)[1].replace("%2F", "")


def test_protect_download_says_attachment_and_nosniff():
    response = protect_download(HttpResponse(b"x", content_type="application/pdf"), "a.pdf")

    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
