"""Real xlsx files, written with openpyxl into the test's tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from anjian.core.xlsx import XLSX_CONTENT_TYPE


def write_xlsx(path: Path, headers: list[str], rows: list[list], *, title: str = "Sheet", above: list | None = None):
    wb = Workbook()
    ws = wb.active
    ws.title = title
    if above:
        ws.append(above)
    ws.append(headers)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def as_upload(path: Path, name: str | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name or path.name, path.read_bytes(), content_type=XLSX_CONTENT_TYPE)


@pytest.fixture
def xlsx(tmp_path):
    """``xlsx(headers, rows, name=...)`` → an uploaded file holding a real workbook."""

    def make(headers, rows, *, name="导入.xlsx", title="Sheet", above=None):
        path = write_xlsx(tmp_path / "upload.xlsx", headers, rows, title=title, above=above)
        return as_upload(path, name)

    return make


@pytest.fixture
def sheet(xlsx):
    """``sheet([{"名称": ..., ...}, ...])`` → an upload whose header is the union of the keys."""

    def make(records: list[dict], **kwargs):
        headers = list(dict.fromkeys(key for record in records for key in record))
        return xlsx(headers, [[record.get(h) for h in headers] for record in records], **kwargs)

    return make
