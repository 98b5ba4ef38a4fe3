"""Files people upload to plans and progress reports: only documents and images proven by their
content (``core.uploads``), refused with nothing written otherwise, and sent back only as downloads."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from docx import Document
from rest_framework.test import APIClient

from anjian.action_plans import services
from anjian.action_plans.models import Assignment, ImportDraft, Plan, ProgressAttachment, ProgressReport
from anjian.core.errors import DomainError
from anjian.core.models import AuditEvent

EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 120 + b"This program cannot be run in DOS mode"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def assignment(world, imported):
    return Assignment.objects.get(task__plan=imported, task__number="1", organization=world.hospital_a)


def _docx() -> bytes:
    doc = Document()
    doc.add_paragraph("培训签到表")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _stored_files(media) -> list[Path]:
    return [p for p in Path(media).rglob("*") if p.is_file()]


def _report_page(client, user, assignment, files):
    client.force_login(user)
    data = {"text": "已完成全员培训", "reported_on": timezone.localdate().isoformat(), "attachments": files}
    return client.post(reverse("action_plans:assignment-report", args=[assignment.pk]), data)


def test_virus_exe_attached_to_a_progress_report_is_refused_and_nothing_is_written(client, world, assignment, _media):
    events = AuditEvent.objects.count()
    files = [
        SimpleUploadedFile("签到表.pdf", PDF, content_type="application/pdf"),
        SimpleUploadedFile("virus.exe", EXE, content_type="application/x-msdownload"),
    ]

    response = _report_page(client, world.officer_a, assignment, files)

    assert response.status_code == 200
    assert "“virus.exe”是可执行程序或脚本，不能上传。" in response.content.decode()
    assert not ProgressReport.objects.exists() and not ProgressAttachment.objects.exists()
    assert _stored_files(_media) == []  # not even the good file next to it
    assert AuditEvent.objects.count() == events
    assignment.refresh_from_db()
    assert assignment.report_count == 0 and assignment.status == "not_started"


def test_an_exe_renamed_to_pdf_is_refused_by_its_content(client, world, assignment, _media):
    response = _report_page(
        client, world.officer_a, assignment, [SimpleUploadedFile("整改报告.pdf", EXE, content_type="application/pdf")]
    )

    assert "“整改报告.pdf”是可执行程序或脚本，不能上传。" in response.content.decode()
    assert not ProgressReport.objects.exists() and _stored_files(_media) == []


def test_a_web_page_attached_as_a_report_is_refused(world, assignment):
    page = SimpleUploadedFile(
        "整改情况.html", b"<html><script>alert(document.cookie)</script>", content_type="text/html"
    )

    with pytest.raises(DomainError, match=r"“整改情况\.html”的文件类型不允许上传"):
        services.progress_report(by=world.officer_a, assignment=assignment, text="见附件", attachments=[page])
    assert not ProgressReport.objects.exists()


def test_the_report_page_says_which_files_may_be_attached(client, world, assignment):
    client.force_login(world.officer_a)
    page = client.get(reverse("action_plans:assignment-report", args=[assignment.pk])).content.decode()

    assert "可上传 PDF、Word（doc、docx）、Excel（xls、xlsx）、WPS、OFD、JPG、PNG 文件，每个不超过 20 MB" in page
    assert 'accept=".pdf,.docx,.doc,.xlsx,.xls,.wps,.ofd,.jpg,.jpeg,.png"' in page


def test_attachments_are_downloaded_with_their_chinese_names_and_never_sniffed(client, world, assignment):
    files = [
        SimpleUploadedFile("培训签到表.docx", _docx(), content_type="application/octet-stream"),
        SimpleUploadedFile("整改报告.pdf", PDF, content_type="application/pdf"),
    ]
    response = _report_page(client, world.officer_a, assignment, files)
    assert response.status_code == 302
    pdf = ProgressAttachment.objects.get(name="整改报告.pdf")

    client.force_login(world.regulator_a)  # the regulator reads it
    download = client.get(reverse("action_plans:attachment", args=[pdf.pk]))

    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    disposition = download["Content-Disposition"]
    assert disposition.startswith("attachment; filename=\"download.pdf\"; filename*=UTF-8''")
    assert "%E6%95%B4%E6%94%B9%E6%8A%A5%E5%91%8A.pdf" in disposition  # 整改报告.pdf, intact
    assert b"".join(download.streaming_content) == PDF


def test_an_old_html_attachment_is_still_only_a_download(client, world, assignment):
    """Files stored before the check (or put there by hand) go out as opaque downloads, never as a page."""
    report = services.progress_report(by=world.officer_a, assignment=assignment, text="旧附件")
    old = ProgressAttachment(report=report, name="说明.html")
    old.file.save("说明.html", ContentFile(b"<script>alert(1)</script>"), save=True)

    client.force_login(world.officer_a)
    download = client.get(reverse("action_plans:attachment", args=[old.pk]))

    assert download["Content-Type"] == "application/octet-stream"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("attachment;")


def test_a_plans_document_must_be_a_document(client, world, groups, _media):
    client.force_login(world.regulator_a)
    response = client.post(
        reverse("action_plans:plan-create"),
        {"title": "2025年安全生产工作要点", "document": SimpleUploadedFile("方案.pdf", EXE)},
    )

    assert response.status_code == 200 and "“方案.pdf”是可执行程序或脚本，不能上传。" in response.content.decode()
    assert not Plan.objects.exists() and _stored_files(_media) == []

    response = client.post(
        reverse("action_plans:plan-create"),
        {"title": "2025年安全生产工作要点", "document": SimpleUploadedFile("方案.pdf", PDF)},
    )
    plan = Plan.objects.get()
    download = client.get(reverse("action_plans:plan-document", args=[plan.pk]))
    assert download["Content-Type"] == "application/pdf" and download["X-Content-Type-Options"] == "nosniff"
    assert "filename*=UTF-8''%E6%96%B9%E6%A1%88.pdf" in download["Content-Disposition"]


def test_a_task_table_that_is_not_an_xlsx_inside_is_refused(world, groups):
    api_client = APIClient()
    api_client.force_authenticate(world.regulator_a)

    response = api_client.post(
        "/api/v1/plans/import/", {"file": SimpleUploadedFile("任务清单.xlsx", EXE)}, format="multipart"
    )

    assert response.status_code == 400
    assert "“任务清单.xlsx”是可执行程序或脚本，不能上传。" in response.json()["detail"]
    assert not ImportDraft.objects.exists()
