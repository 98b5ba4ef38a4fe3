from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from anjian.risks import services


def jpeg(name: str = "plan.jpg", size=(400, 300)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, (230, 230, 230)).save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def make_point(by, name: str = "液氧站", **data):
    return services.risk_point_create(by=by, data={"name": name, "kind": "equipment", **data})


def make_risk(by, point, name: str = "液氧储罐超压爆炸", method: str = "LEC", factors=None, **data):
    return services.risk_create(
        by=by,
        risk_point=point,
        data={"name": name, "accident_type": "vessel", **data},
        method=method,
        factors=factors or {"l": 3, "e": 6, "c": 40},
    )
