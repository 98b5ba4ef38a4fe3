"""Reading the cells of a task table: deadlines in words, offices and units in one cell, and labelled
responsibility cells ("牵头部门：…", "责任部门：…"). Pure functions except ``map_units`` (which reads the unit
groups)."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

# --- deadlines -----------------------------------------------------------------------------------

STANDING_WORDS = ("长期坚持", "长期", "持续推进", "常态化")
RHYTHM_WORDS = [
    ("每月", "monthly"),
    ("每季度", "quarterly"),
    ("每季", "quarterly"),
    ("每半年", "half_yearly"),
    ("每年", "yearly"),
]
_NUM = r"(\d{1,4})"


@dataclass
class Deadline:
    date: dt.date | None = None
    standing: bool = False
    rhythm: str = ""
    problem: str = ""
    month_only: bool = False  # "12月底前": the year is the plan's

    @property
    def understood(self) -> bool:
        return not self.problem


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def parse_deadline(text: str, *, year: int | None = None) -> Deadline:
    """ "2024年12月前，长期坚持" → 2024-12-31 and standing; "12 月" → the 31st of December of ``year``
    (the plan's year); "长期坚持" → standing; anything else → a problem naming the text."""
    raw = (text or "").strip()
    compact = re.sub(r"\s+", "", raw)
    result = Deadline()
    if not compact:
        result.problem = _("未填写完成时限")
        return result
    result.standing = any(word in compact for word in STANDING_WORDS)
    for word, rhythm in RHYTHM_WORDS:
        if word in compact:
            result.rhythm = rhythm
            break
    rest = compact
    for word in (
        *STANDING_WORDS,
        *(w for w, _r in RHYTHM_WORDS),
        "报送",
        "开展",
        "定期",
        "并",
        "完成",
        "以前",
        "之前",
        "前",
        "底",
        "，",
        ",",
        "；",
        "。",
    ):
        rest = rest.replace(word, " ")
    rest = rest.strip()
    if not rest:
        result.standing = result.standing or bool(result.rhythm)  # "每季度": recurring, no end date
        return result
    m = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?\s*", rest)
    if m:
        try:
            result.date = dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            result.problem = _("“%(t)s”不是有效的日期") % {"t": raw}
        return result
    m = re.fullmatch(r"(\d{4})年(\d{1,2})月\s*", rest) or re.fullmatch(r"(\d{4})[-/.](\d{1,2})\s*", rest)
    if m and 1 <= int(m[2]) <= 12:
        result.date = _month_end(int(m[1]), int(m[2]))
        return result
    m = re.fullmatch(r"(\d{4})年(年)?\s*", rest) or re.fullmatch(r"(\d{4})年年\s*", rest)
    if m:
        result.date = dt.date(int(m[1]), 12, 31)
        return result
    m = re.fullmatch(r"(\d{1,2})月\s*", rest)
    if m and 1 <= int(m[1]) <= 12:
        if year is None:
            result.problem = _("“%(t)s”未写年份，且表格标题中也没有年份") % {"t": raw}
            return result
        result.date = _month_end(year, int(m[1]))
        result.month_only = True
        return result
    result.problem = _("无法识别完成时限“%(t)s”，请改为“2024年12月前”“2024-12-31”或“长期坚持”") % {"t": raw}
    return result


# --- offices and units ---------------------------------------------------------------------------

_SPLIT = re.compile(r"[、，,；;/\s]+")


def split_names(text: str) -> list[str]:
    """ "安全生产与项目规划科、 医政科" → two names; order kept, duplicates and blanks dropped."""
    names = []
    for part in _SPLIT.split((text or "").replace("<p>", "").replace("</p>", "")):
        part = part.strip("。 ")
        if part and part not in names:
            names.append(part)
    return names


@dataclass
class UnitMapping:
    text: str
    groups: list[int] = field(default_factory=list)  # UnitGroup ids
    group_names: list[str] = field(default_factory=list)
    named: list[int] = field(default_factory=list)  # Organization ids named in the text
    named_names: list[str] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)


def map_units(text: str, *, groups, institutions) -> UnitMapping:
    """Map the words of a 责任单位 cell to unit groups (by their keywords) and named institutions
    (by name or short name); what matches neither is listed as unmatched, for the user to see."""
    mapping = UnitMapping(text=text)
    for segment in split_names(text):
        hit = False
        for inst in institutions:
            if segment in (inst.name, inst.short_name) and inst.pk not in mapping.named:
                mapping.named.append(inst.pk)
                mapping.named_names.append(inst.name)
                hit = True
        for group in groups:
            if any(word and word in segment for word in group.keywords):
                hit = True
                if group.pk not in mapping.groups:
                    mapping.groups.append(group.pk)
                    mapping.group_names.append(group.name)
        if not hit:
            mapping.unmatched.append(segment)
    return mapping


# --- labelled responsibility cells -----------------------------------------------------------------

# "牵头部门：社会事业管理局\n责任部门：局卫生各部门、各医疗机构" in one cell: split by the labels
LABELS = [
    ("offices", ("牵头部门", "牵头单位", "牵头处室", "牵头科室", "责任处室", "责任科室")),
    ("units", ("责任部门", "责任单位", "实施单位", "落实单位")),
    ("cooperating", ("配合单位", "配合部门", "协办单位", "协助单位", "参与单位")),
]
_LABEL_RE = re.compile(
    "(" + "|".join(word for _key, words in LABELS for word in words) + r")\s*[:：]", flags=re.MULTILINE
)
# the regulator's own offices written where units are expected: "局卫生各部门", "局机关各办公室"
_OFFICE_LIKE = re.compile(r"^(局|委|机关).*各(部门|科室|处室|办公室)$|^局机关")


def split_labelled(text: str, default: str) -> dict[str, str]:
    """The parts of a responsibility cell by their labels; text before any label is ``default``'s."""
    parts: dict[str, list[str]] = {}
    matches = list(_LABEL_RE.finditer(text or ""))
    head = (text or "")[: matches[0].start()] if matches else (text or "")
    if head.strip():
        parts.setdefault(default, []).append(head.strip())
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        key = next(k for k, words in LABELS if m[1] in words)
        value = text[m.end() : end].strip(" \n；;，,。")
        if value:
            parts.setdefault(key, []).append(value)
    return {k: "，".join(v) for k, v in parts.items()}
