"""Open a generated file in LibreOffice (headless: converted to PDF) and read the PDF's text back.

A file LibreOffice cannot read produces no PDF, and the test fails with what LibreOffice said.
Each conversion has its own LibreOffice profile directory, so tests running side by side (the
SQLite and PostgreSQL suites) never share one. CI installs libreoffice-calc-nogui,
libreoffice-writer-nogui and poppler-utils (.ci/run); without them these tests fail, saying so.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest


def _binary(name: str, package: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is not installed: apt-get install {package} (.ci/run installs it)", pytrace=False)
    return path


def pdf_text(data: bytes, suffix: str) -> str:
    """The text of ``data`` (an .xlsx or .docx file's bytes) as LibreOffice prints it."""
    office = _binary("libreoffice", "libreoffice-calc-nogui libreoffice-writer-nogui")
    pdftotext = _binary("pdftotext", "poppler-utils")
    with tempfile.TemporaryDirectory(prefix="anjian-office-") as tmp:
        folder = Path(tmp)
        source = folder / f"document{suffix}"
        source.write_bytes(data)
        profile = folder / "profile"
        result = subprocess.run(  # noqa: S603 - a fixed binary on our own temporary file
            [
                office,
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless",
                "--norestore",
                "--convert-to",
                "pdf",
                "--outdir",
                str(folder / "out"),
                str(source),
            ],
            capture_output=True,
            text=True,
            timeout=180,
        )
        pdf = folder / "out" / "document.pdf"
        assert pdf.exists(), f"LibreOffice could not open the {suffix} file:\n{result.stdout}\n{result.stderr}"
        text = subprocess.run(  # noqa: S603 - a fixed binary on our own temporary file
            [pdftotext, str(pdf), "-"], capture_output=True, text=True, timeout=60, check=True
        ).stdout
    return text


def squeeze(text: str) -> str:
    """The text without white space (PDF layout splits words and lines where it likes)."""
    return "".join(text.split())
