"""Decompression bombs for the tests and scripts/bombs.py: small on the wire, huge once decoded."""

from __future__ import annotations

import io
import zipfile

MB = 1024 * 1024
SHARED_STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
SHARED_STRINGS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def png_bomb(width: int = 13000, height: int = 13000) -> bytes:
    """A 1-bit PNG of ``width``×``height`` black pixels: ~20 KB, 169 Mpx."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("1", (width, height)).save(out, format="PNG", optimize=True)
    return out.getvalue()


def shared_strings_bomb(inflated_mb: int, header=("姓名", "用户名", "角色")) -> bytes:
    """A real xlsx (one header row) with a shared-strings part, declared in the package as Excel
    declares it, that inflates to ``inflated_mb`` MB: written in chunks, never held whole."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(list(header))
    plain, out = io.BytesIO(), io.BytesIO()
    wb.save(plain)
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "[Content_Types].xml":
                override = f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SHARED_STRINGS_TYPE}"/>'
                data = data.replace(b"</Types>", override.encode() + b"</Types>")
            elif info.filename == "xl/_rels/workbook.xml.rels":
                rel = f'<Relationship Id="rIdBomb" Type="{SHARED_STRINGS_REL}" Target="sharedStrings.xml"/>'
                data = data.replace(b"</Relationships>", rel.encode() + b"</Relationships>")
            elif info.filename == "xl/sharedStrings.xml":
                continue
            dst.writestr(info, data)
        with dst.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            part.write(b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
            item = b"<si><t>" + b"A" * 4000 + b"</t></si>"  # each a string of its own once read
            for _ in range(inflated_mb * MB // len(item)):
                part.write(item)
            part.write(b"</sst>")
    return out.getvalue()
