"""Oversight test helpers: photos with a GPS position in their EXIF, tips made through the service."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from anjian.oversight import abuse, services

CONTACT = "13800138000 王先生"


def gps_jpeg(name: str = "scene.jpg") -> SimpleUploadedFile:
    """A JPEG whose EXIF holds a camera make and a GPS position (29.7°N 106.6°E)."""
    img = Image.new("RGB", (320, 240), (30, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "TestCamera"
    gps = {1: "N", 2: (29.0, 42.0, 0.0), 3: "E", 4: (106.0, 36.0, 0.0)}
    exif[0x8825] = gps
    out = io.BytesIO()
    img.save(out, format="JPEG", exif=exif)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def submit(organization, *, description="急诊楼安全出口被杂物堵塞", contact=CONTACT, photos=(), **extra):
    data = {"organization": organization, "description": description, "contact": contact, **extra}
    return services.tip_submit(data=data, photos=list(photos))


def challenge_fields() -> dict:
    challenge = abuse.challenge_new()
    return {"challenge": challenge.token, "answer": str(abuse.solve(challenge))}
