"""QR labels of inspection points: the code is drawn on the server as inline SVG (segno)."""

from __future__ import annotations

import io

import segno
from django.urls import reverse


def scan_path(point) -> str:
    return reverse("inspections:point-scan", args=[point.code])


def qr_svg(url: str, *, scale: int = 4) -> str:
    """The QR code of ``url`` as an inline <svg> element (no XML declaration), error correction M."""
    out = io.BytesIO()
    segno.make(url, error="m", micro=False).save(
        out, kind="svg", scale=scale, border=2, xmldecl=False, svgns=True, nl=False, svgclass="qr", lineclass=None
    )
    return out.getvalue().decode()
