"""A record form (登记表) as a Word document in the layout of Chinese official documents: A4 with
the GB/T 9704 margins, the title in 小标宋 二号, a two-column table of labelled fields in 仿宋, the
longer parts under 黑体 headings, page numbers "— 1 —" in the footer. Generic: any app gives it its title,
fields and parts. The pieces every official layout shares (fonts, A4 with the GB/T 9704 margins, the
"— 1 —" page numbers, the download) are here too; reports.docx builds its notices with them.

Font names are the ones Chinese offices have (方正小标宋简体, 仿宋_GB2312, 黑体); where they are missing
(LibreOffice on Debian) the reader substitutes a CJK font, so the text always shows.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from django.http import HttpResponse
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from anjian.core.uploads import protect_download

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
BODY_SIZE = Pt(14)
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def set_font(run, name: str, size: Pt, *, bold: bool = False, color=None) -> None:
    """The run in ``name`` for every script (Latin and East Asian), so Word and WPS agree."""
    run.font.name = name
    run.font.size = size
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def _text(paragraph, text: str, *, font: str = BODY_FONT, size: Pt = BODY_SIZE, bold: bool = False):
    for n, line in enumerate(str(text or "").splitlines() or [""]):
        run = paragraph.add_run(line)
        set_font(run, font, size, bold=bold)
        if n < len(str(text or "").splitlines()) - 1:
            run.add_break()
    return paragraph


def official_page(section) -> None:
    """A4 with the GB/T 9704 margins (37/35/28/26 mm) and page numbers "— 1 —" in the footer."""
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_font(p.add_run("— "), BODY_FONT, Pt(14))
    run = p.add_run()
    set_font(run, BODY_FONT, Pt(14))
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        el = OxmlElement("w:fldChar" if kind else "w:instrText")
        if kind:
            el.set(qn("w:fldCharType"), kind)
        else:
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)
    set_font(p.add_run(" —"), BODY_FONT, Pt(14))


def record_docx(
    *,
    title: str,
    subtitle: str = "",
    fields: Sequence[tuple[str, str]] = (),
    parts: Sequence[tuple[str, str]] = (),
    signatures: Sequence[str] = (),
) -> bytes:
    """``fields``: (label, value) rows of the table; ``parts``: (heading, text) sections below it;
    ``signatures``: the lines to sign at the end (记录人：, 审核人：)."""
    doc = Document()
    official_page(doc.sections[0])
    head = doc.add_paragraph()
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _text(head, title, font=TITLE_FONT, size=Pt(22))
    if subtitle:
        sub = doc.add_paragraph()
        sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _text(sub, subtitle, size=Pt(14))
    if fields:
        table = doc.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for label, value in fields:
            cells = table.add_row().cells
            cells[0].width, cells[1].width = Mm(40), Mm(116)
            _text(cells[0].paragraphs[0], label, font=HEADING_FONT, size=Pt(12))
            _text(cells[1].paragraphs[0], value, size=Pt(12))
    for heading, text in parts:
        _text(doc.add_paragraph(), heading, font=HEADING_FONT, size=Pt(16))
        _text(doc.add_paragraph(), text or "—")
    for line in signatures:
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _text(p, line)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def docx_response(content: bytes, filename: str) -> HttpResponse:
    """The document as a download named ``filename``."""
    return protect_download(HttpResponse(content, content_type=DOCX_CONTENT_TYPE), filename)
