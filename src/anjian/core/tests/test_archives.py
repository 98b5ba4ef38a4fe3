"""Office uploads are checked as archives before a byte is inflated: a 1 MB xlsx whose shared
strings inflate to gigabytes made a worker grow by 1.7 GB; now it is refused at once, in Chinese."""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from anjian.core.archives import ArchiveError, ArchiveLimits, NotAnArchive, check_archive
from anjian.core.testing.bombs import shared_strings_bomb
from anjian.core.testing.factories import api_client

MB = 1024 * 1024


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return shared_strings_bomb(200)


def test_the_bomb_is_small_on_the_wire(bomb):
    assert len(bomb) < 2 * MB


@pytest.mark.django_db
def test_a_shared_strings_bomb_is_refused_by_the_staff_import_at_once(world, bomb):
    upload = SimpleUploadedFile("人员.xlsx", bomb, content_type="application/octet-stream")
    tracemalloc.start()
    started = time.monotonic()
    try:
        response = api_client(world.officer_a).post("/api/v1/imports/staff/", {"file": upload}, format="multipart")
        seconds = time.monotonic() - started
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.status_code == 400
    assert "解压后" in str(response.json()), response.json()
    assert peak < 30 * MB, peak  # the upload itself is ~1 MB; inflating would take gigabytes
    assert seconds < 5, seconds  # generous for a loaded CI machine; scripts/bombs.py measures it


def test_limits_refuse_many_members_a_big_member_a_high_ratio_and_a_big_total():
    def archive(members: dict[str, bytes]) -> io.BytesIO:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, data in members.items():
                zf.writestr(name, data)
        return out

    small = ArchiveLimits(members=3, member_bytes=3 * MB, total_bytes=4 * MB, ratio=10, ratio_from=MB)
    lenient = ArchiveLimits(members=3, member_bytes=3 * MB, total_bytes=4 * MB, ratio=10_000, ratio_from=MB)
    check_archive(archive({"a.xml": b"x" * 1000}), limits=small)
    cases = [
        (small, {f"{i}.xml": b"x" for i in range(4)}, "4 个部件"),
        (lenient, {"big.xml": b"x" * (4 * MB)}, "big.xml"),  # one part too big
        (small, {"dense.xml": b"x" * (2 * MB)}, "dense.xml"),  # inflates 1000:1
        (lenient, {"a.xml": b"x" * (2 * MB), "b.xml": b"y" * (2 * MB + 1)}, "解压后共"),  # all together
    ]
    for limits, members, says in cases:
        with pytest.raises(ArchiveError, match=says):
            check_archive(archive(members), limits=limits)
    with pytest.raises(NotAnArchive, match="不是有效的 Office 文件"):
        check_archive(io.BytesIO(b"MZ\x90\x00 not a zip"), name="virus.xlsx")
