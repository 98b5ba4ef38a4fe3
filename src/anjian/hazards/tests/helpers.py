"""Hazard test helpers: real images and hazards made through the services."""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from anjian.hazards import services
from anjian.hazards.choices import HazardLevel
from anjian.hazards.models import Criterion, HazardCategory


def jpeg(name: str = "photo.jpg", size=(640, 480), color=(200, 30, 30), exif_orientation: int | None = None):
    img = Image.new("RGB", size, color)
    out = io.BytesIO()
    if exif_orientation:
        exif = Image.Exif()
        exif[0x0112] = exif_orientation
        exif[0x010F] = "TestCamera"  # Make: metadata that must be stripped
        img.save(out, format="JPEG", exif=exif)
    else:
        img.save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def category(code: str = "fire") -> HazardCategory:
    return HazardCategory.objects.get(code=code)


def criterion() -> Criterion:
    return Criterion.objects.filter(criterion_set__name__startswith="医疗机构").order_by("code").first()


def report(by, organization, *, level=HazardLevel.GENERAL, **extra):
    data = {"title": "安全出口堵塞", "location": "住院部3楼", "category": category(), "level": level}
    if level == HazardLevel.MAJOR:
        data["criterion"] = criterion()
    data.update(extra)
    # a hazard found in the past was reported then (a dated replay, as the demo's): today's
    # report may not reach back before last month (services.earliest_found_on)
    return services.hazard_report(
        by=by, organization=organization, data=data, photos=[jpeg()], at=extra.get("found_at")
    )


def general_plan(responsible, days: int = 7) -> dict:
    return {
        "responsible": responsible,
        "measures": "清理通道杂物",
        "deadline": timezone.localdate() + dt.timedelta(days=days),
    }


def major_plan(responsible, days: int = 30) -> dict:
    return {
        "goal": "消除液氧站安全隐患",
        "measures": "更换安全阀并复检",
        "funds": "12000.50",
        "materials": "安全阀2只",
        "responsible_unit": "设备科",
        "responsible": responsible,
        "deadline": timezone.localdate() + dt.timedelta(days=days),
        "requirements": "30日内完成并经检验合格",
        "safety_measures": "整改期间停用液氧储罐，设置警戒区，启用备用汇流排",
    }
