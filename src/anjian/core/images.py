"""Uploaded photos: proven to be images by decoding them, oriented, stripped of metadata, thumbnailed."""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from anjian.core.errors import DomainError

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "BMP", "MPO"}
MAX_SIDE = 2560
THUMB_SIDE = 360


@dataclass
class ProcessedImage:
    image: ContentFile
    thumbnail: ContentFile
    width: int
    height: int


def process_upload(upload) -> ProcessedImage:
    """Decode the upload, or refuse it with a clear message; the result is a clean JPEG and a thumbnail."""
    max_bytes = settings.PHOTO_MAX_BYTES
    name = getattr(upload, "name", "") or ""
    if upload is None:
        raise DomainError(_("请选择照片。"), field="image")
    if upload.size > max_bytes:
        raise DomainError(
            _("照片“%(name)s”太大（%(size).1f MB），不能超过 %(max)d MB。")
            % {"name": name, "size": upload.size / 1048576, "max": max_bytes // 1048576},
            field="image",
        )
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            fmt = probe.format
            probe.verify()
        if fmt not in ACCEPTED_FORMATS:
            raise DomainError(_("“%(name)s”不是支持的图片格式（JPEG、PNG、WebP）。") % {"name": name}, field="image")
        upload.seek(0)
        with Image.open(upload) as img:
            img.load()
            img = ImageOps.exif_transpose(img)
            img = img.convert("RGB")
    except DomainError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise DomainError(
            _("“%(name)s”不是有效的图片文件，无法识别，请重新拍摄或选择照片。") % {"name": name}, field="image"
        ) from exc
    img.thumbnail((MAX_SIDE, MAX_SIDE))
    thumb = img.copy()
    thumb.thumbnail((THUMB_SIDE, THUMB_SIDE))
    stem = uuid.uuid4().hex
    return ProcessedImage(
        image=ContentFile(_jpeg(img, 85), name=f"{stem}.jpg"),
        thumbnail=ContentFile(_jpeg(thumb, 80), name=f"{stem}_t.jpg"),
        width=img.width,
        height=img.height,
    )


def _jpeg(img: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=quality, optimize=True)  # no exif= argument: metadata is dropped
    return out.getvalue()
