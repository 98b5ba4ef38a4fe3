"""A notice as a Word document in the layout of Chinese official documents (GB/T 9704-2012, roughly):
A4, margins 37/35/28/26 mm; the optional red head (发文机关标志) in red 小标宋 with a red rule under the
document number; the title in 小标宋 二号; addressee, body, signature and date in 仿宋 三号 (16 pt) on a
fixed 28-point line; a blank space above the signature for the seal; page numbers "— 1 —" in the footer.

Font names are the ones Chinese offices have (方正小标宋简体, 仿宋_GB2312, 黑体); where they are missing
(LibreOffice on Debian) the reader substitutes a CJK font, so the text always shows.
"""

from __future__ import annotations

import io
import re

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from anjian.core.docx import BODY_FONT, DOCX_CONTENT_TYPE, HEADING_FONT, TITLE_FONT, official_page, set_font  # noqa: F401
from anjian.reports.placeholders import cn_date

RED = RGBColor(0xE0, 0x00, 0x00)
BODY_SIZE = Pt(16)  # 三号
TITLE_SIZE = Pt(22)  # 二号
LINE = Pt(28)
HEADING = re.compile(r"^[一二三四五六七八九十]+、(?:[^：:。，,]{1,12}[：:])?")


def _paragraph(doc, text="", *, font=BODY_FONT, size=BODY_SIZE, align=None, indent=False, bold=False, color=None):
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    if indent:
        fmt.first_line_indent = Pt(size.pt * 2)  # two characters
    if align is not None:
        p.alignment = align
    if text:
        set_font(p.add_run(text), font, size, bold=bold, color=color)
    return p


def _red_rule(paragraph) -> None:
    """A red line under the paragraph (the 版头 separator)."""
    ppr = paragraph._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "12"), ("w:space", "4"), ("w:color", "E00000")):
        bottom.set(qn(key), value)
    border.append(bottom)
    ppr.append(border)


def notice_docx(notice) -> bytes:
    """The notice (a reports.Notice, its text as issued) as the bytes of a .docx file."""
    doc = Document()
    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    official_page(section)
    section.footer_distance = Mm(20)
    normal = doc.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = BODY_SIZE
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)

    if not notice.is_current:  # an earlier version, kept and downloadable: say so above everything
        successor = notice.successor
        with translation.override(settings.LANGUAGE_CODE):  # an official document: Chinese
            if successor:
                text = _("（已被第%(v)s版取代：%(n)s）") % {"v": successor.version, "n": successor.number}
            else:
                text = _("（已被新版本取代）")
        _paragraph(doc, text, font=HEADING_FONT, align=WD_ALIGN_PARAGRAPH.RIGHT, color=RED)
    if notice.red_head:
        # one line across the text block (156 mm, about 440 pt): smaller for a long name
        size = Pt(max(20, min(36, 430 // max(len(notice.red_head), 1))))
        head = _paragraph(doc, notice.red_head, font=TITLE_FONT, size=size, align=WD_ALIGN_PARAGRAPH.CENTER)
        head.paragraph_format.line_spacing = Pt(52)
        head.runs[0].font.color.rgb = RED
        _paragraph(doc)
        number = _paragraph(doc, notice.number, align=WD_ALIGN_PARAGRAPH.CENTER)
        _red_rule(number)
        _paragraph(doc)
        _paragraph(doc, notice.title, font=TITLE_FONT, size=TITLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER)
    else:
        _paragraph(doc, notice.title, font=TITLE_FONT, size=TITLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER)
        _paragraph(doc, notice.number, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(doc)
    _paragraph(doc, f"{notice.addressee}：")
    for line in notice.body.splitlines():
        line = line.strip()
        if not line:
            continue
        heading = HEADING.match(line)
        if heading:  # 一、… ：a first-level heading in 黑体, its text in 仿宋
            p = _paragraph(doc, indent=True)
            set_font(p.add_run(heading.group(0)), HEADING_FONT, BODY_SIZE)
            rest = line[heading.end() :]
            if rest:
                set_font(p.add_run(rest), BODY_FONT, BODY_SIZE)
        else:
            _paragraph(doc, line, indent=True)
    for _blank in range(3):  # room for the seal (印章), which overlaps signature and date
        _paragraph(doc)
    right = WD_ALIGN_PARAGRAPH.RIGHT
    sign = _paragraph(doc, notice.signature, align=right)
    sign.paragraph_format.right_indent = Pt(BODY_SIZE.pt * 4)
    date = _paragraph(doc, cn_date(notice.issued_on), align=right)
    date.paragraph_format.right_indent = Pt(BODY_SIZE.pt * 4)

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
