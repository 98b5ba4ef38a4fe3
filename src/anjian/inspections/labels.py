"""QR labels of inspection points: the code is drawn on the server as inline SVG (segno).

A label's address carries a token (``?t=``) that proves the person opening it stands before the
label: ``<label_version>.<HMAC-SHA256 of the point id and label version, keyed with the point's
label_secret>``. The server marks a record "scanned at the point" only with the token of the point's
current label; reprinting the label draws a new secret (``services.point_reissue_label``), so the
old labels stop proving presence. The key is the point's own secret, not SECRET_KEY: rotating the
site's key must not void every label on every wall."""

from __future__ import annotations

import enum
import io
from urllib.parse import urlencode

import segno
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _

SCAN_PARAM = "t"  # the label address's query parameter
_SALT = "anjian.inspections.labels.scan_token"


class Scan(enum.Enum):
    """What a token says about presence at a point."""

    NONE = "none"  # no token: the point was opened without scanning its label
    VALID = "valid"  # the current label's token: scanned at the point
    STALE = "stale"  # a token of a label since reprinted
    INVALID = "invalid"  # anything else

    @property
    def scanned(self) -> bool:
        return self is Scan.VALID

    @property
    def message(self) -> str:
        """What the person filling the checklist is told (nothing when all is well)."""
        return {
            Scan.NONE: "",
            Scan.VALID: "",
            Scan.STALE: str(
                _(
                    "这张二维码标签已作废（巡检点已重新生成标签），本次检查不记为扫码到场；请联系安全管理员更换现场标签。"
                )
            ),
            Scan.INVALID: str(_("二维码凭证无效，本次检查不记为扫码到场；请扫描巡检点现场张贴的二维码标签。")),
        }[self]


def _mac(point, version: int) -> str:
    return salted_hmac(_SALT, f"{point.pk}:{version}", secret=point.label_secret, algorithm="sha256").hexdigest()[:32]


def scan_token(point) -> str:
    """The token printed on the point's current label."""
    return f"{point.label_version}.{_mac(point, point.label_version)}"


def check_token(point, token: str | None) -> Scan:
    """Whether ``token`` is the point's current label's (compared in constant time)."""
    token = (token or "").strip()
    if not token:
        return Scan.NONE
    version, _sep, mac = token.partition(".")
    if not version.isdigit() or not mac:
        return Scan.INVALID
    if constant_time_compare(mac, _mac(point, point.label_version)) and int(version) == point.label_version:
        return Scan.VALID
    if int(version) < point.label_version:
        return Scan.STALE
    return Scan.INVALID


def scan_path(point) -> str:
    """The point's page, without proof of presence (typed in, or a link inside the site)."""
    return reverse("inspections:point-scan", args=[point.code])


def label_path(point) -> str:
    """What the point's QR label encodes: its page with the current label's token."""
    return f"{scan_path(point)}?{urlencode({SCAN_PARAM: scan_token(point)})}"


def qr_svg(url: str, *, scale: int = 4) -> str:
    """The QR code of ``url`` as an inline <svg> element (no XML declaration), error correction M."""
    out = io.BytesIO()
    segno.make(url, error="m", micro=False).save(
        out, kind="svg", scale=scale, border=2, xmldecl=False, svgns=True, nl=False, svgclass="qr", lineclass=None
    )
    return out.getvalue().decode()
