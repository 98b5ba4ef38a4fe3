"""Office files (xlsx, docx) are zip archives: a 1 MB upload can hold a part that inflates to a
gigabyte (a decompression bomb). Every reader checks the archive's directory first, before a byte
is inflated: how many members, how big each is and all are once inflated, and how much each
inflates. A refusal is a ``DomainError`` in Chinese.

The sizes checked are the ones the archive declares; ``zipfile`` stops a member at its declared
size (and fails its CRC), so a member cannot inflate past what was checked here.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from typing import IO

from django.utils.translation import gettext as _

from anjian.core.errors import DomainError

MB = 1024 * 1024


@dataclass(frozen=True)
class ArchiveLimits:
    members: int = 500  # an xlsx of a few sheets has 10–30 parts
    member_bytes: int = 64 * MB  # one part inflated: 20,000 rows of a sheet are ~20 MB of XML
    total_bytes: int = 160 * MB  # all parts inflated
    ratio: int = 100  # inflated : compressed, for parts over ``ratio_from`` (XML inflates 5–30×)
    ratio_from: int = 1 * MB


DEFAULT_LIMITS = ArchiveLimits()


class ArchiveError(DomainError):
    """The upload is not a readable archive, or one too big once inflated."""


class NotAnArchive(ArchiveError):
    """Not a zip archive at all (a renamed .xls, an executable…): the reader says what it expected."""


def _human(size: int) -> str:
    return f"{size / MB:.0f} MB" if size >= MB else f"{max(1, size // 1024)} KB"


def check_archive(file: IO[bytes], *, name: str = "", limits: ArchiveLimits = DEFAULT_LIMITS) -> None:
    """Refuse ``file`` unless it is a zip archive within ``limits``; leaves it at position 0."""
    label = name or _("上传的文件")
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise NotAnArchive(_("“%(name)s”不是有效的 Office 文件（xlsx/docx），无法读取。") % {"name": label}) from exc
    finally:
        file.seek(0)
    if len(infos) > limits.members:
        raise ArchiveError(
            _("“%(name)s”包含 %(n)d 个部件，超过 %(max)d 个的上限，不像是正常的 Office 文件。")
            % {"name": label, "n": len(infos), "max": limits.members}
        )
    total = 0
    for info in infos:
        total += info.file_size
        too_big = info.file_size > limits.member_bytes
        inflates = info.file_size > limits.ratio_from and info.file_size > limits.ratio * max(info.compress_size, 1)
        if too_big or inflates:
            raise ArchiveError(
                _("“%(name)s”的部件 %(part)s 解压后有 %(size)s（压缩时 %(packed)s），超出允许范围，不能读取。")
                % {
                    "name": label,
                    "part": info.filename,
                    "size": _human(info.file_size),
                    "packed": _human(info.compress_size),
                }
            )
    if total > limits.total_bytes:
        raise ArchiveError(
            _("“%(name)s”解压后共 %(size)s，超过 %(max)s 的上限，请拆分后再上传。")
            % {"name": label, "size": _human(total), "max": _human(limits.total_bytes)}
        )


def worksheet_rows(file: IO[bytes]) -> int:
    """The most rows any worksheet of an xlsx holds, counted by streaming its XML (bounded memory),
    for a reader that must load a whole workbook (merged cells) to refuse a huge one first. Call
    after ``check_archive``."""
    most = 0
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            for info in archive.infolist():
                if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
                    continue
                rows, tail = 0, b""
                with archive.open(info) as part:
                    while chunk := part.read(1024 * 1024):
                        data = tail + chunk
                        rows += data.count(b"<row ") + data.count(b"<row>")
                        tail = data[-5:]  # a tag cut between chunks is counted in the next one
                        rows -= tail.count(b"<row ") + tail.count(b"<row>")
                    rows += tail.count(b"<row ") + tail.count(b"<row>")
                most = max(most, rows)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise NotAnArchive(_("上传的文件不是有效的 Office 文件（xlsx/docx），无法读取。")) from exc
    finally:
        file.seek(0)
    return most
