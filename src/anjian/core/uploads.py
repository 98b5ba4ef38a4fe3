"""Uploaded documents (attachments, plan documents, imported tables): one allow-list of types, each
proven by its content, never by its name alone; and the one way such a file is sent back.

Photos do not come here: ``core.images`` decodes and re-encodes them. Everything else a person
uploads passes ``check_upload`` before anything is written:

- the name's extension must be one of the kinds allowed at that place (``ATTACHMENT_KINDS`` by
  default: PDF, Word, Excel, WPS, OFD, JPEG and PNG);
- the content must be what the extension says: ``%PDF-`` for a PDF; for docx/xlsx a zip whose
  ``[Content_Types].xml`` declares the Word (``word/``) or Excel (``xl/``) main part (so a macro
  workbook renamed .xlsx is refused); the OLE2 signature ``D0 CF 11 E0 A1 B1 1A E1`` with a
  ``WordDocument`` (doc) or ``Workbook``/``Book`` (xls) stream for the legacy formats and WPS; an
  OFD package (``OFD.xml``, GB/T 33190, the format of Chinese electronic official documents); the
  JPEG and PNG signatures;
- it is not empty and not larger than ``settings.ATTACHMENT_MAX_BYTES`` (20 MB unless set).

Not allowed, by decision: zip and other archives (what is inside cannot be vouched for, and an
archive is the usual wrapper of an executable), executables and scripts of any kind, HTML, SVG and
XML (a browser runs their scripts), RTF (the usual carrier of Office exploits).

``attachment_response`` sends a stored file back as a download: ``Content-Disposition: attachment``
with an ASCII fallback name and the RFC 6266/5987 ``filename*`` (Chinese names intact), the type of
the allowed kind (else ``application/octet-stream``) and ``X-Content-Type-Options: nosniff``, so a
browser never renders an uploaded file as a page of this site.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote
from xml.etree import ElementTree

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anjian.core.errors import DomainError

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = b"PK\x03\x04"
CHUNK = 1024 * 1024
MAX_CONTENT_TYPES_BYTES = 1024 * 1024  # [Content_Types].xml is a few kB; a bigger one is not Office's


@dataclass(frozen=True)
class FileKind:
    key: str
    extensions: tuple[str, ...]
    content_type: str
    label: str


KINDS: dict[str, FileKind] = {
    kind.key: kind
    for kind in (
        FileKind("pdf", (".pdf",), "application/pdf", "PDF"),
        FileKind("docx", (".docx",), "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
        FileKind("doc", (".doc",), "application/msword", "doc"),
        FileKind("xlsx", (".xlsx",), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
        FileKind("xls", (".xls",), "application/vnd.ms-excel", "xls"),
        FileKind("wps", (".wps",), "application/vnd.ms-works", "WPS"),
        FileKind("ofd", (".ofd",), "application/ofd", "OFD"),
        FileKind("jpg", (".jpg", ".jpeg"), "image/jpeg", "JPG"),
        FileKind("png", (".png",), "image/png", "PNG"),
    )
}
ATTACHMENT_KINDS = ("pdf", "docx", "doc", "xlsx", "xls", "wps", "ofd", "jpg", "png")
DOCUMENT_KINDS = ("pdf", "docx", "doc", "wps", "ofd")  # the text of a plan or a notice
XLSX_KINDS = ("xlsx",)

_OOXML_MAIN = {
    "docx": ("/word/", "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"),
    "xlsx": ("/xl/", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
}
_OOXML_DEFAULT_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
_OLE_STREAMS = {
    "doc": ("WordDocument",),
    "wps": ("WordDocument",),
    "xls": ("Workbook", "Book"),
}
# what an executable or a script starts with: named in the refusal, whatever the file is called
_EXECUTABLE = (b"MZ", b"\x7fELF", b"#!", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe", b"\xfe\xed\xfa")
_MARKUP = re.compile(rb"^(?:\xef\xbb\xbf)?\s*<", re.DOTALL)
_CONTROL = re.compile(r"[\x00-\x1f\x7f\"\\/]")

UPLOAD_HELP = gettext_lazy(
    "可上传 PDF、Word（doc、docx）、Excel（xls、xlsx）、WPS、OFD、JPG、PNG 文件，每个不超过 %(mb)d MB"
)


def max_bytes() -> int:
    return int(getattr(settings, "ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def upload_help() -> str:
    return str(UPLOAD_HELP) % {"mb": max_bytes() // 1048576}


def extension(name: str) -> str:
    name = (name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    return "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""


def kind_of_name(name: str, allowed: Iterable[str] = ATTACHMENT_KINDS) -> FileKind | None:
    ext = extension(name)
    for key in allowed:
        if ext in KINDS[key].extensions:
            return KINDS[key]
    return None


def _labels(allowed: Iterable[str]) -> str:
    return "、".join(dict.fromkeys(KINDS[k].label for k in allowed))


def _size(upload) -> int:
    size = getattr(upload, "size", None)
    if size is not None:
        return int(size)
    position = upload.tell()
    upload.seek(0, 2)
    size = upload.tell()
    upload.seek(position)
    return size


def _ole_has_stream(upload, names: tuple[str, ...]) -> bool:
    """Whether the OLE2 compound file has a directory entry named one of ``names``. Entries are 128
    bytes, aligned on 128 from the start of the file (the header is one sector of 512 or 4096 bytes);
    each starts with its name in UTF-16 and a terminating NUL, with the name's byte length at 64."""
    wanted = {(n.encode("utf-16-le") + b"\0\0"): len(n) * 2 + 2 for n in names}
    upload.seek(0)
    buffer = b""
    while chunk := upload.read(CHUNK):
        buffer += chunk
        usable = len(buffer) - len(buffer) % 128
        for offset in range(0, usable, 128):
            entry = buffer[offset : offset + 128]
            for name, length in wanted.items():
                if entry.startswith(name) and int.from_bytes(entry[64:66], "little") == length:
                    return True
        buffer = buffer[usable:]
    return False


def _ooxml_matches(upload, key: str) -> bool:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as package:
            names = set(package.namelist())
            info = package.getinfo("[Content_Types].xml") if "[Content_Types].xml" in names else None
            if info is None or info.file_size > MAX_CONTENT_TYPES_BYTES:
                return False
            root = ElementTree.fromstring(package.read(info))  # noqa: S314 - size-capped; expat ≥ 2.4 refuses entity bombs
    except (zipfile.BadZipFile, ElementTree.ParseError, OSError, ValueError, RuntimeError, NotImplementedError):
        return False
    folder, wanted = _OOXML_MAIN[key]
    mains = [
        (el.get("PartName", ""), el.get("ContentType", ""))
        for el in root.iter()
        if el.tag.endswith("Override") and el.get("ContentType", "").endswith(".main+xml")
    ]
    if mains:  # the declared main part decides: a macro workbook (.xlsm) renamed .xlsx is refused
        return any(part.startswith(folder) and ctype == wanted and part.lstrip("/") in names for part, ctype in mains)
    return _OOXML_DEFAULT_PART[key] in names


def _ofd_matches(upload) -> bool:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as package:
            return "OFD.xml" in package.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def _content_matches(upload, kind: FileKind, head: bytes) -> bool:
    key = kind.key
    if key == "pdf":
        return head.startswith(b"%PDF-")
    if key == "jpg":
        return head.startswith(b"\xff\xd8\xff")
    if key == "png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if key in _OOXML_MAIN:
        return head.startswith(ZIP) and _ooxml_matches(upload, key)
    if key == "ofd":
        return head.startswith(ZIP) and _ofd_matches(upload)
    if key in _OLE_STREAMS:
        return head.startswith(OLE2) and _ole_has_stream(upload, _OLE_STREAMS[key])
    return False


def check_upload(
    upload,
    *,
    name: str | None = None,
    allowed: Iterable[str] = ATTACHMENT_KINDS,
    max_size: int | None = None,
    field: str = "file",
) -> FileKind:
    """The kind of ``upload`` if it is one of ``allowed`` by name *and* by content and within the
    size limit; else a ``DomainError`` naming the file. Reads the file, writes nothing; leaves it
    at its start."""
    allowed = tuple(allowed)
    if upload is None:
        raise DomainError(_("请选择文件。"), field=field)
    name = name if name is not None else (getattr(upload, "name", "") or "")
    shown = name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1] or _("（未命名文件）")
    limit = max_size if max_size is not None else max_bytes()
    size = _size(upload)
    if size == 0:
        raise DomainError(_("“%(name)s”是空文件，不能上传。") % {"name": shown}, field=field)
    if size > limit:
        raise DomainError(
            _("“%(name)s”太大（%(size).1f MB），不能超过 %(max)d MB。")
            % {"name": shown, "size": size / 1048576, "max": limit // 1048576},
            field=field,
        )
    kind = kind_of_name(name, allowed)
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if head.startswith(_EXECUTABLE):
        raise DomainError(
            _("“%(name)s”是可执行程序或脚本，不能上传。") % {"name": shown},
            field=field,
        )
    if kind is None:
        raise DomainError(
            _("“%(name)s”的文件类型不允许上传。可上传的类型：%(kinds)s。") % {"name": shown, "kinds": _labels(allowed)},
            field=field,
        )
    try:
        matches = _content_matches(upload, kind, head)
    finally:
        upload.seek(0)
    if not matches:
        if _MARKUP.match(head):
            message = _("“%(name)s”实际是网页或 XML/SVG 文件，不能上传。")
        else:
            message = _("“%(name)s”的内容不是有效的 %(kind)s 文件（文件名与内容不符），不能上传。")
        raise DomainError(message % {"name": shown, "kind": kind.label}, field=field)
    return kind


def check_uploads(uploads, *, allowed: Iterable[str] = ATTACHMENT_KINDS, field: str = "attachments") -> list[FileKind]:
    """``check_upload`` for each of several files, all before any is written (the first refusal stops)."""
    return [check_upload(f, allowed=allowed, field=field) for f in uploads or ()]


# --- downloads ------------------------------------------------------------------------------------
def clean_filename(name: str, default: str = "download") -> str:
    """The name a download is offered under: no path, quotes, backslashes or control characters."""
    name = (name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    name = _CONTROL.sub("", name).strip().strip(".") or default
    return name[:180]


def content_disposition(name: str) -> str:
    """``attachment`` with an ASCII ``filename`` for old clients and ``filename*`` (RFC 6266 / 5987) in UTF-8."""
    name = clean_filename(name)
    ascii_name = re.sub(r"[^A-Za-z0-9._()\- ]", "", name).strip()
    if ascii_name != name or not ascii_name or ascii_name.startswith("."):
        ascii_name = f"download{re.sub(r'[^a-z0-9.]', '', extension(name))}"  # a Chinese name: filename* carries it
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


def protect_download(response: HttpResponse, name: str) -> HttpResponse:
    """Mark ``response`` as a download of ``name`` that the browser must not sniff or render."""
    response["Content-Disposition"] = content_disposition(name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def signed_redirect(stored, *, content_type: str, disposition: str | None = None) -> HttpResponseRedirect | None:
    """With uploads in an S3-compatible store (settings.S3_BUCKET), the answer of a scoped file view
    once it has checked who may see the file: a redirect to the object's URL signed for
    ``S3_URL_SECONDS``, with the type, disposition and ``no-store`` the store must answer with. The
    objects themselves are private: without the signature the store refuses them. ``None`` when
    files are on the local disk (the view streams them)."""
    if not settings.S3_BUCKET:
        return None
    parameters = {"ResponseContentType": content_type, "ResponseCacheControl": "private, no-store"}
    if disposition:
        parameters["ResponseContentDisposition"] = disposition
    url = stored.storage.url(stored.name, parameters=parameters, expire=settings.S3_URL_SECONDS)
    response = HttpResponseRedirect(url)
    response["Cache-Control"] = "private, no-store"
    return response


def attachment_response(stored, name: str) -> HttpResponse:
    """A stored file (a FieldFile) as a download named ``name``; a missing file is 404."""
    if not stored:
        raise Http404(_("文件不存在。"))
    kind = kind_of_name(name, KINDS) or kind_of_name(stored.name, KINDS)
    content_type = kind.content_type if kind else "application/octet-stream"
    redirect = signed_redirect(stored, content_type=content_type, disposition=content_disposition(name))
    if redirect is not None:
        return redirect
    try:
        handle = stored.open("rb")
    except (FileNotFoundError, ValueError, OSError) as exc:
        raise Http404(_("文件不存在。")) from exc
    response = FileResponse(handle, content_type=content_type)
    return protect_download(response, name)
