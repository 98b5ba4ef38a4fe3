"""Photos: a few kilobytes of PNG claiming 13000×13000 pixels (a decompression bomb) is refused from
its header, before a pixel is decoded; what is kept carries no metadata of the original."""

from __future__ import annotations

import io
import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from anjian.core.errors import DomainError
from anjian.core.images import MAX_SIDE, PIXEL_BUDGET, process_upload


def upload(img: Image.Image, fmt: str, name: str, **save) -> SimpleUploadedFile:
    out = io.BytesIO()
    img.save(out, format=fmt, **save)
    return SimpleUploadedFile(name, out.getvalue(), content_type=f"image/{fmt.lower()}")


@pytest.fixture(scope="module")
def bombs() -> dict[str, SimpleUploadedFile]:
    return {
        "13000×13000 PNG": upload(Image.new("1", (13000, 13000)), "PNG", "bomb.png", optimize=True),
        "60000×2900 PNG": upload(Image.new("1", (60000, 2900)), "PNG", "strip.png", optimize=True),
        "8000×6000 PNG": upload(Image.new("1", (8000, 6000)), "PNG", "over.png", optimize=True),  # our own check
    }


@pytest.mark.parametrize("which", ["13000×13000 PNG", "60000×2900 PNG", "8000×6000 PNG"])
def test_a_png_bomb_is_refused_from_its_header_without_decoding_it(bombs, which):
    bomb = bombs[which]
    assert bomb.size < 100_000  # a few kilobytes on the wire
    bomb.seek(0)
    tracemalloc.start()
    try:
        with pytest.raises(DomainError, match="尺寸过大") as refused:
            process_upload(bomb)
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5 * 1024 * 1024, peak  # decoding would take 169 MB (L) to 500 MB (RGB)
    assert "百万像素" in str(refused.value.message)


def test_a_large_but_honest_photo_is_kept_and_scaled_down():
    side = int((PIXEL_BUDGET * 0.9) ** 0.5)
    photo = upload(Image.new("RGB", (side, side // 2), (200, 80, 40)), "JPEG", "big.jpg", quality=70)
    result = process_upload(photo)
    assert max(result.width, result.height) <= MAX_SIDE
    assert Image.open(result.image).size == (result.width, result.height)


def test_comments_and_exif_of_the_original_are_not_kept():
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    photo = upload(
        Image.new("RGB", (800, 600), (10, 120, 200)), "JPEG", "c.jpg", comment=b"GPS 31.2N 121.4E", exif=exif
    )
    result = process_upload(photo)
    data = result.image.read()
    assert b"GPS 31.2N" not in data and b"SecretCam" not in data
    with Image.open(io.BytesIO(data)) as kept:
        assert "comment" not in kept.info and not kept.getexif()
