from __future__ import annotations

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from anjian.registers import services
from anjian.registers.models import Chemical, EquipmentKind, add_months


def today() -> dt.date:
    return timezone.localdate()


def pdf(name: str = "检验报告.pdf") -> SimpleUploadedFile:
    body = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def make_equipment(by, kind: str = "lift", name: str = "门诊楼1号电梯", last=None, **data):
    return services.equipment_create(
        by=by,
        data={"kind": EquipmentKind.objects.get(code=kind), "name": name, "last_inspected_on": last, **data},
    )


def overdue_vessel(by, name: str = "液氧储罐"):
    """A pressure vessel whose yearly check was due a month ago, whatever the day."""
    return make_equipment(by, kind="pressure_vessel", name=name, last=add_months(today(), -13))


def make_stock(by, chemical: str = "乙醇（75%、95%）", place: str = "药剂科危化品库", quantity=10, max_quantity=50):
    place_obj = services.storage_place_create(by=by, data={"name": place, "keepers": "王药师、李药师"})
    return services.stock_create(
        by=by,
        place=place_obj,
        chemical=Chemical.objects.get(name=chemical),
        unit="L",
        max_quantity=max_quantity,
        initial_quantity=quantity,
    )


def floor_plan(by, building: str = "住院楼", floor: str = "1F", size=(400, 300)):
    """A floor plan of the four-colour map (the risks app's), from a plain JPEG."""
    from anjian.risks import services as risk_services

    out = io.BytesIO()
    Image.new("RGB", size, (230, 230, 230)).save(out, format="JPEG")
    image = SimpleUploadedFile(f"{building}{floor}.jpg", out.getvalue(), content_type="image/jpeg")
    return risk_services.floor_plan_upload(by=by, building=building, floor=floor, image=image)


def after_a_flush(request) -> bool:
    """The test's database may have lost the data migrations' rows: it is transactional (the one
    before it on the worker may have flushed), or ``database_as_created`` had to rebuild."""
    return bool({"transactional_db", "live_server"} & set(request.fixturenames))
