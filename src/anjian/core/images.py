"""Uploaded photos: proven to be images by decoding them, oriented, stripped of metadata, thumbnailed."""

from __future__ import annotations

import io
import uuid
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from anjian.core.errors import DomainError

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "BMP", "MPO"}
MAX_SIDE = 2560
THUMB_SIDE = 360
# A phone's photo is 12–50 Mpx; a few kilobytes of PNG can claim far more and inflate to
# gigabytes when decoded. The dimensions are read from the header and refused above this
# budget before any pixel is decoded; Pillow's own guard is set to the same budget.
PIXEL_BUDGET = 40_000_000
MAX_SIDE_PIXELS = 20_000  # a side longer than this is no photograph (panoramas are ~12,000)
Image.MAX_IMAGE_PIXELS = PIXEL_BUDGET


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
        with warnings.catch_warnings():  # Pillow's warning between 1× and 2× the budget: refused below
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            probe = Image.open(upload)  # reads the header only
        with probe:
            fmt, (width, height) = probe.format, probe.size
            if fmt not in ACCEPTED_FORMATS:
                raise DomainError(
                    _("“%(name)s”不是支持的图片格式（JPEG、PNG、WebP）。") % {"name": name}, field="image"
                )
            _check_dimensions(name, width, height)
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as img:
            if img.format == "JPEG":  # let the decoder scale down by 1/2…1/8 instead of decoding every pixel
                img.draft("RGB", (MAX_SIDE, MAX_SIDE))
            img.load()
            img = ImageOps.exif_transpose(img)
            img = img.convert("RGB")
            img.info = {}  # comments, XMP, ICC, EXIF: nothing of the original's metadata is written again
    except DomainError:
        raise
    except Image.DecompressionBombError as exc:  # Pillow's own guard, at twice the budget, as it opens
        raise DomainError(
            _("照片“%(name)s”的尺寸过大，不能超过 %(mp)d 百万像素、单边 %(side)d 像素。")
            % {"name": name, "mp": PIXEL_BUDGET // 1_000_000, "side": MAX_SIDE_PIXELS},
            field="image",
        ) from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
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


def _check_dimensions(name: str, width: int, height: int) -> None:
    if width * height > PIXEL_BUDGET or max(width, height) > MAX_SIDE_PIXELS:
        raise DomainError(
            _("照片“%(name)s”的尺寸过大（%(w)d×%(h)d 像素），不能超过 %(mp)d 百万像素、单边 %(side)d 像素。")
            % {"name": name, "w": width, "h": height, "mp": PIXEL_BUDGET // 1_000_000, "side": MAX_SIDE_PIXELS},
            field="image",
        )


def _jpeg(img: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=quality, optimize=True)  # no exif= argument: metadata is dropped
    return out.getvalue()


def photo_response(field):
    """A stored photo as the answer to its scoped view: JPEG, never sniffed, never kept by a browser
    or proxy cache (a hazard's photo may show patients, wards and faces: ``no-store``)."""
    from django.http import FileResponse, Http404

    from anjian.core.uploads import signed_redirect

    redirect = signed_redirect(field, content_type="image/jpeg")
    if redirect is not None:
        return redirect
    try:
        handle = field.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404(_("照片文件不存在。")) from exc
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
